"""Write side of the task check: validating a check request and recording a refusal (with its notice)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal.audit import audit, snapshot
from portal.choices import OrgLevel, Role
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.scope import covers, recheck
from taskcheck.choices import REFUSABLE, RULE_CATEGORY, ComplaintCategory
from taskcheck.engine import TaskVerdict, evaluate_task
from taskcheck.models import Refusal

CODE_RE = re.compile(r"^\d{6,12}$")
LIMITS = {"title": 200, "description": 4000, "department": 100, "admission_no": 64}


@dataclass(frozen=True)
class CheckInput:
    """A validated check request."""

    community: object
    title: str
    description: str = ""
    department: str = ""
    admission_no: str = ""


def community_from_code(code) -> object:
    """The community of a code, or a 400 (malformed) / 404 (unknown, or not a community)."""
    from portal.models import OrgUnit

    code = str(code or "").strip()
    if not code:
        raise DomainError("请选择社区。", fields={"community": "请选择社区。"})
    if not CODE_RE.match(code):
        raise DomainError(
            "社区代码格式不正确，应为6至12位数字。", fields={"community": "社区代码格式不正确。"}
        )
    community = OrgUnit.objects.filter(code=code, level=OrgLevel.COMMUNITY).first()
    if community is None:
        raise NotFoundError("未找到该社区，请检查社区代码。", fields={"community": "未找到该社区。"})
    return community


def check_input(*, community, title, description="", department="", admission_no="") -> CheckInput:
    """Clean and validate what a user typed; raises :class:`DomainError` with Chinese field messages."""
    values = {
        "title": str(title or "").strip(),
        "description": str(description or "").strip(),
        "department": str(department or "").strip(),
        "admission_no": str(admission_no or "").strip(),
    }
    if not values["title"]:
        raise DomainError("请填写任务名称。", fields={"title": "请填写任务名称。"})
    fields = {
        name: f"内容过长，最多{limit}个字。" for name, limit in LIMITS.items() if len(values[name]) > limit
    }
    if fields:
        raise DomainError("内容过长，请检查标出的字段。", fields=fields)
    if not hasattr(community, "path"):
        community = community_from_code(community)
    return CheckInput(community=community, **values)


def task_check(*, data: CheckInput) -> TaskVerdict:
    """The verdict for a validated request (the engine; nothing is written)."""
    return evaluate_task(
        title=data.title,
        description=data.description,
        community=data.community,
        department=data.department,
        admission_no=data.admission_no,
    )


def complaint_category_for(verdict: TaskVerdict, text: str = "") -> str:
    if verdict.rule == "appraisal" and "一票否决" in text:
        return ComplaintCategory.ONE_VOTE_VETO
    category = (
        RULE_CATEGORY.get(verdict.rule) or verdict.complaint_category or ComplaintCategory.UNAPPROVED_TASK
    )
    return str(category)


def can_refuse_for(user, community) -> bool:
    """Only the community's own staff refuse in its name."""
    if not (user and user.is_authenticated):
        return False
    return user.is_superuser or covers(user, community, roles={Role.COMMUNITY_STAFF})


def refusal_record(*, actor, data: CheckInput) -> Refusal:
    """Record that the community refuses this task, re-checking it first (the client's verdict is not trusted).

    Raises 403 if the actor is not staff of the community, 400 if the task is on the lists or admitted.
    """
    community = data.community
    if not can_refuse_for(actor, community):
        raise PermissionDeniedError("只有本社区的工作人员可以登记拒绝承接。")
    verdict = task_check(data=data)
    if verdict.verdict not in REFUSABLE:
        raise DomainError(
            f"该事项核查结论为“{verdict.reason}”，属于应当承接的事项，不能登记拒绝。", code="not_refusable"
        )
    now = timezone.localtime()
    with transaction.atomic():
        type(community).objects.select_for_update().filter(pk=community.pk).first()
        seq = Refusal.objects.filter(community=community, created_at__year=now.year).count() + 1
        refusal = Refusal.objects.create(
            community=community,
            notice_no=f"拒告〔{now.year}〕{community.code}-{seq:04d}",
            title=data.title,
            description=data.description,
            department=data.department,
            admission_no=data.admission_no,
            verdict=verdict.verdict,
            rule=verdict.rule,
            reason=verdict.reason,
            clause=verdict.clause or "津民发〔2019〕35号 三（二）",
            complaint_category=complaint_category_for(verdict, f"{data.title}{data.description}"),
            detail={
                "matched_item": verdict.matched_item,
                "admission": verdict.admission,
                "negative_item": verdict.negative_item,
                "evidence": list(verdict.evidence or []),
            },
            created_by=actor,
            created_by_name=getattr(actor, "real_name", "") or actor.get_username(),
        )
        audit(
            "taskcheck.refusal_record",
            obj=refusal,
            actor=actor,
            after=snapshot(
                refusal, ["community", "notice_no", "title", "department", "verdict", "rule", "clause"]
            ),
        )
        recheck(refusal, actor, message="只有本社区的工作人员可以登记拒绝承接。")
    return refusal


def complaint_text(refusal: Refusal) -> str:
    """A prepared complaint the community can file (API.md ``POST /api/v1/complaints``)."""
    department = refusal.department or "（交办部门）"
    day = timezone.localtime(refusal.created_at).strftime("%Y年%m月%d日")
    return (
        f"投诉对象：{department}\n"
        f"投诉类别：{ComplaintCategory(refusal.complaint_category).label}（{refusal.complaint_category}）\n"
        f"投诉内容：{department}要求{refusal.community.name}承担“{refusal.title}”。经平台任务核查，{refusal.reason}"
        f"{refusal.community.name}已于{day}出具拒绝承接告知书（编号{refusal.notice_no}）。"
        f"请依据津民发〔2019〕35号“四、保障措施”予以核查，督促整改。"
    )
