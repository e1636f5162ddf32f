"""What ``make bench`` measures for the burden figures: the dashboard at each level (pages and API) and the
time the city burden report of the last year takes to build on one process (the worker's work, no queue)."""

from __future__ import annotations

import time

ENDPOINTS = [
    dict(
        name="reports-dashboard-city",
        method="GET",
        path="/reports/?org=120000&period=2026",
        user="city_admin",
    ),
    dict(
        name="reports-dashboard-district",
        method="GET",
        path="/reports/?org=120103&period=2026",
        user="city_admin",
    ),
    dict(name="reports-dashboard-own-district", method="GET", path="/reports/", user="hexi_official"),
    dict(name="reports-dashboard-street", method="GET", path="/reports/", user="street_staff"),
    dict(
        name="reports-register-refusals",
        method="GET",
        path="/reports/registers/refusal/?org=120103&period=2026",
        user="hexi_official",
    ),
    dict(name="reports-public-city", method="GET", path="/reports/public/?period=2026-Q4", user=None),
    dict(
        name="reports-public-district", method="GET", path="/reports/public/120103/?period=2026-Q4", user=None
    ),
]


def extra(report) -> None:
    """The city report (figures of this and the previous year, charts, PDF) timed end to end."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.models import OrgUnit
    from reports.pdf import burden_pdf
    from reports.periods import Period

    city = OrgUnit.objects.get(level="city")
    period = Period("year", timezone.localdate().year)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        data = burden_pdf(org=city, period=period)
    seconds = time.perf_counter() - started
    report.add(
        "reports: city burden report (one process)",
        {
            "seconds": seconds,
            "queries": len(ctx.captured_queries),
            "pdf_bytes": len(data),
            "communities": OrgUnit.objects.filter(level="community").count(),
            "target_seconds": 60.0,
        },
    )
