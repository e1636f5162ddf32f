"""Reads of per-object assignments and delegations (``portal.services.assignments`` writes them)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from portal.choices import STAFF_ROLES, Role
from portal.models import RoleAssignment, User
from portal.models.assignments import Assignment, AssignmentGrant, Delegation

#: Bumped whenever an assignment is saved (``portal.apps``): the ids of an object's live assignments are cached.
ASSIGNMENTS_GENERATION = "assignments"


def live_assignments(obj: models.Model) -> list[Assignment]:
    """The live assignments of ``obj``, oldest first (its page shows them to whoever may see it).

    Which ones are live is cached until an assignment changes (``portal.caching``, generation
    :data:`ASSIGNMENTS_GENERATION`): an object without any — most of them — costs no query; the rows, with the
    names of the users, are read fresh."""
    from portal.caching import cached

    ct = ContentType.objects.get_for_model(type(obj))
    live = Assignment.objects.filter(content_type=ct, object_id=obj.pk, ended_at__isnull=True)
    ids = cached(
        ASSIGNMENTS_GENERATION,
        f"live:{ct.pk}:{obj.pk}",
        lambda: list(live.order_by("created_at", "id").values_list("pk", flat=True)),
    )
    if not ids:
        return []
    rows = {a.pk: a for a in live.filter(pk__in=ids).select_related("assignee", "assigned_by")}
    return [rows[pk] for pk in ids if pk in rows]


def live_assignments_for(*, user: User, model: type[models.Model], pk: int) -> list[Assignment]:
    """The live assignments of the object ``pk`` of ``model``, for ``user`` who may open its page (the rule's
    ``read_right``): 404 when they cannot see it, 403 when they see it without that right."""
    from portal.scope import require_right
    from portal.services.assignments import rule_for

    rule = rule_for(model)
    require_right(model, user, pk, rule.read_right or rule.assign_right, rule.noun)
    obj = model._default_manager.get(pk=pk)
    return live_assignments(obj)


def assigned_to(user: User, *, limit: int = 200) -> list[dict]:
    """The live assignments ``user`` works on (the 指派给我的 page): their own, and those of a colleague they act
    for while a delegation runs — newest first, each ``{"assignment", "target", "kind", "url", "for_whom"}``
    (``for_whom``: the absent colleague's name when the user acts for them, else ``""``)."""
    via = AssignmentGrant.objects.filter(user_id=user.pk, revoked_at__isnull=True).values("assignment_id")
    rows = list(
        Assignment.objects.filter(pk__in=via, ended_at__isnull=True)
        .select_related("assignee", "assigned_by", "content_type")
        .order_by("-created_at", "-id")[:limit]
    )
    out = []
    for a in rows:
        target = a.target
        if target is None:
            continue
        out.append(
            {
                "assignment": a,
                "target": target,
                "kind": str(target._meta.verbose_name),
                "url": target.get_absolute_url() if hasattr(target, "get_absolute_url") else "",
                "for_whom": a.assignee.display_name if a.assignee_id != user.pk else "",
            }
        )
    return out


def candidates(obj: models.Model, *, actor: User | None = None) -> list[User]:
    """The users ``obj`` may be assigned to (the assign form's choices), without ``actor`` and those already
    assigned."""
    from portal.services.assignments import rule_for

    rule = rule_for(type(obj))
    taken = {a.assignee_id for a in live_assignments(obj)}
    qs = rule.candidates(obj).filter(is_active=True).order_by("real_name", "username").distinct()
    return [u for u in qs[:200] if u.pk not in taken and (actor is None or u.pk != actor.pk)]


def staff_below(path: str) -> models.QuerySet[User]:
    """Active staff users holding a staff role at or below the org node ``path`` (a rule's candidates)."""
    ids = RoleAssignment.objects.filter(role__in=STAFF_ROLES, org__path__startswith=path).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def staff_at(path: str) -> models.QuerySet[User]:
    """Active staff users holding a staff role at the org node ``path`` itself (its offices and departments)."""
    ids = RoleAssignment.objects.filter(role__in=STAFF_ROLES, org__path=path).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


# --- delegations ---------------------------------------------------------------------------------


def colleagues(user: User) -> models.QuerySet[User]:
    """The active staff users of ``user``'s own org units (for department staff: of the same department) —
    those who may act for them while they are away."""
    same = Q(pk__in=[])
    for ra in RoleAssignment.objects.filter(user=user, role__in=STAFF_ROLES):
        if ra.role == Role.DEPARTMENT_STAFF and ra.department_id:
            same |= Q(role=Role.DEPARTMENT_STAFF, department_id=ra.department_id)
        else:
            same |= Q(org_id=ra.org_id) & ~Q(role=Role.DEPARTMENT_STAFF)
    ids = RoleAssignment.objects.filter(same, role__in=STAFF_ROLES).values("user_id")
    return (
        User.objects.filter(pk__in=ids, is_active=True).exclude(pk=user.pk).order_by("real_name", "username")
    )


def my_delegations(user: User) -> list[Delegation]:
    """The delegations ``user`` gave or received (the 我的代理 page), newest first."""
    return list(Delegation.objects.for_user(user, "view").select_related("from_user", "to_user")[:50])
