from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Core app: the org tree, accounts, scope, audit, notifications, jobs and PDF rendering."""

    name = "portal"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login audit only; no business rules in signals)
