"""Per-object assignments and delegations: the records behind the django-guardian grants of the portal.

The org tree says who may act on everything below a node. What it cannot say — the street official sent to
verify one complaint, the legal reviewer named for one request, the colleague acting for someone on leave —
is an :class:`Assignment` (one object, one assignee, the actions granted) or a :class:`Delegation` (one
colleague standing in for another for some days). The rights themselves are guardian grants made and taken
back by ``portal.services.assignments`` only; each grant it makes is an :class:`AssignmentGrant` row, so
ending an assignment or a delegation takes back exactly what it gave, and a right that another live row
still gives stays.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from portal.choices import STAFF_ROLES
from portal.scope import NOTHING, ScopedQuerySet, org_right

#: The right to open the 我的代理 page (register one's own leave delegation): every staff role.
DELEGATE = org_right("portal.delegate", STAFF_ROLES)


class Assignment(models.Model):
    """One staff user assigned to one object (a complaint to verify, a request to review for legality), with
    the actions of the object's scope they receive (``for_user(assignee, action)`` then includes it)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    assignee = models.ForeignKey(
        "portal.User", verbose_name="被指派人", on_delete=models.PROTECT, related_name="assignments"
    )
    actions = models.JSONField("授予的权限", default=list)
    reason = models.TextField("指派说明", blank=True)
    assigned_by = models.ForeignKey(
        "portal.User", verbose_name="指派人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("指派时间", auto_now_add=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    ended_by = models.ForeignKey(
        "portal.User",
        verbose_name="结束人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    end_reason = models.TextField("结束原因", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指派"
        verbose_name_plural = "指派"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "ended_at"])]
        constraints = [
            # One live assignment of one user to one object: assigning again is a no-op (idempotent).
            models.UniqueConstraint(
                fields=["content_type", "object_id", "assignee"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_live_per_assignee",
            )
        ]

    def __str__(self) -> str:
        return f"指派 {self.content_type_id}:{self.object_id} → {self.assignee_id}"

    @property
    def live(self) -> bool:
        return self.ended_at is None

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """An assignee sees their own assignments; who may end one is decided on its object (the assigning
        right of its app's rule), not here."""
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        return Q(assignee_id=user.pk)


class Delegation(models.Model):
    """A colleague acting for an absent one (休假委托): from ``starts_on`` to ``ends_on`` the delegate receives the
    per-object grants of the absent colleague's open assignments. ``started_at`` is set when those grants were
    given (at once, or by the daily sweep on the first day), ``ended_at`` when they were taken back."""

    from_user = models.ForeignKey(
        "portal.User", verbose_name="委托人", on_delete=models.PROTECT, related_name="delegations_given"
    )
    to_user = models.ForeignKey(
        "portal.User", verbose_name="代理人", on_delete=models.PROTECT, related_name="delegations_received"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    reason = models.TextField("委托事由", blank=True)
    created_by = models.ForeignKey(
        "portal.User", verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    started_at = models.DateTimeField("生效时间", null=True, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    ended_by = models.ForeignKey(
        "portal.User",
        verbose_name="结束人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "休假委托"
        verbose_name_plural = "休假委托"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["ended_at", "ends_on"])]

    def __str__(self) -> str:
        return f"委托 {self.from_user_id} → {self.to_user_id}（{self.starts_on}—{self.ends_on}）"

    @property
    def active(self) -> bool:
        return self.started_at is not None and self.ended_at is None

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Both colleagues see a delegation (``view``); only the one who is away ends it (``end``)."""
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        if action == "end":
            return Q(from_user_id=user.pk)
        if action == "view":
            return Q(from_user_id=user.pk) | Q(to_user_id=user.pk)
        raise ValueError(f"delegations have no right {action!r}")


class AssignmentGrant(models.Model):
    """One guardian grant the assignment service made: ``action`` on the assignment's object to ``user`` —
    the assignee (``delegation`` empty) or a delegate of the assignee (``delegation`` set). ``revoked_at``
    is set when it was taken back; the guardian row itself goes only when no live row still gives it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="grants")
    delegation = models.ForeignKey(
        Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    user = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "指派授权"
        verbose_name_plural = "指派授权"
        indexes = [models.Index(fields=["user", "action", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.action} → {self.user_id}（指派 {self.assignment_id}）"
