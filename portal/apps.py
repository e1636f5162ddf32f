from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Core app: the org tree, accounts, scope, audit, notifications, jobs and PDF rendering."""

    name = "portal"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login audit only; no business rules in signals)
        from .caching import bump_on_change
        from .models import Department, Notification, OrgUnit
        from .scope import PRINCIPALS, connect_access_stamps
        from .selectors.notifications import TODOS

        # The org tree's listings (counts, pages) are cached until an org changes (portal.caching).
        bump_on_change("orgs", OrgUnit)
        # Cached roles carry their org's path and names: they go when an org or a department changes; a change
        # of a user's own roles or grants increments the account's access_stamp (portal.scope).
        bump_on_change(PRINCIPALS, OrgUnit, Department)
        connect_access_stamps()
        # Open to-do counts (the menu's badge) are cached until a notification changes.
        bump_on_change(TODOS, Notification)
        # Which assignments of an object are live (portal.selectors.assignments.live_assignments).
        from .models.assignments import Assignment
        from .selectors.assignments import ASSIGNMENTS_GENERATION

        bump_on_change(ASSIGNMENTS_GENERATION, Assignment)
        from .history import register_all

        register_all()  # every model of every project app keeps history (portal/history.py)
        from .choices import GRANTABLE_ROLES
        from .models.audit import READ_AUDIT
        from .models.org import IMPORT_ORGS
        from .navigation import register_nav
        from .scope import holds_object_grants

        register_nav("工作台", "portal:dashboard", group="work", roles={"*"}, order=10)
        register_nav("待办与通知", "portal:inbox", group="work", roles={"*"}, order=11)
        # an assigned verifier or legal reviewer (a per-object grant: no role names them) reaches their objects
        register_nav("指派给我的", "portal:assigned", group="work", when=holds_object_grants, order=12)
        register_nav(
            "账号管理", "portal:staff_accounts", group="system", roles=set(GRANTABLE_ROLES), order=10
        )
        register_nav("组织机构导入", "portal:org_import", group="system", right=IMPORT_ORGS, order=20)
        register_nav(
            "审计日志",
            "portal:audit_list",
            group="system",
            right=READ_AUDIT,
            order=30,
        )
