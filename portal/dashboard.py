"""Dashboard panels: each app registers what a role should see first on its dashboard."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    roles: frozenset
    context: Callable  # (request) -> dict
    order: int = 50


_PANELS: list[Panel] = []


def register_panel(key: str, title: str, template: str, *, roles, context, order: int = 50) -> None:
    if any(p.key == key for p in _PANELS):
        return
    _PANELS.append(
        Panel(key=key, title=title, template=template, roles=frozenset(roles), context=context, order=order)
    )


def panels_for(roles: set[str], is_superuser: bool) -> list[Panel]:
    return sorted((p for p in _PANELS if is_superuser or p.roles & roles), key=lambda p: p.order)
