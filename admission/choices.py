"""States of a task request and the table of allowed transitions (the one place that says what may follow what)."""

from django.db import models

from portal.choices import Role
from portal.workflow import Transition, Workflow


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
    LEGAL_OPINION = "legal_opinion", "合法性审查意见"


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


#: The workflow of a task request (the one place that says what may follow what). Services refuse anything
#: not listed here with a 409; pages offer only what it allows from the request's state (``WORKFLOW.offered``).
#: Each row's ``right`` is an action of ``TaskRequest.objects.for_user`` (``TaskRequest.scope_q``): ``edit`` the
#: requesting department's, ``opinion`` a consulted street's or community's, ``review``/``decide``/``revoke``
#: the civil-affairs official's and the approver's at the requester's level. Rows naming no roles are the
#: system's. Every step writes its history row (``HistoryEntry``, declared with ``WORKFLOW.records``).
WORKFLOW = Workflow(
    "admission.task_request",
    audit_prefix="admission.",
    audit_fields=[
        "status_reason",
        "admission_no",
        "valid_until",
        "review_legality",
        "review_reasonableness",
        "reviewed_by",
        "decided_by",
    ],
    states=Status,
    noun="该申请",
    conflict_message="该申请已被他人处理或状态已变化（当前状态：{status}），本次操作未生效，请刷新后查看。",
    transitions=[
        Transition(Action.EDIT, sources=[Status.DRAFT, Status.RETURNED], roles=[Role.DEPARTMENT_STAFF]),
        Transition(
            Action.SUBMIT,
            sources=[Status.DRAFT, Status.RETURNED],
            target=Status.CONSULTATION,
            roles=[Role.DEPARTMENT_STAFF],
            right="edit",
        ),
        Transition(Action.REJECT_ON_SUBMIT, sources=[Status.DRAFT, Status.RETURNED], target=Status.REJECTED),
        Transition(
            Action.WITHDRAW,
            sources=[Status.DRAFT, Status.RETURNED, Status.CONSULTATION],
            target=Status.WITHDRAWN,
            roles=[Role.DEPARTMENT_STAFF],
            right="edit",
        ),
        Transition(
            Action.OPINION, sources=[Status.CONSULTATION], roles=[Role.STREET_STAFF, Role.COMMUNITY_STAFF]
        ),
        Transition(Action.CLOSE_CONSULTATION, sources=[Status.CONSULTATION], target=Status.REVIEW),
        # The legal reviewer the district reviewer named (a per-object grant, ``admission.assignments``) records
        # an opinion while the request is under review; the request stays where it is.
        Transition(Action.LEGAL_OPINION, sources=[Status.REVIEW], right="legal_review", granted=True),
        Transition(
            Action.REVIEW_PASS,
            sources=[Status.REVIEW],
            target=Status.DECISION,
            roles=[Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN],
            right="review",
        ),
        Transition(
            Action.REVIEW_RETURN,
            sources=[Status.REVIEW],
            target=Status.RETURNED,
            roles=[Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN],
            right="review",
            needs_reason=True,
        ),
        Transition(
            Action.REVIEW_REJECT,
            sources=[Status.REVIEW],
            target=Status.REJECTED,
            roles=[Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN],
            right="review",
            needs_reason=True,
        ),
        Transition(
            Action.APPROVE,
            sources=[Status.DECISION],
            target=Status.APPROVED,
            roles=[Role.DISTRICT_APPROVER, Role.CITY_APPROVER],
            right="decide",
        ),
        Transition(
            Action.REJECT,
            sources=[Status.DECISION],
            target=Status.REJECTED,
            roles=[Role.DISTRICT_APPROVER, Role.CITY_APPROVER],
            right="decide",
            needs_reason=True,
        ),
        Transition(
            Action.RETURN,
            sources=[Status.DECISION],
            target=Status.RETURNED,
            roles=[Role.DISTRICT_APPROVER, Role.CITY_APPROVER],
            right="decide",
            needs_reason=True,
        ),
        Transition(Action.EXPIRE, sources=[Status.APPROVED], target=Status.EXPIRED),
        Transition(
            Action.REVOKE,
            sources=[Status.APPROVED],
            target=Status.REVOKED,
            roles=[Role.DISTRICT_APPROVER, Role.CITY_APPROVER],
            needs_reason=True,
        ),
        # The daily sweep tells the level above of a stage overdue for too long (逾期督办); the request stays.
        Transition(Action.ESCALATE, sources=[Status.CONSULTATION, Status.REVIEW, Status.DECISION]),
    ],
)

#: Kept for older callers: the table as ``{(from status, action): to status}``.
TRANSITIONS: dict[tuple[str, str], str] = WORKFLOW.pairs()

# States in which someone still has to act (deadlines, reminders and escalation apply).
ACTIVE = frozenset({Status.CONSULTATION, Status.REVIEW, Status.DECISION})
assert WORKFLOW.transition(Action.ESCALATE).sources == ACTIVE, "escalation applies in the active states"
EDITABLE = WORKFLOW.transition(Action.EDIT).sources

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
    return WORKFLOW.target(status, action)
