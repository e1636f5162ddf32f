"""Models of the checklists app: versioned lists, their items and legal bases, and the registers of 三(三).

A list set belongs to an org: the city (the base lists, edited by the city admin) or a district (its additions,
edited by the district's civil-affairs official). Every change happens in a draft :class:`ListVersion`; publishing
it makes an immutable numbered version with effective dates and a recorded diff. The current lists of an org are
the items of its latest published version whose ``effective_from`` has come.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from checklists.choices import Category, LegalLevel, ListType, PlaqueKind, Requirement, VersionStatus
from portal.choices import Role
from portal.scope import ScopedQuerySet, org_q, org_right

EDITORS = {Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL}
PLAQUE_ROLES = {*EDITORS, Role.STREET_STAFF, Role.COMMUNITY_STAFF}

#: Rights over an org node (``OrgUnit.objects.for_user(user, …)``): edit the lists and registers of the city
#: (the city admin) or of a district (its civil-affairs official, or the city admin) — roles are tied to their
#: level, so a district official never holds it at the city —; record the plaques of a community.
EDIT_LISTS = org_right("checklists.edit", EDITORS)
RECORD_PLAQUES = org_right("checklists.plaques", PLAQUE_ROLES)


class ListVersion(models.Model):
    """One version of an org's list set (city base lists, or one district's additions)."""

    org = models.ForeignKey(
        "portal.OrgUnit", verbose_name="所属（市/区）", on_delete=models.PROTECT, related_name="list_versions"
    )
    number = models.PositiveIntegerField("版本号", null=True, blank=True, help_text="发布时编号；草稿为空")
    status = models.CharField(
        "状态", max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_until = models.DateField("失效日期", null=True, blank=True, help_text="被下一版本取代的日期")
    note = models.TextField("修订说明", blank=True)
    changes = models.JSONField("变更内容", default=list, blank=True)
    created_by = models.ForeignKey(
        "portal.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_by = models.ForeignKey(
        "portal.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "清单版本"
        verbose_name_plural = "清单版本"
        ordering = ["org__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="checklists_one_number_per_org"),
            models.UniqueConstraint(
                fields=["org"], condition=Q(status="draft"), name="checklists_one_draft_per_org"
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "effective_from"])]

    def __str__(self) -> str:
        label = f"第{self.number}版" if self.number else "草稿"
        return f"{self.org.name}工作事项清单{label}"

    def audit_org(self):
        return self.org

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Published versions are public; drafts and changes belong to the org's editors."""
        editors = org_q(user, "org", roles=EDITORS)
        if action == "view":
            return Q(status=VersionStatus.PUBLISHED) | editors
        return editors


class ListItem(models.Model):
    """One item of one version. ``code`` identifies the item across versions ("A-3", "120103-B-1")."""

    version = models.ForeignKey(
        ListVersion, on_delete=models.CASCADE, related_name="items", verbose_name="版本"
    )
    code = models.CharField("编号", max_length=32)
    list_type = models.CharField("清单", max_length=16, choices=ListType.choices)
    category = models.CharField("类别", max_length=32, choices=Category.choices)
    position = models.PositiveIntegerField("排序", default=0)
    title = models.CharField("事项名称", max_length=200)
    content = models.TextField("事项内容", blank=True)
    department = models.CharField(
        "协助部门", max_length=200, blank=True, help_text="依法协助事项所协助的部门"
    )
    keywords = models.JSONField(
        "同义词/关键词", default=list, blank=True, help_text="供任务核查识别的常见说法"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="checklists_item_code_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def audit_org(self):
        return self.version.org

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        editors = org_q(user, "version__org", roles=EDITORS)
        if action == "view":
            return Q(version__status=VersionStatus.PUBLISHED) | editors
        return editors


class LegalBasis(models.Model):
    """One legal basis of an item: the law, regulation or rule by name, the article, and its rank."""

    item = models.ForeignKey(ListItem, on_delete=models.CASCADE, related_name="bases", verbose_name="事项")
    law = models.CharField("法律法规名称", max_length=200)
    article = models.CharField("条款", max_length=100)
    level = models.CharField("效力层级", max_length=32, choices=LegalLevel.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "法律依据"
        verbose_name_plural = "法律依据"
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return legal_basis_text(self.law, self.article, self.level)


def legal_basis_text(law: str, article: str, level: str) -> str:
    """``《全国人口普查条例》第三条第四款（行政法规）`` — a policy document is shown without book-title marks."""
    label = LegalLevel(level).label if level in LegalLevel.values else level
    if level == LegalLevel.POLICY:
        return f"{law} {article}（{label}）"
    return f"《{law}》{article}（{label}）"


class ListDocument(models.Model):
    """The stored PDF of an org's current lists (district or community), regenerated when the lists change."""

    org = models.OneToOneField("portal.OrgUnit", on_delete=models.CASCADE, related_name="list_document")
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(upload_to="checklists/pdf/")
    generated_at = models.DateTimeField()

    class Meta:
        verbose_name = "清单PDF"
        verbose_name_plural = "清单PDF"

    def __str__(self) -> str:
        return f"{self.org.name} 清单PDF"


# ── Registers of policy 三(三) ─────────────────────────────────────────────────────────────


class LedgerEntry(models.Model):
    """One ledger of a district's ledger catalogue (台账目录清单). A ledger not in the catalogue may be refused."""

    district = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="ledger_entries", verbose_name="区"
    )
    name = models.CharField("台账名称", max_length=200)
    legal_basis = models.CharField("依据", max_length=300)
    merged_from = models.CharField("合并的原台账", max_length=400, blank=True)
    retention = models.CharField("保存期限", max_length=40)
    department = models.CharField("主管部门", max_length=100, blank=True)
    keywords = models.JSONField("关键词", default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "台账目录"
        verbose_name_plural = "台账目录"
        ordering = ["district__code", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_org(self):
        return self.district

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        if action == "view":
            return Q()
        return org_q(user, "district", roles=EDITORS)


class OrganisationEntry(models.Model):
    """An organisation (or post) a community may be asked to set up or join, with the mandate that allows it.

    ``org`` is the city (entries valid city-wide) or a district (its own additions).
    """

    org = models.ForeignKey(
        "portal.OrgUnit",
        on_delete=models.PROTECT,
        related_name="organisation_entries",
        verbose_name="发布机关（市/区）",
    )
    name = models.CharField("组织机构名称", max_length=200)
    requirement = models.CharField("要求", max_length=16, choices=Requirement.choices)
    mandate = models.TextField("职责与要求")
    legal_basis = models.CharField("依据", max_length=300)
    keywords = models.JSONField("关键词", default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "组织机构登记"
        verbose_name_plural = "组织机构登记"
        ordering = ["org__code", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_org(self):
        return self.org

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        if action == "view":
            return Q()
        return org_q(user, "org", roles=EDITORS)


class PlaqueRecord(models.Model):
    """One plaque hanging outside a community's service centre (the inventory of policy 三(三))."""

    community = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="plaques", verbose_name="社区"
    )
    kind = models.CharField("类型", max_length=16, choices=PlaqueKind.choices)
    text = models.CharField("牌子全称", max_length=200)
    requested_by = models.CharField("要求悬挂的单位", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社区挂牌"
        verbose_name_plural = "社区挂牌"
        ordering = ["community__code", "id"]

    def __str__(self) -> str:
        return self.text

    def audit_org(self):
        return self.community

    @property
    def is_standard(self) -> bool:
        return self.kind != PlaqueKind.OTHER

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        if action == "view":
            return Q()
        return org_q(user, "community", roles={*EDITORS, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
