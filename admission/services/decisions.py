"""The approver's decision and what follows it: admission, revocation, expiry."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from admission.choices import (
    WORKFLOW,
    Action,
    Decision,
    Status,
)
from admission.models import (
    TaskRequest,
    TaskTarget,
)
from portal.choices import ApprovalBodyKind, Role
from portal.errors import DomainError, PermissionDeniedError
from portal.jobs import enqueue
from portal.models import ApprovalBody
from portal.services.notifications import notify, todos_done

from .base import _check, _lock, _retry_on_lock, _today, request_url
from .numbers import admission_number_next
from .review import _notify_department_of_outcome
from .rights import _users_with, acting_grant, department_staff_of


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
        grant = acting_grant(actor, req, "decide")
        if grant is None:
            raise PermissionDeniedError(
                "只有申请部门同级的党委或政府审批人可以作出决定（申请部门和审查人不得审批）。"
            )
        actions: dict[str, str] = {
            Decision.APPROVE: Action.APPROVE,
            Decision.REJECT: Action.REJECT,
            Decision.RETURN: Action.RETURN,
        }
        action = actions[decision]
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
        WORKFLOW.step(
            req,
            action,
            actor=actor,
            fields=fields,
            comment=text,
            context={"role": grant.role, "org_name": grant.org_name},
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
        grant = acting_grant(actor, req, "revoke")
        if grant is None:
            raise PermissionDeniedError("只有申请部门同级的审批人可以撤销准入。")
        req.revoked_at, req.revoke_reason, req.status_reason = timezone.now(), reason, reason
        WORKFLOW.step(
            req,
            Action.REVOKE,
            actor=actor,
            fields=["revoked_at", "revoke_reason", "status_reason"],
            comment=reason,
            context={"role": grant.role, "org_name": grant.org_name},
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
        WORKFLOW.step(
            req,
            Action.EXPIRE,
            actor=None,
            comment=f"有效期至 {req.valid_until}，已到期。",
            context={"role": "system"},
        )
    return True
