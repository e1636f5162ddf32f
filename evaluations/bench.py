"""Endpoints of the star rating in ``make bench`` (public results: API and page)."""

ENDPOINTS = [
    dict(
        name="evaluations-results-api",
        method="GET",
        path="/api/v1/evaluations/results?year=2025&district=120103",
        user=None,
    ),
    dict(
        name="evaluations-results-api-city",
        method="GET",
        path="/api/v1/evaluations/results?year=2025&page_size=200",
        user=None,
    ),
    dict(name="evaluations-results-page", method="GET", path="/evaluations/results/?year=2025", user=None),
    dict(
        name="evaluations-results-page-district",
        method="GET",
        path="/evaluations/results/?year=2025&district=120103",
        user=None,
    ),
    dict(name="evaluations-whitelist-page", method="GET", path="/evaluations/whitelist/", user=None),
]
