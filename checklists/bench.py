"""Endpoints of the checklists app for ``make bench`` (read by scripts/bench.py)."""

DEMO_COMMUNITY = "120103001001"

ENDPOINTS = [
    dict(
        name="checklists: community list page",
        method="GET",
        path=f"/lists/community/{DEMO_COMMUNITY}/",
        user=None,
    ),
    dict(
        name="checklists: community checklist API",
        method="GET",
        path=f"/api/v1/communities/{DEMO_COMMUNITY}/checklist",
        user=None,
    ),
]
