"""Write side of admission: every rule of the request's life, one implementation for pages, API and jobs.

Transitions lock the request row (``select_for_update``), check the transition table in ``choices.py`` and the
actor's right, write an immutable history row and the audit log, and schedule side effects on commit.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from admission.choices import (
    ACTIVE,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_COUNT,
    CONSULTATION_WORKDAYS,
    DECISION_TOTAL_WORKDAYS,
    ESCALATE_AFTER_WORKDAYS,
    LEAD_WORKDAYS,
    REVIEW_WORKDAYS,
    WORKFLOW,
    Action,
    Decision,
    Opinion,
    ReviewResult,
    Status,
    TargetMode,
)
from admission.models import (
    AdmissionCounter,
    Attachment,
    ConsultationInvite,
    HistoryEntry,
    TaskRequest,
    TaskTarget,
)
from portal import history, uploads, workdays
from portal.audit import audit, snapshot
from portal.choices import ApprovalBodyKind, OrgLevel, Role
from portal.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from portal.jobs import enqueue
from portal.models import ApprovalBody, Department, OrgUnit, RoleAssignment, User
from portal.scope import grants_for
from portal.services.notifications import notify, todos_done

AUDIT_FIELDS = [
    "status",
    "status_reason",
    "admission_no",
    "valid_until",
    "review_legality",
    "review_reasonableness",
    "reviewed_by",
    "decided_by",
]


# --------------------------------------------------------------------------------------------- helpers


def _retry_on_lock(func: Callable) -> Callable:
    """Run a transition again when SQLite reports a locked database (the embedded default serialises writers;
    the loser of a race then sees the new state and answers 409)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(60):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc).lower() or attempt == 59:
                    raise
                time.sleep(0.05)
        return None  # pragma: no cover

    return wrapper


def _today() -> date:
    return timezone.localdate()


def _lock(request_id) -> TaskRequest:
    req = TaskRequest.objects.select_for_update().filter(pk=request_id).first()
    if req is None:
        raise NotFoundError("未找到该申请。")
    # Related rows are read after the lock (select_related with FOR UPDATE would lock them too).
    req.department = Department.objects.get(pk=req.department_id)
    req.requester_org = OrgUnit.objects.get(pk=req.requester_org_id)
    return req


def _check(req: TaskRequest, action: str) -> str:
    """The status ``action`` leads to (the workflow table); 409 when it does not allow it from here."""
    return WORKFLOW.check(req, action)


def _history(
    req: TaskRequest,
    *,
    actor,
    role: str,
    action: str,
    from_status: str,
    to_status: str,
    comment: str = "",
    org_name: str = "",
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        request=req,
        actor=actor,
        actor_name=(actor.display_name if actor else "系统"),
        role=role,
        org_name=org_name,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment[:2000],
    )


def _transition(
    req: TaskRequest,
    *,
    actor,
    role: str,
    action: str,
    comment: str = "",
    org_name: str = "",
    fields: Iterable[str] = (),
) -> None:
    """Apply one transition of the table to a locked request: save, history row, audit entry."""
    before = snapshot(req, AUDIT_FIELDS)
    from_status = req.status
    req.status = _check(req, action)
    req.save(update_fields=["status", "updated_at", *fields])
    _history(
        req,
        actor=actor,
        role=role,
        action=action,
        from_status=from_status,
        to_status=req.status,
        comment=comment,
        org_name=org_name,
    )
    audit(
        f"admission.{action}",
        obj=req,
        actor=actor,
        before=before,
        after=snapshot(req, AUDIT_FIELDS),
        detail=comment[:500],
    )


def request_url(req: TaskRequest) -> str:
    return reverse("admission:detail", args=[req.pk])


def _users_with(role: str, org_ids: Iterable[int]) -> list[User]:
    ids = list(org_ids)
    if not ids:
        return []
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(role=role, org_id__in=ids).select_related("user")
        if ra.user.is_active
    ]


def reviewers_of(req: TaskRequest) -> list[User]:
    role = Role.CITY_ADMIN if req.requester_org.level == OrgLevel.CITY else Role.DISTRICT_OFFICIAL
    return _users_with(role, [req.requester_org_id])


def approvers_of(req: TaskRequest) -> list[User]:
    role = Role.CITY_APPROVER if req.requester_org.level == OrgLevel.CITY else Role.DISTRICT_APPROVER
    return _users_with(role, [req.requester_org_id])


def department_staff_of(req: TaskRequest) -> list[User]:
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            role=Role.DEPARTMENT_STAFF, department_id=req.department_id
        ).select_related("user")
    ]


# --------------------------------------------------------------------------------------------- rights


def is_own_department(user, req: TaskRequest) -> bool:
    return any(g.department_id == req.department_id for g in grants_for(user, {Role.DEPARTMENT_STAFF}))


def _level_grant(user, req: TaskRequest, city_role: str, district_role: str):
    role = city_role if req.requester_org.level == OrgLevel.CITY else district_role
    return next((g for g in grants_for(user, {role}) if g.org_id == req.requester_org_id), None)


def review_grant(user, req: TaskRequest):
    """The grant under which ``user`` may review ``req`` (the civil-affairs official at the requester's level),
    or None. A department never reviews its own request."""
    if is_own_department(user, req) or user.pk == req.created_by_id:
        return None
    return _level_grant(user, req, Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL)


def decide_grant(user, req: TaskRequest):
    """The grant under which ``user`` may decide (the approver at the requester's level), or None. Neither the
    department nor the reviewer of the request decides it."""
    if is_own_department(user, req) or user.pk == req.created_by_id:
        return None
    if req.reviewed_by_id and req.reviewed_by_id == user.pk:
        return None
    return _level_grant(user, req, Role.CITY_APPROVER, Role.DISTRICT_APPROVER)


def opinion_org_ids(user) -> set[int]:
    return {g.org_id for g in grants_for(user, {Role.STREET_STAFF, Role.COMMUNITY_STAFF})}


def _department_grant(user, req: TaskRequest):
    grant = next(
        (g for g in grants_for(user, {Role.DEPARTMENT_STAFF}) if g.department_id == req.department_id), None
    )
    if grant is None:
        raise PermissionDeniedError("只有申请部门的工作人员可以办理此操作。")
    return grant


# --------------------------------------------------------------------------------------------- input


def _decimal(value, name: str, label: str, errors: dict, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[name] = f"请填写{label}。"
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = f"{label}应为数字。"
        return None
    if not d.is_finite() or d < 0:
        errors[name] = f"{label}不能为负数。"
        return None
    if d > Decimal("1000000000"):
        errors[name] = f"{label}数值过大。"
        return None
    return d


def _date(value, name: str, label: str, errors: dict) -> date | None:
    if isinstance(value, date):
        return value
    if not value:
        errors[name] = f"请填写{label}。"
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[name] = f"{label}格式应为 YYYY-MM-DD。"
        return None


def _text(data: dict, name: str, label: str, errors: dict, *, required=False, max_length=5000) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors[name] = f"请填写{label}。"
    elif len(value) > max_length:
        errors[name] = f"{label}不能超过 {max_length} 个字。"
    return value


def resolve_targets(
    *, codes: Iterable[str], requester_org: OrgUnit
) -> tuple[list[OrgUnit], list[OrgUnit], str]:
    """The chosen org units and the communities they cover, all inside the requester's level.
    Raises DomainError naming unknown or out-of-scope codes."""
    codes = [str(c).strip() for c in codes if str(c).strip()]
    if not codes:
        raise DomainError(
            "请选择事项的实施范围（全区、街道或社区）。", fields={"target_orgs": "请至少选择一个范围。"}
        )
    if len(codes) > 6000:
        raise DomainError("选择的范围过多。", fields={"target_orgs": "范围过多。"})
    chosen = list(OrgUnit.objects.filter(code__in=set(codes)))
    found = {o.code for o in chosen}
    unknown = sorted(set(codes) - found)
    if unknown:
        raise DomainError(
            f"未知的组织代码：{'、'.join(unknown[:10])}。", fields={"target_orgs": "含未知的组织代码。"}
        )
    outside = [o.code for o in chosen if not o.path.startswith(requester_org.path)]
    if outside:
        raise DomainError(
            f"超出本部门所属层级（{requester_org.name}）的范围：{'、'.join(outside[:10])}。",
            fields={"target_orgs": "只能选择本级辖区内的街道或社区。"},
        )
    q = Q(pk__in=[])
    for o in chosen:
        q |= Q(path__startswith=o.path)
    communities = list(OrgUnit.objects.filter(q, level=OrgLevel.COMMUNITY).order_by("code"))
    if not communities:
        raise DomainError("所选范围内没有社区。", fields={"target_orgs": "所选范围内没有社区。"})
    levels = {o.level for o in chosen}
    mode = {
        frozenset({OrgLevel.DISTRICT}): TargetMode.DISTRICT,
        frozenset({OrgLevel.STREET}): TargetMode.STREETS,
        frozenset({OrgLevel.COMMUNITY}): TargetMode.COMMUNITIES,
    }.get(frozenset(levels), TargetMode.MIXED)
    return chosen, communities, mode


def _clean(data: dict, *, requester_org: OrgUnit) -> tuple[dict, tuple | None]:
    errors: dict[str, str] = {}
    out = {
        "title": _text(data, "title", "事项名称", errors, required=True, max_length=200),
        "description": _text(data, "description", "事项内容", errors, required=True),
        "legal_basis": _text(data, "legal_basis", "依据", errors),
        "funding_source": _text(data, "funding_source", "经费来源", errors, max_length=200),
        "working_conditions": _text(data, "working_conditions", "工作条件", errors),
        "service_provider": _text(data, "service_provider", "服务承接方", errors, max_length=200),
        "purchase_service": bool(data.get("purchase_service"))
        and str(data.get("purchase_service")).lower() not in ("false", "0", "off"),
        "start_date": _date(data.get("start_date"), "start_date", "开始日期", errors),
        "end_date": _date(data.get("end_date"), "end_date", "结束日期", errors),
        "workload_hours_per_month": _decimal(
            data.get("workload_hours_per_month"), "workload_hours_per_month", "工作量", errors, required=True
        ),
        "funding_amount": _decimal(data.get("funding_amount"), "funding_amount", "每社区经费", errors),
        "funding_total": _decimal(data.get("funding_total"), "funding_total", "经费总额", errors),
        "service_budget": _decimal(data.get("service_budget"), "service_budget", "购买服务预算", errors),
    }
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        errors["end_date"] = "结束日期不能早于开始日期。"
    if out["workload_hours_per_month"] is not None and out["workload_hours_per_month"] > 744:
        errors["workload_hours_per_month"] = "工作量不能超过每月 744 小时。"
    targets = None
    raw_targets = data.get("target_orgs")
    if isinstance(raw_targets, str):
        raw_targets = re.split(r"[\s,，、;；]+", raw_targets)
    try:
        targets = resolve_targets(codes=raw_targets or [], requester_org=requester_org)
    except DomainError as exc:
        errors["target_orgs"] = exc.message
    if errors:
        raise DomainError("申请内容不完整或有误，请检查标出的字段。", fields=errors)
    return out, targets


def _set_targets(req: TaskRequest, targets: tuple) -> None:
    chosen, communities, mode = targets
    req.target_orgs.set(chosen)
    TaskTarget.objects.filter(request=req).delete()
    history.bulk_create(TaskTarget, [TaskTarget(request=req, community=c) for c in communities])
    if req.target_mode != mode:
        req.target_mode = mode
        req.save(update_fields=["target_mode"])
    if req.funding_amount is not None and not req.funding_total:
        req.funding_total = req.funding_amount * len(communities)
        req.save(update_fields=["funding_total"])


# --------------------------------------------------------------------------------------------- requests


@_retry_on_lock
def task_request_create(*, actor, data: dict) -> TaskRequest:
    """Save a new draft for the actor's department."""
    grants = [g for g in grants_for(actor, {Role.DEPARTMENT_STAFF}) if g.department_id]
    if not grants:
        raise PermissionDeniedError("只有市、区职能部门的工作人员可以提出准入申请。")
    grant = grants[0]
    if data.get("department"):
        grant = next((g for g in grants if str(g.department_id) == str(data["department"])), None)
        if grant is None:
            raise PermissionDeniedError("您不是该部门的工作人员。")
    requester_org = OrgUnit.objects.get(pk=grant.org_id)
    cleaned, targets = _clean(data, requester_org=requester_org)
    with transaction.atomic():
        req = TaskRequest.objects.create(
            department_id=grant.department_id,
            requester_org=requester_org,
            created_by=actor,
            status=Status.DRAFT,
            **cleaned,
        )
        _set_targets(req, targets)
        _history(
            req,
            actor=actor,
            role=Role.DEPARTMENT_STAFF,
            action=Action.CREATE,
            from_status="",
            to_status=Status.DRAFT,
            org_name=grant.department_name,
        )
        audit(
            "admission.create", obj=req, actor=actor, after=snapshot(req, ["title", "status", "department"])
        )
        if not TaskRequest.objects.for_user(actor, "view").filter(pk=req.pk).exists():
            raise PermissionDeniedError("保存后的申请超出您的权限范围。")
    return req


@_retry_on_lock
def task_request_update(*, actor, request_id: int, data: dict) -> TaskRequest:
    """Change a draft (or a returned request) of the actor's department."""
    with transaction.atomic():
        req = _lock(request_id)
        grant = _department_grant(actor, req)
        _check(req, Action.EDIT)
        cleaned, targets = _clean(data, requester_org=req.requester_org)
        before = snapshot(
            req, ["title", "description", "start_date", "end_date", "funding_amount", "funding_source"]
        )
        for k, v in cleaned.items():
            setattr(req, k, v)
        if data.get("funding_total") in (None, "") and req.funding_amount is not None:
            req.funding_total = None
        req.save()
        _set_targets(req, targets)
        _history(
            req,
            actor=actor,
            role=Role.DEPARTMENT_STAFF,
            action=Action.EDIT,
            from_status=req.status,
            to_status=req.status,
            org_name=grant.department_name,
        )
        audit(
            "admission.edit",
            obj=req,
            actor=actor,
            before=before,
            after=snapshot(
                req, ["title", "description", "start_date", "end_date", "funding_amount", "funding_source"]
            ),
        )
    return req


def funding_problems(req: TaskRequest) -> dict[str, str]:
    """费随事转: what the request still lacks in funding and working conditions (empty when complete)."""
    problems: dict[str, str] = {}
    if req.purchase_service:
        if not req.service_provider:
            problems["service_provider"] = "政府购买服务须写明服务承接方。"
        if not (req.service_budget and req.service_budget > 0) and not (
            (req.funding_amount or req.funding_total) and req.funding_source
        ):
            problems["service_budget"] = "政府购买服务须写明购买服务预算（或经费金额及来源）。"
    else:
        if not (
            (req.funding_amount and req.funding_amount > 0) or (req.funding_total and req.funding_total > 0)
        ):
            problems["funding_amount"] = "须写明为社区提供的经费金额（费随事转）。"
        if not req.funding_source:
            problems["funding_source"] = "须写明经费来源（费随事转）。"
    if not req.working_conditions.strip():
        problems["working_conditions"] = "须写明为社区提供的工作条件（费随事转）。"
    return problems


@_retry_on_lock
def task_request_submit(*, actor, request_id: int) -> TaskRequest:
    """Submit a draft: negative-list tasks are rejected at once; tasks already on the lists are pointed to their
    item; without funding and working conditions nothing happens (400). Otherwise the consultation starts."""
    from taskcheck.engine import ON_LIST, PROHIBITED, evaluate_task

    with transaction.atomic():
        req = _lock(request_id)
        grant = _department_grant(actor, req)
        _check(req, Action.SUBMIT)
        verdict = evaluate_task(title=req.title, description=req.description, community=None)
        # 三（三）: only a law, regulation or rule, or the city Party committee or city government, may demand that
        # communities set up organisations or venues or assign dedicated staff; a district request cannot.
        district_org_demand = (
            verdict.rule == "organisation" and verdict.verdict != ON_LIST and not req.is_city_level
        )
        if verdict.verdict == PROHIBITED or district_org_demand:
            reason = verdict.reason + (
                f"（{verdict.clause}）" if verdict.clause and verdict.clause not in verdict.reason else ""
            )
            if district_org_demand:
                reason += "区级部门的准入申请不能提出此类要求，只有市委、市政府或法律、法规、规章可以要求。"
            req.status_reason = reason
            _transition(
                req,
                actor=actor,
                role=Role.DEPARTMENT_STAFF,
                action=Action.REJECT_ON_SUBMIT,
                comment=reason,
                org_name=grant.department_name,
                fields=["status_reason"],
            )
            todos_done(source=req)
            return req
        if verdict.verdict == ON_LIST:
            item = verdict.matched_item or {}
            title = item.get("title", "")
            raise DomainError(
                f"该事项已在居委会工作事项清单中（“{title}”），属于依法履职或依法协助事项，无需准入，请按清单事项办理。",
                code="on_list",
                fields={
                    "matched_item": str(item.get("id", "")),
                    "matched_item_title": str(title),
                    "list_type": str(item.get("list_type", "")),
                    "category": str(item.get("category", "")),
                },
            )
        problems = funding_problems(req)
        if problems:
            raise DomainError(
                "未落实“费随事转”：" + "".join(problems.values()), code="funding_required", fields=problems
            )
        today = _today()
        lead = workdays.workdays_between(today, req.start_date)
        if lead < LEAD_WORKDAYS:
            raise DomainError(
                f"准入申请须在事项开始前至少 {LEAD_WORKDAYS} 个工作日提出（距开始日期仅 {max(lead, 0)} 个工作日），"
                "请调整开始日期。",
                code="lead_time",
                fields={"start_date": f"开始日期须在 {workdays.add_workdays(today, LEAD_WORKDAYS)} 或之后。"},
            )
        communities = list(OrgUnit.objects.filter(admission_targets__request=req).order_by("code"))
        if not communities:
            raise DomainError("请选择事项的实施范围。", fields={"target_orgs": "请至少选择一个范围。"})
        req.submitted_at = timezone.now()
        req.consultation_due = workdays.add_workdays(today, CONSULTATION_WORKDAYS)
        req.stage_due = req.consultation_due
        req.decide_by = workdays.add_workdays(today, DECISION_TOTAL_WORKDAYS)
        req.status_reason = ""
        req.escalated_at = None
        req.review_legality = req.review_reasonableness = req.review_comment = ""
        req.reviewed_by = None
        req.reviewed_at = None
        _transition(
            req,
            actor=actor,
            role=Role.DEPARTMENT_STAFF,
            action=Action.SUBMIT,
            org_name=grant.department_name,
            fields=[
                "submitted_at",
                "consultation_due",
                "stage_due",
                "decide_by",
                "status_reason",
                "escalated_at",
                "review_legality",
                "review_reasonableness",
                "review_comment",
                "reviewed_by",
                "reviewed_at",
            ],
        )
        # A resubmission asks again: the earlier round's answers stay in the history.
        ConsultationInvite.objects.filter(request=req).delete()
        street_ids = sorted({c.parent_id for c in communities if c.parent_id})
        invites = [ConsultationInvite(request=req, org_id=i) for i in street_ids]
        invites += [ConsultationInvite(request=req, org=c) for c in communities]
        history.bulk_create(ConsultationInvite, invites)
        todos_done(source=req)
        users = _users_with(Role.STREET_STAFF, street_ids) + _users_with(
            Role.COMMUNITY_STAFF, [c.pk for c in communities]
        )
        notify(
            users=users,
            kind="admission_opinion",
            title=f"请对准入申请“{req.title}”反馈意见",
            body=f"{req.department.name}申请新增社区工作事项，请在 {req.consultation_due} 前反馈同意或不同意的意见。",
            url=request_url(req),
            deadline=_deadline(req.consultation_due),
            todo=True,
            source=req,
        )
    return req


def _deadline(day: date | None):
    if day is None:
        return None
    from datetime import datetime
    from datetime import time as dtime

    return timezone.make_aware(datetime.combine(day, dtime(23, 59)))


@_retry_on_lock
def task_request_withdraw(*, actor, request_id: int, comment: str = "") -> TaskRequest:
    """The department takes back its request (before the review)."""
    with transaction.atomic():
        req = _lock(request_id)
        grant = _department_grant(actor, req)
        _transition(
            req,
            actor=actor,
            role=Role.DEPARTMENT_STAFF,
            action=Action.WITHDRAW,
            comment=comment,
            org_name=grant.department_name,
        )
        todos_done(source=req)
    return req


# --------------------------------------------------------------------------------------------- consultation


def _open_review(req: TaskRequest) -> None:
    req.stage_due = workdays.add_workdays(_today(), REVIEW_WORKDAYS)
    req.escalated_at = None
    req.save(update_fields=["stage_due", "escalated_at"])
    todos_done(source=req, kind="admission_opinion")
    notify(
        users=reviewers_of(req),
        kind="admission_review",
        title=f"请审查准入申请“{req.title}”",
        body=f"{req.department.name}的准入申请已完成征求意见，请进行合法性、合理性审查。",
        url=request_url(req),
        deadline=_deadline(req.stage_due),
        todo=True,
        source=req,
    )


def tally(req: TaskRequest) -> dict:
    """Counts of the consultation's answers."""
    rows = list(ConsultationInvite.objects.filter(request=req).values_list("opinion", flat=True))
    return {
        "total": len(rows),
        "agree": rows.count(Opinion.AGREE),
        "disagree": rows.count(Opinion.DISAGREE),
        "pending": rows.count(""),
    }


@_retry_on_lock
def task_request_opinion(
    *, actor, request_id: int, opinion: str, comment: str = "", org_code: str | None = None
) -> TaskRequest:
    """A consulted street or community answers agree/disagree; when the last one answers the review begins."""
    if opinion not in Opinion.values:
        raise DomainError(
            "意见只能是“同意”（agree）或“不同意”（disagree）。", fields={"opinion": "取值不正确。"}
        )
    comment = (comment or "").strip()
    if opinion == Opinion.DISAGREE and not comment:
        raise DomainError("不同意时请说明理由。", fields={"comment": "请说明理由。"})
    if len(comment) > 2000:
        raise DomainError("说明不能超过 2000 字。", fields={"comment": "内容过长。"})
    with transaction.atomic():
        req = _lock(request_id)
        org_ids = opinion_org_ids(actor)
        invites = ConsultationInvite.objects.select_for_update().filter(request=req, org_id__in=org_ids)
        if org_code:
            invites = invites.filter(org__code=org_code)
        invites = list(invites.order_by("org__code"))
        if not invites:
            raise PermissionDeniedError("您所在的街道或社区不在本申请的征求意见范围内。")
        _check(req, Action.OPINION)
        invite = next((i for i in invites if not i.opinion), None)
        if invite is None:
            raise ConflictError("您所在单位已反馈过意见。")
        invite.opinion, invite.comment = opinion, comment
        invite.answered_by, invite.answered_at = actor, timezone.now()
        invite.save(update_fields=["opinion", "comment", "answered_by", "answered_at"])
        org = OrgUnit.objects.get(pk=invite.org_id)
        role = Role.STREET_STAFF if org.level == OrgLevel.STREET else Role.COMMUNITY_STAFF
        label = Opinion(opinion).label
        _history(
            req,
            actor=actor,
            role=role,
            action=Action.OPINION,
            from_status=req.status,
            to_status=req.status,
            comment=f"{label}" + (f"：{comment}" if comment else ""),
            org_name=org.name,
        )
        audit(
            "admission.opinion",
            obj=req,
            actor=actor,
            after={"org": org.code, "opinion": opinion, "comment": comment},
        )
        todos_done(source=req, kind="admission_opinion", user=actor)
        if not ConsultationInvite.objects.filter(request=req, opinion="").exists():
            t = tally(req)
            _transition(
                req,
                actor=None,
                role="system",
                action=Action.CLOSE_CONSULTATION,
                comment=f"全部单位已反馈：同意 {t['agree']}，不同意 {t['disagree']}。",
            )
            _open_review(req)
    return req


@_retry_on_lock
def consultation_close(*, request_id: int, today: date | None = None) -> bool:
    """Close a consultation whose window has passed (scheduled job). Idempotent: False when nothing to do."""
    today = today or _today()
    with transaction.atomic():
        req = _lock(request_id)
        if req.status != Status.CONSULTATION or not req.consultation_due or req.consultation_due >= today:
            return False
        t = tally(req)
        _transition(
            req,
            actor=None,
            role="system",
            action=Action.CLOSE_CONSULTATION,
            comment=f"征求意见期限届满：同意 {t['agree']}，不同意 {t['disagree']}，未反馈 {t['pending']}。",
        )
        _open_review(req)
    return True


# --------------------------------------------------------------------------------------------- review & decision


@_retry_on_lock
def task_request_review(
    *,
    actor,
    request_id: int,
    legality: str,
    reasonableness: str,
    comment: str = "",
    outcome: str | None = None,
) -> TaskRequest:
    """Legality and reasonableness review by the civil-affairs official at the requester's level. Both pass →
    to the approver; a fail returns it to the department or (``outcome="reject"``, the default for an unlawful
    task) rejects it."""
    errors = {}
    if legality not in ReviewResult.values:
        errors["legality"] = "合法性审查结论只能是 pass 或 fail。"
    if reasonableness not in ReviewResult.values:
        errors["reasonableness"] = "合理性审查结论只能是 pass 或 fail。"
    if outcome not in (None, "", "return", "reject"):
        errors["outcome"] = "审查未通过时的处理只能是 return（退回）或 reject（不予准入）。"
    comment = (comment or "").strip()
    failed = ReviewResult.FAIL in (legality, reasonableness)
    if failed and not comment:
        errors["comment"] = "审查未通过时请写明理由。"
    if len(comment) > 2000:
        errors["comment"] = "审查意见不能超过 2000 字。"
    if errors:
        raise DomainError("审查意见不完整或有误。", fields=errors)
    with transaction.atomic():
        req = _lock(request_id)
        grant = review_grant(actor, req)
        if grant is None:
            raise PermissionDeniedError(
                "只有申请部门同级的民政部门可以审查本申请（申请部门不得审查自己的申请）。"
            )
        if not failed:
            action = Action.REVIEW_PASS
        elif outcome == "reject" or (not outcome and legality == ReviewResult.FAIL):
            action = Action.REVIEW_REJECT
        else:
            action = Action.REVIEW_RETURN
        _check(req, action)
        req.review_legality, req.review_reasonableness, req.review_comment = legality, reasonableness, comment
        req.reviewed_by, req.reviewed_at = actor, timezone.now()
        fields = ["review_legality", "review_reasonableness", "review_comment", "reviewed_by", "reviewed_at"]
        if action == Action.REVIEW_REJECT:
            req.status_reason = comment
            fields.append("status_reason")
        text = f"合法性：{ReviewResult(legality).label}；合理性：{ReviewResult(reasonableness).label}" + (
            f"。{comment}" if comment else ""
        )
        _transition(
            req,
            actor=actor,
            role=grant.role,
            action=action,
            comment=text,
            org_name=grant.org_name,
            fields=fields,
        )
        todos_done(source=req, kind="admission_review")
        if action == Action.REVIEW_PASS:
            req.stage_due = min(req.decide_by or _today(), workdays.add_workdays(_today(), REVIEW_WORKDAYS))
            if req.stage_due < _today():
                req.stage_due = workdays.add_workdays(_today(), 1)
            req.escalated_at = None
            req.save(update_fields=["stage_due", "escalated_at"])
            notify(
                users=approvers_of(req),
                kind="admission_decision",
                title=f"请审批准入申请“{req.title}”",
                body="合法性、合理性审查已通过，请作出批准、不予准入或退回的决定。",
                url=request_url(req),
                deadline=_deadline(req.stage_due),
                todo=True,
                source=req,
            )
        else:
            _notify_department_of_outcome(req, comment)
    return req


def _notify_department_of_outcome(req: TaskRequest, comment: str) -> None:
    """Tell the requesting department where its request now stands (returned, rejected …)."""
    notify(
        users=department_staff_of(req),
        kind="admission_result",
        title=f"准入申请“{req.title}”{Status(req.status).label}",
        body=comment,
        url=request_url(req),
        source=req,
    )


def admission_number_next(*, body: ApprovalBody, year: int) -> str:
    """The next admission number of ``body`` in ``year``: the counter row is locked, so numbers are unique and,
    since it is bumped in the approving transaction, gap-free (a rolled-back approval gives its number back)."""
    counter = AdmissionCounter.objects.select_for_update().filter(body=body, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                AdmissionCounter.objects.create(body=body, year=year, last=0)
        except IntegrityError:
            pass  # created by a concurrent approval: lock that row instead
        counter = AdmissionCounter.objects.select_for_update().get(body=body, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_admission_no(body.short_name, year, counter.last)


def format_admission_no(short_name: str, year: int, n: int) -> str:
    return f"{short_name}准〔{year}〕{n}号"


def issuing_body(req: TaskRequest) -> ApprovalBody:
    bodies = {b.kind: b for b in ApprovalBody.objects.filter(org_id=req.requester_org_id)}
    body = bodies.get(ApprovalBodyKind.GOVERNMENT) or bodies.get(ApprovalBodyKind.PARTY)
    if body is None:
        raise DomainError(f"{req.requester_org.name}尚未配置审批机关，无法编号，请联系市民政局管理员。")
    return body


@_retry_on_lock
def task_request_decide(
    *, actor, request_id: int, decision: str, comment: str = "", valid_until: date | None = None
) -> TaskRequest:
    """The approver at the requester's level approves (number, validity, notice), rejects or returns."""
    if decision not in Decision.values:
        raise DomainError(
            "决定只能是 approve（批准）、reject（不予准入）或 return（退回修改）。",
            fields={"decision": "取值不正确。"},
        )
    comment = (comment or "").strip()
    if decision != Decision.APPROVE and not comment:
        raise DomainError("不予准入或退回时请写明理由。", fields={"comment": "请写明理由。"})
    if len(comment) > 2000:
        raise DomainError("审批意见不能超过 2000 字。", fields={"comment": "内容过长。"})
    with transaction.atomic():
        req = _lock(request_id)
        grant = decide_grant(actor, req)
        if grant is None:
            raise PermissionDeniedError(
                "只有申请部门同级的党委或政府审批人可以作出决定（申请部门和审查人不得审批）。"
            )
        action = {
            Decision.APPROVE: Action.APPROVE,
            Decision.REJECT: Action.REJECT,
            Decision.RETURN: Action.RETURN,
        }[decision]
        _check(req, action)
        req.decision_comment, req.decided_by, req.decided_at = comment, actor, timezone.now()
        fields = ["decision_comment", "decided_by", "decided_at"]
        text = comment
        if action == Action.APPROVE:
            if valid_until and (valid_until > req.end_date or valid_until < _today()):
                raise DomainError(
                    "有效期须在今天之后且不晚于事项结束日期。", fields={"valid_until": "有效期不正确。"}
                )
            body = issuing_body(req)
            req.approval_body = body
            req.admission_no = admission_number_next(body=body, year=timezone.localdate().year)
            req.approved_at = timezone.now()
            req.valid_until = valid_until or req.end_date
            req.stage_due = None
            fields += ["approval_body", "admission_no", "approved_at", "valid_until", "stage_due"]
            text = f"准入编号 {req.admission_no}，有效期至 {req.valid_until}。" + comment
        elif action == Action.REJECT:
            req.status_reason = comment
            fields.append("status_reason")
        _transition(
            req,
            actor=actor,
            role=grant.role,
            action=action,
            comment=text,
            org_name=grant.org_name,
            fields=fields,
        )
        todos_done(source=req, kind="admission_decision")
        if action == Action.APPROVE:
            enqueue("admission.tasks.render_notice", args=[req.pk])
            community_ids = list(
                TaskTarget.objects.filter(request=req).values_list("community_id", flat=True)
            )
            notify(
                users=department_staff_of(req) + _users_with(Role.COMMUNITY_STAFF, community_ids),
                kind="admission_result",
                title=f"工作事项“{req.title}”已准入（{req.admission_no}）",
                body=f"有效期至 {req.valid_until}。",
                url=request_url(req),
                source=req,
            )
        else:
            _notify_department_of_outcome(req, comment)
    return req


@_retry_on_lock
def task_request_revoke(*, actor, request_id: int, reason: str) -> TaskRequest:
    """The approver withdraws an admission (撤销); it leaves the lists and verification at once."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("撤销准入须写明理由。", fields={"reason": "请写明撤销理由。"})
    with transaction.atomic():
        req = _lock(request_id)
        if is_own_department(actor, req):
            grant = None
        else:
            grant = _level_grant(actor, req, Role.CITY_APPROVER, Role.DISTRICT_APPROVER)
        if grant is None:
            raise PermissionDeniedError("只有申请部门同级的审批人可以撤销准入。")
        req.revoked_at, req.revoke_reason, req.status_reason = timezone.now(), reason, reason
        _transition(
            req,
            actor=actor,
            role=grant.role,
            action=Action.REVOKE,
            comment=reason,
            org_name=grant.org_name,
            fields=["revoked_at", "revoke_reason", "status_reason"],
        )
        community_ids = list(TaskTarget.objects.filter(request=req).values_list("community_id", flat=True))
        notify(
            users=department_staff_of(req) + _users_with(Role.COMMUNITY_STAFF, community_ids),
            kind="admission_result",
            title=f"工作事项“{req.title}”的准入已撤销（{req.admission_no}）",
            body=reason,
            url=request_url(req),
            source=req,
        )
    return req


@_retry_on_lock
def task_request_expire(*, request_id: int, today: date | None = None) -> bool:
    """Mark an admission past its validity as expired (scheduled job). Idempotent."""
    today = today or _today()
    with transaction.atomic():
        req = _lock(request_id)
        if req.status != Status.APPROVED or not req.valid_until or req.valid_until >= today:
            return False
        _transition(
            req,
            actor=None,
            role="system",
            action=Action.EXPIRE,
            comment=f"有效期至 {req.valid_until}，已到期。",
        )
    return True


# --------------------------------------------------------------------------------------------- attachments


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


# --------------------------------------------------------------------------------------------- scheduled work


def consultations_close_due(*, today: date | None = None) -> int:
    """Close every consultation whose window has passed."""
    today = today or _today()
    ids = list(
        TaskRequest.objects.filter(status=Status.CONSULTATION, consultation_due__lt=today).values_list(
            "pk", flat=True
        )
    )
    return sum(1 for pk in ids if consultation_close(request_id=pk, today=today))


def admissions_expire_due(*, today: date | None = None) -> int:
    """Expire every admission whose validity ended before ``today``."""
    today = today or _today()
    ids = list(
        TaskRequest.objects.filter(status=Status.APPROVED, valid_until__lt=today).values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if task_request_expire(request_id=pk, today=today))


def _stage_users(req: TaskRequest) -> list[User]:
    if req.status == Status.CONSULTATION:
        pending = list(ConsultationInvite.objects.filter(request=req, opinion="").select_related("org"))
        streets = [i.org_id for i in pending if i.org.level == OrgLevel.STREET]
        communities = [i.org_id for i in pending if i.org.level == OrgLevel.COMMUNITY]
        return _users_with(Role.STREET_STAFF, streets) + _users_with(Role.COMMUNITY_STAFF, communities)
    if req.status == Status.REVIEW:
        return reviewers_of(req)
    if req.status == Status.DECISION:
        return approvers_of(req)
    return []


@_retry_on_lock
def _remind_one(*, request_id: int, today: date) -> str:
    with transaction.atomic():
        req = _lock(request_id)
        if req.status not in ACTIVE or not req.stage_due or req.stage_due >= today:
            return ""
        done = ""
        if req.reminded_on != today:
            notify(
                users=_stage_users(req),
                kind="admission_reminder",
                title=f"【逾期】准入申请“{req.title}”（{Status(req.status).label}）已超过办理期限 {req.stage_due}",
                url=request_url(req),
                source=req,
            )
            req.reminded_on = today
            req.save(update_fields=["reminded_on"])
            done = "reminded"
        if (
            req.escalated_at is None
            and workdays.workdays_between(req.stage_due, today) > ESCALATE_AFTER_WORKDAYS
        ):
            above = _users_with(
                Role.CITY_ADMIN, OrgUnit.objects.filter(level=OrgLevel.CITY).values_list("pk", flat=True)
            )
            if req.requester_org.level == OrgLevel.CITY:
                above += _users_with(Role.CITY_APPROVER, [req.requester_org_id])
            notify(
                users=above,
                kind="admission_escalation",
                title=f"【督办】{req.requester_org.name}准入申请“{req.title}”逾期超过 {ESCALATE_AFTER_WORKDAYS} 个工作日",
                body=f"当前环节：{Status(req.status).label}，期限 {req.stage_due}。",
                url=request_url(req),
                todo=True,
                source=req,
            )
            req.escalated_at = timezone.now()
            req.save(update_fields=["escalated_at"])
            _history(
                req,
                actor=None,
                role="system",
                action=Action.ESCALATE,
                from_status=req.status,
                to_status=req.status,
                comment=f"逾期超过 {ESCALATE_AFTER_WORKDAYS} 个工作日，已报上级督办。",
            )
            audit("admission.escalate", obj=req, detail="逾期督办")
            done = "escalated"
        return done


def deadlines_remind_and_escalate(*, today: date | None = None) -> dict:
    """Daily: remind those who let a stage run over, and escalate what is overdue for too long."""
    today = today or _today()
    ids = list(TaskRequest.objects.active().filter(stage_due__lt=today).values_list("pk", flat=True))
    result = {"reminded": 0, "escalated": 0}
    for pk in ids:
        done = _remind_one(request_id=pk, today=today)
        if done:
            result[done] += 1
    return result


def admission_sweep(*, today: date | None = None) -> dict:
    """Everything the scheduled job does, in order."""
    today = today or _today()
    closed = consultations_close_due(today=today)
    expired = admissions_expire_due(today=today)
    deadlines = deadlines_remind_and_escalate(today=today)
    return {"closed": closed, "expired": expired, **deadlines}
