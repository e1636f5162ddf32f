"""Background work of the checklists app: tell the communities about a new version, refresh the stored PDFs."""

from celery import shared_task

from portal.tasks import TASK_DEFAULTS


@shared_task(name="checklists.tasks.version_notify", **TASK_DEFAULTS)
def version_notify(version_id: int) -> int:
    from checklists.services import version_notify as notify_communities

    return notify_communities(version_id=version_id)


@shared_task(name="checklists.tasks.documents_refresh", **TASK_DEFAULTS)
def documents_refresh(org_id: int) -> int:
    from checklists.services import documents_refresh as refresh

    return refresh(org_id=org_id)
