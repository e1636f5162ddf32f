"""Models of the taskcheck app: the refusal register (拒绝承接登记)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.choices import Role
from portal.scope import DistrictKeyed, ScopedQuerySet, org_q, org_right
from taskcheck.choices import ComplaintCategory, Verdict

#: Who sees a community's refusals: its own staff and the street, district and city above it.
VIEW_ROLES = {Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN}
#: The right to open the refusal register (an org right, ``portal.scope.require_page_right``): the same roles.
READ_REFUSALS = org_right("taskcheck.refusals", VIEW_ROLES)


def new_verify_code() -> str:
    return secrets.token_urlsafe(12)


class Refusal(DistrictKeyed):
    """A task a community refused, with the verdict and reason the task check gave (append-only).

    Each row backs one refusal notice (拒绝承接告知书) and counts in the burden figures.
    """

    community = models.ForeignKey(
        "portal.OrgUnit", verbose_name="社区", on_delete=models.PROTECT, related_name="refusals"
    )
    notice_no = models.CharField("告知书编号", max_length=60, unique=True)
    verify_code = models.CharField(
        "核验码", max_length=32, unique=True, default=new_verify_code, editable=False
    )
    title = models.CharField("任务名称", max_length=200)
    description = models.TextField("任务内容", blank=True)
    department = models.CharField("交办部门", max_length=100, blank=True)
    admission_no = models.CharField("所称准入编号", max_length=64, blank=True)
    verdict = models.CharField("核查结论", max_length=16, choices=Verdict.choices)
    rule = models.CharField("判定规则", max_length=32, blank=True)
    reason = models.TextField("拒绝理由")
    clause = models.CharField("政策依据", max_length=100)
    complaint_category = models.CharField(
        "投诉类别",
        max_length=32,
        choices=ComplaintCategory.choices,
        default=ComplaintCategory.UNAPPROVED_TASK,
    )
    detail = models.JSONField("核查详情", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField("经办人姓名", max_length=50, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True, db_index=True)

    district_org_field = "community"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "拒绝承接登记"
        verbose_name_plural = "拒绝承接登记"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "created_at"]),
            models.Index(fields=["district_code", "community"]),
        ]

    def __str__(self) -> str:
        return f"{self.notice_no} {self.title}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Staff see the refusals of communities at or below their node; refusals are never edited."""
        if action != "view":
            return Q(pk__in=[])
        return org_q(user, "community", roles=VIEW_ROLES, district_field="district_code")
