"""The daily sweep: closing consultations, expiring admissions, reminders and escalation of overdue stages."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from admission.choices import (
    ACTIVE,
    ESCALATE_AFTER_WORKDAYS,
    WORKFLOW,
    Action,
    Status,
)
from admission.models import (
    ConsultationInvite,
    TaskRequest,
)
from portal import workdays
from portal.choices import OrgLevel, Role
from portal.models import OrgUnit, User
from portal.services.notifications import notify

from .base import _lock, _retry_on_lock, _today, request_url
from .decisions import task_request_expire
from .review import consultation_close
from .rights import _users_with, approvers_of, reviewers_of


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
            WORKFLOW.step(
                req,
                Action.ESCALATE,
                actor=None,
                fields=["escalated_at"],
                audit_fields=["escalated_at"],
                comment=f"逾期超过 {ESCALATE_AFTER_WORKDAYS} 个工作日，已报上级督办。",
                context={"role": "system"},
            )
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
