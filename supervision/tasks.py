"""Background work of supervision. Tasks take ids and are idempotent."""

from celery import shared_task

from portal.tasks import TASK_DEFAULTS


@shared_task(name="supervision.tasks.render_criticism", **TASK_DEFAULTS)
def render_criticism(criticism_id: int) -> None:
    """Render the sealed PDF of one published criticism (once)."""
    from supervision.pdf import criticism_render_and_store

    criticism_render_and_store(criticism_id=criticism_id)


@shared_task(name="supervision.tasks.supervision_sweep", acks_late=True, ignore_result=True)
def supervision_sweep() -> dict:
    """Scheduled daily: remind and escalate overdue rectifications, chase overdue statements, send overdue
    appeals to the street. Safe to run as often as wanted."""
    from supervision.services import supervision_sweep as sweep

    return sweep()
