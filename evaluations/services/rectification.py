"""Rectification of communities below one star: the plan and its follow-up."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from evaluations.choices import (
    RECTIFICATION_WORKFLOW,
    TODO_RECTIFY,
    RectificationAction,
)
from evaluations.models import (
    Rectification,
    RectificationNote,
)
from evaluations.schemas import FollowUpInput, RectificationPlanInput
from portal.audit import audit
from portal.errors import DomainError
from portal.models import User
from portal.scope import require_right

from .base import _name


def _lock_rectification(actor, rectification_id: int) -> Rectification:
    """The rectification, locked until the transaction ends, if it lies in ``actor``'s scope (else 404, and
    the refusal is audited)."""
    r = RECTIFICATION_WORKFLOW.lock(
        Rectification.objects.select_related("community"),
        not_found="未找到该整改记录，或您无权访问。",
        pk=rectification_id,
    )
    require_right(Rectification, actor, r.pk, "view", "该整改记录")
    return r


def _require(actor, r: Rectification, action: str, denied: str) -> None:
    require_right(Rectification, actor, r.pk, action, "该整改记录", denied=denied)


def rectification_plan_save(
    *, actor: User, rectification_id: int, data: RectificationPlanInput
) -> Rectification:
    """The community (or its street) writes the rectification plan; the district may move the deadline."""
    from portal.services.notifications import todos_done

    plan, deadline = data.plan, data.deadline
    with transaction.atomic():
        r = _lock_rectification(actor, rectification_id)
        step = RECTIFICATION_WORKFLOW.transition(RectificationAction.PLAN)
        to_status = RECTIFICATION_WORKFLOW.check(r, step.action)
        _require(actor, r, step.action, "您不能修改该整改方案。")
        before = {"plan": r.plan, "deadline": r.deadline, "status": r.status}
        if deadline is not None and deadline != r.deadline:
            _require(actor, r, "set_deadline", "整改期限由区民政局确定。")
            if deadline < timezone.localdate():
                raise DomainError("整改期限不能早于今天。", fields={"deadline": "整改期限不能早于今天。"})
            r.deadline = deadline
        r.plan = plan
        r.status = to_status
        r.save()
        audit(
            "evaluation.rectification_plan",
            obj=r,
            before=before,
            after={"plan": r.plan, "deadline": r.deadline, "status": r.status},
        )
        todos_done(source=r, kind=TODO_RECTIFY)
    return r


def rectification_follow_up(*, actor: User, rectification_id: int, data: FollowUpInput) -> Rectification:
    """Street, district or city record the follow-up; the district (or city) closes the rectification."""
    text, close = data.text, data.close
    with transaction.atomic():
        r = _lock_rectification(actor, rectification_id)
        follow = RECTIFICATION_WORKFLOW.transition(RectificationAction.FOLLOW_UP)
        _require(actor, r, follow.action, "跟踪督导由街道、区民政局或市民政局记录。")
        RECTIFICATION_WORKFLOW.check(r, follow.action)
        RectificationNote.objects.create(rectification=r, text=text, actor=actor, actor_name=_name(actor))
        before = r.status
        if close:
            closing = RECTIFICATION_WORKFLOW.transition(RectificationAction.CLOSE)
            to_status = RECTIFICATION_WORKFLOW.check(r, closing.action)
            _require(actor, r, closing.action, "整改验收由区民政局确认。")
            r.status = to_status
            r.closed_at = timezone.now()
            r.save(update_fields=["status", "closed_at"])
        audit(
            "evaluation.rectification_follow_up",
            obj=r,
            before={"status": before},
            after={"status": r.status},
            detail=text[:500],
        )
    return r
