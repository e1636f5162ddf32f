"""Data for the burden figures: refusals, plaques and baselines placed in known months and communities."""

from __future__ import annotations

import itertools
import secrets
from datetime import date, datetime, timedelta

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


def complaint(community: str | None, when, status: str, *, handling: str = ""):
    """A complaint about a community (or naming none, handled by the bureau ``handling``)."""
    from portal.models import OrgUnit
    from supervision.models import Complaint

    c = Complaint.objects.create(
        tracking_code=secrets.token_hex(8),
        category="unapproved_task",
        department_text="区城管委",
        community=OrgUnit.objects.get(code=community) if community else None,
        handling_org=OrgUnit.objects.get(code=handling or community[:6]),
        description="要求社区上报违建台账。",
        status=status,
    )
    Complaint.objects.filter(pk=c.pk).update(created_at=when)
    return c


def appeal(community: str, when, answered_after_hours: float | None):
    from portal.models import OrgUnit, User
    from supervision.models import Appeal

    a = Appeal.objects.create(
        community=OrgUnit.objects.get(code=community),
        resident=User.objects.get(username="resident"),
        category="environment",
        text="楼道堆物。",
        due_date=when.date() + timedelta(days=5),
        answer="已清理。" if answered_after_hours is not None else "",
        answered_at=when + timedelta(hours=answered_after_hours)
        if answered_after_hours is not None
        else None,
        status="answered" if answered_after_hours is not None else "open",
    )
    Appeal.objects.filter(pk=a.pk).update(created_at=when)
    return a


@pytest.fixture
def supervision_activity(hexi_activity):
    """Complaints, a rectification, a published criticism and appeals in 河西区 (and one of each in 南开区)."""
    from portal.models import OrgUnit
    from supervision.models import Criticism, Rectification

    substantiated = complaint("120103001001", at(2026, 5, 4), "closed")
    complaint("120103001002", at(2026, 5, 6), "investigating")
    complaint("120103002001", at(2026, 2, 6), "closed")  # previous quarter
    complaint("120104001001", at(2026, 5, 6), "closed")  # 南开区
    rect = Rectification.objects.create(
        complaint=substantiated,
        department_name="区城管委",
        org=OrgUnit.objects.get(code="120103"),
        requirements="撤回任务。",
        due_date=date(2026, 5, 30),
        status="closed",
        on_time=True,
        closed_at=at(2026, 5, 20),
    )
    Rectification.objects.filter(pk=rect.pk).update(created_at=at(2026, 5, 10))
    Criticism.objects.create(
        complaint=substantiated,
        department_name="区城管委",
        org=OrgUnit.objects.get(code="120103"),
        title="关于区城管委违规向社区下派任务的通报",
        body="……",
        status="published",
        number="津河西民通〔2026〕1号",
        public_code=secrets.token_hex(8),
        published_at=at(2026, 5, 25),
    )
    for hours in (2, 30, 5):
        appeal("120103001001", at(2026, 4, 8), hours)
    appeal("120103002001", at(2026, 6, 1), None)
    appeal("120104001001", at(2026, 6, 1), 100)  # 南开区
