"""Models of the admission app: task requests, their targets, the consultation, attachments, the immutable
history, the gap-free number counter and the working-day calendar."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q

from admission.choices import WORKFLOW, Opinion, Status, TargetMode
from portal.choices import Role
from portal.models.calendar import CalendarDay  # noqa: F401 — moved into the core; old import path kept
from portal.scope import NOTHING, DistrictKeyed, ScopedQuerySet, grants_for, org_q, org_right

OFFICIAL_VIEW_ROLES = {Role.CITY_ADMIN, Role.CITY_APPROVER, Role.DISTRICT_OFFICIAL, Role.DISTRICT_APPROVER}

#: The rights to open admission's pages (rights over org nodes, ``portal.scope.require_page_right`` and
#: ``holds_right``): the request list and the inbox — the staff who take part in admission (departments, the
#: bureaus and their approvers, streets, communities) — and the new-request form, a department's staff (the
#: request is made from the department their role names: ``admission.selectors.requester_org_id``).
WORK_ON_REQUESTS = org_right(
    "admission.requests",
    {
        Role.DEPARTMENT_STAFF,
        Role.CITY_ADMIN,
        Role.CITY_APPROVER,
        Role.DISTRICT_OFFICIAL,
        Role.DISTRICT_APPROVER,
        Role.STREET_STAFF,
        Role.COMMUNITY_STAFF,
    },
)
REQUEST_ADMISSION = org_right("admission.request", {Role.DEPARTMENT_STAFF})

#: The acting rights of the officials, each held at the requester's own level: ``(role for a city request, role
#: for a district one)``. ``TaskRequest.scope_q`` builds the right from it, the services name the grant acted
#: under (the role and org the history records) from it.
ACTING_ROLES: dict[str, tuple[str, str]] = {
    "review": (Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL),
    "decide": (Role.CITY_APPROVER, Role.DISTRICT_APPROVER),
    "revoke": (Role.CITY_APPROVER, Role.DISTRICT_APPROVER),
}


def opinion_grants(user) -> list:
    """The grants under which ``user`` answers consultations: street or community staff, each for their own
    org (not those below) — the one rule the right ``opinion`` and the opinion service both read."""
    return grants_for(user, {Role.STREET_STAFF, Role.COMMUNITY_STAFF})


def opinion_org_ids(user) -> set[int]:
    """The streets and communities where ``user`` answers consultations (their own org, not those below)."""
    return {g.org_id for g in opinion_grants(user)}


class PrivateStorage(FileSystemStorage):
    """Attachments and notices live outside the web root (MEDIA_ROOT is never served); downloads go through
    views that check scope. The location follows MEDIA_ROOT at call time (tests move it)."""

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "private" / "admission")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


_PRIVATE = PrivateStorage()


def private_storage() -> FileSystemStorage:
    return _PRIVATE


class TaskRequestQuerySet(ScopedQuerySet):
    def active(self):
        from admission.choices import ACTIVE

        return self.filter(status__in=ACTIVE)

    def currently_valid(self, today):
        """Approved admissions whose validity has not ended (expiry takes effect even before the job runs)."""
        return self.filter(status=Status.APPROVED, valid_until__gte=today)


class TaskRequest(DistrictKeyed):
    """A department's request to have a new task done by communities (准入申请), from draft to admission."""

    title = models.CharField("事项名称", max_length=200)
    description = models.TextField("事项内容")
    legal_basis = models.TextField("依据", blank=True, help_text="法律、法规、规章或文件依据（如有）")
    department = models.ForeignKey(
        "portal.Department", verbose_name="申请部门", on_delete=models.PROTECT, related_name="task_requests"
    )
    requester_org = models.ForeignKey(
        "portal.OrgUnit",
        verbose_name="申请层级",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="部门所属的市或区",
    )
    created_by = models.ForeignKey(
        "portal.User", verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_reason = models.TextField("状态说明", blank=True)

    target_mode = models.CharField(
        "范围类型", max_length=16, choices=TargetMode.choices, default=TargetMode.MIXED
    )
    target_orgs = models.ManyToManyField(
        "portal.OrgUnit", verbose_name="申请范围", related_name="+", blank=True
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    workload_hours_per_month = models.DecimalField("工作量（小时/社区/月）", max_digits=7, decimal_places=1)
    funding_amount = models.DecimalField(
        "经费（元/社区）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    funding_total = models.DecimalField(
        "经费总额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField("经费来源", max_length=200, blank=True)
    working_conditions = models.TextField("提供的工作条件", blank=True)
    purchase_service = models.BooleanField("政府购买服务", default=False)
    service_provider = models.CharField("服务承接方", max_length=200, blank=True)
    service_budget = models.DecimalField(
        "购买服务预算（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    consultation_due = models.DateField("征求意见截止", null=True, blank=True)
    stage_due = models.DateField("当前环节截止", null=True, blank=True, db_index=True)
    decide_by = models.DateField("审批时限", null=True, blank=True)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    review_legality = models.CharField("合法性", max_length=8, blank=True)
    review_reasonableness = models.CharField("合理性", max_length=8, blank=True)
    review_comment = models.TextField("审查意见", blank=True)
    reviewed_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)
    decided_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    approval_body = models.ForeignKey(
        "portal.ApprovalBody",
        verbose_name="审批机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    admission_no = models.CharField("准入编号", max_length=64, unique=True, null=True, blank=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.TextField("撤销理由", blank=True)
    notice_pdf = models.FileField("准入通知书", storage=private_storage, upload_to="notices/", blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    district_org_field = "requester_org"
    objects = TaskRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "工作事项准入申请"
        verbose_name_plural = "工作事项准入申请"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["district_code", "status"]),
            models.Index(fields=["status", "valid_until"]),
            models.Index(fields=["department", "status"]),
        ]
        # The per-object grant of a named legal reviewer (合法性审查人, ``admission.assignments``); they see the
        # request through the default ``view_taskrequest`` granted beside it.
        permissions = [("legal_review_taskrequest", "提出合法性审查意见")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("admission:detail", args=[self.pk])

    def audit_org(self):
        return self.requester_org

    @property
    def is_city_level(self) -> bool:
        return self.requester_org.level == "city"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Who sees a request (``view``): its department's staff; officials and approvers at or above the
        requester's level once it has been submitted; street and community staff it was sent to for
        consultation. The rights the workflow's rows name (``WORKFLOW``, each row's ``right``): ``edit`` — the
        requesting department's staff (edit, submit, withdraw); ``opinion`` — the street or community staff
        whose org was consulted and has not answered yet; ``review``, ``decide`` and ``revoke`` — see
        :meth:`_acting_q`. Seeing a request without the right answers 403, not seeing it 404; any other action
        is an error rather than a right given by accident."""
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        dept_ids = [g.department_id for g in grants_for(user, {Role.DEPARTMENT_STAFF}) if g.department_id]
        if action in ACTING_ROLES:
            return cls._acting_q(user, action, dept_ids)
        if action == "edit":
            return Q(department_id__in=dept_ids) if dept_ids else NOTHING
        if action == "opinion":
            org_ids = opinion_org_ids(user)
            if not org_ids:
                return NOTHING
            pending = ConsultationInvite.objects.filter(org_id__in=org_ids, opinion="")
            return Q(pk__in=pending.values("request_id"))
        if action == "legal_review":
            return NOTHING  # only ever a per-object grant: the legal reviewer named for this request
        if action != "view":
            raise ValueError(f"task requests have no right {action!r}")
        q = Q(department_id__in=dept_ids) if dept_ids else NOTHING
        officials = org_q(user, "requester_org", roles=OFFICIAL_VIEW_ROLES, district_field="district_code")
        if officials is not NOTHING:
            # A draft belongs to its department until it is submitted: never-submitted requests (drafts, and
            # drafts withdrawn before submission) are not shown above the department, nor their attachments.
            q |= officials & ~Q(status=Status.DRAFT) & ~Q(status=Status.WITHDRAWN, submitted_at__isnull=True)
        grass = org_q(user, "org", roles={Role.STREET_STAFF, Role.COMMUNITY_STAFF})
        if grass is not NOTHING:
            q |= Q(pk__in=ConsultationInvite.objects.filter(grass).values("request_id"))
        return q

    @classmethod
    def _acting_q(cls, user, action: str, dept_ids: list[int]) -> Q:
        """``review``: the civil-affairs official at the requester's own level (the city admin for a city
        department, the district official for a district one); ``decide`` and ``revoke``: the approver there
        (:data:`ACTING_ROLES`). A department never reviews, decides or revokes its own request; its author
        neither reviews nor decides it, nor the reviewer decides it."""
        from portal.choices import OrgLevel

        city_role, district_role = ACTING_ROLES[action]
        city_orgs = [g.org_id for g in grants_for(user, {city_role})]
        district_orgs = [g.org_id for g in grants_for(user, {district_role})]
        if not city_orgs and not district_orgs:
            return NOTHING
        at_city = Q(requester_org__level=OrgLevel.CITY)
        q = (at_city & Q(requester_org_id__in=city_orgs)) | (~at_city & Q(requester_org_id__in=district_orgs))
        if action != "revoke":
            q &= ~Q(created_by_id=user.pk)
        if dept_ids:
            q &= ~Q(department_id__in=dept_ids)
        if action == "decide":
            q &= ~Q(reviewed_by_id=user.pk)
        return q


class TaskTarget(models.Model):
    """One community a request targets (resolved from the chosen district, streets or communities)."""

    request = models.ForeignKey(TaskRequest, on_delete=models.CASCADE, related_name="targets")
    community = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="admission_targets"
    )

    class Meta:
        verbose_name = "目标社区"
        verbose_name_plural = "目标社区"
        constraints = [
            models.UniqueConstraint(fields=["request", "community"], name="admission_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.community_id}"


class ConsultationInvite(models.Model):
    """A street or community asked for its opinion on a request (广泛听取基层意见)."""

    request = models.ForeignKey(TaskRequest, on_delete=models.CASCADE, related_name="invites")
    org = models.ForeignKey("portal.OrgUnit", on_delete=models.PROTECT, related_name="admission_invites")
    opinion = models.CharField("意见", max_length=8, choices=Opinion.choices, blank=True)
    comment = models.TextField("说明", blank=True)
    answered_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["org__code"]
        constraints = [models.UniqueConstraint(fields=["request", "org"], name="admission_invite_unique")]
        indexes = [models.Index(fields=["org", "opinion"])]

    def __str__(self) -> str:
        return f"{self.request_id} @ {self.org_id}: {self.opinion or 'pending'}"


class Attachment(models.Model):
    """A file attached to a request (PDF or image), stored outside the web root."""

    request = models.ForeignKey(TaskRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="attachments/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("portal.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ImmutableError(Exception):
    pass


class HistoryEntry(models.Model):
    """One transition of a request: who (and in which role), when, from which state to which, and why.
    Append-only: rows are never changed or deleted."""

    request = models.ForeignKey(TaskRequest, on_delete=models.PROTECT, related_name="history")
    actor = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=32, blank=True)
    org_name = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("办理记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("办理记录不可删除。")

    @classmethod
    def record(
        cls,
        req: TaskRequest,
        *,
        action: str,
        from_state: str,
        to_state: str,
        actor=None,
        comment: str = "",
        role: str = "",
        org_name: str = "",
    ) -> HistoryEntry:
        """Write one row of a request's history — the one place that does: every step of the workflow
        (``WORKFLOW.step`` calls it, given the role and org acted under), and the rows outside the table
        (creation, escalation) through the services; edits and opinions are steps. No actor: the system."""
        return cls.objects.create(
            request=req,
            actor=actor,
            actor_name=(actor.display_name if actor else "系统"),
            role=role,
            org_name=org_name,
            action=action,
            from_status=from_state,
            to_status=to_state,
            comment=comment[:2000],
        )


WORKFLOW.records(HistoryEntry.record)


class AdmissionCounter(models.Model):
    """The last admission number issued by one body in one year; locked with SELECT … FOR UPDATE so that
    numbers are unique and gap-free."""

    body = models.ForeignKey("portal.ApprovalBody", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "准入编号计数器"
        verbose_name_plural = "准入编号计数器"
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="admission_counter_unique")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"
