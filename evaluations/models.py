"""Star rating (评星定级): the yearly scheme, the cycle of assessments, score history, results,
rectification, and the whitelist of appraisals and model-creation campaigns."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from evaluations.choices import (
    ASSESSMENT_WORKFLOW,
    EVALUATION_ROLES,
    RECTIFICATION_WORKFLOW,
    STAGE_EDITOR,
    AppraisalKind,
    AuthorityLevel,
    CycleStatus,
    EvidenceSource,
    IndicatorEffect,
    RectificationStatus,
    SchemeStatus,
    Stage,
)
from portal.choices import Role
from portal.scope import NOTHING, DistrictKeyed, ScopedQuerySet, has_role, is_city_admin, org_q, org_right

REVIEW_ROLES = {Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN}
OFFICIAL_ROLES = {Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN}

#: The right over a district node to order its summary report of a year's results (its civil-affairs
#: official or the city admin): ``OrgUnit.objects.for_user(user, SUMMARY_REPORTS)``.
SUMMARY_REPORTS = org_right("evaluations.summary_report", {Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN})
#: The rights to open evaluations' pages (``portal.scope.require_page_right`` / ``holds_right``): the workbench,
#: the schemes and the rectification list (the staff from community to city), and the city's management of the
#: cycle — editing, publishing and copying schemes, publishing results, editing the whitelist.
WORK_ON_EVALUATIONS = org_right("evaluations.work", EVALUATION_ROLES)
MANAGE_EVALUATIONS = org_right("evaluations.manage", {Role.CITY_ADMIN})


class Scheme(models.Model):
    """The city's yearly evaluation scheme: dimensions → indicators, and the star thresholds.

    Published schemes are locked; next year's scheme starts as a copy (``based_on``)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("方案名称", max_length=200)
    total_points = models.PositiveSmallIntegerField("总分", default=500)
    status = models.CharField("状态", max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="复制自"
    )
    created_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评星定级方案"
        verbose_name_plural = "评星定级方案"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    @property
    def is_locked(self) -> bool:
        return self.status == SchemeStatus.PUBLISHED

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Published schemes are open to every evaluation role; drafts and all writes belong to the city admin."""
        if is_city_admin(user):
            return Q()
        if action == "view" and has_role(user, *REVIEW_ROLES):
            return Q(status=SchemeStatus.PUBLISHED)
        return NOTHING


class Dimension(models.Model):
    """A dimension of the scheme (e.g. 党建引领) with its maximum points."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("维度", max_length=60)
    max_points = models.DecimalField("满分", max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = "评价维度"
        verbose_name_plural = "评价维度"
        ordering = ["scheme", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One scored indicator. ``effect`` can express a veto so that the validation can refuse it by name."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("指标", max_length=120)
    max_points = models.DecimalField("满分", max_digits=6, decimal_places=1)
    guidance = models.TextField("评分指引", blank=True)
    evidence_expected = models.CharField("佐证材料", max_length=300, blank=True)
    evidence_source = models.CharField(
        "平台数据来源", max_length=32, choices=EvidenceSource.choices, blank=True
    )
    effect = models.CharField(
        "计分方式", max_length=16, choices=IndicatorEffect.choices, default=IndicatorEffect.ADD
    )

    class Meta:
        verbose_name = "评价指标"
        verbose_name_plural = "评价指标"
        ordering = ["dimension__order", "order", "id"]

    def __str__(self) -> str:
        return self.name


class StarRule(models.Model):
    """The threshold of one star level: a minimum total and a minimum share of every dimension's maximum."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="star_rules")
    stars = models.PositiveSmallIntegerField("星级")
    min_total = models.DecimalField("总分不低于", max_digits=6, decimal_places=1)
    min_dimension_pct = models.PositiveSmallIntegerField("每个维度得分率不低于（%）", default=0)

    class Meta:
        verbose_name = "星级标准"
        verbose_name_plural = "星级标准"
        ordering = ["scheme", "-stars"]
        constraints = [models.UniqueConstraint(fields=["scheme", "stars"], name="one_rule_per_star")]

    def __str__(self) -> str:
        return f"{self.stars}星：总分≥{self.min_total}，各维度≥{self.min_dimension_pct}%"


class Cycle(models.Model):
    """One year's rating cycle under a published scheme, with the deadline of every stage."""

    scheme = models.OneToOneField(Scheme, on_delete=models.PROTECT, related_name="cycle")
    year = models.PositiveSmallIntegerField("年度", unique=True)
    status = models.CharField("状态", max_length=16, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    self_deadline = models.DateField("社区自评截止")
    street_deadline = models.DateField("街道审核截止")
    district_deadline = models.DateField("区级复核截止")
    city_deadline = models.DateField("市级确认截止")
    started_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("结果发布时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评星周期"
        verbose_name_plural = "评星周期"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度评星定级"

    def deadline_for(self, stage: str):
        deadlines: dict[str, date | None] = {
            Stage.SELF: self.self_deadline,
            Stage.STREET: self.street_deadline,
            Stage.DISTRICT: self.district_deadline,
            Stage.CITY: self.city_deadline,
        }
        return deadlines.get(stage)

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        if is_city_admin(user):
            return Q()
        if action == "view" and has_role(user, *REVIEW_ROLES):
            return Q()
        return NOTHING


class AssessmentQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(stage=Stage.PUBLISHED)


class Assessment(DistrictKeyed):
    """One community's rating in one cycle: scores, stage, and — once published — stars, ranks and marks.

    ``district`` and ``street`` are copied from the org tree when the cycle starts, so that public results
    filter and rank by them without walking the tree."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="assessments")
    community = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="assessments", verbose_name="社区"
    )
    street = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="街道"
    )
    district = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="区"
    )
    stage = models.CharField("环节", max_length=16, choices=Stage.choices, default=Stage.SELF, db_index=True)
    total_score = models.DecimalField("总分", max_digits=6, decimal_places=1, default=0)
    stars = models.PositiveSmallIntegerField("星级", default=0)
    dimension_scores = models.JSONField("各维度得分", default=dict, blank=True)
    self_summary = models.TextField("自评说明", blank=True)
    figures = models.JSONField("平台数据", default=dict, blank=True)
    figures_at = models.DateTimeField("数据获取时间", null=True, blank=True)
    rank_city = models.PositiveIntegerField("全市排名", null=True, blank=True)
    rank_district = models.PositiveIntegerField("全区排名", null=True, blank=True)
    rank_street = models.PositiveIntegerField("街道内排名", null=True, blank=True)
    award = models.BooleanField("评先评优推荐", default=False)
    last_reminded_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    district_org_field = "community"
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "社区评星"
        verbose_name_plural = "社区评星"
        ordering = ["cycle", "community__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "community"], name="one_assessment_per_cycle")
        ]
        indexes = [
            models.Index(fields=["district_code", "community"]),
            models.Index(fields=["cycle", "stage"]),
            models.Index(fields=["cycle", "district", "stage"]),
            models.Index(fields=["stage", "stars"]),
        ]

    def __str__(self) -> str:
        return f"{self.cycle.year}年 {self.community.name}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Community staff see their community, street staff their communities, district and city their area.
        Each action of the assessment workflow is the right of the roles its table names (at any stage: the
        table decides the stage); ``score`` is the right of the current stage's editor."""
        if action == "score":
            q = NOTHING
            for stage, role in STAGE_EDITOR.items():
                q |= Q(stage=stage) & org_q(user, "community", roles={role}, district_field="district_code")
            return q
        if action in ASSESSMENT_WORKFLOW.actions():
            return ASSESSMENT_WORKFLOW.rights_q(user, action, "community", district_field="district_code")
        return org_q(user, "community", roles=REVIEW_ROLES, district_field="district_code")


class Score(models.Model):
    """The current score of one indicator in one assessment (the history is in :class:`ScoreChange`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("得分", max_digits=6, decimal_places=1, null=True, blank=True)
    self_value = models.DecimalField("自评分", max_digits=6, decimal_places=1, null=True, blank=True)
    note = models.CharField("自评说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="one_score_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class ScoreChange(models.Model):
    """Append-only history of every score change: who, at which stage, why, before → after."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("环节", max_length=16, choices=Stage.choices)
    actor = models.ForeignKey("portal.User", null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("操作人", max_length=60)
    before = models.DecimalField("调整前", max_digits=6, decimal_places=1, null=True, blank=True)
    after = models.DecimalField("调整后", max_digits=6, decimal_places=1, null=True, blank=True)
    reason = models.CharField("理由", max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "得分变更记录"
        verbose_name_plural = "得分变更记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.before} → {self.after}"


class StageEvent(models.Model):
    """Append-only history of the assessment's stages (submitted, approved, returned …)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=32)
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    actor = models.ForeignKey("portal.User", null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("操作人", max_length=60)
    comment = models.CharField("意见", max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


def evidence_path(instance, filename: str) -> str:
    return f"evaluations/{instance.assessment.cycle.year}/{instance.assessment.community.code}/{filename}"


class Evidence(models.Model):
    """Evidence for an indicator: an uploaded file or a link to a portal record (e.g. a handled appeal)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to=evidence_path, blank=True)
    link = models.CharField("平台记录链接", max_length=300, blank=True)
    added_by = models.ForeignKey("portal.User", null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title


class Rectification(DistrictKeyed):
    """治理整顿: a community rated without a star gets a plan, a deadline and follow-up."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="rectification")
    community = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="社区"
    )
    status = models.CharField(
        "状态", max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    plan = models.TextField("整改方案", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    district_org_field = "community"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "治理整顿"
        verbose_name_plural = "治理整顿"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district_code", "community"])]

    def __str__(self) -> str:
        return f"{self.community.name} 治理整顿"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Seen by the evaluation roles over the community; each action of the rectification workflow is the
        right of the roles its table names; ``set_deadline`` belongs to the district bureau (or the city)."""
        if action == "set_deadline":
            roles = {Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN}
            return org_q(user, "community", roles=roles, district_field="district_code")
        if action in RECTIFICATION_WORKFLOW.actions():
            return RECTIFICATION_WORKFLOW.rights_q(user, action, "community", district_field="district_code")
        return org_q(user, "community", roles=REVIEW_ROLES, district_field="district_code")


class RectificationNote(models.Model):
    """One follow-up entry of a rectification (progress, inspection, closing)."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="notes")
    text = models.CharField("跟踪记录", max_length=1000)
    actor = models.ForeignKey("portal.User", null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=60)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class AppraisalEntry(models.Model):
    """An appraisal or model-creation campaign communities may take part in, with its mandate.

    Only those required by the central government, ministries, or the city Party committee or government
    are allowed (三（四））; the task check answers ``on_list`` for these and refuses every other."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField(
        "类别", max_length=16, choices=AppraisalKind.choices, default=AppraisalKind.CREATION
    )
    authority = models.CharField("部署机关", max_length=200)
    authority_level = models.CharField("部署层级", max_length=16, choices=AuthorityLevel.choices)
    document_no = models.CharField(
        "文号", max_length=100, blank=True, help_text="不确定时留空，页面显示“文号待核实”。"
    )
    document_title = models.CharField("文件名称", max_length=200, blank=True)
    keywords = models.CharField(
        "匹配关键词",
        max_length=300,
        blank=True,
        help_text="任务核查用的别称，以顿号或逗号分隔，如“文明社区、文明小区”",
    )
    needs_review = models.BooleanField(
        "待市民政局核定", default=False, help_text="平台预置的补充条目，须由市民政局核对后取消勾选。"
    )
    active = models.BooleanField("有效", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评比创建白名单"
        verbose_name_plural = "评比创建白名单"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def document_display(self) -> str:
        return self.document_no or "文号待核实"

    @property
    def terms(self) -> list[str]:
        import re

        extra = [t.strip() for t in re.split(r"[、,，;；\s]+", self.keywords) if t.strip()]
        return [self.name, *extra]

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        if action == "view":
            return Q()
        return Q() if is_city_admin(user) else NOTHING
