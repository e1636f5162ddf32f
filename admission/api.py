"""API endpoints of the admission app (mounted under /api/v1/ by portal.api.root), per ../shared/API.md."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import File, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.files import UploadedFile

from admission import selectors, services
from admission.assignments import LEGAL_REVIEWER_ACTIONS
from admission.choices import Status
from admission.models import TaskRequest
from admission.schemas import TaskRequestSchema
from portal import schemas
from portal.api.assignments import assignment_routes
from portal.api.kit import AUTH, ERRORS, PageParams, paginate
from portal.scope import get_scoped_or_404

router = Router(tags=["社区工作事项准入"])
ERR = {**ERRORS, 413: ERRORS[400]}

# 合法性审查人: the request's civil-affairs reviewer names a staff user of the requester's district (or city).
assignment_routes(
    router,
    model=TaskRequest,
    path="/task-requests/{int:pk}",
    actions=LEGAL_REVIEWER_ACTIONS,
    who="合法性审查人",
    name="task_request",
)


class TaskRequestIn(schemas.Body):
    input_schema = TaskRequestSchema


class OpinionIn(Schema):
    opinion: str
    comment: str = ""
    org: str | None = None


class ReviewIn(Schema):
    legality: str
    reasonableness: str
    comment: str = ""
    outcome: str | None = None


class DecisionIn(Schema):
    decision: str
    comment: str = ""
    valid_until: date | None = None


class CommentIn(Schema):
    comment: str = ""


class RevokeIn(Schema):
    reason: str


class ListFilters(Schema):
    status: str = ""
    department: str = ""
    overdue: bool = False
    q: str = ""


def _money(v):
    return str(v) if v is not None else None


def request_summary(req) -> dict:
    return {
        "id": req.pk,
        "title": req.title,
        "status": req.status,
        "status_label": Status(req.status).label,
        "status_reason": req.status_reason,
        "department": req.department.name,
        "department_code": req.department.code,
        "level": req.requester_org.level,
        "org": req.requester_org.code,
        "admission_no": req.admission_no,
        "stage_due": req.stage_due,
        "overdue": selectors.is_overdue(req),
        "target_count": getattr(req, "target_count", None),
        "start_date": req.start_date,
        "end_date": req.end_date,
        "valid_until": req.valid_until,
        "updated_at": req.updated_at,
    }


def request_out(req) -> dict:
    """The full request (detail and action answers): fields, consultation, review, decision and history."""
    t = selectors.tally_of(req)
    out = request_summary(req)
    out.update(
        {
            "description": req.description,
            "legal_basis": req.legal_basis,
            "target_mode": req.target_mode,
            "target_orgs": [o.code for o in sorted(req.target_orgs.all(), key=lambda o: o.code)],
            "workload_hours_per_month": _money(req.workload_hours_per_month),
            "funding_amount": _money(req.funding_amount),
            "funding_total": _money(req.funding_total),
            "funding_source": req.funding_source,
            "working_conditions": req.working_conditions,
            "purchase_service": req.purchase_service,
            "service_provider": req.service_provider,
            "service_budget": _money(req.service_budget),
            "submitted_at": req.submitted_at,
            "consultation_due": req.consultation_due,
            "decide_by": req.decide_by,
            "consultation": {
                "total": t["total"],
                "agree": t["agree"],
                "disagree": t["disagree"],
                "pending": t["pending"],
                "opinions": [
                    {
                        "org": i.org.code,
                        "org_name": i.org.name,
                        "level": i.org.level,
                        "opinion": i.opinion or None,
                        "comment": i.comment,
                        "answered_at": i.answered_at,
                    }
                    for i in req.invites.all()
                ],
            },
            "review": {
                "legality": req.review_legality or None,
                "reasonableness": req.review_reasonableness or None,
                "comment": req.review_comment,
                "reviewed_at": req.reviewed_at,
            },
            "decision": {"comment": req.decision_comment, "decided_at": req.decided_at},
            "approval_body": req.approval_body.name if req.approval_body else None,
            "approved_at": req.approved_at,
            "revoke_reason": req.revoke_reason,
            "attachments": [
                {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type}
                for a in req.attachments.all()
            ],
            "history": [
                {
                    "at": h["at"],
                    "actor": h["actor"],
                    "role": h["role"],
                    "org": h["org"],
                    "action": h["action"],
                    "from": h["from_status"] or None,
                    "to": h["to_status"],
                    "comment": h["comment"],
                }
                for h in selectors.history_rows(req)
            ],
        }
    )
    return out


def _detail(request, pk: int) -> dict:
    return request_out(selectors.request_detail(user=request.user, pk=pk))


def _visible(request, pk: int):
    return get_scoped_or_404(TaskRequest, request.user, "view", pk=pk)


@router.get("/task-requests", auth=AUTH, response={200: dict, **ERR}, summary="我可见的准入申请")
def task_request_list(request, filters: Query[ListFilters], page: Query[PageParams]):
    qs = selectors.request_list(
        user=request.user,
        status=filters.status,
        department=filters.department,
        overdue=filters.overdue,
        q=filters.q,
    )
    return paginate(qs, page, request_summary, vary="")


@router.get("/task-requests/inbox", auth=AUTH, response={200: dict, **ERR}, summary="等待我办理的准入申请")
def task_request_inbox(request, page: Query[PageParams]):
    return paginate(selectors.inbox(user=request.user), page, request_summary, vary="")


@router.post("/task-requests", auth=AUTH, response={201: dict, **ERR}, summary="创建准入申请（草稿）")
def task_request_create(request, payload: TaskRequestIn):
    req = services.task_request_create(actor=request.user, data=TaskRequestSchema.parse(payload))
    return HttpStatus(201, _detail(request, req.pk))


@router.get(
    "/task-requests/{int:pk}", auth=AUTH, response={200: dict, **ERR}, summary="准入申请详情（含办理记录）"
)
def task_request_get(request, pk: int):
    return _detail(request, pk)


@router.put("/task-requests/{int:pk}", auth=AUTH, response={200: dict, **ERR}, summary="修改草稿或退回的申请")
def task_request_update(request, pk: int, payload: TaskRequestIn):
    _visible(request, pk)
    services.task_request_update(actor=request.user, request_id=pk, data=TaskRequestSchema.parse(payload))
    return _detail(request, pk)


@router.post("/task-requests/{int:pk}/submit", auth=AUTH, response={200: dict, **ERR}, summary="提交申请")
def task_request_submit(request, pk: int):
    _visible(request, pk)
    services.task_request_submit(actor=request.user, request_id=pk)
    return _detail(request, pk)


@router.post("/task-requests/{int:pk}/withdraw", auth=AUTH, response={200: dict, **ERR}, summary="撤回申请")
def task_request_withdraw(request, pk: int, payload: CommentIn):
    _visible(request, pk)
    services.task_request_withdraw(actor=request.user, request_id=pk, comment=payload.comment)
    return _detail(request, pk)


@router.post(
    "/task-requests/{int:pk}/opinions", auth=AUTH, response={200: dict, **ERR}, summary="街道、社区反馈意见"
)
def task_request_opinion(request, pk: int, payload: OpinionIn):
    _visible(request, pk)
    services.task_request_opinion(
        actor=request.user,
        request_id=pk,
        opinion=payload.opinion,
        comment=payload.comment,
        org_code=payload.org,
    )
    return _detail(request, pk)


@router.post(
    "/task-requests/{int:pk}/review", auth=AUTH, response={200: dict, **ERR}, summary="合法性、合理性审查"
)
def task_request_review(request, pk: int, payload: ReviewIn):
    _visible(request, pk)
    services.task_request_review(
        actor=request.user,
        request_id=pk,
        legality=payload.legality,
        reasonableness=payload.reasonableness,
        comment=payload.comment,
        outcome=payload.outcome,
    )
    return _detail(request, pk)


@router.post("/task-requests/{int:pk}/decision", auth=AUTH, response={200: dict, **ERR}, summary="审批决定")
def task_request_decision(request, pk: int, payload: DecisionIn):
    _visible(request, pk)
    services.task_request_decide(
        actor=request.user,
        request_id=pk,
        decision=payload.decision,
        comment=payload.comment,
        valid_until=payload.valid_until,
    )
    return _detail(request, pk)


@router.post("/task-requests/{int:pk}/revoke", auth=AUTH, response={200: dict, **ERR}, summary="撤销准入")
def task_request_revoke(request, pk: int, payload: RevokeIn):
    _visible(request, pk)
    services.task_request_revoke(actor=request.user, request_id=pk, reason=payload.reason)
    return _detail(request, pk)


@router.post(
    "/task-requests/{int:pk}/attachments", auth=AUTH, response={201: dict, **ERR}, summary="上传附件"
)
def task_request_attach(request, pk: int, file: File[UploadedFile]):
    _visible(request, pk)
    att = services.attachment_add(actor=request.user, request_id=pk, upload=file)
    return HttpStatus(
        201, {"id": att.pk, "name": att.name, "size": att.size, "content_type": att.content_type}
    )


@router.get("/admissions/{admission_no}", auth=None, response={200: dict, **ERR}, summary="核验准入编号")
def admission_verify(request, admission_no: str):
    data = selectors.admission_lookup(admission_no=admission_no)
    if data is None:
        raise Http404
    return {
        k: data[k]
        for k in (
            "admission_no",
            "status",
            "title",
            "department",
            "valid_from",
            "valid_until",
            "scope",
            "approval_body",
            "approved_at",
            "revoke_reason",
        )
    }
