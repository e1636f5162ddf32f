"""Core Celery tasks. Every task of the portal takes ids, is idempotent and retries with back-off."""

from celery import shared_task

from portal import jobs

# Defaults shared by the portal's tasks: late acknowledgement (a killed worker's task is redelivered),
# retries with exponential back-off and jitter.
TASK_DEFAULTS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="portal.tasks.outbox_sweep", acks_late=True, ignore_result=True)
def outbox_sweep() -> int:
    return jobs.outbox_sweep()


@shared_task(name="portal.tasks.send_notification_email", **TASK_DEFAULTS)
def send_notification_email(notification_id: int) -> None:
    from portal.services.notifications import notification_send_email

    notification_send_email(notification_id=notification_id)
