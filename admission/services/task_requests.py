"""A department's side of a request: create and edit the draft, submit it, withdraw it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from admission.choices import (
    CONSULTATION_WORKDAYS,
    DECISION_TOTAL_WORKDAYS,
    LEAD_WORKDAYS,
    WORKFLOW,
    Action,
    Status,
)
from admission.models import (
    ConsultationInvite,
    HistoryEntry,
    TaskRequest,
)
from admission.schemas import TaskRequestInput
from portal import history, workdays
from portal.audit import audit, snapshot
from portal.choices import Role
from portal.errors import DomainError, PermissionDeniedError
from portal.models import OrgUnit, User
from portal.scope import grants_for, recheck
from portal.services.notifications import notify, todos_done

from .base import _check, _deadline, _lock, _retry_on_lock, _today, request_url
from .inputs import _set_targets, targets_of
from .rights import _department_grant, _users_with


@_retry_on_lock
def task_request_create(*, actor: User, data: TaskRequestInput) -> TaskRequest:
    """Save a new draft for the actor's department."""
    staffed = [(g, g.department_id) for g in grants_for(actor, {Role.DEPARTMENT_STAFF}) if g.department_id]
    if not staffed:
        raise PermissionDeniedError("只有市、区职能部门的工作人员可以提出准入申请。")
    grant, department_id = staffed[0]
    requester_org = OrgUnit.objects.get(pk=grant.org_id)
    targets = targets_of(data, requester_org=requester_org)
    with transaction.atomic():
        req = TaskRequest.objects.create(
            department_id=department_id,
            requester_org=requester_org,
            created_by=actor,
            status=Status.DRAFT,
            **data.stored(),
        )
        _set_targets(req, targets)
        HistoryEntry.record(
            req,
            actor=actor,
            role=Role.DEPARTMENT_STAFF,
            action=Action.CREATE,
            from_state="",
            to_state=Status.DRAFT,
            org_name=grant.department_name,
        )
        audit(
            "admission.create", obj=req, actor=actor, after=snapshot(req, ["title", "status", "department"])
        )
        recheck(req, actor, message="保存后的申请超出您的权限范围。")
    return req


#: what an edit's audit entry shows before and after (besides the workflow's fields)
EDIT_AUDIT_FIELDS = ["title", "description", "start_date", "end_date", "funding_amount", "funding_source"]


@_retry_on_lock
def task_request_update(*, actor: User, request_id: int, data: TaskRequestInput) -> TaskRequest:
    """Change a draft (or a returned request) of the actor's department."""
    with transaction.atomic():
        req = _lock(request_id)
        grant = _department_grant(actor, req)
        _check(req, Action.EDIT)
        targets = targets_of(data, requester_org=req.requester_org)
        stored = data.stored()
        for k, v in stored.items():
            setattr(req, k, v)
        # The step saves the draft and writes its audit entry (before read from the locked row) and history row.
        WORKFLOW.step(
            req,
            Action.EDIT,
            actor=actor,
            fields=list(stored),
            context={"role": Role.DEPARTMENT_STAFF, "org_name": grant.department_name},
            audit_fields=EDIT_AUDIT_FIELDS,
        )
        _set_targets(req, targets)
        recheck(req, actor, message="保存后的申请超出您的权限范围。")
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
            WORKFLOW.step(
                req,
                Action.REJECT_ON_SUBMIT,
                actor=actor,
                fields=["status_reason"],
                comment=reason,
                context={"role": Role.DEPARTMENT_STAFF, "org_name": grant.department_name},
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
        WORKFLOW.step(
            req,
            Action.SUBMIT,
            actor=actor,
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
            context={"role": Role.DEPARTMENT_STAFF, "org_name": grant.department_name},
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


@_retry_on_lock
def task_request_withdraw(*, actor, request_id: int, comment: str = "") -> TaskRequest:
    """The department takes back its request (before the review)."""
    with transaction.atomic():
        req = _lock(request_id)
        grant = _department_grant(actor, req)
        WORKFLOW.step(
            req,
            Action.WITHDRAW,
            actor=actor,
            comment=comment,
            context={"role": Role.DEPARTMENT_STAFF, "org_name": grant.department_name},
        )
        todos_done(source=req)
    return req
