"""Users, the roles they hold at org nodes, and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.choices import STAFF_ROLES, Role
from portal.scope import DistrictKeyed, ScopedQuerySet

#: Who sees and manages the accounts and roles of their area.
ACCOUNT_MANAGERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL, Role.STREET_STAFF})


class JianfuUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A person using the portal: an official, a community worker or a resident."""

    real_name = models.CharField("真实姓名", max_length=50, blank=True)
    mobile = models.CharField("手机号", max_length=11, blank=True, db_index=True)
    # A resident's mobile number confirmed with a one-time code (MobileCode): until then the account cannot submit
    # applications.
    mobile_verified_at = models.DateTimeField("手机号验证时间", null=True, blank=True)
    # Counts the changes of the account's roles and per-object grants (portal.scope.stamp_access): the cached
    # roles are keyed by it, and it is read with the account on every request, so a revoked role is never
    # served from a cache — whether or not the cache was reachable when it was revoked.
    access_stamp = models.PositiveIntegerField("权限版本", default=0, editable=False)

    objects = JianfuUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def is_portal_staff(self) -> bool:
        """Staff of any government level or community (not the same as Django's ``is_staff``)."""
        from portal.scope import user_grants

        return self.is_superuser or any(g.role in STAFF_ROLES for g in user_grants(self))

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Officials see and manage accounts holding roles inside their scope; everyone sees themselves.

        The accounts come from the role assignments in scope (a district-keyed table, so a district's
        official reads that district's roles only). A manager's own account is among them (their role lies
        at the node it covers), so ``own`` is needed only for everyone else — and no ``OR`` with the
        subquery makes the planner walk the whole user table. Inside districts the accounts are probed by
        primary key (``in_subquery``), so a district's official reads that district's accounts only."""
        from portal.scope import grants_for, in_subquery, org_q, within_districts

        if getattr(user, "is_superuser", False):
            return Q()
        if getattr(user, "is_authenticated", False) and grants_for(user, ACCOUNT_MANAGERS):
            in_scope = RoleAssignment.objects.filter(
                org_q(user, "org", roles=ACCOUNT_MANAGERS, district_field="district_code")
            )
            if within_districts(user, ACCOUNT_MANAGERS):
                return in_subquery("pk", in_scope.values("user_id"))
            return Q(pk__in=in_scope.values("user_id"))
        return Q(pk=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])


class RoleAssignment(DistrictKeyed):
    """A role held by a user at an org node (and, for department staff, in a department)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name="用户")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    org = models.ForeignKey(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="role_assignments", verbose_name="组织"
    )
    department = models.ForeignKey(
        "portal.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name="部门",
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="授予人"
    )
    created_at = models.DateTimeField("授予时间", auto_now_add=True)

    district_org_field = "org"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org", "department"], name="unique_role_grant"),
            models.UniqueConstraint(
                fields=["user", "role", "org"],
                condition=Q(department__isnull=True),
                name="unique_role_grant_no_department",
            ),
        ]
        indexes = [
            models.Index(fields=["role", "org"]),
            models.Index(fields=["district_code", "org"]),
        ]

    def __str__(self) -> str:
        where = self.department.name if self.department_id else self.org.name
        return f"{self.get_role_display()} @ {where}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        from portal.scope import org_q

        return org_q(user, "org", roles=ACCOUNT_MANAGERS, district_field="district_code")


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.user} 的令牌（{self.expires_at:%Y-%m-%d %H:%M} 到期）"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, ttl) -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, key_hash=cls.hash_key(key), expires_at=timezone.now() + ttl)
        return token, key


class MobileCode(models.Model):
    """A one-time code sent by SMS to confirm a user's mobile number. Only its keyed hash is stored; it expires,
    allows a few tries and is used once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name="用户")
    mobile = models.CharField("手机号", max_length=11)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("错误次数", default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.mobile[:3]}****{self.mobile[-4:]} {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Only the user the code was sent to."""
        return Q(user_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
