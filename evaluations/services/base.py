"""Shared helpers of the star-rating writes: names, one-decimal numbers, the city-admin check, role holders, deadlines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from portal.errors import DomainError, PermissionDeniedError
from portal.models import OrgUnit, User
from portal.scope import is_city_admin

ONE_DECIMAL = Decimal("0.1")


def _name(user) -> str:
    return (getattr(user, "real_name", "") or getattr(user, "username", ""))[:60]


def _decimal(value, *, field: str, label: str) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}应为数字。", fields={field: "应为数字。"})
    if not d.is_finite():
        raise DomainError(f"{label}应为数字。", fields={field: "应为数字。"})
    if d != d.quantize(ONE_DECIMAL):
        raise DomainError(f"{label}最多保留一位小数。", fields={field: "最多保留一位小数。"})
    return d.quantize(ONE_DECIMAL)


def _require_city_admin(actor) -> None:
    if not is_city_admin(actor):
        raise PermissionDeniedError("只有市民政局管理员可以进行此操作。")


def users_with_role_over(org: OrgUnit, role: str):
    """Users holding ``role`` at ``org`` or one of its ancestors (one query)."""
    codes = [c for c in org.path.split("/") if c]
    return User.objects.filter(is_active=True, roles__role=role, roles__org__code__in=codes).distinct()


def _deadline_dt(d: date | None):
    if d is None:
        return None
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(d, time(23, 59)))
