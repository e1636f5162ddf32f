"""Vocabularies of the star rating: scheme and assessment states, the transition table, indicator effects,
and the appraisal whitelist's authorities.
"""

from django.db import models

from portal.choices import Role

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


VETO_EFFECTS = frozenset({IndicatorEffect.ZERO_TOTAL, IndicatorEffect.CAP_STARS, IndicatorEffect.FAIL})


class EvidenceSource(models.TextChoices):
    """Figures the portal already holds, pulled into the self-assessment instead of being typed again."""

    NONE = "", "—"
    ADMITTED_TASKS = "admitted_tasks", "经准入的协助事项（准入系统）"
    CERTIFICATES = "certificates", "证明出具及按时办结（证明系统）"
    REFUSALS = "refusals", "拒绝未准入事项（任务核查）"


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


#: action → (from stage, to stage, role that may take it). Publishing is a cycle-wide step (confirmed → published).
TRANSITIONS: dict[str, tuple[str, str, str]] = {
    Action.SUBMIT: (Stage.SELF, Stage.STREET, Role.COMMUNITY_STAFF),
    Action.STREET_APPROVE: (Stage.STREET, Stage.DISTRICT, Role.STREET_STAFF),
    Action.STREET_RETURN: (Stage.STREET, Stage.SELF, Role.STREET_STAFF),
    Action.DISTRICT_APPROVE: (Stage.DISTRICT, Stage.CITY, Role.DISTRICT_OFFICIAL),
    Action.DISTRICT_RETURN: (Stage.DISTRICT, Stage.STREET, Role.DISTRICT_OFFICIAL),
    Action.CITY_CONFIRM: (Stage.CITY, Stage.CONFIRMED, Role.CITY_ADMIN),
    Action.CITY_RETURN: (Stage.CITY, Stage.DISTRICT, Role.CITY_ADMIN),
}
#: Actions that send work back need a reason.
RETURN_ACTIONS = frozenset({Action.STREET_RETURN, Action.DISTRICT_RETURN, Action.CITY_RETURN})

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


RECTIFICATION_TRANSITIONS = {
    RectificationStatus.OPEN: {RectificationStatus.IN_PROGRESS},
    RectificationStatus.IN_PROGRESS: {RectificationStatus.DONE},
    RectificationStatus.DONE: set(),
}


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
