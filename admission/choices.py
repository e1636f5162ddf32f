"""States of a task request and the table of allowed transitions (the one place that says what may follow what)."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    CONSULTATION = "consultation", "征求意见中"
    REVIEW = "review", "合法性合理性审查"
    DECISION = "decision", "待审批"
    APPROVED = "approved", "已准入"
    REJECTED = "rejected", "未予准入"
    RETURNED = "returned", "退回修改"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "已到期"
    REVOKED = "revoked", "已撤销"


class Action(models.TextChoices):
    CREATE = "create", "创建草稿"
    EDIT = "edit", "修改"
    SUBMIT = "submit", "提交申请"
    REJECT_ON_SUBMIT = "reject_on_submit", "负面清单事项，直接不予准入"
    WITHDRAW = "withdraw", "撤回"
    OPINION = "opinion", "反馈意见"
    CLOSE_CONSULTATION = "close_consultation", "征求意见结束"
    REVIEW_PASS = "review_pass", "审查通过"
    REVIEW_RETURN = "review_return", "审查未通过，退回部门"
    REVIEW_REJECT = "review_reject", "审查未通过，不予准入"
    APPROVE = "approve", "批准准入"
    REJECT = "reject", "不予准入"
    RETURN = "return", "退回修改"
    EXPIRE = "expire", "到期"
    REVOKE = "revoke", "撤销准入"
    ESCALATE = "escalate", "逾期督办"


class Opinion(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"


class ReviewResult(models.TextChoices):
    PASS = "pass", "通过"
    FAIL = "fail", "不通过"


class Decision(models.TextChoices):
    APPROVE = "approve", "批准"
    REJECT = "reject", "不予准入"
    RETURN = "return", "退回修改"


class TargetMode(models.TextChoices):
    DISTRICT = "district", "全区（县）"
    STREETS = "streets", "选定街道"
    COMMUNITIES = "communities", "选定社区"
    MIXED = "mixed", "指定范围"


# (from status, action) → to status. Services refuse anything not listed here with a 409.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.RETURNED, Action.EDIT): Status.RETURNED,
    (Status.DRAFT, Action.SUBMIT): Status.CONSULTATION,
    (Status.RETURNED, Action.SUBMIT): Status.CONSULTATION,
    (Status.DRAFT, Action.REJECT_ON_SUBMIT): Status.REJECTED,
    (Status.RETURNED, Action.REJECT_ON_SUBMIT): Status.REJECTED,
    (Status.DRAFT, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.RETURNED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.CONSULTATION, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.CONSULTATION, Action.OPINION): Status.CONSULTATION,
    (Status.CONSULTATION, Action.CLOSE_CONSULTATION): Status.REVIEW,
    (Status.REVIEW, Action.REVIEW_PASS): Status.DECISION,
    (Status.REVIEW, Action.REVIEW_RETURN): Status.RETURNED,
    (Status.REVIEW, Action.REVIEW_REJECT): Status.REJECTED,
    (Status.DECISION, Action.APPROVE): Status.APPROVED,
    (Status.DECISION, Action.REJECT): Status.REJECTED,
    (Status.DECISION, Action.RETURN): Status.RETURNED,
    (Status.APPROVED, Action.EXPIRE): Status.EXPIRED,
    (Status.APPROVED, Action.REVOKE): Status.REVOKED,
}

# States in which someone still has to act (deadlines, reminders and escalation apply).
ACTIVE = frozenset({Status.CONSULTATION, Status.REVIEW, Status.DECISION})
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

# Deadlines, in working days.
CONSULTATION_WORKDAYS = 5  # window for the grassroots' opinions
REVIEW_WORKDAYS = 5  # legality and reasonableness review
DECISION_TOTAL_WORKDAYS = 15  # decision within 15 working days of submission (Xicheng practice)
LEAD_WORKDAYS = 30  # apply 30 working days before the work starts
ESCALATE_AFTER_WORKDAYS = 3  # overdue this long → the level above is told

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 10


def target(status: str, action: str) -> str | None:
    """The state ``action`` leads to from ``status``, or None when the table does not allow it."""
    return TRANSITIONS.get((status, action))
