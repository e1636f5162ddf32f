"""Vocabularies of the star rating: scheme and assessment states, the transition table, indicator effects,
and the appraisal whitelist's authorities.
"""

from django.db import models

from portal.choices import Role
from portal.workflow import Transition, Workflow

#: The policy clause every appraisal refusal cites.
CLAUSE = "津民发〔2019〕35号 三（四）"


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布（锁定）"


class IndicatorEffect(models.TextChoices):
    """How an indicator acts on the result. Only ``add`` is allowed: every other effect is a one-vote veto
    (一票否决) in disguise, which 津民发〔2019〕35号 三（四） forbids. They exist so that such a rule can be
    expressed — and then refused by the scheme validation."""

    ADD = "add", "计分（按得分累加）"
    ZERO_TOTAL = "zero_total", "不达标即总分清零"
    CAP_STARS = "cap_stars", "不达标即限定星级"
    FAIL = "fail", "单项不达标即评为不合格"


class EvidenceSource(models.TextChoices):
    """Figures the portal already holds, pulled into the self-assessment instead of being typed again."""

    NONE = "", "—"
    ADMITTED_TASKS = "admitted_tasks", "经准入的协助事项（准入系统）"
    CERTIFICATES = "certificates", "证明出具及按时办结（证明系统）"
    REFUSALS = "refusals", "拒绝未准入事项（任务核查）"
    COMPLAINTS = "complaints", "减负投诉查证情况（投诉系统）"
    APPEALS = "appeals", "居民诉求答复（诉求系统）"


class Stage(models.TextChoices):
    """Where one community's assessment stands in the yearly cycle."""

    SELF = "self", "社区自评"
    STREET = "street", "街道审核"
    DISTRICT = "district", "区级复核"
    CITY = "city", "市级确认"
    CONFIRMED = "confirmed", "已确认待发布"
    PUBLISHED = "published", "已发布"


class Action(models.TextChoices):
    SUBMIT = "submit", "提交自评"
    STREET_APPROVE = "street_approve", "街道审核通过"
    STREET_RETURN = "street_return", "退回社区修改"
    DISTRICT_APPROVE = "district_approve", "区级复核通过"
    DISTRICT_RETURN = "district_return", "退回街道重审"
    CITY_CONFIRM = "city_confirm", "市级确认"
    CITY_RETURN = "city_return", "退回区级复核"


#: The workflow of one community's assessment: stage by stage, each step taken by the role of that level.
#: Publishing is a cycle-wide step (confirmed → published), outside this table.
ASSESSMENT_WORKFLOW = Workflow(
    "evaluations.assessment",
    states=Stage,
    field="stage",
    noun="该评星记录",
    conflict_message="该评星记录当前处于“{status}”环节，不能执行此操作。",
    transitions=[
        Transition(Action.SUBMIT, sources=[Stage.SELF], target=Stage.STREET, roles=[Role.COMMUNITY_STAFF]),
        Transition(
            Action.STREET_APPROVE, sources=[Stage.STREET], target=Stage.DISTRICT, roles=[Role.STREET_STAFF]
        ),
        Transition(
            Action.STREET_RETURN,
            sources=[Stage.STREET],
            target=Stage.SELF,
            roles=[Role.STREET_STAFF],
            needs_reason=True,
        ),
        Transition(
            Action.DISTRICT_APPROVE,
            sources=[Stage.DISTRICT],
            target=Stage.CITY,
            roles=[Role.DISTRICT_OFFICIAL],
        ),
        Transition(
            Action.DISTRICT_RETURN,
            sources=[Stage.DISTRICT],
            target=Stage.STREET,
            roles=[Role.DISTRICT_OFFICIAL],
            needs_reason=True,
        ),
        Transition(
            Action.CITY_CONFIRM, sources=[Stage.CITY], target=Stage.CONFIRMED, roles=[Role.CITY_ADMIN]
        ),
        Transition(
            Action.CITY_RETURN,
            sources=[Stage.CITY],
            target=Stage.DISTRICT,
            roles=[Role.CITY_ADMIN],
            needs_reason=True,
        ),
    ],
)

#: Kept for older callers: action → (from stage, to stage, role that may take it).
TRANSITIONS: dict[str, tuple[str, str, str]] = {
    t.action: (next(iter(t.sources)), t.target or "", next(iter(t.roles)))
    for t in ASSESSMENT_WORKFLOW.transitions
}

#: Who edits the scores at each stage (the reviewer may adjust, always with a reason).
STAGE_EDITOR: dict[str, str] = {
    Stage.SELF: Role.COMMUNITY_STAFF,
    Stage.STREET: Role.STREET_STAFF,
    Stage.DISTRICT: Role.DISTRICT_OFFICIAL,
    Stage.CITY: Role.CITY_ADMIN,
}
#: Stages whose changes must carry a reason (every change after the community's own self-assessment).
REASON_REQUIRED = frozenset({Stage.STREET, Stage.DISTRICT, Stage.CITY})

EVALUATION_ROLES = frozenset(
    {Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN}
)


class CycleStatus(models.TextChoices):
    OPEN = "open", "进行中"
    PUBLISHED = "published", "结果已发布"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "待制定整改方案"
    IN_PROGRESS = "in_progress", "整改中"
    DONE = "done", "已完成整改"


class RectificationAction(models.TextChoices):
    PLAN = "plan", "制定整改方案"
    FOLLOW_UP = "follow_up", "记录跟踪督导"
    CLOSE = "close", "验收整改"


#: The workflow of a rectification: the community (or street) plans, the street, district or city follow up,
#: the district (or city) accepts the result.
RECTIFICATION_WORKFLOW = Workflow(
    "evaluations.rectification",
    states=RectificationStatus,
    noun="该整改",
    transitions=[
        Transition(
            RectificationAction.PLAN,
            sources=[RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS],
            target=RectificationStatus.IN_PROGRESS,
            roles=[Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN],
            refusal="整改已完成，不能修改方案。",
        ),
        Transition(
            RectificationAction.FOLLOW_UP,
            sources=[RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS],
            roles=[Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN],
            refusal="整改已完成。",
        ),
        Transition(
            RectificationAction.CLOSE,
            sources=[RectificationStatus.IN_PROGRESS],
            target=RectificationStatus.DONE,
            roles=[Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN],
            refusal="请先制定整改方案，再验收整改。",
        ),
    ],
)


class AuthorityLevel(models.TextChoices):
    """Who may mandate an appraisal or model-creation campaign for communities (三（四））."""

    CENTRAL = "central", "中央"
    MINISTRY = "ministry", "国家有关部委"
    CITY_PARTY = "city_party", "市委"
    CITY_GOVERNMENT = "city_government", "市政府"


class AppraisalKind(models.TextChoices):
    CREATION = "creation", "示范创建"
    APPRAISAL = "appraisal", "评比达标"


#: Notification kinds (inbox) of this app.
TODO_SELF = "evaluation_self"
TODO_REVIEW = "evaluation_review"
NOTICE_RESULT = "evaluation_result"
TODO_RECTIFY = "evaluation_rectify"
