"""Stars and ranks: the star level a total earns, the recomputation of an assessment, competition ranking."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from evaluations.models import (
    Assessment,
    Scheme,
    Score,
)


def compute_stars(*, total: Decimal, dimension_scores: dict, dimension_max: dict, rules) -> int:
    """The highest star level whose thresholds are met (0 when none: the community goes to rectification)."""
    for rule in sorted(rules, key=lambda r: -r.stars):
        if Decimal(str(total)) < Decimal(str(rule.min_total)):
            continue
        ok = True
        for dim_id, max_points in dimension_max.items():
            got = Decimal(str(dimension_scores.get(str(dim_id), 0) or 0))
            if max_points and got * 100 < Decimal(rule.min_dimension_pct) * Decimal(str(max_points)):
                ok = False
                break
        if ok:
            return rule.stars
    return 0


def _recompute(assessment: Assessment, scores: list[Score], scheme: Scheme) -> None:
    dims: dict[str, Decimal] = defaultdict(Decimal)
    dim_max = {d.pk: d.max_points for d in scheme.dimensions.all()}
    for s in scores:
        dims[str(s.indicator.dimension_id)] += s.value or Decimal(0)
    total = sum(dims.values(), Decimal(0))
    assessment.dimension_scores = {k: str(v) for k, v in dims.items()}
    assessment.total_score = total
    assessment.stars = compute_stars(
        total=total,
        dimension_scores=assessment.dimension_scores,
        dimension_max=dim_max,
        rules=list(scheme.star_rules.all()),
    )


def assign_ranks(assessments: list) -> None:
    """Competition ranking (1, 2, 2, 4 …) by total score within the city, each district and each street."""

    def rank(group: list, attr: str) -> None:
        ordered = sorted(group, key=lambda a: -Decimal(str(a.total_score)))
        prev, prev_rank = None, 0
        for i, a in enumerate(ordered, start=1):
            score = Decimal(str(a.total_score))
            if score != prev:
                prev, prev_rank = score, i
            setattr(a, attr, prev_rank)

    rank(assessments, "rank_city")
    by_district: dict = defaultdict(list)
    by_street: dict = defaultdict(list)
    for a in assessments:
        by_district[a.district_id].append(a)
        by_street[a.street_id].append(a)
    for group in by_district.values():
        rank(group, "rank_district")
    for group in by_street.values():
        rank(group, "rank_street")
