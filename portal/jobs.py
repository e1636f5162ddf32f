"""Background jobs: the outbox (nothing accepted is lost) and job progress.

Services never call Celery directly. They call :func:`enqueue` inside their transaction: the task is
written to :class:`OutboxMessage` with the data it belongs to and published once the transaction commits.
If Redis is down at that moment the row stays unsent and :func:`outbox_sweep` (Celery beat every 30 s and
``manage.py outbox_sweep``) publishes it once the broker answers again. Tasks take ids and are idempotent,
so a message published twice does no harm. Without Redis (the embedded default) tasks run in-process.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.models import Job, OutboxMessage

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *, args: list | tuple = (), kwargs: dict | None = None) -> OutboxMessage:
    """Accept a task: record it now, publish it after commit."""
    from portal.observability import current_request_id

    message = OutboxMessage.objects.create(
        task_name=task_name, args=list(args), kwargs=kwargs or {}, request_id=current_request_id() or ""
    )
    transaction.on_commit(lambda: outbox_publish(message_id=message.pk))
    return message


def outbox_publish(*, message_id: int) -> bool:
    """Publish one outbox message to the broker (or run it in-process in eager mode). Never raises."""
    from portal.celery import app

    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return True
    from portal.observability import TASK_HEADER

    headers = {TASK_HEADER: message.request_id} if message.request_id else None
    try:
        if message.task_name not in app.tasks:
            app.loader.import_default_modules()  # autodiscovered tasks are imported lazily outside workers
        task = app.tasks.get(message.task_name)
        if task is None:
            app.send_task(
                message.task_name, args=message.args, kwargs=message.kwargs, retry=False, headers=headers
            )
        else:
            task.apply_async(args=message.args, kwargs=message.kwargs, retry=False, headers=headers)
    except Exception as exc:  # broker down or unreachable: keep it for the sweeper
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        logger.warning("outbox: task %s kept for later: %s", message.task_name, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), attempts=message.attempts + 1)
    return True


def outbox_sweep(*, older_than_seconds: int = 5, limit: int = 500) -> int:
    """Publish what was accepted but not yet sent (e.g. while Redis was down). Returns how many went out."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=cutoff).values_list(
            "pk", flat=True
        )[:limit]
    )
    sent = 0
    for message_id in ids:
        if outbox_publish(message_id=message_id):
            sent += 1
        else:
            break  # broker still down: try again at the next sweep
    return sent


def job_create(*, kind: str, title: str, requested_by=None, org=None, params: dict | None = None) -> Job:
    return Job.objects.create(kind=kind, title=title, requested_by=requested_by, org=org, params=params or {})


def job_start(*, job_id) -> Job | None:
    """Mark a job running; returns None when it already finished (a duplicated delivery)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == Job.Status.DONE:
            return None
        job.status = Job.Status.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "started_at"])
        return job


def job_progress(*, job_id, progress: int, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(progress=max(0, min(100, int(progress))), message=message[:200])


def job_finish(
    *, job_id, result: dict | None = None, file_name: str | None = None, content: bytes | None = None
) -> Job:
    from django.core.files.base import ContentFile

    job = Job.objects.get(pk=job_id)
    if content is not None and file_name:
        if job.file:
            job.file.delete(save=False)
        job.file.save(file_name, ContentFile(content), save=False)
    job.status = Job.Status.DONE
    job.progress = 100
    job.message = "已完成"
    job.result = result or {}
    job.finished_at = timezone.now()
    job.error = ""
    job.save()
    return job


def job_fail(*, job_id, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, error=error[:2000], message="失败", finished_at=timezone.now()
    )
