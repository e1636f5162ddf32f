from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    """Star rating (评星定级) as the single evaluation of communities, and the appraisal whitelist."""

    name = "evaluations"
    verbose_name = "评星定级"

    def ready(self) -> None:
        from evaluations.models import WORK_ON_EVALUATIONS
        from evaluations.rules import appraisal_rule
        from portal import dashboard, navigation
        from portal.choices import Role
        from portal.jobs import job_finder, register_reconciler
        from taskcheck.engine import register_rule

        register_rule("appraisal", appraisal_rule, order=30)
        # Reconciliation: ordered evaluation reports whose job never finished are rendered again.
        register_reconciler("evaluations.jobs", job_finder("evaluations.", "evaluations.tasks.render_report"))
        _cache_invalidation()
        navigation.register_nav(
            "评星定级结果", "evaluations:results", group="evaluations", public=True, order=60
        )
        navigation.register_nav(
            "评比创建白名单", "evaluations:whitelist", group="evaluations", public=True, order=62
        )
        navigation.register_nav(
            "评星定级",
            "evaluations:index",
            group="evaluations",
            right=WORK_ON_EVALUATIONS,
            order=40,
        )

        def panel_context(request):
            from evaluations.selectors import dashboard_context

            return dashboard_context(request.user)

        dashboard.register_panel(
            "evaluations",
            "评星定级",
            "evaluations/panel.html",
            roles={Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN},
            context=panel_context,
            order=40,
        )


def _cache_invalidation() -> None:
    """The public results (counts, pages and rendered parts, ``portal.caching`` generation
    "evaluations-public") are dropped when a cycle, an assessment, a rectification or an org changes."""
    from evaluations.models import Assessment, Cycle, Rectification
    from portal.caching import bump_on_change
    from portal.models import OrgUnit

    bump_on_change("evaluations-public", Cycle, Assessment, Rectification, OrgUnit)
