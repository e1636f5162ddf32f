"""The appraisal whitelist: entries of the bodies allowed to appraise communities."""

from __future__ import annotations

from django.db import transaction

from evaluations.models import AppraisalEntry
from evaluations.schemas import AppraisalEntryInput
from portal.audit import audit
from portal.errors import DomainError, NotFoundError
from portal.models import User

from .base import _require_city_admin


def appraisal_entry_save(
    *, actor: User, data: AppraisalEntryInput, entry_id: int | None = None
) -> AppraisalEntry:
    """Add or edit a whitelist entry. ``AppraisalEntrySchema`` admits only campaigns mandated by the centre, a
    ministry or the city Party committee / government (三（四）), none that vetoes a result."""
    _require_city_admin(actor)
    name = data.name
    with transaction.atomic():
        if entry_id:
            entry = AppraisalEntry.objects.select_for_update().filter(pk=entry_id).first()
            if entry is None:
                raise NotFoundError("未找到该条目。")
        else:
            entry = AppraisalEntry(order=(AppraisalEntry.objects.count() + 1))
        if AppraisalEntry.objects.filter(name=name).exclude(pk=entry.pk).exists():
            raise DomainError("已有同名条目。", fields={"name": "已有同名条目。"})
        before = (
            None
            if entry.pk is None
            else {
                "name": entry.name,
                "authority": entry.authority,
                "document_no": entry.document_no,
                "active": entry.active,
            }
        )
        entry.name, entry.kind, entry.authority, entry.authority_level = (
            name,
            data.kind,
            data.authority,
            data.authority_level,
        )
        entry.document_no, entry.document_title = data.document_no, data.document_title
        entry.keywords, entry.needs_review, entry.active = data.keywords, data.needs_review, data.active
        entry.save()
        audit(
            "evaluation.whitelist_save",
            obj=entry,
            before=before,
            after={
                "name": entry.name,
                "authority": entry.authority,
                "document_no": entry.document_no,
                "active": entry.active,
            },
        )
    return entry
