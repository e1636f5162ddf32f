"""Background jobs: the outbox (nothing accepted is lost), reconciliation from the database, and job progress.

Services never call Celery directly. They call :func:`enqueue` inside their transaction: the task is
written to :class:`OutboxMessage` with the data it belongs to and published once the transaction commits.
If Redis is down at that moment the row stays unsent and :func:`outbox_sweep` (Celery beat every 15 s and
``manage.py outbox_sweep``) publishes it once the broker answers again. Tasks take ids and are idempotent,
so a message published twice does no harm. Without Redis (the embedded default) tasks run in-process.

Work queued in Redis is never the only copy. Every outbox row carries the key of its work (task and
arguments); the worker running a task holds a *lease* on the rows of its key and renews their
``heartbeat_at`` every ``JIANFU_TASK_HEARTBEAT_SECONDS`` (:class:`portal.tasks.TrackedTask`, the base of every
portal task), and marks them ``done_at`` when it finishes. :func:`outbox_reconcile` (part of the sweep) then
publishes again

* a row that was sent, never started and is no longer in the broker after ``JIANFU_OUTBOX_LOST_AFTER_SECONDS``
  (Redis restarted without persistence, or a dead worker's prefetched message);
* a row whose worker stopped beating for ``JIANFU_TASK_STALE_AFTER_SECONDS`` (a killed worker: its message
  sits in Redis's ``unacked`` set until the visibility timeout, and kombu's restore lock of a killed worker
  blocks even that; the sweep depends on neither);
* the work that a domain says is missing (:func:`register_reconciler`: an issued certificate without its PDF,
  an approval notice, a criticism, a report job that never finished) when no outbox row of it is still alive.

A duplicate delivery never runs the work twice at the same time: it finds the lease held by a live worker
and stops, so a slow render is left alone. A row is published again at most ``JIANFU_OUTBOX_MAX_REPUBLISH``
times.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.models import Job, OutboxMessage

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *, args: list | tuple = (), kwargs: dict | None = None) -> OutboxMessage:
    """Accept a task: record it now, publish it after commit."""
    from portal.observability import current_request_id

    message = OutboxMessage.objects.create(
        task_name=task_name,
        args=list(args),
        kwargs=kwargs or {},
        request_id=current_request_id() or "",
        key=work_key(task_name, args, kwargs),
    )
    transaction.on_commit(lambda: outbox_publish(message_id=message.pk))
    return message


def work_key(task_name: str, args: list | tuple = (), kwargs: dict | None = None) -> str:
    """The identity of a piece of work: the task and its arguments (the same work has the same key)."""
    raw = json.dumps([list(args), kwargs or {}], sort_keys=True, separators=(",", ":"), default=str)
    key = f"{task_name}:{raw}"
    if len(key) > 255:
        key = f"{task_name[:180]}:#{hashlib.sha256(raw.encode()).hexdigest()[:64]}"
    return key


def outbox_publish(*, message_id: int) -> bool:
    """Publish one outbox message to the broker (or run it in-process in eager mode). Never raises."""
    from portal.celery import app

    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return True
    from portal.observability import TASK_HEADER

    headers = {TASK_HEADER: message.request_id} if message.request_id else None
    task_id = uuid.uuid4().hex
    try:
        if message.task_name not in app.tasks:
            app.loader.import_default_modules()  # autodiscovered tasks are imported lazily outside workers
        task = app.tasks.get(message.task_name)
        if task is None:
            app.send_task(
                message.task_name,
                args=message.args,
                kwargs=message.kwargs,
                retry=False,
                headers=headers,
                task_id=task_id,
            )
        else:
            # In eager mode the task runs right here (and marks the row done before it is marked sent).
            OutboxMessage.objects.filter(pk=message.pk).update(task_id=task_id)
            task.apply_async(
                args=message.args, kwargs=message.kwargs, retry=False, headers=headers, task_id=task_id
            )
    except Exception as exc:  # broker down or unreachable: keep it for the sweeper
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        logger.warning("outbox: task %s kept for later: %s", message.task_name, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), attempts=message.attempts + 1, task_id=task_id
    )
    return True


def outbox_sweep(*, older_than_seconds: int = 5, limit: int = 500) -> int:
    """Publish what was accepted but not yet sent (e.g. while Redis was down). Returns how many went out.

    Beat's sweep (``portal.tasks.outbox_sweep``) and ``manage.py outbox_sweep`` also run :func:`outbox_reconcile`.
    """
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


# --- Leases: the worker running a piece of work says so in the database ------------------------------------


def _seconds(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def heartbeat_seconds() -> int:
    return _seconds("JIANFU_TASK_HEARTBEAT_SECONDS", 10)


def stale_after_seconds() -> int:
    return _seconds("JIANFU_TASK_STALE_AFTER_SECONDS", 40)


def lease_acquire(*, key: str, holder: str) -> bool | None:
    """Take the lease on the work ``key`` for ``holder``.

    ``None``: no outbox row knows this work (e.g. a beat task): run it untracked. ``True``: the lease is ours,
    run. ``False``: another live worker runs it (its heartbeat is fresh) or it is done: do not run it again.
    """
    now = timezone.now()
    fresh = now - timedelta(seconds=stale_after_seconds())
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update()
            .filter(key=key, done_at__isnull=True)
            .order_by("pk")
            .values("pk", "holder", "heartbeat_at")
        )
        if not rows:
            return False if OutboxMessage.objects.filter(key=key).exists() else None
        for row in rows:
            beat = row["heartbeat_at"]
            if row["holder"] and row["holder"] != holder and beat and beat > fresh:
                return False
        OutboxMessage.objects.filter(pk__in=[r["pk"] for r in rows]).update(
            holder=holder[:200], heartbeat_at=now, started_at=Coalesce(F("started_at"), now)
        )
    return True


def lease_beat(*, key: str, holder: str) -> int:
    """Renew the lease (the worker is alive). Returns 0 when it was taken over meanwhile."""
    return OutboxMessage.objects.filter(key=key, holder=holder[:200], done_at__isnull=True).update(
        heartbeat_at=timezone.now()
    )


def lease_done(*, key: str, holder: str) -> None:
    """The work is done: every row of its key is finished."""
    now = timezone.now()
    OutboxMessage.objects.filter(key=key, done_at__isnull=True).update(
        done_at=now, heartbeat_at=now, holder="", last_error=""
    )


def lease_release(*, key: str, holder: str, until: datetime | None = None, error: str = "") -> None:
    """Give the lease back: after a failure (the sweep retries later) or for a retry due at ``until``."""
    OutboxMessage.objects.filter(key=key, holder=holder[:200], done_at__isnull=True).update(
        holder="", heartbeat_at=until or timezone.now(), last_error=error[:500]
    )


class LeaseHeartbeat:
    """Renews a lease every ``heartbeat_seconds()`` in a thread while the work runs."""

    def __init__(self, *, key: str, holder: str):
        self.key, self.holder = key, holder
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{key[:40]}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        return False

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self._stop.wait(heartbeat_seconds()):
                try:
                    lease_beat(key=self.key, holder=self.holder)
                except Exception as exc:  # the database is away for a moment: beat again next time
                    logger.warning("lease heartbeat of %s failed: %s", self.key, exc)
        finally:
            connection.close()


# --- Reconciliation: the database says what must exist -----------------------------------------------------

Finder = Callable[[datetime], Iterable[tuple[str, list]]]
_reconcilers: dict[str, Finder] = {}


def register_reconciler(name: str, find: Finder) -> None:
    """``find(cutoff)`` yields ``(task_name, args)`` for work whose result is missing although it was due before
    ``cutoff`` (for example an issued certificate without its PDF). Call it in ``AppConfig.ready``."""
    _reconcilers[name] = find


def job_finder(kind_prefix: str, task_name: str) -> Finder:
    """A finder for :class:`Job` records of ``kind_prefix…`` that never finished, rendered by ``task_name(job_id)``."""

    def find(cutoff: datetime):
        ids = Job.objects.filter(
            kind__startswith=kind_prefix,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
            created_at__lte=cutoff,
        ).values_list("pk", flat=True)[:500]
        return [(task_name, [str(pk)]) for pk in ids]

    return find


def tracked_tasks() -> set[str]:
    """Names of the tasks that report their lease and completion (``portal.tasks.TrackedTask``); the others
    (beat sweeps) leave no trace to reconcile from."""
    import importlib
    import importlib.util

    from django.apps import apps

    from portal.celery import app
    from portal.tasks import TrackedTask

    for config in apps.get_app_configs():  # what autodiscovery imports, without the worker's start-up hooks
        name = f"{config.name}.tasks"
        try:
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
        except ImportError:
            continue
    return {name for name, task in app.tasks.items() if isinstance(task, TrackedTask)}


def broker_task_ids() -> set[str] | None:
    """Ids of the task messages waiting in the broker's queues; ``None`` when the broker cannot be asked."""
    from portal.celery import app

    url = str(app.conf.broker_url or "")
    if app.conf.task_always_eager or not url.startswith(("redis://", "rediss://", "unix://")):
        return (
            set()
        )  # nothing waits anywhere: tasks run in-process or the broker keeps nothing across restarts
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=10)
        names = {app.conf.task_default_queue or "celery"} | {q.name for q in (app.conf.task_queues or [])}
        ids: set[str] = set()
        for name in names:
            # kombu keeps priorities in sibling lists "<queue>\x06\x16<priority>"
            for key in [name, *(f"{name}\x06\x16{p}" for p in range(1, 10))]:
                for raw in client.lrange(key, 0, -1):
                    try:
                        ids.add(json.loads(raw)["headers"]["id"])
                    except (ValueError, KeyError, TypeError):
                        continue
        return ids
    except Exception as exc:
        logger.warning("reconcile: the broker cannot be asked: %s", exc)
        return None


def _republish(pk: int, still: Q) -> bool:
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update(skip_locked=True).filter(still, pk=pk).first()
        if row is None:
            return False
        OutboxMessage.objects.filter(pk=pk).update(
            sent_at=None, holder="", started_at=None, heartbeat_at=None, republished=F("republished") + 1
        )
    logger.warning("reconcile: %s published again (result missing)", row)
    outbox_publish(message_id=pk)
    return True


def outbox_reconcile(*, now: datetime | None = None, limit: int = 500) -> dict:
    """Publish again the work whose result is missing (see the module's docstring). Idempotent; returns counts."""
    now = now or timezone.now()
    maximum = _seconds("JIANFU_OUTBOX_MAX_REPUBLISH", 5)
    stale_cut = now - timedelta(seconds=stale_after_seconds())
    lost_cut = now - timedelta(seconds=_seconds("JIANFU_OUTBOX_LOST_AFTER_SECONDS", 30))
    open_rows = OutboxMessage.objects.filter(
        sent_at__isnull=False, done_at__isnull=True, republished__lt=maximum, task_name__in=tracked_tasks()
    ).exclude(key="")
    counts = {"stalled": 0, "lost": 0, "missing": 0}
    seen: set[str] = set()

    # 1. Started, but the worker stopped beating (killed, or its host is gone).
    stalled = Q(started_at__isnull=False, heartbeat_at__lt=stale_cut) | Q(
        started_at__isnull=False, heartbeat_at__isnull=True
    )
    for pk, key in open_rows.filter(stalled).order_by("-pk").values_list("pk", "key")[:limit]:
        if key in seen:
            continue
        seen.add(key)
        if OutboxMessage.objects.filter(key=key, done_at__isnull=True, heartbeat_at__gte=stale_cut).exists():
            continue  # another row of the same work is alive
        if _republish(pk, Q(sent_at__isnull=False, done_at__isnull=True) & stalled):
            counts["stalled"] += 1

    # 2. Sent long ago, never started and no longer in the broker (lost with Redis, or prefetched by a dead worker).
    lost = list(
        open_rows.filter(started_at__isnull=True, sent_at__lte=lost_cut)
        .order_by("pk")
        .values_list("pk", "key", "task_id")[:limit]
    )
    waiting = broker_task_ids() if lost else None  # no answer from the broker: nothing is judged lost
    if waiting is not None:
        for pk, key, task_id in lost:
            if key in seen or (task_id and task_id in waiting):
                continue
            seen.add(key)
            if OutboxMessage.objects.filter(
                key=key, done_at__isnull=True, heartbeat_at__gte=stale_cut
            ).exists():
                continue
            if _republish(pk, Q(sent_at__isnull=False, done_at__isnull=True, started_at__isnull=True)):
                counts["lost"] += 1

    # 3. The domain says a result is missing and no row of that work is still open.
    cutoff = now - timedelta(seconds=_seconds("JIANFU_RECONCILE_GRACE_SECONDS", 60))
    for name, find in list(_reconcilers.items()):
        try:
            wanted = list(find(cutoff))[:limit]
        except Exception:
            logger.exception("reconcile: finder %s failed", name)
            continue
        for task_name, args in wanted:
            key = work_key(task_name, args)
            if key in seen:
                continue
            rows = OutboxMessage.objects.filter(key=key)
            if rows.filter(done_at__isnull=True, republished__lt=maximum).exists():
                continue  # still open: the sweep above (or the unsent sweep) takes care of it
            if rows.count() >= 3:
                logger.error("reconcile: %s still has no result after %s attempts", key, rows.count())
                continue
            with transaction.atomic():
                enqueue(task_name, args=args)
            seen.add(key)
            counts["missing"] += 1
    if any(counts.values()):
        logger.warning("reconcile: published again %s", counts)
    return counts


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
