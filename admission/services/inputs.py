"""The org units a request targets: resolved inside the requester's level (its fields are checked by
``admission.schemas.TaskRequestSchema`` before the service sees them)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from admission.choices import (
    TargetMode,
)
from admission.models import (
    TaskRequest,
    TaskTarget,
)
from admission.schemas import TaskRequestInput, TaskRequestSchema
from portal import history
from portal.choices import OrgLevel
from portal.errors import DomainError
from portal.models import OrgUnit


def resolve_targets(
    *, codes: Iterable[str], requester_org: OrgUnit
) -> tuple[list[OrgUnit], list[OrgUnit], str]:
    """The chosen org units and the communities they cover, all inside the requester's level.
    Raises DomainError naming unknown or out-of-scope codes."""
    codes = [str(c).strip() for c in codes if str(c).strip()]
    if not codes:
        raise DomainError(
            "请选择事项的实施范围（全区、街道或社区）。", fields={"target_orgs": "请至少选择一个范围。"}
        )
    if len(codes) > 6000:
        raise DomainError("选择的范围过多。", fields={"target_orgs": "范围过多。"})
    chosen = list(OrgUnit.objects.filter(code__in=set(codes)))
    found = {o.code for o in chosen}
    unknown = sorted(set(codes) - found)
    if unknown:
        raise DomainError(
            f"未知的组织代码：{'、'.join(unknown[:10])}。", fields={"target_orgs": "含未知的组织代码。"}
        )
    outside = [o.code for o in chosen if not o.path.startswith(requester_org.path)]
    if outside:
        raise DomainError(
            f"超出本部门所属层级（{requester_org.name}）的范围：{'、'.join(outside[:10])}。",
            fields={"target_orgs": "只能选择本级辖区内的街道或社区。"},
        )
    q = Q(pk__in=[])
    for o in chosen:
        q |= Q(path__startswith=o.path)
    communities = list(OrgUnit.objects.filter(q, level=OrgLevel.COMMUNITY).order_by("code"))
    if not communities:
        raise DomainError("所选范围内没有社区。", fields={"target_orgs": "所选范围内没有社区。"})
    levels = frozenset(str(o.level) for o in chosen)
    modes: dict[frozenset[str], str] = {
        frozenset({OrgLevel.DISTRICT}): TargetMode.DISTRICT,
        frozenset({OrgLevel.STREET}): TargetMode.STREETS,
        frozenset({OrgLevel.COMMUNITY}): TargetMode.COMMUNITIES,
    }
    mode = modes.get(levels, TargetMode.MIXED)
    return chosen, communities, mode


def targets_of(value: TaskRequestInput, *, requester_org: OrgUnit) -> tuple:
    """The request's targets resolved for its requester; a wrong code is refused like any wrong field."""
    try:
        return resolve_targets(codes=value.target_orgs, requester_org=requester_org)
    except DomainError as exc:
        raise DomainError(TaskRequestSchema.message or exc.message, fields={"target_orgs": exc.message})


def _set_targets(req: TaskRequest, targets: tuple) -> None:
    chosen, communities, mode = targets
    req.target_orgs.set(chosen)
    TaskTarget.objects.filter(request=req).delete()
    history.bulk_create(TaskTarget, [TaskTarget(request=req, community=c) for c in communities])
    if req.target_mode != mode:
        req.target_mode = mode
        req.save(update_fields=["target_mode"])
    if req.funding_amount is not None and not req.funding_total:
        req.funding_total = req.funding_amount * len(communities)
        req.save(update_fields=["funding_total"])
