"""Vocabularies of supervision: complaint states and the table of allowed transitions, criticisms,
rectification orders and residents' appeals (the one place that says what may follow what)."""

from django.db import models

# The complaint categories are the API contract (API.md); the task check already names them.
from taskcheck.choices import ComplaintCategory as Category  # noqa: F401


class Status(models.TextChoices):
    SUBMITTED = "submitted", "已提交，待受理"
    INVESTIGATING = "investigating", "已受理，调查核实中"
    DECLINED = "declined", "不予受理"
    UNSUBSTANTIATED = "unsubstantiated", "经查不属实"
    RECTIFYING = "rectifying", "查证属实，督促整改中"
    CLOSED = "closed", "已办结"
    MERGED = "merged", "已并案办理"


class Action(models.TextChoices):
    FILE = "file", "提交投诉"
    ACCEPT = "accept", "受理"
    DECLINE = "decline", "不予受理"
    NOTE = "note", "调查记录"
    REQUEST_STATEMENT = "request_statement", "要求被投诉部门书面说明"
    STATEMENT = "statement", "被投诉部门提交书面说明"
    SUBSTANTIATE = "substantiate", "查证属实"
    UNSUBSTANTIATE = "unsubstantiate", "经查不属实"
    CRITICISM_PUBLISH = "criticism_publish", "发布通报批评"
    RECTIFICATION_REPORT = "rectification_report", "被投诉部门报告整改情况"
    RECTIFICATION_RETURN = "rectification_return", "整改未通过核验，退回重新整改"
    CLOSE = "close", "整改核验通过，办结"
    ESCALATE = "escalate", "整改逾期，报上级督办"
    MERGE = "merge", "并入同一事项办理"
    REOPEN = "reopen", "投诉人申请重新办理"
    RATE = "rate", "投诉人评价"
    STATEMENT_OVERDUE = "statement_overdue", "书面说明逾期未交，已督促"


# (from status, action) → to status. Services refuse anything not listed here with a 409.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.SUBMITTED, Action.ACCEPT): Status.INVESTIGATING,
    (Status.SUBMITTED, Action.DECLINE): Status.DECLINED,
    (Status.SUBMITTED, Action.MERGE): Status.MERGED,
    (Status.INVESTIGATING, Action.MERGE): Status.MERGED,
    (Status.INVESTIGATING, Action.NOTE): Status.INVESTIGATING,
    (Status.INVESTIGATING, Action.REQUEST_STATEMENT): Status.INVESTIGATING,
    (Status.INVESTIGATING, Action.STATEMENT): Status.INVESTIGATING,
    (Status.INVESTIGATING, Action.STATEMENT_OVERDUE): Status.INVESTIGATING,
    (Status.INVESTIGATING, Action.SUBSTANTIATE): Status.RECTIFYING,
    (Status.INVESTIGATING, Action.UNSUBSTANTIATE): Status.UNSUBSTANTIATED,
    (Status.RECTIFYING, Action.NOTE): Status.RECTIFYING,
    (Status.RECTIFYING, Action.CRITICISM_PUBLISH): Status.RECTIFYING,
    (Status.RECTIFYING, Action.RECTIFICATION_REPORT): Status.RECTIFYING,
    (Status.RECTIFYING, Action.RECTIFICATION_RETURN): Status.RECTIFYING,
    (Status.RECTIFYING, Action.ESCALATE): Status.RECTIFYING,
    (Status.RECTIFYING, Action.CLOSE): Status.CLOSED,
    (Status.DECLINED, Action.REOPEN): Status.INVESTIGATING,
    (Status.UNSUBSTANTIATED, Action.REOPEN): Status.INVESTIGATING,
    (Status.CLOSED, Action.REOPEN): Status.INVESTIGATING,
    (Status.DECLINED, Action.RATE): Status.DECLINED,
    (Status.UNSUBSTANTIATED, Action.RATE): Status.UNSUBSTANTIATED,
    (Status.CLOSED, Action.RATE): Status.CLOSED,
}

#: States in which the handling is finished (the complainant may rate, and reopen once within 15 days).
FINISHED = frozenset({Status.DECLINED, Status.UNSUBSTANTIATED, Status.CLOSED})
#: States in which the bureau still has work to do.
OPEN = frozenset({Status.SUBMITTED, Status.INVESTIGATING, Status.RECTIFYING})

#: Actions of the handling bureau a page offers as buttons/forms (the rest are done by others or the system).
HANDLER_ACTIONS = (
    Action.ACCEPT,
    Action.DECLINE,
    Action.NOTE,
    Action.REQUEST_STATEMENT,
    Action.SUBSTANTIATE,
    Action.UNSUBSTANTIATE,
    Action.MERGE,
)


def target(status: str, action: str) -> str | None:
    """The state ``action`` leads to from ``status``, or None when the table does not allow it."""
    return TRANSITIONS.get((status, action))


def allowed_actions(status: str) -> set[str]:
    """Every action the table allows from ``status`` (pages build their buttons from this)."""
    return {a for (s, a) in TRANSITIONS if s == status}


class CriticismStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审批"
    PUBLISHED = "published", "已发布"


class CriticismAction(models.TextChoices):
    DRAFT = "draft", "起草通报"
    SUBMIT = "submit", "提交审批"
    APPROVE = "approve", "批准发布"
    RETURN = "return", "退回修改"


CRITICISM_TRANSITIONS: dict[tuple[str, str], str] = {
    (CriticismStatus.DRAFT, CriticismAction.DRAFT): CriticismStatus.DRAFT,
    (CriticismStatus.DRAFT, CriticismAction.SUBMIT): CriticismStatus.PENDING,
    (CriticismStatus.PENDING, CriticismAction.APPROVE): CriticismStatus.PUBLISHED,
    (CriticismStatus.PENDING, CriticismAction.RETURN): CriticismStatus.DRAFT,
}


class RectificationStatus(models.TextChoices):
    ORDERED = "ordered", "整改中"
    REPORTED = "reported", "已报告整改情况，待核验"
    CLOSED = "closed", "整改完成"


class RectificationAction(models.TextChoices):
    ORDER = "order", "下达督促整改通知"
    REPORT = "report", "报告整改情况"
    VERIFY = "verify", "核验通过"
    RETURN = "return", "核验未通过，退回"
    ESCALATE = "escalate", "逾期报上级督办"


RECTIFICATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (RectificationStatus.ORDERED, RectificationAction.REPORT): RectificationStatus.REPORTED,
    (RectificationStatus.ORDERED, RectificationAction.ESCALATE): RectificationStatus.ORDERED,
    (RectificationStatus.REPORTED, RectificationAction.VERIFY): RectificationStatus.CLOSED,
    (RectificationStatus.REPORTED, RectificationAction.RETURN): RectificationStatus.ORDERED,
}


class AppealCategory(models.TextChoices):
    ENVIRONMENT = "environment", "环境卫生"
    SAFETY = "safety", "安全隐患"
    NEIGHBOURHOOD = "neighbourhood", "邻里纠纷"
    SERVICES = "services", "便民服务"
    FACILITIES = "facilities", "设施维修"
    SUGGESTION = "suggestion", "意见建议"
    OTHER = "other", "其他"


class AppealStatus(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"
    ESCALATED = "escalated", "逾期，已转街道督办"
    CLOSED = "closed", "已评价办结"


class AppealAction(models.TextChoices):
    SUBMIT = "submit", "提交诉求"
    ANSWER = "answer", "答复"
    ESCALATE = "escalate", "逾期转街道"
    RATE = "rate", "居民评价"


APPEAL_TRANSITIONS: dict[tuple[str, str], str] = {
    (AppealStatus.OPEN, AppealAction.ANSWER): AppealStatus.ANSWERED,
    (AppealStatus.OPEN, AppealAction.ESCALATE): AppealStatus.ESCALATED,
    (AppealStatus.ESCALATED, AppealAction.ANSWER): AppealStatus.ANSWERED,
    (AppealStatus.ANSWERED, AppealAction.RATE): AppealStatus.CLOSED,
}

# Deadlines, in working days (and calendar days where the issue says so).
ACCEPT_WORKDAYS = 3  # accept or decline
STATEMENT_WORKDAYS = 5  # the department's written statement
INVESTIGATION_WORKDAYS = 20  # verdict after acceptance
RECTIFICATION_WORKDAYS = 15  # default rectification deadline
APPEAL_WORKDAYS = 5  # community answers a resident's appeal
REOPEN_DAYS = 15  # the complainant may reopen once within 15 days of the outcome
DUPLICATE_DAYS = 30  # likely duplicates: same department, category and community within 30 days
ANON_LIMIT_PER_HOUR = 10

EVIDENCE_MAX_COUNT = 10
