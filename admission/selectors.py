"""Read side of admission (CONTRACT used by checklists, taskcheck and evaluations — keep signatures).

Every list starts from ``TaskRequest.objects.for_user``; pages, API and PDF share these selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from admission.choices import ACTIVE, EDITABLE, WORKFLOW, Action, Status
from admission.models import (
    Attachment,
    ConsultationInvite,
    HistoryEntry,
    TaskRequest,
    TaskTarget,
    opinion_org_ids,
)
from portal.caching import CachedListing, cached
from portal.choices import OrgLevel, Role
from portal.scope import grants_for, scope_key

ADMITTED_CATEGORY = "经准入的工作事项"


@dataclass(frozen=True)
class AdmittedTask:
    """A task approved for a community, in admission's own terms. The lists and the task check show it as one of
    their items (``checklists.selectors.admitted_item`` converts it), so admission never imports their types."""

    id: str  # "adm-<pk>"
    title: str
    content: str = ""
    legal_basis: tuple[str, ...] = ()
    department: str = ""
    admission_no: str = ""
    valid_until: date | None = None
    list_type: str = "admitted"
    category: str = ADMITTED_CATEGORY


def _today() -> date:
    return timezone.localdate()


def _valid_now():
    return TaskRequest.objects.currently_valid(_today())


def _item(req: TaskRequest) -> AdmittedTask:
    funding = ""
    if req.purchase_service:
        funding = f"政府购买服务（承接方：{req.service_provider}）"
    elif req.funding_amount is not None:
        funding = f"经费 {req.funding_amount} 元/社区（{req.funding_source}）"
    content = req.description + (f"\n{funding}" if funding else "")
    return AdmittedTask(
        id=f"adm-{req.pk}",
        title=req.title,
        content=content,
        legal_basis=(req.legal_basis,) if req.legal_basis else (),
        department=req.department.name,
        admission_no=req.admission_no or "",
        valid_until=req.valid_until,
    )


def admitted_tasks_for_community(*, community) -> list[AdmittedTask]:
    """Tasks approved and currently valid for ``community``, as :class:`AdmittedTask` rows
    (``list_type="admitted"``; title, content, department, admission_no, valid_until).

    Cached until any request changes (``portal.caching``, generation "admission") or the day ends: a
    community carrying a thousand admitted tasks costs one cache read, not a thousand rows."""
    today = _today()

    def load():
        rows = (
            TaskRequest.objects.currently_valid(today)
            .filter(targets__community=community)
            .select_related("department")
            .order_by("approved_at", "pk")
        )
        return [_item(r) for r in rows]

    return cached("admission", f"admitted:{community.pk}:{today.isoformat()}", load)


def _public_status(req: TaskRequest) -> str:
    if req.status == Status.REVOKED:
        return "revoked"
    if req.status == Status.EXPIRED or (req.valid_until and req.valid_until < _today()):
        return "expired"
    return "valid"


def admission_lookup(*, admission_no: str) -> dict | None:
    """Public verification data of an admission number, or None if unknown:
    ``{"admission_no", "status": "valid"|"expired"|"revoked", "title", "department", "valid_from",
    "valid_until", "city_level", "scope": [community codes …], "covers": callable(community) -> bool}``."""
    admission_no = (admission_no or "").strip()
    if not admission_no or len(admission_no) > 64:
        return None
    # Cached until a request changes or the day ends (the status reads the date); an unknown number is not
    # kept, so the first lookup after its approval finds it.
    info = cached(
        "admission", repr(("lookup", admission_no, _today().isoformat())), lambda: _lookup(admission_no)
    )
    if info is None:
        return None
    scope_set = frozenset(info["scope"])
    return {**info, "covers": lambda community: getattr(community, "code", community) in scope_set}


def _lookup(admission_no: str) -> dict | None:
    req = (
        TaskRequest.objects.filter(
            admission_no=admission_no, status__in=[Status.APPROVED, Status.EXPIRED, Status.REVOKED]
        )
        .select_related("department", "approval_body", "requester_org")
        .first()
    )
    if req is None:
        return None
    scope = list(
        TaskTarget.objects.filter(request=req)
        .order_by("community__code")
        .values_list("community__code", flat=True)
    )
    return {
        "admission_no": req.admission_no,
        "status": _public_status(req),
        "title": req.title,
        "department": req.department.name,
        "approval_body": req.approval_body.name if req.approval_body else "",
        # approved by the city (市委、市政府): only such an admission may demand organisations, venues or staff (三（三）)
        "city_level": req.is_city_level,
        "valid_from": req.start_date,
        "valid_until": req.valid_until,
        "approved_at": req.approved_at,
        "revoked_at": req.revoked_at,
        "revoke_reason": req.revoke_reason if req.status == Status.REVOKED else "",
        "funding": (
            f"政府购买服务（{req.service_provider}）"
            if req.purchase_service
            else f"{req.funding_amount or ''} 元/社区（{req.funding_source}）"
        ),
        "scope": scope,
        "scope_names": list(
            TaskTarget.objects.filter(request=req)
            .order_by("community__code")
            .values_list("community__name", flat=True)[:50]
        ),
        "request_id": req.pk,
    }


def admission_item(*, admission_no: str):
    """The task an admission number was given for, as an :class:`AdmittedTask` whatever its
    status, or None for an unknown number: the task check uses it to see whether a task is that admission's task."""
    admission_no = (admission_no or "").strip()
    if not admission_no or len(admission_no) > 64:
        return None
    req = (
        TaskRequest.objects.filter(
            admission_no=admission_no, status__in=[Status.APPROVED, Status.EXPIRED, Status.REVOKED]
        )
        .select_related("department")
        .first()
    )
    return None if req is None else _item(req)


def admission_valid_for_community(*, admission_no: str, community) -> dict | None:
    """The admission if it is valid now and its scope includes ``community``, else None."""
    req = (
        _valid_now()
        .filter(admission_no=(admission_no or "").strip(), targets__community=community)
        .select_related("department")
        .first()
    )
    if req is None:
        return None
    return {
        "admission_no": req.admission_no,
        "title": req.title,
        "department": req.department.name,
        "valid_until": req.valid_until,
        "valid_from": req.start_date,
    }


def admission_stats_for_community(*, community, year: int) -> dict:
    """Figures for the star-rating evidence: ``{"admitted_tasks": n}``."""
    n = TaskRequest.objects.filter(
        targets__community=community, approved_at__year=year, status__in=[Status.APPROVED, Status.EXPIRED]
    ).count()
    return {"admitted_tasks": n}


# --------------------------------------------------------------------------------------------- staff views


def _target_count():
    """The number of target communities as a correlated subquery: evaluated for the rows of one page only
    (a ``Count`` join would group every visible request, and make the paginator's count group them again)."""
    per_request = (
        TaskTarget.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_request, output_field=IntegerField()), 0)


def _annotated(qs, today: date):
    overdue = ExpressionWrapper(Q(status__in=ACTIVE, stage_due__lt=today), output_field=BooleanField())
    return qs.select_related("department", "requester_org").annotate(
        target_count=_target_count(), overdue=overdue
    )


def request_list(*, user, status: str = "", department: str = "", overdue: bool = False, q: str = ""):
    """The requests the user may see, filtered (status, department code or id, overdue, text).

    Cached until a request changes, known by the user's scope, the filters and the date (the overdue flag):
    the query is built only when the cache misses."""
    status = status if status in Status.values else ""
    q = q[:100]
    today = _today()

    def build():
        qs = TaskRequest.objects.for_user(user, "view")
        if status:
            qs = qs.filter(status=status)
        if department:
            qs = qs.filter(Q(department__code=department) | Q(department__name__icontains=department))
        if overdue:
            qs = qs.filter(status__in=ACTIVE, stage_due__lt=today)
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(admission_no__icontains=q))
        return _annotated(qs, today).order_by("-updated_at", "-id")

    key = repr(
        ("request_list", scope_key(user, TaskRequest), status, department, overdue, q, today.isoformat())
    )
    return CachedListing(build, "admission", key=key)


def awaiting_q(user) -> Q:
    """Requests waiting for this user's action (their to-do list)."""
    q = Q(pk__in=[])
    dept_ids = [g.department_id for g in grants_for(user, {Role.DEPARTMENT_STAFF}) if g.department_id]
    if dept_ids:
        q |= Q(department_id__in=dept_ids, status__in=EDITABLE)
    org_ids = [g.org_id for g in grants_for(user, {Role.STREET_STAFF, Role.COMMUNITY_STAFF})]
    if org_ids:
        q |= Q(
            status=Status.CONSULTATION,
            pk__in=ConsultationInvite.objects.filter(org_id__in=org_ids, opinion="").values("request_id"),
        )
    for g in grants_for(user, {Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN}):
        if g.role == Role.CITY_ADMIN and g.org_level != OrgLevel.CITY:
            continue
        q |= Q(status=Status.REVIEW, requester_org_id=g.org_id) & ~Q(department_id__in=dept_ids)
    for g in grants_for(user, {Role.DISTRICT_APPROVER, Role.CITY_APPROVER}):
        q |= (
            Q(status=Status.DECISION, requester_org_id=g.org_id)
            & ~Q(department_id__in=dept_ids)
            & ~Q(reviewed_by_id=user.pk)
        )
    return q


def _awaiting_key(user, what: str, today: date | None = None) -> str:
    # awaiting_q reads the user's id and grants only: the scope key names it too.
    return repr((what, scope_key(user, TaskRequest), today.isoformat() if today else ""))


def inbox(*, user):
    """Requests awaiting the user, overdue first."""
    today = _today()
    return CachedListing(
        lambda: _annotated(
            TaskRequest.objects.for_user(user, "view").filter(awaiting_q(user)), today
        ).order_by("stage_due", "-id"),
        "admission",
        key=_awaiting_key(user, "inbox", today),
    )


def awaiting_count(*, user) -> int:
    return cached(
        "admission",
        _awaiting_key(user, "awaiting_count"),
        lambda: TaskRequest.objects.for_user(user, "view").filter(awaiting_q(user)).count(),
    )


def request_detail(*, user, pk: int) -> TaskRequest:
    """One request with everything its page and API answer need, prefetched (raises Http404 outside scope)."""
    from portal.scope import get_scoped_or_404

    qs = (
        TaskRequest.objects.select_related(
            "department", "requester_org", "approval_body", "created_by", "reviewed_by", "decided_by"
        )
        .prefetch_related(
            "target_orgs",
            Prefetch("history", queryset=HistoryEntry.objects.order_by("at", "id")),
            Prefetch(
                "invites",
                queryset=ConsultationInvite.objects.select_related("org", "answered_by").order_by(
                    "org__code"
                ),
            ),
            Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
        )
        .annotate(target_count=_target_count())
    )
    # Kept in the cache until a request changes (the generation "admission" follows the request, its
    # targets, consultation, history and attachments, and the names of departments, orgs and bodies).
    return get_scoped_or_404(qs, user, "view", cached_as=("admission", "request_detail"), pk=pk)


def tally_of(req: TaskRequest) -> dict:
    """Consultation counts from the prefetched invites."""
    invites = list(req.invites.all())
    agree = sum(1 for i in invites if i.opinion == "agree")
    disagree = sum(1 for i in invites if i.opinion == "disagree")
    return {
        "total": len(invites),
        "agree": agree,
        "disagree": disagree,
        "pending": len(invites) - agree - disagree,
        "streets": [i for i in invites if i.org.level == OrgLevel.STREET],
        "communities": [i for i in invites if i.org.level == OrgLevel.COMMUNITY],
    }


def is_overdue(req: TaskRequest) -> bool:
    return bool(req.status in ACTIVE and req.stage_due and req.stage_due < _today())


ROLE_LABELS = {**{r.value: r.label for r in Role}, "system": "系统", "legal_reviewer": "合法性审查人"}


def history_rows(req: TaskRequest) -> list[dict]:
    labels = dict(Status.choices)
    from admission.choices import Action

    actions = dict(Action.choices)
    return [
        {
            "at": h.at,
            "actor": h.actor_name,
            "role": h.role,
            "role_label": ROLE_LABELS.get(h.role, h.role),
            "org": h.org_name,
            "action": h.action,
            "action_label": actions.get(h.action, h.action),
            "from_status": h.from_status,
            "to_status": h.to_status,
            "from_label": labels.get(h.from_status, ""),
            "to_label": labels.get(h.to_status, ""),
            "comment": h.comment,
        }
        for h in req.history.all()
    ]


def user_actions(*, user, req: TaskRequest) -> dict:
    """What the user may do on this request now: the rows of the workflow's table from its state whose right
    the user holds, asked as the services ask it (``WORKFLOW.offered`` with ``services.holds``: the scope
    right ``TaskRequest.objects.for_user(user, right)`` and the grant acted under). It drives the forms shown;
    the services check again.

    Each offered action (``Action``) is a key set to True — ``edit``, ``submit``, ``withdraw``, ``opinion``,
    ``review_pass`` (with ``review_return`` and ``review_reject``: the review form), ``approve`` (with
    ``reject`` and ``return``: the decision form), ``revoke``; an action not offered is absent.
    ``opinion_orgs``: the user's consulted orgs that have not answered yet (the opinion form's choice)."""
    from admission import services

    offered = WORKFLOW.offered(req, user, holds=services.holds)
    actions: dict = {t.action: True for t in offered}
    org_ids = opinion_org_ids(user) if Action.OPINION in actions else set()
    actions["opinion_orgs"] = [i.org for i in req.invites.all() if i.org_id in org_ids and not i.opinion]
    return actions


def dashboard_figures(*, user) -> dict:
    today = _today()

    def figures():
        visible = TaskRequest.objects.for_user(user, "view")
        counts = dict(visible.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
        return {
            "awaiting": awaiting_count(user=user),
            "overdue": visible.filter(status__in=ACTIVE, stage_due__lt=today).count(),
            "active": sum(counts.get(s, 0) for s in ACTIVE),
            "approved": counts.get(Status.APPROVED, 0),
        }

    # Keyed by the user's scope and today's date; dropped when any request changes.
    return cached("admission", repr(("dashboard", scope_key(user, TaskRequest), today.isoformat())), figures)


def request_attachment(*, request: TaskRequest, pk: int) -> Attachment | None:
    """One attachment of a task request the caller was guarded for (attachments have no scope of their own:
    they are the request's)."""
    return Attachment.objects.filter(request=request, pk=pk).first()


def requester_org_id(*, user) -> int | None:
    """The org a new request of ``user`` is made from: the one of their department-staff role that names a
    department (``None`` for anyone who answers for no department — the system administrator included); read
    from the roles in memory, without a query."""
    grant = next((g for g in grants_for(user, {Role.DEPARTMENT_STAFF}) if g.department_id), None)
    return None if grant is None else grant.org_id


# ── read by the burden figures and registers (reports) ─────────────────────────────────────────
# Each returns the rows of one family under an org path, as an unevaluated queryset that the statistics read
# side groups and counts (one GROUP BY per family).


def counted_models() -> list[type]:
    """The models whose rows the figures below count: a change to one of them makes cached figures stale."""
    return [TaskRequest, TaskTarget, HistoryEntry]


def admitted_targets_under(*, path: str) -> QuerySet[TaskTarget]:
    """The communities (under ``path``) of every request ever admitted — approved, expired or revoked since."""
    return TaskTarget.objects.filter(
        community__path__startswith=path,
        request__approved_at__isnull=False,
        request__status__in=[Status.APPROVED, Status.EXPIRED, Status.REVOKED],
    )


def history_under(*, path: str, start_at: datetime, end_at: datetime) -> QuerySet[HistoryEntry]:
    """History rows written in ``[start_at, end_at)`` of the requests sent to a community under ``path``."""
    return HistoryEntry.objects.filter(
        at__gte=start_at,
        at__lt=end_at,
        request__targets__community__path__startswith=path,
    )


def admitted_requests_for(*, path: str, start_at: datetime, end_at: datetime) -> QuerySet[TaskRequest]:
    """Requests admitted (numbered) in ``[start_at, end_at)`` that reach a community under ``path``."""
    return TaskRequest.objects.filter(
        approved_at__gte=start_at,
        approved_at__lt=end_at,
        admission_no__isnull=False,
        targets__community__path__startswith=path,
    )


def sealed_notices_under(*, path: str, start_at: datetime, end_at: datetime) -> QuerySet[TaskRequest]:
    """Admission notices sealed in ``[start_at, end_at)`` by an approval body of a node under ``path``."""
    return TaskRequest.objects.filter(
        approved_at__gte=start_at,
        approved_at__lt=end_at,
        admission_no__isnull=False,
        approval_body__org__path__startswith=path,
    )
