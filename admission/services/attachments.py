"""Attachments of a request."""

from __future__ import annotations

from django.db import transaction

from admission.choices import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_COUNT,
    Action,
)
from admission.models import (
    Attachment,
)
from portal import uploads
from portal.audit import audit
from portal.errors import DomainError

from .base import _check, _lock, _retry_on_lock
from .rights import _department_grant


@_retry_on_lock
def attachment_add(*, actor, request_id: int, upload) -> Attachment:
    """Attach a PDF or image (size-limited, checked and re-encoded by the core upload checker)."""
    checked = uploads.check_upload(upload, label="附件", max_bytes=ATTACHMENT_MAX_BYTES, field="file")
    name = checked.original_name[:150]
    size = checked.size
    content_type = checked.content_type
    with transaction.atomic():
        req = _lock(request_id)
        _department_grant(actor, req)
        _check(req, Action.EDIT)
        if Attachment.objects.filter(request=req).count() >= ATTACHMENT_MAX_COUNT:
            raise DomainError(f"每份申请最多 {ATTACHMENT_MAX_COUNT} 个附件。", fields={"file": "附件过多。"})
        att = Attachment(request=req, name=name, size=size, content_type=content_type, uploaded_by=actor)
        att.file.save(f"req{req.pk}.{checked.extension}", checked.as_file(), save=False)
        att.save()
        audit("admission.attachment_add", obj=req, actor=actor, after={"name": name, "size": size})
    return att
