"""History that nothing escapes: every change to every model of the project leaves a row with who, when,
before and after (django-simple-history).

Every model of the project's apps is registered when the core starts (:func:`register_all`), so a model added
later — in any app — is tracked without anyone remembering to: its historical table comes with
``makemigrations``. Saves and deletes anywhere (services, the Django admin, the shell) write history through
model signals; bulk operations go through :func:`bulk_create` / :func:`bulk_update` here, which write the
history rows in the same transaction. ``QuerySet.update()`` writes no history: use it only for the technical
fields listed in ``UNTRACKED`` or in a model that is not tracked.

Business events that are not a change of a row (refusals, reveals of personal data, downloads, logins) stay
with :func:`portal.audit.audit`; the audit log itself is append-only and is not tracked here.

Not tracked, on purpose:

* ``portal.AuditEntry`` — the append-only audit log (the database refuses updates and deletes);
* ``portal.Job``, ``portal.OutboxMessage``, ``portal.Notification`` — delivery state of background work and
  messages (progress counters, retry counts), rewritten many times a second; what they carry is audited
  where it happens;
* ``admission.AdmissionCounter``, ``certificates.CertificateCounter`` — gap-free number counters, locked and
  incremented in the database (``F() + 1``); every number they give is kept on the request or certificate,
  which are tracked.

Fields never copied into history: passwords (hashes of old passwords are no one's business), and the derived
``district_code`` of the district-keyed tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.db import models

from portal.caching import bump_for

#: The apps whose models are tracked: the core and every domain app (every app whose code lives here).
#: The manager every tracked model gets (``obj.change_history``); not ``history``, which some models already
#: use for their own workflow history (``TaskRequest.history``).
MANAGER = "change_history"

#: a tracked model (``bulk_create`` gives back the objects it was given, typed as they were)
M = TypeVar("M", bound=models.Model)

NOT_TRACKED = {
    "portal.AuditEntry",
    "portal.Job",
    "portal.OutboxMessage",
    "portal.Notification",
    "admission.AdmissionCounter",
    "certificates.CertificateCounter",
}
EXCLUDED_FIELDS = {"portal.User": ["password", "last_login"], "portal.MobileCode": ["code_hash"]}
#: Derived columns never copied into history: ``district_code`` of the district-keyed tables follows the row's
#: org (portal.scope.DistrictKeyed) and is rewritten without history when an org unit moves.
DERIVED_FIELDS: dict = {}


def _current_user(instance=None, request=None, **kwargs):
    if request is not None and getattr(request.user, "is_authenticated", False):
        return request.user
    from portal import context

    user = context.current().user
    return user if getattr(user, "is_authenticated", False) else None


def project_apps() -> list:
    """The apps whose code lives in this repository (a folder directly under BASE_DIR)."""
    from pathlib import Path

    base = Path(settings.BASE_DIR).resolve()
    return [cfg for cfg in apps.get_app_configs() if Path(cfg.path).resolve().parent == base]


def register_all() -> None:
    """Register every concrete model of the project's apps with django-simple-history (once)."""
    from simple_history import register
    from simple_history.models import HistoricalChanges

    from portal.scope import DistrictKeyed

    for cfg in project_apps():
        for model in list(cfg.get_models()):
            DERIVED_FIELDS[model] = ["district_code"] if issubclass(model, DistrictKeyed) else []
            label = model._meta.label
            if (
                label in NOT_TRACKED
                or issubclass(model, HistoricalChanges)
                or model._meta.proxy
                or hasattr(model._meta, "simple_history_manager_attribute")
            ):
                continue
            register(
                model,
                app=cfg.label,
                manager_name=MANAGER,
                excluded_fields=EXCLUDED_FIELDS.get(label, []) + DERIVED_FIELDS.get(model, []),
                get_user=_current_user,
            )


def bulk_create(model: type[M], objs: Sequence[M], **kwargs) -> list[M]:
    """``model.objects.bulk_create(objs)`` with one history row per object (same transaction)."""
    from simple_history.utils import bulk_create_with_history

    objs = list(objs)
    if not objs:
        return []
    bump_for(model)  # no signal for bulk writes: values cached from these rows go now
    if not hasattr(model, MANAGER):
        return model.objects.bulk_create(objs, **kwargs)
    return bulk_create_with_history(objs, model, default_user=_current_user(), **kwargs)


def bulk_update(
    model: type[models.Model], objs: Iterable[models.Model], fields: Sequence[str], **kwargs
) -> int:
    """``model.objects.bulk_update(objs, fields)`` with one history row per object (same transaction)."""
    from simple_history.utils import bulk_update_with_history

    objs = list(objs)
    if not objs:
        return 0
    bump_for(model)
    if not hasattr(model, MANAGER):
        return model.objects.bulk_update(objs, fields, **kwargs)
    return bulk_update_with_history(objs, model, list(fields), default_user=_current_user(), **kwargs)


def changes(obj: models.Model) -> list[dict]:
    """The history of one object, newest first: when, who, what kind, and each changed field before → after."""
    records = list(getattr(obj, MANAGER).all().select_related("history_user"))
    out = []
    for i, rec in enumerate(records):
        prev = records[i + 1] if i + 1 < len(records) else None
        diffs = []
        if prev is not None:
            delta = rec.diff_against(prev)
            diffs = [{"field": c.field, "before": c.old, "after": c.new} for c in delta.changes]
        out.append(
            {
                "at": rec.history_date,
                "user": rec.history_user,
                "type": {"+": "创建", "~": "修改", "-": "删除"}[rec.history_type],
                "changes": diffs,
            }
        )
    return out


def role_changes(user) -> list[dict]:
    """Every change of ``user``'s role assignments, newest first: when, by whom, what, before → after."""
    from portal.choices import Role
    from portal.models import RoleAssignment

    labels = dict(Role.choices)

    def describe(rec) -> str:
        if rec is None:
            return "（无）"
        org = getattr(rec, "org", None)
        return f"{labels.get(rec.role, rec.role)}（{org.name if org else '—'}）"

    records = list(
        RoleAssignment.change_history.filter(user_id=user.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    out = []
    for rec in records:
        prev = (
            RoleAssignment.change_history.filter(id=rec.id, history_date__lt=rec.history_date)
            .order_by("-history_date", "-history_id")
            .first()
        )
        out.append(
            {
                "at": f"{rec.history_date:%Y-%m-%d %H:%M}",
                "user": getattr(rec.history_user, "username", "") or "系统",
                "type": {"+": "授予", "~": "修改", "-": "撤销"}[rec.history_type],
                "before": {"+": "（无）", "~": describe(prev), "-": describe(rec)}[rec.history_type],
                "after": describe(rec) if rec.history_type != "-" else "（无）",
            }
        )
    return out
