"""API endpoints of the checklists app (mounted under /api/v1/ by portal.api.root)."""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpResponse
from ninja import Router, Schema

from checklists import selectors
from portal.api.kit import ERRORS, RENDERER
from portal.errors import DomainError, NotFoundError
from portal.selectors.orgs import public_org

router = Router(tags=["工作事项清单"])

CODE_RE = re.compile(r"^\d{6,12}$")


class LegalRefOut(Schema):
    law: str
    article: str
    level: str


class ChecklistItemOut(Schema):
    id: str
    list_type: str
    category: str
    title: str
    content: str
    legal_basis: list[str]
    legal_bases: list[LegalRefOut]
    department: str
    admission_no: str | None
    valid_until: date | None
    source: str


class CommunityChecklistOut(Schema):
    community: str
    community_name: str
    items: list[ChecklistItemOut]


class NegativeItemOut(Schema):
    code: str
    title: str
    reason: str
    clause: str


class NegativeListOut(Schema):
    clause: str
    rule: str
    items: list[NegativeItemOut]


def api_content_type() -> str:
    return f"{RENDERER.media_type}; charset={RENDERER.charset}"


def item_out(it: selectors.ChecklistItem) -> dict:
    return {
        "id": it.id,
        "list_type": it.list_type,
        "category": it.category,
        "title": it.title,
        "content": it.content,
        "legal_basis": list(it.legal_basis),
        "legal_bases": [{"law": b.law, "article": b.article, "level": b.level_label} for b in it.bases],
        "department": it.department,
        "admission_no": it.admission_no or None,
        "valid_until": it.valid_until,
        "source": it.source or ("admission" if it.list_type == "admitted" else ""),
    }


@router.get(
    "/communities/{code}/checklist",
    response={200: CommunityChecklistOut, **ERRORS},
    auth=None,
    summary="社区现行工作事项清单（自治职责、依法协助、经准入事项）",
)
def community_checklist(request, code: str):
    """City base lists + the district's additions + the tasks admitted for this community."""
    if not CODE_RE.match(code):
        raise DomainError(
            "社区代码格式不正确：应为 12 位数字统计用区划代码，如 120103001001。",
            fields={"code": "应为数字代码。"},
        )
    community = public_org(code=code, levels=["community"])
    if community is None:
        raise NotFoundError(f"未找到代码为 {code} 的社区。")

    def render(items) -> bytes:
        data = {
            "community": community.code,
            "community_name": community.name,
            "items": [item_out(i) for i in items],
        }
        validated = CommunityChecklistOut.model_validate(data).model_dump()
        return RENDERER.render(request, validated, response_status=200).encode()

    # The same bytes ninja would answer, serialised once per change of the lists or admissions.
    body = selectors.community_checklist_rendered(community=community, name="api", render=render)
    return HttpResponse(body, content_type=api_content_type())


@router.get(
    "/negative-list",
    response={200: NegativeListOut, **ERRORS},
    auth=None,
    summary="负面清单：居委会不得作为责任主体的事项",
)
def negative_list(request):
    items = selectors.negative_list()
    return {
        "clause": "津民发〔2019〕35号 三（一）",
        "rule": "属于各部门、街道（乡镇）职责范围内的事项，不得要求社区承担。不得将居委会作为行政执法、拆迁拆违、环境整治、城市管理、"
        "招商引资等事项的责任主体。",
        "items": [{"code": n.code, "title": n.title, "reason": n.reason, "clause": n.clause} for n in items],
    }
