"""API endpoints of the taskcheck app (mounted under /api/v1/ by portal.api.root). Contract: API.md."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema, Status

from portal.api.kit import AUTH, ERRORS, PageParams, optional_user, paginate
from portal.scope import get_scoped_or_404
from taskcheck import pdf, selectors, services
from taskcheck.models import Refusal

router = Router(tags=["任务核查"])


class CheckIn(Schema):
    community: str
    title: str = ""
    description: str = ""
    department: str = ""
    admission_no: str = ""


class CheckOut(Schema):
    verdict: str
    reason: str
    clause: str = ""
    rule: str = ""
    matched_item: dict | None = None
    admission: dict | None = None
    negative_item: dict | None = None
    #: on a weak match (``not_admitted``, rule ``weak_match``): the list items only weakly like the task, each
    #: shaped like ``matched_item``, for the worker to check before refusing
    nearest: list[dict] = Field(
        default_factory=list, description="可能相关的清单事项（弱匹配时），形同 matched_item"
    )
    complaint_category: str | None = None
    community: dict


class ComplaintOut(Schema):
    category: str
    text: str


class RefusalOut(Schema):
    id: int
    notice_no: str
    community: str
    community_name: str
    title: str
    department: str
    verdict: str
    reason: str
    clause: str
    created_at: str
    created_by: str
    pdf_url: str
    verify_url: str
    complaint: ComplaintOut


class RefusalPage(Schema):
    count: int
    results: list[RefusalOut]


def _input(payload: CheckIn) -> services.CheckInput:
    return services.check_input(
        community=payload.community,
        title=payload.title,
        description=payload.description,
        department=payload.department,
        admission_no=payload.admission_no,
    )


def refusal_out(refusal: Refusal) -> dict:
    return {
        "id": refusal.pk,
        "notice_no": refusal.notice_no,
        "community": refusal.community.code,
        "community_name": refusal.community.name,
        "title": refusal.title,
        "department": refusal.department,
        "verdict": refusal.verdict,
        "reason": refusal.reason,
        "clause": refusal.clause,
        "created_at": refusal.created_at.isoformat(),
        "created_by": refusal.created_by_name,
        "pdf_url": reverse("api:refusal_notice", args=[refusal.pk]),
        "verify_url": reverse("taskcheck:verify", args=[refusal.verify_code]),
        "complaint": {"category": refusal.complaint_category, "text": services.complaint_text(refusal)},
    }


@router.post(
    "/task-check", response={200: CheckOut, **ERRORS}, auth=None, summary="任务核查：这项任务该不该社区做"
)
def task_check(request: HttpRequest, payload: CheckIn):
    """Anyone may check. ``verdict``: ``on_list`` | ``admitted`` | ``prohibited`` | ``not_admitted``."""
    data = _input(payload)
    verdict = services.task_check(data=data)
    out = verdict.as_dict()
    out["community"] = {"code": data.community.code, "name": data.community.name}
    return out


@router.post("/refusals", response={201: RefusalOut, **ERRORS}, auth=AUTH, summary="登记拒绝承接并生成告知书")
def refusal_create(request: HttpRequest, payload: CheckIn):
    """Staff of the community only. The task is checked again; on-list and admitted tasks cannot be refused (400)."""
    refusal = services.refusal_record(actor=request.auth, data=_input(payload))
    return Status(201, refusal_out(refusal))


@router.get("/refusals", response={200: RefusalPage, **ERRORS}, auth=AUTH, summary="拒绝承接登记（本辖区）")
def refusal_list(request: HttpRequest, params: Query[PageParams], q: str = "", verdict: str = ""):
    qs = selectors.refusals_for_user(user=request.auth, q=q, verdict=verdict)
    return paginate(qs, params, refusal_out)


@router.get(
    "/refusals/{refusal_id}", response={200: RefusalOut, **ERRORS}, auth=AUTH, summary="一条拒绝承接登记"
)
def refusal_detail(request: HttpRequest, refusal_id: int):
    return refusal_out(
        get_scoped_or_404(Refusal.objects.select_related("community"), request.auth, "view", pk=refusal_id)
    )


@router.get(
    "/refusals/{refusal_id}/notice.pdf",
    auth=AUTH,
    url_name="refusal_notice",
    summary="拒绝承接告知书 PDF",
    response={200: None, **ERRORS},
)
def refusal_notice(request: HttpRequest, refusal_id: int):
    refusal = get_scoped_or_404(
        Refusal.objects.select_related("community"), request.auth, "view", pk=refusal_id
    )
    response = HttpResponse(pdf.refusal_notice_pdf(refusal=refusal), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, pdf.notice_filename(refusal))
    return response


__all__ = ["router", "optional_user"]
