from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Core app: the org tree, accounts, scope, audit, notifications, jobs and PDF rendering."""

    name = "portal"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login audit only; no business rules in signals)
        from .caching import bump_on_change
        from .models import OrgUnit

        # The org tree's listings (counts, pages) are cached until an org changes (portal.caching).
        bump_on_change("orgs", OrgUnit)
        from .history import register_all

        register_all()  # every model of every project app keeps history (portal/history.py)
