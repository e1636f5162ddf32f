"""Complaints, rectifications and appeals in the burden figures, read through the supervision selectors;
published criticisms are sealed documents in the seal register."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import pytest

from portal.models import OrgUnit, User
from reports.periods import period_parse
from reports.selectors import burden_figures, register_rows
from tests.reports.conftest import at


def complaint(community: str, when, status: str):
    from supervision.models import Complaint

    c = Complaint.objects.create(
        tracking_code=secrets.token_hex(8),
        category="unapproved_task",
        department_text="区城管委",
        community=OrgUnit.objects.get(code=community),
        handling_org=OrgUnit.objects.get(code=community[:6]),
        description="要求社区上报违建台账。",
        status=status,
    )
    Complaint.objects.filter(pk=c.pk).update(created_at=when)
    return c


def appeal(community: str, when, answered_after_hours: float | None):
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


def test_complaints_rectifications_and_appeals_of_the_district(supervision_activity):
    hexi = OrgUnit.objects.get(code="120103")
    fig = burden_figures(org=hexi, period=period_parse("2026-Q2"))
    assert (fig.total["complaints"], fig.total["complaints_substantiated"]) == (2, 1)
    assert fig.total["rectifications_on_time"] == 1
    assert (fig.total["appeals"], fig.total["appeals_answered"]) == (4, 3)
    assert fig.total["appeals_median_hours"] == 5.0  # 2, 5, 30 hours: the middle one
    q1 = burden_figures(org=hexi, period=period_parse("2026-Q1"))
    assert q1.total["complaints"] == 1 and q1.total["appeals_median_hours"] is None


def test_the_published_criticism_is_in_the_seal_register(supervision_activity):
    hexi = OrgUnit.objects.get(code="120103")
    seals = register_rows(kind="seal", org=hexi, period=period_parse("2026-Q2"))
    criticism = [r for r in seals if r["kind"] == "通报批评"]
    assert len(criticism) == 1 and criticism[0]["number"] == "津河西民通〔2026〕1号"
    assert criticism[0]["seal"] == "河西区民政局"
    assert burden_figures(org=hexi, period=period_parse("2026-Q2")).total["seal_uses"] == len(seals)
    nankai = register_rows(
        kind="seal", org=OrgUnit.objects.get(code="120104"), period=period_parse("2026-Q2")
    )
    assert not [r for r in nankai if r["kind"] == "通报批评"]
