"""Background work: job records that drive progress bars, and the outbox that never loses a task."""

import uuid

from django.db import models
from django.db.models import Q

from portal.scope import DistrictKeyed, ScopedQuerySet


class Job(DistrictKeyed):
    """A long piece of work (a PDF batch, an export, a report) with status and progress for the UI."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=64)
    title = models.CharField("名称", max_length=200, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("进展", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org = models.ForeignKey(
        "portal.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    district_org_field = "org"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district_code", "org"])]

    def __str__(self) -> str:
        return f"{self.title or self.kind} ({self.get_status_display()})"

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """The requester sees the job; officials see jobs of their area."""
        from portal.scope import org_q

        own = Q(requested_by_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
        return own | org_q(
            user, "org", roles={"city_admin", "district_official"}, district_field="district_code"
        )


class OutboxMessage(models.Model):
    """A Celery task accepted by the portal. Written in the same transaction as the work that needs it and
    published after commit; if the broker is down it stays here until the sweeper publishes it.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # The request that accepted the work: sent as a task header, so the worker's log lines carry it.
    request_id = models.CharField(max_length=64, blank=True)
    # Reconciliation (portal.jobs.reconcile): the same piece of work has the same key (task and arguments); the
    # worker running it holds a lease on every row of the key and renews ``heartbeat_at``; ``done_at`` says it
    # finished. A row sent long ago that never started and is no longer in the broker, or one whose worker stopped
    # beating, is published again by the sweep.
    key = models.CharField(max_length=255, blank=True, db_index=True)
    task_id = models.CharField(max_length=64, blank=True)
    holder = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    republished = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "任务发件箱"
        verbose_name_plural = "任务发件箱"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"
