"""Complaints, rectifications and appeals in the burden figures, read through the supervision selectors;
published criticisms are sealed documents in the seal register."""

from __future__ import annotations

from portal.models import OrgUnit
from reports.periods import period_parse
from reports.selectors import burden_figures, register_rows
from tests.reports.conftest import at, complaint


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


def test_complaints_and_appeals_per_street_community_and_month(supervision_activity):
    """The drill-down shows complaints, rectifications and appeals of each child unit and month; what names
    no unit below (a complaint naming no community) is on the node's own row, and the rows add up."""
    complaint(None, at(2026, 6, 3), "closed", handling="120103")
    period = period_parse("2026-Q2")
    hexi = burden_figures(org=OrgUnit.objects.get(code="120103"), period=period)
    streets = {c["org"].code: c["values"] for c in hexi.children}
    first, second = streets["120103001000"], streets["120103002000"]
    assert (first["complaints"], first["complaints_substantiated"]) == (2, 1)
    assert first["rectifications_on_time"] == 1
    assert (first["appeals"], first["appeals_answered"], first["appeals_median_hours"]) == (3, 3, 5.0)
    assert (second["complaints"], second["appeals"], second["appeals_answered"]) == (0, 1, 0)
    assert second["appeals_median_hours"] is None
    # the district's own row: the complaint naming no community, and the criticism under the bureau's seal
    assert hexi.unattributed == {"complaints": 1, "complaints_substantiated": 1, "seal_uses": 1}
    assert (hexi.total["complaints"], hexi.total["complaints_substantiated"]) == (3, 2)
    months = {m["month"].month: m["values"] for m in hexi.months}
    assert (months[4]["appeals"], months[4]["appeals_median_hours"], months[4]["complaints"]) == (3, 5.0, 0)
    assert (months[5]["complaints"], months[5]["complaints_substantiated"]) == (2, 1)
    assert months[5]["rectifications_on_time"] == 1 and months[5]["appeals_median_hours"] is None
    assert (months[6]["complaints"], months[6]["appeals"], months[6]["appeals_answered"]) == (1, 1, 0)

    street = burden_figures(org=OrgUnit.objects.get(code="120103001000"), period=period)
    communities = {c["org"].code: c["values"] for c in street.children}
    assert communities["120103001001"]["complaints_substantiated"] == 1
    assert communities["120103001001"]["appeals_median_hours"] == 5.0
    assert communities["120103001002"]["complaints"] == 1
    assert street.unattributed is None or "complaints" not in street.unattributed

    city = burden_figures(org=OrgUnit.objects.get(code="120000"), period=period)
    districts = {c["org"].code: c["values"] for c in city.children}
    assert (districts["120103"]["complaints"], districts["120104"]["complaints"]) == (3, 1)
    assert districts["120104"]["appeals_median_hours"] == 100.0
    assert city.total["appeals_median_hours"] == 5.0  # 2, 5, 30, 100 hours: the lower middle one
