"""Core Celery tasks. Every task of the portal takes ids, is idempotent and retries with back-off."""

import logging
import os
import socket
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import Retry
from django.utils import timezone

from portal import jobs

logger = logging.getLogger(__name__)


class TrackedTask(Task):
    """Base of the portal's tasks: the work is tracked in the outbox (``portal.jobs``).

    Before running, the worker takes the lease on the work's outbox rows; while it runs it renews the heartbeat;
    when it is done it marks them done. A second delivery of the same work while a live worker runs it (a
    redelivery, or the sweep's copy of a merely slow task) stops at once, so nothing is rendered twice. Work
    that no outbox row knows (beat schedules, direct calls) runs untracked.
    """

    abstract = True

    def __call__(self, *args, **kwargs):
        request = self.request
        if getattr(request, "called_directly", True):
            return super().__call__(*args, **kwargs)
        key = jobs.work_key(self.name, args, kwargs)
        holder = f"{socket.gethostname()}:{os.getpid()}:{request.id or ''}"
        try:
            lease = jobs.lease_acquire(key=key, holder=holder)
        except Exception as exc:  # the database is away: run (tasks are idempotent) rather than drop the work
            logger.warning("task %s: lease not checked: %s", self.name, exc)
            lease = None
        if lease is False:
            logger.info("task %s: already done or running elsewhere, skipped", key)
            return None
        if lease is None:
            return super().__call__(*args, **kwargs)
        try:
            if request.is_eager:
                result = super().__call__(*args, **kwargs)
            else:
                with jobs.LeaseHeartbeat(key=key, holder=holder):
                    result = super().__call__(*args, **kwargs)
        except Retry as exc:
            when = exc.when
            if isinstance(when, (int, float)):
                when = timezone.now() + timedelta(seconds=when)
            jobs.lease_release(key=key, holder=holder, until=when or None, error=str(exc.exc or exc))
            raise
        except BaseException as exc:
            jobs.lease_release(key=key, holder=holder, error=f"{type(exc).__name__}: {exc}")
            raise
        jobs.lease_done(key=key, holder=holder)
        return result


# Defaults shared by the portal's tasks: tracked in the outbox (TrackedTask), late acknowledgement (a killed
# worker's task is redelivered), retries with exponential back-off and jitter.
TASK_DEFAULTS = {
    "base": TrackedTask,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="portal.tasks.outbox_sweep", acks_late=True, ignore_result=True)
def outbox_sweep() -> dict:
    """Beat: publish what waits in the outbox, then publish again the work whose result is missing."""
    sent = jobs.outbox_sweep()
    return {"sent": sent, **jobs.outbox_reconcile()}


@shared_task(name="portal.tasks.send_notification_email", **TASK_DEFAULTS)
def send_notification_email(notification_id: int) -> None:
    from portal.services.notifications import notification_send_email

    notification_send_email(notification_id=notification_id)


@shared_task(name="portal.tasks.delegations_sweep", acks_late=True, ignore_result=True)
def delegations_sweep() -> dict:
    """Beat, every hour: start the leave delegations whose first day has come and end those whose last day has
    passed, giving and taking back their per-object grants. Idempotent."""
    from portal.services.assignments import delegations_sweep as sweep

    return sweep()
