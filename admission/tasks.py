"""Background work of admission. Tasks take ids and are idempotent."""

from celery import shared_task

from portal.tasks import TASK_DEFAULTS


@shared_task(name="admission.tasks.render_notice", **TASK_DEFAULTS)
def render_notice(request_id: int) -> None:
    """Render the approval notice PDF of one approved request (once)."""
    from admission.pdf import notice_render_and_store

    notice_render_and_store(request_id=request_id)


@shared_task(name="admission.tasks.admission_sweep", acks_late=True, ignore_result=True)
def admission_sweep() -> dict:
    """Scheduled: close consultations whose window passed, expire admissions past their end date, remind and
    escalate overdue stages. Safe to run as often as wanted."""
    from admission.services import admission_sweep as sweep

    return sweep()
