"""API endpoints of supervision (mounted under /api/v1/ by portal.api.root). Contract: API.md —
``POST /complaints`` → 201 ``{"tracking_code"}``, ``GET /complaints/{tracking_code}``, and the appeals."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from portal import schemas
from portal.api.assignments import assignment_routes
from portal.api.kit import AUTH, ERRORS, PageParams, optional_user, paginate, throttle
from portal.scope import get_scoped_or_404
from supervision import selectors, services
from supervision.assignments import VERIFIER_ACTIONS
from supervision.choices import ANON_LIMIT_PER_HOUR
from supervision.models import Appeal, Complaint
from supervision.schemas import AnswerSchema, AppealSchema, ComplaintSchema, RatingSchema, ReopenSchema

router = Router(tags=["减负投诉与居民诉求"])

# 指派核查: the bureau handling a complaint (by id, as its page) names a verifier of the complaint's district.
assignment_routes(
    router,
    model=Complaint,
    path="/complaints/{int:pk}",
    actions=VERIFIER_ACTIONS,
    who="投诉核查人",
    name="complaint",
)


class ComplaintIn(schemas.Body):
    input_schema = ComplaintSchema


class TrackingOut(Schema):
    tracking_code: str


class StepOut(Schema):
    at: str
    action: str
    label: str
    note: str


class ComplaintStatusOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    category: str
    category_label: str
    department: str
    community: str
    created_at: str
    steps: list[StepOut]
    outcome: dict
    can_rate: bool
    can_reopen: bool
    rating: int | None = None


class RatingIn(schemas.Body):
    input_schema = RatingSchema


class ReopenIn(schemas.Body):
    input_schema = ReopenSchema


def status_out(c) -> dict:
    s = selectors.public_status(complaint=c)
    outcome = dict(s.outcome)
    if "rectification" in outcome:
        outcome["rectification"] = {
            **outcome["rectification"],
            "due_date": outcome["rectification"]["due_date"].isoformat(),
        }
    return {
        "tracking_code": s.tracking_code,
        "status": s.status,
        "status_label": s.status_label,
        "category": s.category,
        "category_label": s.category_label,
        "department": s.department,
        "community": s.community,
        "created_at": s.created_at.isoformat(),
        "steps": [
            {"at": st.at.isoformat(), "action": st.action, "label": st.label, "note": st.note}
            for st in s.steps
        ],
        "outcome": outcome,
        "can_rate": s.can_rate,
        "can_reopen": s.can_reopen,
        "rating": s.rating,
    }


@router.post(
    "/complaints",
    response={201: TrackingOut, **ERRORS},
    summary="提交减负投诉（可匿名；匿名提交每个地址每小时最多 10 件）",
)
def complaint_create(request: HttpRequest, payload: ComplaintIn):
    user = optional_user(request)
    if user is None:
        throttle(request, scope="complaints-anon", limit=ANON_LIMIT_PER_HOUR, window_seconds=3600)
    c = services.complaint_file(actor=user, data=ComplaintSchema.parse(payload))
    return Status(201, {"tracking_code": c.tracking_code})


@router.get(
    "/complaints/{tracking_code}",
    response={200: ComplaintStatusOut, **ERRORS},
    summary="凭查询码查看投诉办理进度和公开结果",
)
def complaint_status(request: HttpRequest, tracking_code: str):
    throttle(request, scope="complaints-track", limit=120, window_seconds=60)
    return status_out(services.complaint_find(tracking_code=tracking_code))


@router.post(
    "/complaints/{tracking_code}/rating",
    response={200: ComplaintStatusOut, **ERRORS},
    summary="投诉人评价办理结果（办结后，1–5 分）",
)
def complaint_rating(request: HttpRequest, tracking_code: str, payload: RatingIn):
    c = services.complaint_rate(tracking_code=tracking_code, data=RatingSchema.parse(payload))
    return status_out(c)


@router.post(
    "/complaints/{tracking_code}/reopen",
    response={200: ComplaintStatusOut, **ERRORS},
    summary="投诉人申请重新办理（办结后 15 日内，限一次）",
)
def complaint_reopen(request: HttpRequest, tracking_code: str, payload: ReopenIn):
    return status_out(
        services.complaint_reopen(tracking_code=tracking_code, data=ReopenSchema.parse(payload))
    )


# --------------------------------------------------------------------------------------------- appeals


class AppealIn(schemas.Body):
    input_schema = AppealSchema


class AppealOut(Schema):
    id: int
    community: str
    community_name: str
    category: str
    text: str
    location: str
    status: str
    status_label: str
    due_date: str
    answer: str
    answered_at: str | None
    rating: int | None
    rating_comment: str
    created_at: str


class AppealPage(Schema):
    count: int
    results: list[AppealOut]


class AppealCreatedOut(Schema):
    id: int
    status: str


class AnswerIn(schemas.Body):
    input_schema = AnswerSchema


class AppealFilter(PageParams):
    status: str = ""


def appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "community": a.community.code,
        "community_name": a.community.name,
        "category": a.category,
        "text": a.text,
        "location": a.location,
        "status": a.status,
        "status_label": a.get_status_display(),
        "due_date": a.due_date.isoformat(),
        "answer": a.answer,
        "answered_at": a.answered_at.isoformat() if a.answered_at else None,
        "rating": a.rating,
        "rating_comment": a.rating_comment,
        "created_at": a.created_at.isoformat(),
    }


@router.post(
    "/appeals", auth=AUTH, response={201: AppealCreatedOut, **ERRORS}, summary="居民向本社区提交诉求或建议"
)
def appeal_create(request: HttpRequest, payload: AppealIn):
    services.appeal_submitter(request.auth)  # the right before the input, like every guard
    a = services.appeal_submit(actor=request.auth, data=AppealSchema.parse(payload))
    return Status(201, {"id": a.pk, "status": a.status})


@router.get(
    "/appeals", auth=AUTH, response={200: AppealPage, **ERRORS}, summary="诉求列表（本人、本社区及上级）"
)
def appeal_list(request: HttpRequest, filters: Query[AppealFilter]):
    return paginate(selectors.appeal_list(user=request.auth, status=filters.status), filters, appeal_out)


@router.get("/appeals/{int:appeal_id}", auth=AUTH, response={200: AppealOut, **ERRORS}, summary="诉求详情")
def appeal_detail(request: HttpRequest, appeal_id: int):
    return appeal_out(
        get_scoped_or_404(Appeal.objects.select_related("community"), request.auth, "view", pk=appeal_id)
    )


@router.post(
    "/appeals/{int:appeal_id}/answer",
    auth=AUTH,
    response={200: AppealOut, **ERRORS},
    summary="社区（逾期后街道）答复诉求",
)
def appeal_answer(request: HttpRequest, appeal_id: int, payload: AnswerIn):
    get_scoped_or_404(Appeal, request.auth, "view", pk=appeal_id)
    a = services.appeal_answer(actor=request.auth, appeal_id=appeal_id, data=AnswerSchema.parse(payload))
    return appeal_out(
        get_scoped_or_404(Appeal.objects.select_related("community"), request.auth, "view", pk=a.pk)
    )


@router.post(
    "/appeals/{int:appeal_id}/rating",
    auth=AUTH,
    response={200: AppealOut, **ERRORS},
    summary="居民评价答复（答复后，1–5 分）",
)
def appeal_rating(request: HttpRequest, appeal_id: int, payload: RatingIn):
    get_scoped_or_404(Appeal, request.auth, "view", pk=appeal_id)
    a = services.appeal_rate(actor=request.auth, appeal_id=appeal_id, data=RatingSchema.parse(payload))
    return appeal_out(
        get_scoped_or_404(Appeal.objects.select_related("community"), request.auth, "view", pk=a.pk)
    )
