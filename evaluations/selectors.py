"""Reads of the star rating. Every staff read starts from ``for_user``; public reads only ever see published
results. Each selector runs a fixed number of queries, whatever the number of communities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet

from evaluations.choices import CycleStatus, EvidenceSource, RectificationStatus, Stage
from evaluations.models import (
    AppraisalEntry,
    Assessment,
    Cycle,
    Dimension,
    Evidence,
    Indicator,
    Rectification,
    Scheme,
    Score,
)
from portal.choices import OrgLevel
from portal.errors import DomainError
from portal.models import OrgUnit
from portal.scope import allows, get_scoped_or_404
from portal.selectors.orgs import public_districts

STAR_LEVELS = [5, 4, 3, 2, 1, 0]


# ————————————————————————————— public results —————————————————————————————


def published_years() -> list[int]:
    """The years with published results, latest first (kept in the process until anything published changes)."""
    from portal.caching import local_cached

    return list(
        local_cached(
            PUBLIC_GENERATION,
            "published_years",
            lambda: tuple(
                Cycle.objects.filter(status=CycleStatus.PUBLISHED)
                .order_by("-year")
                .values_list("year", flat=True)
            ),
        )
    )


@dataclass
class ResultFilters:
    year: int | None
    district: OrgUnit | None


def parse_results_filters(*, year, district) -> ResultFilters:
    """Validate ``year`` and ``district`` of the public results (page and API). Bad input → DomainError (400)."""
    fields = {}
    y = None
    if year not in (None, ""):
        try:
            y = int(str(year).strip())
        except (TypeError, ValueError):
            fields["year"] = "年度应为四位数字，如 2025。"
        else:
            if not 2000 <= y <= 2100:
                fields["year"] = "年度应在 2000 至 2100 之间。"
    d = None
    if district not in (None, ""):
        code = str(district).strip()
        if not code.isdigit() or len(code) > 16:
            fields["district"] = "区代码应为 6 位数字，如 120103（河西区）。"
        else:
            d = next((unit for unit in public_districts() if unit.code == code), None)
            if d is None:
                fields["district"] = f"没有代码为 {code} 的区。"
    if fields:
        raise DomainError("查询条件不正确：" + "；".join(fields.values()), fields=fields)
    if y is None:
        years = published_years()
        y = years[0] if years else None
    return ResultFilters(year=y, district=d)


def results_queryset(*, year: int | None, district: OrgUnit | None = None) -> QuerySet:
    """Published results of one year, best first (one query with its joins)."""
    qs = Assessment.objects.published().filter(cycle__year=year, cycle__status=CycleStatus.PUBLISHED)
    if district is not None:
        qs = qs.filter(district=district)
    return qs.select_related("community", "street", "district").order_by("-total_score", "community__code")


def published_results(*, year: int | None, district: OrgUnit | None = None):
    """``results_queryset`` for ``Paginator`` / ``paginate``: its count and pages cached until anything
    published changes (``portal.caching`` generation "evaluations-public"). Public rows depend on the year and
    the district alone, so the listing is known by them: a cached page neither builds nor compiles the query
    (compiling it was a good part of the results page)."""
    from portal.caching import CachedListing

    return CachedListing(
        lambda: results_queryset(year=year, district=district),
        PUBLIC_GENERATION,
        key=repr(("results", year, district.code if district is not None else "")),
    )


PUBLIC_GENERATION = "evaluations-public"


def result_row(a: Assessment) -> dict:
    """One row of the public results (API contract: community, community_name, street, score, stars)."""
    return {
        "community": a.community.code,
        "community_name": a.community.name,
        "street": a.street.name,
        "street_code": a.street.code,
        "district": a.district.code,
        "district_name": a.district.name,
        "score": float(a.total_score),
        "stars": a.stars,
        "rank_city": a.rank_city,
        "rank_district": a.rank_district,
        "rank_street": a.rank_street,
        "award": a.award,
        "rectification": a.stars == 0,
    }


def _publication_stamp() -> str:
    """Changes whenever a year's results are published: published figures are cached under it (one query)."""
    row = Cycle.objects.filter(status=CycleStatus.PUBLISHED).aggregate(
        n=Count("id"), last=Max("published_at")
    )
    return f"{row['n']}-{row['last'].timestamp() if row['last'] else 0}"


def _cached_public(name: str, compute, **args):
    """Published results only change when a year is published, so their aggregates are cached until then."""
    from django.core.cache import cache

    key = f"evaluations:public:{name}:{_publication_stamp()}:" + ":".join(
        f"{k}={getattr(v, 'pk', v)}" for k, v in sorted(args.items())
    )
    value = cache.get(key)
    if value is None:
        value = compute(**args)
        cache.set(key, value, 24 * 3600)
    return value


def star_distribution(*, year: int | None, district: OrgUnit | None = None) -> list[dict]:
    """Per district: how many communities got 5 … 0 stars (cached per publication)."""
    return _cached_public("distribution", _star_distribution, year=year, district=district)


def star_trend(*, district: OrgUnit | None = None) -> list[dict]:
    """Per published year: the star distribution and the average score (cached per publication)."""
    return _cached_public("trend", _star_trend, district=district)


def _star_distribution(*, year: int | None, district: OrgUnit | None = None) -> list[dict]:
    qs = Assessment.objects.published().filter(cycle__year=year, cycle__status=CycleStatus.PUBLISHED)
    if district is not None:
        qs = qs.filter(district=district)
    rows = (
        qs.values("district__code", "district__name", "stars")
        .annotate(n=Count("id"))
        .order_by("district__code")
    )
    by: dict[str, dict] = {}
    for r in rows:
        d = by.setdefault(
            r["district__code"],
            {
                "code": r["district__code"],
                "name": r["district__name"],
                "counts": dict.fromkeys(STAR_LEVELS, 0),
                "total": 0,
            },
        )
        d["counts"][r["stars"]] = r["n"]
        d["total"] += r["n"]
    return list(by.values())


def star_totals(distribution: list[dict]) -> dict:
    totals = dict.fromkeys(STAR_LEVELS, 0)
    for d in distribution:
        for s, n in d["counts"].items():
            totals[s] += n
    return {"counts": totals, "total": sum(totals.values())}


def _star_trend(*, district: OrgUnit | None = None) -> list[dict]:
    qs = Assessment.objects.published().filter(cycle__status=CycleStatus.PUBLISHED)
    if district is not None:
        qs = qs.filter(district=district)
    by: dict[int, dict] = {}
    for r in qs.values("cycle__year", "stars").annotate(n=Count("id")).order_by("cycle__year"):
        y = by.setdefault(
            r["cycle__year"],
            {"year": r["cycle__year"], "counts": dict.fromkeys(STAR_LEVELS, 0), "total": 0, "avg": 0.0},
        )
        y["counts"][r["stars"]] = r["n"]
        y["total"] += r["n"]
    for r in qs.values("cycle__year").annotate(avg=Avg("total_score")).order_by():
        if r["cycle__year"] in by:
            by[r["cycle__year"]]["avg"] = float(r["avg"] or 0)
    return [by[y] for y in sorted(by)]


# ————————————————————————————— staff reads —————————————————————————————


def current_cycle() -> Cycle | None:
    return Cycle.objects.select_related("scheme").order_by("-year").first()


def cycle_years(*, user) -> list[int]:
    """The years of the cycles ``user`` may see, newest first."""
    return list(Cycle.objects.for_user(user, "view").order_by("-year").values_list("year", flat=True))


def cycle_of_year(*, user, year: int) -> Cycle | None:
    """The cycle of ``year`` if ``user`` may see it."""
    return Cycle.objects.for_user(user, "view").filter(year=year).first()


def cycle_of_scheme(*, user, scheme) -> Cycle | None:
    """The cycle started from ``scheme`` (none before it starts) if ``user`` may see it."""
    return Cycle.objects.for_user(user, "view").filter(scheme=scheme).first()


def assessment_indicators(*, assessment) -> QuerySet:
    """The indicators of the scheme an assessment is scored on, in the sheet's order (``assessment`` comes from
    the guard)."""
    from evaluations.models import Indicator

    return Indicator.objects.filter(dimension__scheme_id=assessment.cycle.scheme_id).order_by(
        "dimension__order", "order", "pk"
    )


def report_districts(*, user) -> QuerySet:
    """The districts whose summary report ``user`` may order (``SUMMARY_REPORTS`` over the district)."""
    from evaluations.models import SUMMARY_REPORTS
    from portal.selectors.orgs import orgs_for

    return orgs_for(user, SUMMARY_REPORTS, levels=[OrgLevel.DISTRICT])


def assessment_list(*, user, year: int | None = None, stage: str = "", district: str = "") -> QuerySet:
    qs = Assessment.objects.for_user(user, "view").select_related("community", "street", "district", "cycle")
    if year:
        qs = qs.filter(cycle__year=year)
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if district:
        qs = qs.filter(district__code=district)
    return qs.order_by("-cycle__year", "community__code")


def stage_counts(*, user, cycle: Cycle | None) -> dict:
    """How many assessments of the user's scope stand at each stage (one query)."""
    if cycle is None:
        return {}
    rows = (
        Assessment.objects.for_user(user, "view")
        .filter(cycle=cycle)
        .values("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {r["stage"]: r["n"] for r in rows}
    return {
        "items": [(Stage(s).label, counts.get(s, 0), s) for s in Stage.values],
        "total": sum(counts.values()),
    }


@dataclass
class IndicatorRow:
    indicator: Indicator
    score: Score
    evidence: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    figure: dict | None = None


@dataclass
class DimensionRow:
    dimension: Dimension
    rows: list[IndicatorRow]
    total: Decimal
    pct: int


def assessment_detail(*, user, pk: int) -> dict:
    """An assessment with its sheet (dimensions → indicators → score, evidence, history) in a fixed number of
    queries, and what the user may do with it."""
    a = get_scoped_or_404(
        Assessment.objects.select_related("community", "street", "district", "cycle__scheme"),
        user,
        "view",
        pk=pk,
    )
    scheme = a.cycle.scheme
    dims = list(
        scheme.dimensions.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
        ).order_by("order")
    )
    scores = {s.indicator_id: s for s in a.scores.all()}
    evidence: defaultdict[int, list[Evidence]] = defaultdict(list)
    general_evidence: list[Evidence] = []
    for e in a.evidence.all():
        (evidence[e.indicator_id] if e.indicator_id else general_evidence).append(e)
    changes = list(a.changes.select_related("indicator").order_by("at", "id"))
    by_ind_changes = defaultdict(list)
    for c in changes:
        by_ind_changes[c.indicator_id].append(c)
    figure_for = {
        EvidenceSource.ADMITTED_TASKS: a.figures.get("admission"),
        EvidenceSource.CERTIFICATES: a.figures.get("certificates"),
        EvidenceSource.REFUSALS: a.figures.get("refusals"),
        EvidenceSource.COMPLAINTS: a.figures.get("complaints"),
        EvidenceSource.APPEALS: a.figures.get("appeals"),
    }
    sheet = []
    for d in dims:
        rows = [
            IndicatorRow(
                indicator=i,
                score=scores.get(i.pk) or Score(indicator=i),
                evidence=evidence.get(i.pk, []),
                changes=by_ind_changes.get(i.pk, []),
                figure=figure_for.get(i.evidence_source),
            )
            for i in d.indicators.all()
        ]
        total = sum((r.score.value or Decimal(0) for r in rows), Decimal(0))
        pct = int(total * 100 / d.max_points) if d.max_points else 0
        sheet.append(DimensionRow(dimension=d, rows=rows, total=total, pct=pct))
    # The same rights the services ask (require_right): the stage editor's ``score`` and each action the
    # table allows from this stage, read through Assessment.objects.for_user.
    can_edit = allows(user, "score", a)
    from evaluations.choices import ASSESSMENT_WORKFLOW

    actions = [
        {"action": t.action, "label": t.label}
        for t in ASSESSMENT_WORKFLOW.available(a, user, may=lambda u, obj, t: allows(u, t.action, obj))
    ]
    return {
        "assessment": a,
        "scheme": scheme,
        "sheet": sheet,
        "changes": changes,
        "general_evidence": general_evidence,
        "events": list(a.events.order_by("at", "id")),
        "can_edit": can_edit,
        "actions": actions,
        "reason_required": a.stage in (Stage.STREET, Stage.DISTRICT, Stage.CITY),
        "star_rules": list(scheme.star_rules.order_by("-stars")),
        "deadline": a.cycle.deadline_for(a.stage),
        "rectification": Rectification.objects.filter(assessment=a).first() if a.stars == 0 else None,
    }


def scheme_sheet(scheme: Scheme) -> list[Dimension]:
    return list(
        scheme.dimensions.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
        ).order_by("order")
    )


def scheme_list(*, user) -> QuerySet:
    return (
        Scheme.objects.for_user(user, "view")
        .select_related("based_on")
        .prefetch_related("cycle")
        .order_by("-year")
    )


def rectification_list(*, user, status: str = "", year: int | None = None) -> QuerySet:
    qs = Rectification.objects.for_user(user, "view").select_related(
        "community", "assessment__street", "assessment__district", "assessment__cycle"
    )
    if status in RectificationStatus.values:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(assessment__cycle__year=year)
    return qs.order_by("-assessment__cycle__year", "community__code")


def rectification_detail(*, user, pk: int) -> dict:
    r = get_scoped_or_404(
        Rectification.objects.select_related(
            "community", "assessment__street", "assessment__district", "assessment__cycle"
        ),
        user,
        "view",
        pk=pk,
    )
    from evaluations.choices import RECTIFICATION_WORKFLOW, RectificationAction

    offered = {
        t.action
        for t in RECTIFICATION_WORKFLOW.available(r, user, may=lambda u, obj, t: allows(u, t.action, obj))
    }
    return {
        "r": r,
        "notes": list(r.notes.order_by("at", "id")),
        "can_plan": RectificationAction.PLAN in offered,
        "can_set_deadline": allows(user, "set_deadline", r),
        "can_follow": RectificationAction.FOLLOW_UP in offered,
        "can_close": RectificationAction.CLOSE in offered,
    }


def public_rectification_list(
    *, year: int | None, district: OrgUnit | None = None, limit: int | None = None
) -> list[dict]:
    """Communities without a star in a published year (the public face of the rectification list), of one
    district or the whole city, at most ``limit`` rows."""
    if year is None:
        return []
    qs = Rectification.objects.filter(assessment__cycle__year=year, assessment__stage=Stage.PUBLISHED)
    if district is not None:
        qs = qs.filter(assessment__district=district)
    qs = qs.select_related("community", "assessment__street", "assessment__district").order_by(
        "community__code"
    )
    if limit is not None:
        qs = qs[:limit]
    return [
        {
            "community": r.community.name,
            "code": r.community.code,
            "street": r.assessment.street.name,
            "district": r.assessment.district.name,
            "status": r.get_status_display(),
            "deadline": r.deadline,
        }
        for r in qs
    ]


def whitelist_entries(*, include_inactive: bool = False) -> QuerySet:
    qs = AppraisalEntry.objects.all()
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.order_by("order", "id")


def evidence_for_download(*, user, assessment_pk: int, evidence_pk: int) -> Evidence:
    a = get_scoped_or_404(Assessment, user, "view", pk=assessment_pk)
    e = Evidence.objects.filter(pk=evidence_pk, assessment=a).exclude(file="").first()
    if e is None:
        from django.http import Http404

        raise Http404("未找到该材料。")
    return e


def dashboard_context(user) -> dict:
    """The dashboard panel: the user's assessments in the current cycle and open rectifications.

    Cached until a cycle, an assessment, a rectification or an org changes (``portal.caching`` generation
    "evaluations-public"), keyed by the user's scope (``scope_key``: nothing built or compiled on a hit)."""
    from portal.caching import cached
    from portal.scope import scope_key

    def compute() -> dict:
        cycle = current_cycle()
        mine = []
        if cycle is not None:
            mine = list(assessment_list(user=user, year=cycle.year).filter(~Q(stage=Stage.PUBLISHED))[:5])
        return {
            "cycle": cycle,
            "counts": stage_counts(user=user, cycle=cycle),
            "mine": mine,
            "open_rectifications": Rectification.objects.for_user(user, "view")
            .exclude(status=RectificationStatus.DONE)
            .count(),
        }

    scope = f"{scope_key(user, Assessment)}|{scope_key(user, Rectification)}"
    return cached(PUBLIC_GENERATION, f"dashboard:{scope}", compute)


# ── read by the burden figures (reports) ──────────────────────────────────────────────────────


def counted_models() -> list[type]:
    """The models whose rows the figures count: a change to one of them makes cached figures stale."""
    return [Cycle, Assessment]


def latest_published_year(*, up_to: int) -> int | None:
    """The year of the latest published star rating no later than ``up_to``, or None."""
    return (
        Cycle.objects.filter(year__lte=up_to, published_at__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def published_assessments_under(*, year: int, path: str) -> QuerySet[Assessment]:
    """The published assessments of ``year`` of the communities under ``path``."""
    return Assessment.objects.filter(
        cycle__year=year, stage=Stage.PUBLISHED, community__path__startswith=path
    )
