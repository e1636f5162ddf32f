"""Models of the certificates app: the catalogue, the barred list, applications, certificates and the
seal-use register (三(五) of the 2019 opinion)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from certificates.choices import ApplicationStatus, AttachmentKind, BarredSource
from portal.choices import Role
from portal.scope import NOTHING, DistrictKeyed, ScopedQuerySet, is_city_admin, org_q, org_right

#: The rights to open certificates' pages (rights over org nodes, ``portal.scope.require_page_right`` and
#: ``holds_right``): the online application (residents, from the community they live in), the community's review
#: queue and registers (its staff), the catalogue upkeep (the city admin).
APPLY_ONLINE = org_right("certificates.apply", {Role.RESIDENT})
REVIEW_APPLICATIONS = org_right("certificates.review", {Role.COMMUNITY_STAFF})
KEEP_CATALOGUE = org_right("certificates.catalogue", {Role.CITY_ADMIN})


def _catalogue_scope(user, action: str) -> Q:
    """The catalogue and the barred list are public; only the city civil-affairs admin changes them."""
    if action == "view":
        return Q()
    return Q() if is_city_admin(user) else NOTHING


class CertificateType(models.Model):
    """A certificate a residents' committee issues, with the legal basis that requires it."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    legal_basis = models.TextField(
        "依据", help_text="法律、法规、规章或政策文件及条款；依据未核实的须如实注明。"
    )
    legal_basis_verified = models.BooleanField("法规依据已核实", default=False)
    required_materials = models.JSONField("所需材料", default=list, blank=True)
    eligible_applicants = models.CharField("申请人范围", max_length=300)
    validity_days = models.PositiveIntegerField("有效期（天）", default=90)
    wording_template = models.TextField(
        "证明文字模板",
        help_text="可用占位符：{holder_name} {id_masked} {community} {purpose} {reason} {issue_date} {valid_until}",
    )
    notes = models.TextField("说明", blank=True)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=50)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "证明类型"
        verbose_name_plural = "证明类型"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_basis(self) -> str:
        """The citation the public sees: the first sentence of the legal basis (the reviewers' notes that
        follow it, e.g. 法规依据待核实, are for staff)."""
        text = (self.legal_basis or "").strip()
        head = text.split("。", 1)[0].strip()
        return head if head else text

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        return _catalogue_scope(user, action)


class BarredCertificate(models.Model):
    """A kind of certificate a committee does not issue, and where the resident should go instead."""

    name = models.CharField("证明名称", max_length=100, unique=True)
    keywords = models.CharField("检索词", max_length=300, blank=True, help_text="以顿号或逗号分隔的同义词")
    source = models.CharField("来源", max_length=16, choices=BarredSource.choices)
    agency = models.CharField("责任部门", max_length=200)
    guidance = models.TextField("办理指引")
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=50)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "不予出具的证明"
        verbose_name_plural = "不予出具的证明"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        return _catalogue_scope(user, action)

    @property
    def search_terms(self) -> list[str]:
        import re

        terms = [self.name, self.name.removesuffix("证明")]
        terms += [t.strip() for t in re.split(r"[、，,;；\s]+", self.keywords) if t.strip()]
        return [t for t in terms if t]


class BarredRedirect(models.Model):
    """One time a resident asked for a barred certificate and was pointed to the responsible agency.

    ``community`` is where the request came from when that is known — the resident's registered community,
    or the community page they asked from — so the burden figures count redirects per community."""

    barred = models.ForeignKey(BarredCertificate, on_delete=models.CASCADE, related_name="redirects")
    query = models.CharField("检索内容", max_length=200)
    channel = models.CharField("渠道", max_length=16, default="search")  # search | api | application
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    community = models.ForeignKey(
        "portal.OrgUnit",
        verbose_name="社区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="居民登记的所在社区，或其查询时所在的社区页面；无法确定时为空",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "引导记录"
        verbose_name_plural = "引导记录"

    def __str__(self) -> str:
        return f"{self.barred_id}: {self.query}"


class ApplicationQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.NEED_MORE])


class CertificateApplication(DistrictKeyed):
    """A resident's request for a certificate from their community.

    The ID number is stored only encrypted (``id_number_encrypted``), with a keyed hash for lookups and
    the masked form for display.
    """

    tracking_no = models.CharField("受理编号", max_length=32, unique=True)
    type = models.ForeignKey(
        CertificateType, on_delete=models.PROTECT, related_name="applications", verbose_name="证明类型"
    )
    community = models.ForeignKey(
        "portal.OrgUnit",
        on_delete=models.PROTECT,
        related_name="certificate_applications",
        verbose_name="社区",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificate_applications",
        verbose_name="申请人账号",
    )
    applicant_name = models.CharField("申请人姓名", max_length=50)
    id_number_encrypted = models.TextField()
    id_number_hash = models.CharField(max_length=64, db_index=True)
    id_number_masked = models.CharField("公民身份号码", max_length=18)
    reason = models.TextField("申请事由")
    purpose = models.CharField("证明用途", max_length=200)
    pledge_text = models.TextField("承诺内容")
    pledged_at = models.DateTimeField("承诺时间")
    pledge_ip = models.GenericIPAddressField("承诺地址", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    status_reason = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True, db_index=True)
    submitted_at = models.DateTimeField("提交时间")
    due_at = models.DateTimeField("办理期限")
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核人",
    )

    district_org_field = "community"
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "证明申请"
        verbose_name_plural = "证明申请"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "due_at"]),
            models.Index(fields=["district_code", "community"]),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.type.name}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """The applicant sees their own applications; the staff of the community see and review them."""
        staff = org_q(user, "community", roles={Role.COMMUNITY_STAFF}, district_field="district_code")
        own = Q(applicant_id=user.pk) if getattr(user, "pk", None) else NOTHING
        if action == "view":
            return staff | own
        if action in ("supplement", "withdraw"):
            return own
        return staff  # review, reveal, revoke

    @property
    def holder_name_masked(self) -> str:
        from certificates.personal import mask_name

        return mask_name(self.applicant_name)

    @property
    def is_open(self) -> bool:
        return self.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.NEED_MORE)


class ApplicationEvent(models.Model):
    """One step of an application's timeline (append-only)."""

    application = models.ForeignKey(CertificateApplication, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} → {self.to_status}"

    def action_label(self) -> str:
        from certificates.choices import Action

        return dict(Action.choices).get(self.action, self.action)


class Attachment(models.Model):
    """An uploaded file, checked by content, stored outside the web root under a generated name."""

    application = models.ForeignKey(
        CertificateApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("类别", max_length=24, choices=AttachmentKind.choices)
    original_name = models.CharField("原文件名", max_length=120)
    stored_name = models.CharField(max_length=200, unique=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    round = models.PositiveSmallIntegerField("提交轮次", default=1)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class CertificateCounter(models.Model):
    """The last certificate serial of a community in a year (locked with select_for_update when issuing)."""

    community = models.ForeignKey("portal.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="one_certificate_counter")]

    def __str__(self) -> str:
        return f"{self.community_id}/{self.year}: {self.last_serial}"


class CertificateQuerySet(ScopedQuerySet):
    pass


class Certificate(DistrictKeyed):
    """An issued certificate: number, public verification code, the rendered PDF and its hash."""

    application = models.OneToOneField(
        CertificateApplication, on_delete=models.PROTECT, related_name="certificate"
    )
    type = models.ForeignKey(
        CertificateType, on_delete=models.PROTECT, related_name="+", verbose_name="证明类型"
    )
    community = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="certificates", verbose_name="社区"
    )
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("证明编号", max_length=40, unique=True)
    verify_code = models.CharField("核验码", max_length=32, unique=True)
    holder_name_masked = models.CharField("持有人", max_length=50)
    wording = models.TextField("证明内容")
    issued_at = models.DateTimeField("出具时间")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核人",
    )
    pdf_name = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField("PDF 摘要", max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField("撤销原因", blank=True)

    district_org_field = "community"
    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "证明"
        verbose_name_plural = "证明"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "serial"], name="certificate_serial_unique")
        ]
        indexes = [models.Index(fields=["district_code", "community"])]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        staff = org_q(user, "community", roles={Role.COMMUNITY_STAFF}, district_field="district_code")
        if action == "view":
            own = Q(application__applicant_id=user.pk) if getattr(user, "pk", None) else NOTHING
            return staff | own
        return staff

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def pdf_ready(self) -> bool:
        return bool(self.pdf_sha256)


class SealUse(DistrictKeyed):
    """印章使用登记: one row for every use of the community's seal (append-only)."""

    community = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="社区"
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="seal_uses", verbose_name="证明"
    )
    seal_name = models.CharField("印章名称", max_length=120)
    document = models.CharField("用印文件", max_length=200)
    purpose = models.CharField("用途", max_length=200)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approver_name = models.CharField("批准人", max_length=100)
    used_at = models.DateTimeField("用印时间")

    district_org_field = "community"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "印章使用登记"
        verbose_name_plural = "印章使用登记"
        ordering = ["-used_at", "-id"]
        indexes = [models.Index(fields=["district_code", "community"])]

    def __str__(self) -> str:
        return f"{self.seal_name} · {self.document}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        return org_q(user, "community", roles={Role.COMMUNITY_STAFF}, district_field="district_code")
