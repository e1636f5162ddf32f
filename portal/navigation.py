"""The navigation registry: each app adds its menu entries in its ``AppConfig.ready``, each in one of the
menu's groups.

A city official reaches some twenty pages; as one flat bar they ran to two rows on a desktop and to a long
list on a phone. The menu therefore shows a handful of groups (工作台 / 清单与准入 / 证明 / 评价 / 监督 / 报表 /
系统), each opening its own list; a group the user sees only one page of is shown as that page's link.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop as _  # msgids: shown through gettext when rendered


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    order: int


#: The menu's groups, in the order they appear.
GROUPS: dict[str, NavGroup] = {
    g.key: g
    for g in (
        NavGroup("work", _("工作台"), 10),
        NavGroup("lists", _("清单与准入"), 20),
        NavGroup("certificates", _("证明"), 30),
        NavGroup("evaluations", _("评价"), 40),
        NavGroup("supervision", _("监督"), 50),
        NavGroup("reports", _("报表"), 60),
        NavGroup("system", _("系统"), 70),
    )
}


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    group: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: public; "*": any logged-in user
    order: int = 50
    public: bool = False
    #: shown to a logged-in user for whom this predicate of ``portal.scope`` holds (rights no role names: an
    #: object assigned to them), instead of to roles
    when: Callable[[Any], bool] | None = None


_ENTRIES: list[NavEntry] = []


def register_nav(
    label: str,
    url_name: str,
    *,
    group: str,
    roles: Iterable[str] = (),
    right: str | None = None,
    order: int = 50,
    public: bool = False,
    when: Callable[[Any], bool] | None = None,
) -> None:
    """Add a menu entry (once per ``url_name``) to ``group``, one of :data:`GROUPS`; ``order`` sorts the
    entries inside their group. ``right`` names the org right (``portal.scope.org_right``) that guards the page:
    the entry is shown to the roles holding it, so the menu and the page's guard never disagree. ``when`` names a
    predicate of ``portal.scope`` for a page no role reaches (what was assigned to the user, a per-object grant):
    the entry is shown to each logged-in user for whom it holds — read per request, from the user's cached
    grants."""
    if when is not None and (roles or right is not None or public):
        raise ValueError(f"menu entry {url_name!r}: give its predicate alone, without roles, right or public")
    if right is not None:
        from portal.scope import ORG_RIGHTS

        if roles:
            raise ValueError(f"menu entry {url_name!r}: give its roles or its right, not both")
        try:
            roles = ORG_RIGHTS[right]
        except KeyError:
            raise ValueError(f"menu entry {url_name!r}: no org right {right!r} is declared") from None
    if group not in GROUPS:
        raise ValueError(f"unknown navigation group {group!r}; one of {', '.join(GROUPS)}")
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(
        NavEntry(
            label=label,
            url_name=url_name,
            group=group,
            roles=frozenset(roles),
            order=order,
            public=public,
            when=when,
        )
    )


def entries() -> list[NavEntry]:
    """Every entry, group by group, in order inside each group."""
    return sorted(_ENTRIES, key=lambda e: (GROUPS[e.group].order, e.order))
