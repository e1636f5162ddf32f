from django.apps import AppConfig


def _missing_criticism_pdfs(cutoff):
    """Reconciliation: published criticisms still without their sealed PDF."""
    from supervision.choices import CriticismStatus
    from supervision.models import Criticism

    ids = Criticism.objects.filter(
        status=CriticismStatus.PUBLISHED, pdf_file="", published_at__lte=cutoff
    ).values_list("pk", flat=True)
    return [("supervision.tasks.render_criticism", [pk]) for pk in ids.order_by("pk")[:200]]


def _cache_invalidation() -> None:
    """The public statistics and the counts and pages of the complaint and appeal lists (``portal.caching``
    generation "supervision") are dropped when a complaint, a rectification, a criticism, an appeal, a
    department or an org changes."""
    from portal.caching import bump_on_change
    from portal.models import Department, OrgUnit
    from supervision.models import Appeal, Complaint, Criticism, Rectification

    bump_on_change("supervision", Complaint, Rectification, Criticism, Appeal, Department, OrgUnit)


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "减负投诉与监督"

    def ready(self):
        import supervision.assignments  # noqa: F401  (declares the complaint's assignment rule)
        from portal.choices import Role
        from portal.dashboard import register_panel
        from portal.jobs import register_reconciler
        from portal.navigation import register_nav
        from supervision.models import ANSWER_FOR_DEPARTMENT, BUREAU_CRITICISMS

        register_reconciler("supervision.criticism", _missing_criticism_pdfs)
        _cache_invalidation()

        register_nav("投诉反馈", "supervision:file", group="supervision", public=True, order=62)
        register_nav("通报与统计", "supervision:public", group="supervision", public=True, order=66)
        register_nav(
            "投诉办理",
            "supervision:list",
            group="supervision",
            right=BUREAU_CRITICISMS,  # approvers land on the criticisms, the bureau on its complaints
            order=35,
        )
        register_nav(
            "整改通知", "supervision:department", group="supervision", right=ANSWER_FOR_DEPARTMENT, order=36
        )
        register_nav(
            "居民诉求",
            "supervision:appeals",
            group="supervision",
            roles={Role.RESIDENT, Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL},
            order=40,
        )

        def panel_context(request):
            from supervision.selectors import dashboard_figures

            return dashboard_figures(user=request.user)

        register_panel(
            "supervision",
            "减负投诉与督促整改",
            "supervision/_panel.html",
            roles={Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN, Role.DEPARTMENT_STAFF, Role.COMMUNITY_STAFF},
            context=panel_context,
            order=35,
        )
