"""The in-app inbox: to-dos that await a user's action (with deadlines) and plain notices."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.scope import ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    def open_todos(self):
        return self.filter(is_todo=True, done_at__isnull=True)


class Notification(models.Model):
    """One inbox entry. A to-do stays open until the work it asks for is done (``done_at``)."""

    user = models.ForeignKey("portal.User", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类型", max_length=64)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    is_todo = models.BooleanField("待办", default=False)
    deadline = models.DateTimeField("截止时间", null=True, blank=True)
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "is_todo", "done_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(self.deadline and self.done_at is None and self.deadline < timezone.now())

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        return Q(user_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
