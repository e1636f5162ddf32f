"""Checking a request's input: the fields of a draft and the org units it targets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from admission.choices import (
    TargetMode,
)
from admission.models import (
    TaskRequest,
    TaskTarget,
)
from portal import history
from portal.choices import OrgLevel
from portal.errors import DomainError
from portal.models import OrgUnit


def _decimal(value, name: str, label: str, errors: dict, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[name] = f"请填写{label}。"
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = f"{label}应为数字。"
        return None
    if not d.is_finite() or d < 0:
        errors[name] = f"{label}不能为负数。"
        return None
    if d > Decimal("1000000000"):
        errors[name] = f"{label}数值过大。"
        return None
    return d


def _date(value, name: str, label: str, errors: dict) -> date | None:
    if isinstance(value, date):
        return value
    if not value:
        errors[name] = f"请填写{label}。"
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[name] = f"{label}格式应为 YYYY-MM-DD。"
        return None


def _text(data: dict, name: str, label: str, errors: dict, *, required=False, max_length=5000) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors[name] = f"请填写{label}。"
    elif len(value) > max_length:
        errors[name] = f"{label}不能超过 {max_length} 个字。"
    return value


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
    levels = {o.level for o in chosen}
    mode = {
        frozenset({OrgLevel.DISTRICT}): TargetMode.DISTRICT,
        frozenset({OrgLevel.STREET}): TargetMode.STREETS,
        frozenset({OrgLevel.COMMUNITY}): TargetMode.COMMUNITIES,
    }.get(frozenset(levels), TargetMode.MIXED)
    return chosen, communities, mode


def _clean(data: dict, *, requester_org: OrgUnit) -> tuple[dict, tuple | None]:
    errors: dict[str, str] = {}
    out = {
        "title": _text(data, "title", "事项名称", errors, required=True, max_length=200),
        "description": _text(data, "description", "事项内容", errors, required=True),
        "legal_basis": _text(data, "legal_basis", "依据", errors),
        "funding_source": _text(data, "funding_source", "经费来源", errors, max_length=200),
        "working_conditions": _text(data, "working_conditions", "工作条件", errors),
        "service_provider": _text(data, "service_provider", "服务承接方", errors, max_length=200),
        "purchase_service": bool(data.get("purchase_service"))
        and str(data.get("purchase_service")).lower() not in ("false", "0", "off"),
        "start_date": _date(data.get("start_date"), "start_date", "开始日期", errors),
        "end_date": _date(data.get("end_date"), "end_date", "结束日期", errors),
        "workload_hours_per_month": _decimal(
            data.get("workload_hours_per_month"), "workload_hours_per_month", "工作量", errors, required=True
        ),
        "funding_amount": _decimal(data.get("funding_amount"), "funding_amount", "每社区经费", errors),
        "funding_total": _decimal(data.get("funding_total"), "funding_total", "经费总额", errors),
        "service_budget": _decimal(data.get("service_budget"), "service_budget", "购买服务预算", errors),
    }
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        errors["end_date"] = "结束日期不能早于开始日期。"
    if out["workload_hours_per_month"] is not None and out["workload_hours_per_month"] > 744:
        errors["workload_hours_per_month"] = "工作量不能超过每月 744 小时。"
    targets = None
    raw_targets = data.get("target_orgs")
    if isinstance(raw_targets, str):
        raw_targets = re.split(r"[\s,，、;；]+", raw_targets)
    try:
        targets = resolve_targets(codes=raw_targets or [], requester_org=requester_org)
    except DomainError as exc:
        errors["target_orgs"] = exc.message
    if errors:
        raise DomainError("申请内容不完整或有误，请检查标出的字段。", fields=errors)
    return out, targets


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
