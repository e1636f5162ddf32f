"""Notifications: inbox entries and e-mail. Later apps call :func:`notify` for their events."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import models
from django.utils import timezone

from portal.caching import bump
from portal.jobs import enqueue
from portal.models import Notification
from portal.selectors.notifications import TODOS


def notify(
    *,
    users: Iterable,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    deadline=None,
    todo: bool = False,
    source: models.Model | None = None,
    email: bool = True,
) -> list[Notification]:
    """Put an entry in each user's inbox (a to-do when ``todo``) and send an e-mail to those with an address."""
    source_type = source._meta.label if source is not None else ""
    source_id = str(source.pk) if source is not None else ""
    recipients = list({u.pk: u for u in users if u is not None}.values())
    # One INSERT for all recipients: a city-wide publication reaches thousands of community workers.
    created = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                deadline=deadline,
                is_todo=todo,
                source_type=source_type,
                source_id=source_id,
            )
            for user in recipients
        ],
        batch_size=1000,
    )
    bump(TODOS)  # a bulk insert sends no signal: the inboxes' cached counts go now
    if email:  # PostgreSQL and SQLite return the new ids from bulk inserts
        for n in created:
            if n.user.email:
                enqueue("portal.tasks.send_notification_email", args=[n.pk])
    return created


def todos_done(*, source: models.Model, kind: str | None = None, user=None) -> int:
    """Close the open to-dos about ``source`` (the work they asked for is done)."""
    qs = Notification.objects.filter(
        source_type=source._meta.label, source_id=str(source.pk), is_todo=True, done_at__isnull=True
    )
    if kind:
        qs = qs.filter(kind=kind)
    if user is not None:
        qs = qs.filter(user=user)
    closed = qs.update(done_at=timezone.now())
    if closed:
        bump(TODOS)
    return closed


def notification_mark_read(*, user, notification_id: int) -> None:
    if (
        Notification.objects.for_user(user)
        .filter(pk=notification_id, read_at__isnull=True)
        .update(read_at=timezone.now())
    ):
        bump(TODOS)  # the dashboard's list shows what is unread


def notification_send_email(*, notification_id: int) -> None:
    """Send the e-mail of one notification, once (idempotent under redelivery)."""
    n = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if n is None or not n.user.email:
        return
    link = f"{settings.JIANFU_PUBLIC_BASE_URL}{n.url}" if n.url else ""
    send_mail(
        subject=f"【社区减负平台】{n.title}",
        message="\n\n".join(p for p in [n.body, link] if p),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[n.user.email],
    )
    Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
