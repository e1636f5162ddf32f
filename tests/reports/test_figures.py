"""The burden figures count what they say, per level, month and period, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import OrgUnit
from reports.periods import period_parse
from reports.selectors import burden_figures, compare, register_rows
from tests.reports.conftest import add_refusal, at


def child(fig, code):
    return next(c["values"] for c in fig.children if c["org"].code == code)


def test_refusals_by_level_verdict_month_and_department(hexi_activity):
    hexi = OrgUnit.objects.get(code="120103")
    q2 = burden_figures(org=hexi, period=period_parse("2026-Q2"))
    assert q2.total["refusals"] == 4  # 南开区's and the Q1 refusal do not count
    assert (q2.total["refusals_prohibited"], q2.total["refusals_not_admitted"]) == (2, 2)
    assert child(q2, "120103001000")["refusals"] == 3 and child(q2, "120103002000")["refusals"] == 1
    # 30 June 23:00 local time belongs to June, not July
    assert [m["values"]["refusals"] for m in q2.months] == [1, 2, 1]
    assert {d["department"]: d["n"] for d in q2.departments} == {"区城管委": 2, "区卫健委": 1, "区应急局": 1}

    street = burden_figures(org=OrgUnit.objects.get(code="120103001000"), period=period_parse("2026-Q2"))
    assert child(street, "120103001001")["refusals"] == 2 and child(street, "120103001002")["refusals"] == 1

    city = burden_figures(org=OrgUnit.objects.get(code="120000"), period=period_parse("2026-Q2"))
    assert child(city, "120103")["refusals"] == 4 and child(city, "120104")["refusals"] == 1
    assert city.total["refusals"] == 5


def test_comparison_with_the_previous_period(hexi_activity):
    hexi = OrgUnit.objects.get(code="120103")
    q2 = burden_figures(org=hexi, period=period_parse("2026-Q2"))
    q1 = burden_figures(org=hexi, period=period_parse("2026-Q1"))
    assert compare(q2, q1)["refusals"] == {"now": 4, "before": 1, "delta": 3}
    year = burden_figures(org=hexi, period=period_parse("2026"))
    assert year.total["refusals"] == 5 and len(year.months) == 12


def test_admission_certificates_seals_lists_and_stars_of_the_demo(demo_full):
    from django.utils import timezone

    from admission.models import TaskRequest
    from certificates.models import Certificate
    from reports.periods import Period

    today = timezone.localdate()
    period = Period("year", today.year)
    hexi = OrgUnit.objects.get(code="120103")
    fig = burden_figures(org=hexi, period=period)
    approved = TaskRequest.objects.filter(
        admission_no__isnull=False, targets__community__path__startswith=hexi.path
    ).distinct()
    assert fig.total["adm_approved"] == approved.count() >= 1
    issued = Certificate.objects.filter(
        community__path__startswith=hexi.path, issued_at__year=today.year
    ).count()
    assert fig.total["certificates"] == issued >= 1
    # every sealed document is in the seal register and counted once
    seals = register_rows(kind="seal", org=hexi, period=period)
    assert {r["kind"] for r in seals} >= {"社区证明", "准入通知书"}
    assert fig.total["seal_uses"] == len(seals)
    assert (
        fig.total["communities"]
        == OrgUnit.objects.filter(level="community", path__startswith=hexi.path).count()
    )
    assert fig.total["tasks_listed"] > fig.total["communities"] * 40  # 16 + 35 items per community at least
    assert fig.total["plaques_compliant"] + fig.total["plaques_noncompliant"] == fig.total["communities"]
    assert fig.total["stars_rated"] == sum(fig.total[f"stars_{s}"] for s in range(6))
    assert fig.total["complaints"] >= fig.total["complaints_substantiated"] >= 0  # read, never left pending


def test_refusal_notices_are_in_the_seal_register(hexi_activity):
    hexi = OrgUnit.objects.get(code="120103")
    seals = register_rows(kind="seal", org=hexi, period=period_parse("2026-Q2"))
    notices = [r for r in seals if r["kind"] == "拒绝承接告知书"]
    assert len(notices) == 4 and all(r["seal"] for r in notices)
    refusals = register_rows(kind="refusal", org=hexi, period=period_parse("2026-Q2"))
    assert [r["verdict"] for r in refusals].count("禁止下派事项") == 2


def _queries(org, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        burden_figures(org=org, period=period)
    return len(ctx.captured_queries)


def add_redirect(community_code: str | None, when):
    from certificates.models import BarredCertificate, BarredRedirect

    barred = BarredCertificate.objects.order_by("id").first()
    r = BarredRedirect.objects.create(
        barred=barred,
        query=barred.name,
        community=OrgUnit.objects.get(code=community_code) if community_code else None,
    )
    BarredRedirect.objects.filter(pk=r.pk).update(at=when)


def test_redirects_per_community_and_month_and_the_unknown_ones_for_the_city(demo_full):
    add_redirect("120103001001", at(2026, 4, 2))
    add_redirect("120103001001", at(2026, 5, 2))
    add_redirect("120103002001", at(2026, 5, 3))
    add_redirect("120104001001", at(2026, 6, 3))
    add_redirect(None, at(2026, 6, 4))  # nobody logged in, no community page
    add_redirect("120103001001", at(2026, 3, 31))  # previous quarter
    q2 = period_parse("2026-Q2")
    city = burden_figures(org=OrgUnit.objects.get(code="120000"), period=q2)
    assert city.total["barred_redirects"] == 5
    assert (child(city, "120103")["barred_redirects"], child(city, "120104")["barred_redirects"]) == (3, 1)
    assert city.unattributed == {"barred_redirects": 1}  # shown on the city's own row, explained
    assert [m["values"]["barred_redirects"] for m in city.months] == [1, 2, 2]
    hexi = burden_figures(org=OrgUnit.objects.get(code="120103"), period=q2)
    assert hexi.total["barred_redirects"] == 3 and hexi.unattributed is None
    assert child(hexi, "120103001000")["barred_redirects"] == 2
    community = burden_figures(org=OrgUnit.objects.get(code="120103001001"), period=q2)
    assert community.total["barred_redirects"] == 2
    assert [m["values"]["barred_redirects"] for m in community.months] == [1, 1, 0]


def _queries(org, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        burden_figures(org=org, period=period)
    return len(ctx.captured_queries)


SERVICE = [
    "refusals",
    "complaints",
    "complaints_substantiated",
    "appeals",
    "appeals_answered",
    "barred_redirects",
]


@pytest.mark.parametrize("code", ["120000", "120103", "120103001000", "120103001001"])
def test_queries_do_not_grow_with_the_number_of_communities(supervision_activity, code):
    """Two data sizes: 40 more communities, each with a refusal, a complaint, an appeal and a redirect."""
    from tests.reports.conftest import appeal, complaint

    org = OrgUnit.objects.get(code=code)
    period = period_parse("2026-Q2")
    before = _queries(org, period)
    figures_before = burden_figures(org=org, period=period)
    street = OrgUnit.objects.get(code="120103001000")
    for i in range(40):
        c = OrgUnit.objects.create(
            code=f"120103001{500 + i}", name=f"测试{i}社区", level="community", parent=street
        )
        when = at(2026, 4 + i % 3, 1 + i % 28)
        add_refusal(c.code, when)
        complaint(c.code, when, "closed")
        appeal(c.code, when, 1 + i)
        add_redirect(c.code, when)
    assert _queries(org, period) == before <= 30  # one or two GROUP BY per family of records
    added = 40 if code != "120103001001" else 0
    after = burden_figures(org=org, period=period)
    for key in SERVICE:
        assert after.total[key] == figures_before.total[key] + added, key
    if code == "120103001000":  # each new community is a row of the drill-down with its own figures
        row = child(after, "120103001505")
        assert (row["complaints"], row["appeals_answered"], row["appeals_median_hours"]) == (1, 1, 6.0)


def test_figures_come_from_the_cache_until_a_record_they_count_changes(supervision_activity):
    """Cached (no query on a hit); a refusal, a complaint, an appeal or a redirect shows at once."""
    from tests.reports.conftest import appeal, complaint

    hexi, q2 = OrgUnit.objects.get(code="120103"), period_parse("2026-Q2")
    first = burden_figures(org=hexi, period=q2)
    assert _queries(hexi, q2) == 0
    add_refusal("120103001001", at(2026, 5, 21))
    assert burden_figures(org=hexi, period=q2).total["refusals"] == first.total["refusals"] + 1
    complaint("120103001002", at(2026, 5, 7), "closed")
    appeal("120103001002", at(2026, 5, 8), 3)
    after = burden_figures(org=hexi, period=q2)
    assert after.total["complaints"] == first.total["complaints"] + 1
    assert after.total["appeals"] == first.total["appeals"] + 1
    with CaptureQueriesContext(connection) as ctx:
        add_redirect("120103001001", at(2026, 6, 1))
    inserted = len(ctx.captured_queries)
    # only the redirects are counted again: one query, the other families stay cached
    assert _queries(hexi, q2) == 1 and inserted >= 1
    assert (
        burden_figures(org=hexi, period=q2).total["barred_redirects"] == first.total["barred_redirects"] + 1
    )
