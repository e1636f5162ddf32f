"""The append-only audit log."""

from django.db import models
from django.db.models import Q

from portal.choices import Role
from portal.scope import DistrictKeyed, ScopedQuerySet, org_right

#: The right to open the audit log and export it (an org right, ``portal.scope.require_page_right``): the city
#: admin and the district officials (what each sees is ``AuditEntry.scope_q``).
READ_AUDIT = org_right("portal.audit", {Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL})


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit row."""


class AuditQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除。")

    # Bulk updates bypass ``update``; refuse them too.
    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改。")


class AuditEntry(DistrictKeyed):
    """One audited event: a state change, a view of full personal data, a login, a refused access.

    Rows are never changed or deleted: the model refuses it, and on PostgreSQL a trigger refuses it in
    the database too (migration ``0002``).
    """

    class Result(models.TextChoices):
        OK = "ok", "成功"
        DENIED = "denied", "拒绝"
        FAILED = "failed", "失败"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "portal.User",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    role = models.CharField("角色", max_length=32, blank=True)
    org = models.ForeignKey(
        "portal.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip = models.GenericIPAddressField("地址", null=True, blank=True)
    result = models.CharField("结果", max_length=8, choices=Result.choices, default=Result.OK)
    detail = models.CharField("说明", max_length=500, blank=True)

    district_path_field = "org_path"
    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["district_code", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除。")

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Civil-affairs officials browse the log of their own area; nobody may change it."""
        if action != "view":
            return Q(pk__in=[])
        from portal.scope import org_q

        return org_q(
            user,
            path_field="org_path",
            roles={Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL},
            district_field="district_code",
        )
