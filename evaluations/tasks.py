"""Background work of the star rating: PDF reports and deadline reminders. Tasks take ids and are idempotent."""

from celery import shared_task

from portal.tasks import TASK_DEFAULTS


@shared_task(name="evaluations.tasks.render_report", **TASK_DEFAULTS)
def render_report(job_id: str) -> None:
    from evaluations.pdf import report_run

    report_run(job_id=job_id)


@shared_task(name="evaluations.tasks.send_reminders", **TASK_DEFAULTS)
def send_reminders() -> int:
    """Daily: remind handlers of stages whose deadline is near or passed (beat entry requested from core)."""
    from evaluations.services import cycle_send_reminders

    return cycle_send_reminders()
