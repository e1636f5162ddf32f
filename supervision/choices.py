"""Vocabularies of supervision: complaint states and the table of allowed transitions, criticisms,
rectification orders and residents' appeals (the one place that says what may follow what)."""

from django.db import models

from portal.choices import Role
from portal.workflow import Transition, Workflow

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


HANDLERS = [Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN]


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


S = Status

#: The complaint's table (the one mechanism of the core): pages offer what it allows, services apply it.
COMPLAINT_WORKFLOW = Workflow(
    "supervision.complaint",
    audit_prefix="supervision.",
    audit_fields=["statement_due", "verdict_reason", "merged_into", "rating"],
    states=Status,
    noun="该投诉",
    conflict_message="{noun}已被他人处理或状态已变化（当前状态：{status}），不能{action}，请刷新后查看。",
    transitions=[
        Transition(Action.ACCEPT, sources=[S.SUBMITTED], target=S.INVESTIGATING, roles=HANDLERS),
        Transition(
            Action.DECLINE, sources=[S.SUBMITTED], target=S.DECLINED, roles=HANDLERS, needs_reason=True
        ),
        Transition(Action.MERGE, sources=[S.SUBMITTED, S.INVESTIGATING], target=S.MERGED, roles=HANDLERS),
        Transition(Action.NOTE, sources=[S.INVESTIGATING, S.RECTIFYING], roles=HANDLERS),
        Transition(Action.REQUEST_STATEMENT, sources=[S.INVESTIGATING], roles=HANDLERS),
        Transition(Action.STATEMENT, sources=[S.INVESTIGATING], roles=[Role.DEPARTMENT_STAFF]),
        Transition(Action.STATEMENT_OVERDUE, sources=[S.INVESTIGATING]),
        Transition(Action.SUBSTANTIATE, sources=[S.INVESTIGATING], target=S.RECTIFYING, roles=HANDLERS),
        Transition(
            Action.UNSUBSTANTIATE, sources=[S.INVESTIGATING], target=S.UNSUBSTANTIATED, roles=HANDLERS
        ),
        Transition(
            Action.CRITICISM_PUBLISH,
            sources=[S.RECTIFYING],
            roles=[Role.DISTRICT_APPROVER, Role.CITY_APPROVER],
        ),
        Transition(Action.RECTIFICATION_REPORT, sources=[S.RECTIFYING], roles=[Role.DEPARTMENT_STAFF]),
        Transition(Action.RECTIFICATION_RETURN, sources=[S.RECTIFYING], roles=HANDLERS),
        Transition(Action.ESCALATE, sources=[S.RECTIFYING]),
        Transition(Action.CLOSE, sources=[S.RECTIFYING], target=S.CLOSED, roles=HANDLERS),
        Transition(Action.REOPEN, sources=[S.DECLINED, S.UNSUBSTANTIATED, S.CLOSED], target=S.INVESTIGATING),
        Transition(Action.RATE, sources=[S.DECLINED, S.UNSUBSTANTIATED, S.CLOSED]),
    ],
)

#: States in which the handling is finished (the complainant may rate, and reopen once within 15 days).
FINISHED = frozenset({Status.DECLINED, Status.UNSUBSTANTIATED, Status.CLOSED})
#: States in which the bureau still has work to do.
OPEN = frozenset({Status.SUBMITTED, Status.INVESTIGATING, Status.RECTIFYING})


class CriticismStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审批"
    PUBLISHED = "published", "已发布"


class CriticismAction(models.TextChoices):
    DRAFT = "draft", "起草通报"
    SUBMIT = "submit", "提交审批"
    APPROVE = "approve", "批准发布"
    RETURN = "return", "退回修改"


CRITICISM_WORKFLOW = Workflow(
    "supervision.criticism",
    audit_prefix="supervision.criticism_",
    states=CriticismStatus,
    noun="该通报",
    transitions=[
        Transition(CriticismAction.DRAFT, sources=[CriticismStatus.DRAFT], roles=HANDLERS),
        Transition(
            CriticismAction.SUBMIT,
            sources=[CriticismStatus.DRAFT],
            target=CriticismStatus.PENDING,
            roles=HANDLERS,
        ),
        Transition(
            CriticismAction.APPROVE,
            sources=[CriticismStatus.PENDING],
            target=CriticismStatus.PUBLISHED,
            roles=[Role.DISTRICT_APPROVER, Role.CITY_APPROVER],
        ),
        Transition(
            CriticismAction.RETURN,
            sources=[CriticismStatus.PENDING],
            target=CriticismStatus.DRAFT,
            roles=[Role.DISTRICT_APPROVER, Role.CITY_APPROVER],
            needs_reason=True,
        ),
    ],
)


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


RECTIFICATION_WORKFLOW = Workflow(
    "supervision.rectification",
    audit_prefix="supervision.rectification_",
    states=RectificationStatus,
    noun="该整改通知",
    transitions=[
        Transition(
            RectificationAction.REPORT,
            sources=[RectificationStatus.ORDERED],
            target=RectificationStatus.REPORTED,
            roles=[Role.DEPARTMENT_STAFF],
        ),
        Transition(RectificationAction.ESCALATE, sources=[RectificationStatus.ORDERED]),
        Transition(
            RectificationAction.VERIFY,
            sources=[RectificationStatus.REPORTED],
            target=RectificationStatus.CLOSED,
            roles=HANDLERS,
        ),
        Transition(
            RectificationAction.RETURN,
            sources=[RectificationStatus.REPORTED],
            target=RectificationStatus.ORDERED,
            roles=HANDLERS,
            needs_reason=True,
        ),
    ],
)


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


APPEAL_WORKFLOW = Workflow(
    "supervision.appeal",
    audit_prefix="supervision.appeal_",
    states=AppealStatus,
    noun="该诉求",
    transitions=[
        Transition(
            AppealAction.ANSWER,
            sources=[AppealStatus.OPEN, AppealStatus.ESCALATED],
            target=AppealStatus.ANSWERED,
            roles=[Role.COMMUNITY_STAFF, Role.STREET_STAFF],
        ),
        Transition(AppealAction.ESCALATE, sources=[AppealStatus.OPEN], target=AppealStatus.ESCALATED),
        Transition(
            AppealAction.RATE,
            sources=[AppealStatus.ANSWERED],
            target=AppealStatus.CLOSED,
            roles=[Role.RESIDENT],
        ),
    ],
)

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
