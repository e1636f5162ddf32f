"""Models of supervision: complaints (投诉) with their append-only steps, the protected identity of the
complainant, evidence, circulated criticisms (通报批评), rectification orders (督促整改) and residents'
appeals (诉求与意见建议)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from portal.choices import Role
from portal.scope import NOTHING, DistrictKeyed, ScopedQuerySet, grants_for, in_subquery, org_q, org_right
from portal.workflow import Workflow
from supervision.choices import (
    APPEAL_WORKFLOW,
    COMPLAINT_WORKFLOW,
    CRITICISM_WORKFLOW,
    HANDLERS,
    RECTIFICATION_WORKFLOW,
    AppealCategory,
    AppealStatus,
    Category,
    CriticismStatus,
    RectificationStatus,
    Status,
)

#: The bureaus that handle complaints: the district civil-affairs bureau, and the city bureau above it.
HANDLER_ROLES = set(HANDLERS)
#: Approvers of a bureau's circulated criticism.
APPROVER_ROLES = {Role.DISTRICT_APPROVER, Role.CITY_APPROVER}

#: The rights to open supervision's list pages (rights over org nodes, ``portal.scope.require_page_right``): the
#: bureau's complaint list and export, the bureau's criticisms (its approvers too), the appeals list, the
#: resident's new-appeal form and the department's page of orders and cases.
HANDLE_COMPLAINTS = org_right("supervision.handle", HANDLER_ROLES)
BUREAU_CRITICISMS = org_right("supervision.criticisms", HANDLER_ROLES | APPROVER_ROLES)
READ_APPEALS = org_right(
    "supervision.appeals",
    {Role.RESIDENT, Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN},
)
SEND_APPEALS = org_right("supervision.appeal_send", {Role.RESIDENT})
ANSWER_FOR_DEPARTMENT = org_right("supervision.department", {Role.DEPARTMENT_STAFF})


class ImmutableError(Exception):
    pass


def departments_of(user) -> list[int]:
    """The departments whose staff ``user`` is (the department staff role's departments)."""
    return [g.department_id for g in grants_for(user, {Role.DEPARTMENT_STAFF}) if g.department_id]


def _table_right(
    user, workflow: Workflow, action: str, org_field: str, *, own: Q, district_field: str | None = None
) -> Q:
    """The right to take the transition ``action`` of ``workflow``: the roles its table names for it, held at
    the row's org (``org_field``) or above; department staff, when the table names them, act on their own
    department's rows only (``own``). A transition naming no roles is the system's (the daily sweep) or the
    complainant's by tracking code, never a user's through the scope. Services ask it (``require_right``) and
    pages offer it (``portal.scope.allowed``), so who may act is read from the table alone."""
    roles = workflow.roles_of(action)
    tree_roles = roles - {Role.DEPARTMENT_STAFF}
    q = NOTHING
    if tree_roles:
        extra = {"district_field": district_field} if district_field else {}
        q = org_q(user, org_field, roles=tree_roles, **extra)
    if Role.DEPARTMENT_STAFF in roles:
        q = (q | own) if tree_roles else own
    return q


class Complaint(DistrictKeyed):
    """A complaint about a department that pushed work onto a community against the policy.

    Who filed it lives apart in :class:`ComplainantIdentity`: this row holds nothing that names the
    complainant, so nothing built from it can leak who complained. Its ``district_code`` is the district of
    the handling bureau (empty for the city bureau), so a district bureau's listing reads its own rows only.
    """

    district_org_field = "handling_org"

    tracking_code = models.CharField("查询码", max_length=32, unique=True)
    category = models.CharField("投诉类别", max_length=32, choices=Category.choices)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name="被投诉部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    department_text = models.CharField("被投诉部门（填写）", max_length=100, blank=True)
    community = models.ForeignKey(
        "portal.OrgUnit",
        verbose_name="涉及社区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    handling_org = models.ForeignKey(
        "portal.OrgUnit",
        verbose_name="办理机关所在层级",
        on_delete=models.PROTECT,
        related_name="handled_complaints",
        help_text="区民政局（区级部门、街道）或市民政局（市级部门）",
    )
    description = models.TextField("投诉内容")
    happened_on = models.DateField("发生时间", null=True, blank=True)
    task_title = models.CharField("涉及事项", max_length=200, blank=True)
    refusal = models.ForeignKey(
        "taskcheck.Refusal",
        verbose_name="拒绝承接登记",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    anonymous = models.BooleanField("匿名投诉", default=False)

    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    accept_due = models.DateField("受理期限", null=True, blank=True)
    decline_reason = models.TextField("不予受理理由", blank=True)
    statement_summary = models.TextField("送被投诉部门的事项摘要", blank=True)
    statement_due = models.DateField("书面说明期限", null=True, blank=True)
    statement_text = models.TextField("被投诉部门书面说明", blank=True)
    statement_at = models.DateTimeField("说明提交时间", null=True, blank=True)
    statement_reminded_on = models.DateField(null=True, blank=True)
    verdict_reason = models.TextField("查证结论及理由", blank=True)
    verdict_at = models.DateTimeField("查证时间", null=True, blank=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name="并入", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    reopened_at = models.DateTimeField("重新办理时间", null=True, blank=True)
    reopen_reason = models.TextField("重新办理理由", blank=True)
    rating = models.PositiveSmallIntegerField("评价", null=True, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "减负投诉"
        verbose_name_plural = "减负投诉"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["department", "category", "created_at"]),
            models.Index(fields=["handling_org", "created_at"]),
            models.Index(fields=["district_code", "created_at"]),
        ]
        # Per-object grants of an on-site verification (指派核查, ``supervision.assignments``): the assignee
        # opens the bureau's page of the complaint (``inspect``) and records a verification note (``note``).
        permissions = [("inspect_complaint", "查看指派核查的投诉"), ("note_complaint", "记录核查情况")]

    def __str__(self) -> str:
        return f"投诉 {self.tracking_code[:6]}…（{self.get_category_display()}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("supervision:detail", args=[self.pk])

    def audit_org(self):
        return self.handling_org

    @property
    def department_name(self) -> str:
        return self.department.name if self.department_id else (self.department_text or "（未填写）")

    @property
    def involves_department(self) -> bool:
        """Whether the department complained about has been asked to act (statement or rectification)."""
        return bool(self.statement_due) or self.status in (Status.RECTIFYING, Status.CLOSED)

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Who sees a complaint: the bureau handling it (and the city above); the complainant; the department
        complained about once it was asked for a statement or ordered to rectify — and only for the view
        that never names the complainant. Only the bureau handles it (``handle``: its pages; ``reveal``);
        each step of the table (``accept``, ``statement`` …) is taken by the roles the table names for it
        (the department's: ``respond``, its own cases it was asked about)."""
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        if action == "respond" or action in COMPLAINT_WORKFLOW.actions():
            dept = departments_of(user)
            respond = Q(department_id__in=dept) & (
                Q(statement_due__isnull=False) | Q(rectification__isnull=False)
            )
            if action == "respond":
                return respond
            return _table_right(
                user, COMPLAINT_WORKFLOW, action, "handling_org", own=respond, district_field="district_code"
            )
        handlers = org_q(user, "handling_org", roles=HANDLER_ROLES, district_field="district_code")
        if action in ("handle", "reveal", "inspect"):
            # ``inspect`` (the bureau's page of the complaint) is the bureau's, and an assigned verifier's
            # through their per-object grant, which ``for_user`` adds.
            return handlers
        # The complainant's own, as a probe by primary key: a join to the identities inside the OR would make
        # the planner read the whole table for a district's bureau.
        q = handlers | in_subquery("pk", ComplainantIdentity.objects.filter(user=user).values("complaint_id"))
        dept = departments_of(user)
        if dept:
            q |= Q(department_id__in=dept) & (Q(statement_due__isnull=False) | Q(rectification__isnull=False))
        return q


class ComplainantIdentity(models.Model):
    """Who filed a complaint. Only the handling bureau may read it, and each reading is audited
    (like an ID number); the contact is encrypted at rest."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="identity")
    user = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("投诉人姓名", max_length=50, blank=True)
    org_name = models.CharField("投诉人单位", max_length=100, blank=True)
    contact_encrypted = models.TextField("联系方式（加密）", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉人身份"
        verbose_name_plural = "投诉人身份"

    def __str__(self) -> str:
        return f"投诉人（{self.complaint_id}）"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        return org_q(user, "complaint__handling_org", roles=HANDLER_ROLES)


class ComplaintEvent(models.Model):
    """One step of a complaint: who (and in which role), when, from which state to which, and why.

    ``public_note`` is what the complainant and the public status page see; ``comment`` stays with the
    bureau. Append-only: rows are never changed or deleted."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    public_note = models.TextField(blank=True)

    class Meta:
        verbose_name = "投诉办理记录"
        verbose_name_plural = "投诉办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("办理记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("办理记录不可删除。")

    @property
    def action_label(self) -> str:
        from supervision.choices import Action

        return Action(self.action).label if self.action in Action.values else self.action


class Evidence(models.Model):
    """A file attached to a complaint (by the complainant or the bureau), checked by content and stored
    outside the web root. Only the bureau downloads it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField(max_length=200)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    by_bureau = models.BooleanField("办理机关上传", default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "投诉证据"
        verbose_name_plural = "投诉证据"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Criticism(models.Model):
    """A circulated criticism (通报批评) of a department after a substantiated complaint: drafted by the
    bureau, approved by the bureau's approver, then published as a notice page and a sealed PDF."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="criticism")
    department = models.ForeignKey(
        "portal.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="criticisms"
    )
    department_name = models.CharField("被通报部门", max_length=100)
    org = models.ForeignKey(
        "portal.OrgUnit", verbose_name="通报机关层级", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("通报内容")
    status = models.CharField(
        "状态", max_length=16, choices=CriticismStatus.choices, default=CriticismStatus.DRAFT
    )
    number = models.CharField("通报文号", max_length=64, unique=True, null=True, blank=True)
    public_code = models.CharField("公开码", max_length=32, unique=True)
    drafted_by = models.ForeignKey("portal.User", null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField("退回意见", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    pdf_file = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "通报批评"
        verbose_name_plural = "通报批评"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_org(self):
        return self.org

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Published criticisms are public; drafts are seen by the bureau and its approvers (``bureau``: the
        bureau's own, drafts and notices, for its list). The steps of the table (the bureau drafts and submits,
        its approvers approve or return) are taken by the roles the table names."""
        if action in CRITICISM_WORKFLOW.actions():
            return _table_right(user, CRITICISM_WORKFLOW, action, "org", own=NOTHING)
        if action == "bureau":
            return org_q(user, "org", roles=HANDLER_ROLES | APPROVER_ROLES)
        if action == "view":
            q = Q(status=CriticismStatus.PUBLISHED)
            if getattr(user, "is_authenticated", False):
                q |= org_q(user, "org", roles=HANDLER_ROLES | APPROVER_ROLES)
            return q
        return org_q(user, "org", roles=HANDLER_ROLES)


class CriticismCounter(models.Model):
    """The last criticism number of one bureau in one year, locked with SELECT … FOR UPDATE (gap-free)."""

    org = models.ForeignKey("portal.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="criticism_counter_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last}"


class Rectification(DistrictKeyed):
    """A rectification order (督促整改) to a department, with a working-day deadline; the department reports
    what it changed, the bureau verifies and closes, or escalates when overdue."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="rectification")
    department = models.ForeignKey(
        "portal.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    department_name = models.CharField("整改部门", max_length=100)
    org = models.ForeignKey("portal.OrgUnit", on_delete=models.PROTECT, related_name="+")
    requirements = models.TextField("整改要求")
    due_date = models.DateField("整改期限", db_index=True)
    status = models.CharField(
        "状态", max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.ORDERED
    )
    report = models.TextField("整改情况报告", blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField("核验意见", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField("按期整改", null=True, blank=True)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "督促整改"
        verbose_name_plural = "督促整改"
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["district_code", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"整改：{self.department_name}（期限 {self.due_date}）"

    def audit_org(self):
        return self.org

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """The bureau that ordered it (``handle``) and the department ordered to rectify see it; the steps of
        the table (the department reports, the bureau verifies or returns) are taken by the roles it names."""
        dept = departments_of(user)
        own = Q(department_id__in=dept) if dept else NOTHING
        if action in RECTIFICATION_WORKFLOW.actions():
            return _table_right(
                user, RECTIFICATION_WORKFLOW, action, "org", own=own, district_field="district_code"
            )
        handlers = org_q(user, "org", roles=HANDLER_ROLES, district_field="district_code")
        if action == "handle":
            return handlers
        return handlers | own


class Appeal(DistrictKeyed):
    """A resident's appeal or suggestion to their own community (诉求与意见建议)."""

    district_org_field = "community"

    community = models.ForeignKey("portal.OrgUnit", on_delete=models.PROTECT, related_name="appeals")
    resident = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="appeals")
    category = models.CharField("类别", max_length=16, choices=AppealCategory.choices)
    text = models.TextField("内容")
    location = models.CharField("位置", max_length=200, blank=True)
    status = models.CharField("状态", max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    due_date = models.DateField("答复期限", db_index=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by_org = models.CharField(max_length=100, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "居民诉求"
        verbose_name_plural = "居民诉求"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["district_code", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"诉求 {self.pk}（{self.get_category_display()}）"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Residents see their own; community staff their community's; the street and district above see
        them too. Community staff answer; the street answers once escalated; the resident rates."""
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        own = Q(resident=user)
        if action == "rate":
            return own
        if action == "answer":
            # The table names community and street staff; the street answers only what was escalated to it.
            return org_q(user, "community", roles={Role.COMMUNITY_STAFF}, district_field="district_code") | (
                Q(status=AppealStatus.ESCALATED)
                & org_q(user, "community", roles={Role.STREET_STAFF}, district_field="district_code")
            )
        if action in APPEAL_WORKFLOW.actions():
            return _table_right(
                user, APPEAL_WORKFLOW, action, "community", own=NOTHING, district_field="district_code"
            )
        return own | org_q(
            user,
            "community",
            roles={Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN},
            district_field="district_code",
        )


class AppealEvent(models.Model):
    """One step of an appeal (append-only)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("办理记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("办理记录不可删除。")

    @property
    def action_label(self) -> str:
        from supervision.choices import AppealAction

        return AppealAction(self.action).label if self.action in AppealAction.values else self.action


class AppealPhoto(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    stored_name = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
