"""Data for the burden figures: refusals, plaques and baselines placed in known months and communities."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
from django.utils import timezone

_serial = itertools.count(1)


def at(y: int, m: int, d: int = 10, h: int = 10) -> datetime:
    return timezone.make_aware(datetime(y, m, d, h, 0))


def add_refusal(
    community_code: str,
    when: datetime,
    *,
    verdict: str = "not_admitted",
    department: str = "区城管委",
    title: str = "上报辖区违建台账",
):
    from portal.models import OrgUnit
    from taskcheck.models import Refusal

    n = next(_serial)
    r = Refusal.objects.create(
        community=OrgUnit.objects.get(code=community_code),
        notice_no=f"测试拒〔{when.year}〕{n}号",
        title=title,
        department=department,
        verdict=verdict,
        reason="不在清单内且未经准入。",
        clause="津民发〔2019〕35号 三（二）",
    )
    Refusal.objects.filter(pk=r.pk).update(created_at=when)
    return r


@pytest.fixture
def hexi_activity(demo_full):
    """Refusals in 河西区 (two streets) in 2026 Q2 and Q1, one in 南开区 that must never count for 河西区."""
    rows = [
        ("120103001001", at(2026, 4, 3), "not_admitted", "区城管委"),
        ("120103001001", at(2026, 5, 20), "prohibited", "区城管委"),
        ("120103001002", at(2026, 6, 30, 23), "not_admitted", "区卫健委"),
        ("120103002001", at(2026, 5, 2), "prohibited", "区应急局"),
        ("120103001001", at(2026, 2, 14), "not_admitted", "区城管委"),  # previous quarter
        ("120104001001", at(2026, 5, 5), "not_admitted", "南开区城管委"),  # another district
    ]
    for code, when, verdict, dept in rows:
        add_refusal(code, when, verdict=verdict, department=dept)
    return rows
