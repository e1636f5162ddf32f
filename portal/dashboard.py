"""Dashboard panels: each app registers what a role should see first on its dashboard."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    roles: frozenset[str]
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 50
    # The panel's own to-do count: (key in its context, url name, label). "我的待办" counts it too, so the
    # dashboard never says "暂无待办" beside a panel's "待我办理 1".
    todo: tuple[str, str, str] | None = None


_PANELS: list[Panel] = []


def register_panel(
    key: str,
    title: str,
    template: str,
    *,
    roles: Iterable[str],
    context: Callable[[HttpRequest], dict[str, Any]],
    order: int = 50,
    todo: tuple[str, str, str] | None = None,
) -> None:
    if any(p.key == key for p in _PANELS):
        return
    _PANELS.append(
        Panel(
            key=key,
            title=title,
            template=template,
            roles=frozenset(roles),
            context=context,
            order=order,
            todo=todo,
        )
    )


def panels_for(roles: set[str], is_superuser: bool) -> list[Panel]:
    return sorted((p for p in _PANELS if is_superuser or p.roles & roles), key=lambda p: p.order)
