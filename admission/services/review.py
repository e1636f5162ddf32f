"""Consultation and review: opinions of the streets and communities, the closing of the window, the civil-affairs review."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from admission.assignments import LEGAL_REVIEWER_ACTIONS
from admission.choices import (
    REVIEW_WORKDAYS,
    WORKFLOW,
    Action,
    Opinion,
    ReviewResult,
    Status,
)
from admission.models import ConsultationInvite, TaskRequest
from admission.schemas import LegalOpinionInput
from portal import workdays
from portal.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from portal.scope import require_right
from portal.services import assignments
from portal.services.assignments import AssignInput, UnassignInput
from portal.services.notifications import notify, todos_done

from .base import _check, _deadline, _lock, _retry_on_lock, _today, request_url
from .rights import acting_grant, approvers_of, consulted_as, department_staff_of, reviewers_of


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
        # Every write of the invitations locks the request first; they are locked too, read after it.
        invites = ConsultationInvite.objects.select_for_update().filter(request=req)
        consulted = consulted_as(actor, req, org_code=org_code, invites=invites)
        if not consulted:
            raise PermissionDeniedError("您所在的街道或社区不在本申请的征求意见范围内。")
        _check(req, Action.OPINION)
        answering = next(((g, i) for g, i in consulted if not i.opinion), None)
        if answering is None:
            raise ConflictError("您所在单位已反馈过意见。")
        grant, invite = answering
        invite.opinion, invite.comment = opinion, comment
        invite.answered_by, invite.answered_at = actor, timezone.now()
        invite.save(update_fields=["opinion", "comment", "answered_by", "answered_at"])
        WORKFLOW.step(
            req,
            Action.OPINION,
            actor=actor,
            comment=Opinion(opinion).label + (f"：{comment}" if comment else ""),
            context={"role": grant.role, "org_name": grant.org_name},
            audit_after={"org": grant.org_code, "opinion": opinion, "comment": comment},
            save=False,
        )
        todos_done(source=req, kind="admission_opinion", user=actor)
        if not ConsultationInvite.objects.filter(request=req, opinion="").exists():
            t = tally(req)
            WORKFLOW.step(
                req,
                Action.CLOSE_CONSULTATION,
                actor=None,
                comment=f"全部单位已反馈：同意 {t['agree']}，不同意 {t['disagree']}。",
                context={"role": "system"},
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
        WORKFLOW.step(
            req,
            Action.CLOSE_CONSULTATION,
            actor=None,
            comment=f"征求意见期限届满：同意 {t['agree']}，不同意 {t['disagree']}，未反馈 {t['pending']}。",
            context={"role": "system"},
        )
        _open_review(req)
    return True


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
        grant = acting_grant(actor, req, "review")
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
        WORKFLOW.step(
            req,
            action,
            actor=actor,
            fields=fields,
            comment=text,
            context={"role": grant.role, "org_name": grant.org_name},
        )
        todos_done(source=req, kind="admission_review")
        # The named legal reviewer's work ends with the review: their grants are taken back.
        assignments.end_all(obj=req, actor=actor, reason="审查已完成，合法性审查指派结束")
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


@_retry_on_lock
def task_request_legal_opinion(*, actor, request_id: int, data: LegalOpinionInput) -> TaskRequest:
    """The legal reviewer named for ``request_id`` (a per-object grant, ``admission.assignments``) records their
    opinion while it is under review: a history row (``legal_opinion``) the reviewers read before deciding; the
    request stays under review. Anyone else: 403 (404 when they cannot see it)."""
    require_right(TaskRequest, actor, request_id, "view", "该申请")
    with transaction.atomic():
        req = _lock(request_id)
        grant = acting_grant(actor, req, "legal_review")
        if grant is None:
            raise PermissionDeniedError("只有被指派的合法性审查人可以提交合法性审查意见。")
        WORKFLOW.step(
            req,
            Action.LEGAL_OPINION,
            actor=actor,
            comment=data.opinion,
            context={"role": grant.role, "org_name": grant.org_name},
        )
        notify(
            users=reviewers_of(req),
            kind="admission_legal_opinion",
            title=f"合法性审查人已对“{req.title}”提出意见",
            url=request_url(req),
            source=req,
        )
    return req


def legal_reviewer_assign(*, actor, request_id: int, data: AssignInput):
    """The request's reviewer names a legal reviewer (``admission.assignments``: the core's assignment, checked
    and audited there)."""
    req = TaskRequest.objects.select_related("requester_org").filter(pk=request_id).first()
    if req is None:
        raise NotFoundError("未找到该申请。")
    return assignments.assign(
        actor=actor, obj=req, assignee=data.assignee, actions=LEGAL_REVIEWER_ACTIONS, reason=data.reason
    )


def legal_reviewer_unassign(*, actor, request_id: int, data: UnassignInput):
    """The request's reviewer ends a legal reviewer's assignment; their grants are taken back at once."""
    req = TaskRequest.objects.filter(pk=request_id).first()
    if req is None:
        raise NotFoundError("未找到该申请。")
    return assignments.unassign(actor=actor, assignment=data.assignment, obj=req, reason=data.reason)
