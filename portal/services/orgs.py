"""Changes to the org tree made by officials (moving a node under another parent)."""

from __future__ import annotations

from django.db import transaction

from portal.audit import audit
from portal.choices import PARENT_LEVEL, OrgLevel
from portal.errors import DomainError, PermissionDeniedError
from portal.models import OrgUnit


@transaction.atomic
def org_unit_move(*, actor, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move ``unit`` (and everything below it) under ``new_parent``.

    The actor must be allowed to change both the unit and its new parent. The move keeps the levels of
    the tree (a street under a district), refuses cycles and rewrites the paths of the whole subtree in
    this transaction (see :meth:`OrgUnit.save`), so scope is right for everything below at once.
    """
    changeable = OrgUnit.objects.for_user(actor, "change")
    locked = {o.pk: o for o in OrgUnit.objects.select_for_update().filter(pk__in=[unit.pk, new_parent.pk])}
    current, parent = locked.get(unit.pk), locked.get(new_parent.pk)
    if current is None or parent is None:
        raise DomainError("组织单元不存在。", code="not_found", status=404)
    if changeable.filter(pk__in=[current.pk, parent.pk]).count() != 2 or (
        current.parent_id and not changeable.filter(pk=current.parent_id).exists()
    ):
        raise PermissionDeniedError("您无权调整该组织单元的隶属关系。")
    if parent.pk == current.pk or parent.path.startswith(current.path):
        raise DomainError("不能把单元移到它自己或它的下级之下。", code="org_cycle")
    wanted = PARENT_LEVEL.get(current.level)
    if wanted is None or parent.level != wanted:
        raise DomainError(
            f"{current.get_level_display()}只能隶属于{OrgLevel(wanted).label if wanted else '无'}。",
            code="org_level",
        )
    old_parent = current.parent
    old_path = current.path
    if old_parent is not None and old_parent.pk == parent.pk:
        return current
    below = OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=current.pk).count()
    # The caller may hold other unsaved edits on ``unit`` (the admin form): keep them.
    unit.parent = parent
    unit.save()
    audit(
        "org_move",
        obj=unit,
        org=_common_ancestor(old_path, parent.path),
        actor=actor,
        before={"parent": old_parent.code if old_parent else None, "path": old_path},
        after={"parent": parent.code, "path": unit.path, "descendants": below},
        detail=f"{unit.name}由{old_parent.name if old_parent else '（无）'}调整至{parent.name}，下级 {below} 个单元随之调整",
    )
    return unit


def _common_ancestor(path_a: str, path_b: str) -> OrgUnit | None:
    """The lowest node above both paths: a move is recorded where both the old and the new side are seen."""
    shared = []
    for a, b in zip(path_a.split("/"), path_b.split("/"), strict=False):
        if not a or a != b:
            break
        shared.append(a)
    return OrgUnit.objects.filter(code=shared[-1]).first() if shared else None
