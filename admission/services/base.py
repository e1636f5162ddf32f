"""Shared machinery of the admission writes: the row lock, the table check and the retry on a locked database.

A transition is one ``WORKFLOW.step(req, action, actor=…, context={"role": …, "org_name": …})``: it checks the
table, saves, audits and writes the history row (``HistoryEntry.record``, the workflow's step rows)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from functools import wraps

from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from admission.choices import (
    WORKFLOW,
)
from admission.models import (
    TaskRequest,
)
from portal.errors import NotFoundError
from portal.models import Department, OrgUnit

#: the fields every transition's audit entry shows before and after (declared with the workflow)
AUDIT_FIELDS = WORKFLOW.audit_fields


def _retry_on_lock(func: Callable) -> Callable:
    """Run a transition again when SQLite reports a locked database (the embedded default serialises writers;
    the loser of a race then sees the new state and answers 409)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(60):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc).lower() or attempt == 59:
                    raise
                time.sleep(0.05)
        return None  # pragma: no cover

    return wrapper


def _today() -> date:
    return timezone.localdate()


def _lock(request_id) -> TaskRequest:
    req = TaskRequest.objects.select_for_update().filter(pk=request_id).first()
    if req is None:
        raise NotFoundError("未找到该申请。")
    # Related rows are read after the lock (select_related with FOR UPDATE would lock them too).
    req.department = Department.objects.get(pk=req.department_id)
    req.requester_org = OrgUnit.objects.get(pk=req.requester_org_id)
    return req


def _check(req: TaskRequest, action: str) -> str:
    """The status ``action`` leads to (the workflow table); 409 when it does not allow it from here."""
    return WORKFLOW.check(req, action)


def request_url(req: TaskRequest) -> str:
    return reverse("admission:detail", args=[req.pk])


def _deadline(day: date | None):
    if day is None:
        return None
    from datetime import datetime
    from datetime import time as dtime

    return timezone.make_aware(datetime.combine(day, dtime(23, 59)))
