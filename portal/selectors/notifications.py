"""Reads of the inbox: the open to-dos a user sees on every page (the menu's badge) and on the dashboard."""

from __future__ import annotations

from typing import cast

from portal.caching import cached
from portal.models import Notification
from portal.models.notifications import NotificationQuerySet

#: The generation of every inbox (``portal.caching``): bumped by each notification written or closed
#: (``portal.services.notifications``; ``PortalConfig.ready`` for single saves).
TODOS = "todos"

#: The dashboard lists this many open to-dos.
DASHBOARD_TODOS = 20


def _open_todos(user) -> NotificationQuerySet:
    return cast(NotificationQuerySet, Notification.objects.for_user(user)).open_todos()


def open_todo_count(*, user) -> int:
    """How many open to-dos ``user`` has (the badge beside the menu), counted once per change of any inbox."""
    return cached(TODOS, f"count:{user.pk}", lambda: _open_todos(user).count())


def dashboard_todos(*, user) -> list[Notification]:
    """The first open to-dos, earliest deadline first (the dashboard's list), cached like the count."""
    return cached(
        TODOS,
        f"first:{user.pk}",
        lambda: list(_open_todos(user).order_by("deadline", "-created_at")[:DASHBOARD_TODOS]),
    )
