from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Burden figures (减负成效), dashboards, registers as documents and PDF reports built by jobs."""

    name = "reports"
    verbose_name = "减负成效"

    def ready(self) -> None:
        from portal import dashboard, navigation
        from portal.caching import bump_on_change
        from portal.jobs import job_finder, register_reconciler
        from reports.selectors import FIGURES_GENERATION, REDIRECTS_GENERATION, REPORT_ROLES, figure_models

        # The burden figures are cached until a record they count changes (portal.caching).
        counted, redirects = figure_models()
        bump_on_change(FIGURES_GENERATION, *counted)
        bump_on_change(REDIRECTS_GENERATION, *redirects)

        # Reconciliation: ordered reports whose job never finished are rendered again.
        register_reconciler("reports.jobs", job_finder("reports.", "reports.tasks.render_report"))

        navigation.register_nav(
            "减负成效", "reports:dashboard", group="reports", roles=REPORT_ROLES, order=70
        )
        navigation.register_nav("减负成效公示", "reports:public", group="reports", public=True, order=72)

        def panel_context(request):
            from reports.selectors import dashboard_panel

            return dashboard_panel(user=request.user)

        dashboard.register_panel(
            "reports", "减负成效", "reports/panel.html", roles=REPORT_ROLES, context=panel_context, order=30
        )
