from django.apps import AppConfig


class TaskcheckConfig(AppConfig):
    """The task check: "is this task ours?" — verdicts, refusal notices and the refusal register."""

    name = "taskcheck"
    verbose_name = "任务核查"

    def ready(self) -> None:
        from portal.choices import Role
        from portal.navigation import register_nav
        from taskcheck.rules import register_builtin_rules

        register_builtin_rules()
        register_nav("任务核查", "taskcheck:check", public=True, order=20)
        register_nav(
            "拒绝承接登记",
            "taskcheck:refusals",
            roles={Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN},
            order=62,
        )
