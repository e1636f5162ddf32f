"""Writing the audit log. Every service that changes state calls :func:`audit` in its transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models, transaction

from portal import context
from portal.models import AuditEntry, OrgUnit


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of ``fields`` of ``obj``, ready for ``before``/``after``."""
    return {
        f: _jsonable(getattr(obj, f"{f}_id" if obj._meta.get_field(f).is_relation else f)) for f in fields
    }


def _org_of(obj: models.Model | None) -> OrgUnit | None:
    if obj is None:
        return None
    if isinstance(obj, OrgUnit):
        return obj
    getter = getattr(obj, "audit_org", None)
    if callable(getter):
        return getter()
    for attr in ("org", "community"):
        org = getattr(obj, attr, None)
        if isinstance(org, OrgUnit):
            return org
    return None


def audit(
    action: str,
    *,
    obj: models.Model | None = None,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    result: str = AuditEntry.Result.OK,
    org: OrgUnit | None = None,
    detail: str = "",
    object_repr: str | None = None,
) -> AuditEntry:
    """Append one row to the audit log. The actor and address default to the current request's."""
    ctx = context.current()
    if actor is None:
        actor = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    role = ""
    if actor is not None:
        from portal.scope import user_grants

        grants = user_grants(actor)
        role = ",".join(sorted({g.role for g in grants})) or ("superuser" if actor.is_superuser else "")
        if org is None and _org_of(obj) is None and grants:
            org = OrgUnit(id=grants[0].org_id, path=grants[0].org_path)
    org = org or _org_of(obj)
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=(getattr(actor, "real_name", "") or getattr(actor, "username", "")) if actor else "",
        role=role[:32],
        org_id=org.id if org else None,
        org_path=org.path if org else "",
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr if object_repr is not None else (str(obj) if obj is not None else ""))[:200],
        action=action,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip=ctx.ip,
        result=result,
        detail=detail[:500],
    )


def audit_denied(
    *, obj: models.Model | None = None, action: str = "view", detail: str = "", actor=None
) -> None:
    """Record a refused access (an object outside the user's scope, a missing role).

    A refusal usually ends the caller's transaction with an error, which would roll the row back with it:
    inside a request the row is therefore written when the request ends, outside any transaction.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = {"obj": obj, "action": action, "actor": actor, "detail": detail or "越权访问被拒绝"}
    ctx = context.current()
    if ctx.in_request and transaction.get_connection().in_atomic_block:
        ctx.pending_denials.append(entry)
        return
    _write_denial(**entry)


def _write_denial(*, obj, action, actor, detail) -> None:
    audit(f"denied:{action}", obj=obj, actor=actor, result=AuditEntry.Result.DENIED, detail=detail)


def write_pending_denials(ctx) -> None:
    """Write the refusals a request collected (called by the request middleware at its end)."""
    pending, ctx.pending_denials = ctx.pending_denials, []
    for entry in pending:
        _write_denial(**entry)
