from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    """Work-item lists, the negative list, the registers of 三(三) and their public disclosure."""

    name = "checklists"
    verbose_name = "工作事项清单"

    def ready(self) -> None:
        from checklists.models import EDIT_LISTS, RECORD_PLAQUES
        from portal.navigation import register_nav

        register_nav("工作事项清单", "checklists:index", group="lists", public=True, order=20)
        register_nav("负面清单", "checklists:negative", group="lists", public=True, order=21)
        register_nav(
            "清单维护",
            "checklists:manage",
            group="lists",
            right=EDIT_LISTS,
            order=60,
        )
        register_nav(
            "挂牌登记",
            "checklists:plaques_home",
            group="lists",
            right=RECORD_PLAQUES,
            order=61,
        )
        self._watch_versions()

    @staticmethod
    def _watch_versions() -> None:
        """The versions in force are kept until a list version or an org changes (``selectors.current_versions``)."""
        from checklists.models import ListVersion
        from checklists.selectors import VERSIONS_GENERATION
        from portal.caching import bump_on_change
        from portal.models import OrgUnit

        bump_on_change(VERSIONS_GENERATION, ListVersion, OrgUnit)
