"""API endpoints of the evaluations app (mounted under /api/v1/ by portal.api.root).

``GET /evaluations/results`` is a public contract (API.md): rows ``{community, community_name, street, score,
stars}``; extra fields (district, ranks, award) are additions."""

from __future__ import annotations

from ninja import Query, Router, Schema

from evaluations import selectors
from portal.api.kit import ERRORS, PageParams, cached_json_response, paginate

router = Router(tags=["评星定级"])


class ResultsQuery(PageParams):
    year: str | None = None
    district: str | None = None


class ResultRow(Schema):
    community: str
    community_name: str
    street: str
    score: float
    stars: int
    street_code: str
    district: str
    district_name: str
    rank_city: int | None = None
    rank_district: int | None = None
    rank_street: int | None = None
    award: bool
    rectification: bool


class ResultsOut(Schema):
    count: int
    year: int | None = None
    results: list[ResultRow]


class WhitelistRow(Schema):
    id: int
    name: str
    kind: str
    authority: str
    authority_level: str
    document_no: str
    needs_review: bool


@router.get(
    "/evaluations/results",
    response={200: ResultsOut, **ERRORS},
    auth=None,
    summary="已发布的社区评星定级结果（公开）",
)
def results(request, q: Query[ResultsQuery]):
    """Published star ratings of one year (default: the latest published), optionally of one district, best first.

    A year or district that is not well-formed or does not exist answers 400 with a Chinese message."""
    filters = selectors.parse_results_filters(year=q.year, district=q.district)

    def build() -> dict:
        qs = selectors.published_results(year=filters.year, district=filters.district)
        body = paginate(qs, q, selectors.result_row)
        body["year"] = filters.year
        return body

    # Published results change only with a publication: the page's bytes are cached until then.
    district = filters.district.code if filters.district else ""
    return cached_json_response(
        request,
        generation=selectors.PUBLIC_GENERATION,
        key=f"results-api:{filters.year}:{district}:{q.page}:{q.page_size}",
        schema=ResultsOut,
        build=build,
    )


@router.get(
    "/evaluations/whitelist",
    response={200: list[WhitelistRow]},
    auth=None,
    summary="经批准的评比达标和示范创建项目（白名单）",
)
def whitelist(request):
    return [
        {
            "id": e.pk,
            "name": e.name,
            "kind": e.kind,
            "authority": e.authority,
            "authority_level": e.authority_level,
            "document_no": e.document_display,
            "needs_review": e.needs_review,
        }
        for e in selectors.whitelist_entries()
    ]
