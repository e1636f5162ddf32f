"""The appraisal whitelist: entries of the bodies allowed to appraise communities."""

from __future__ import annotations

from django.db import transaction

from evaluations.choices import (
    AppraisalKind,
    AuthorityLevel,
)
from evaluations.models import (
    AppraisalEntry,
)
from evaluations.rules import VETO
from portal.audit import audit
from portal.errors import DomainError, NotFoundError

from .base import _require_city_admin


def appraisal_entry_save(
    *,
    actor,
    name: str,
    kind: str,
    authority: str,
    authority_level: str,
    document_no: str = "",
    document_title: str = "",
    keywords: str = "",
    needs_review: bool = False,
    active: bool = True,
    entry_id: int | None = None,
) -> AppraisalEntry:
    """Add or edit a whitelist entry. Only campaigns mandated by the centre, a ministry or the city Party
    committee / government may be listed (三（四））."""
    _require_city_admin(actor)
    name = (name or "").strip()
    authority = (authority or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写名称。"
    if not authority:
        errors["authority"] = "请填写部署机关。"
    if kind not in AppraisalKind.values:
        errors["kind"] = "类别无效。"
    if authority_level not in AuthorityLevel.values:
        errors["authority_level"] = "只有中央、国家有关部委和市委、市政府部署的项目可以列入白名单。"
    if VETO.search(name + keywords):
        errors["name"] = "白名单项目不得设置“一票否决”。"
    if errors:
        raise DomainError("白名单未保存：" + next(iter(errors.values())), fields=errors)
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
            kind,
            authority,
            authority_level,
        )
        entry.document_no, entry.document_title = document_no.strip()[:100], document_title.strip()[:200]
        entry.keywords, entry.needs_review, entry.active = keywords.strip()[:300], needs_review, active
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
