"""The navigation registry: each app adds its menu entries in its ``AppConfig.ready``."""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str] = field(
        default_factory=frozenset
    )  # empty: everyone (public); "*": any logged-in user
    order: int = 50
    public: bool = False


_ENTRIES: list[NavEntry] = []


def register_nav(
    label: str, url_name: str, *, roles: Iterable[str] = (), order: int = 50, public: bool = False
) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(
        NavEntry(label=label, url_name=url_name, roles=frozenset(roles), order=order, public=public)
    )


def entries() -> list[NavEntry]:
    return sorted(_ENTRIES, key=lambda e: e.order)
