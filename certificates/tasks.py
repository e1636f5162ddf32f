"""Background work of certificates: rendering the PDF of an issued certificate (idempotent, acks late)."""

from celery import shared_task

from portal.tasks import TASK_DEFAULTS


@shared_task(name="certificates.tasks.render_certificate_pdf", **TASK_DEFAULTS)
def render_certificate_pdf(certificate_id: int) -> bool:
    from certificates.services import certificate_render_pdf

    return certificate_render_pdf(certificate_id=certificate_id)
