"""Shared helpers of the star-rating writes: names, the city-admin check, role holders, deadlines."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from portal.errors import PermissionDeniedError
from portal.models import OrgUnit, User
from portal.scope import is_city_admin


def _name(user) -> str:
    return (getattr(user, "real_name", "") or getattr(user, "username", ""))[:60]


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
