"""Tianjin-scale data: published star ratings for every community (called after the core scale data exists).

Uses the 2025 published scheme and cycle (creating them when the demo is not loaded) and adds an assessment for
each community that has none, with a star distribution like Tianjin's 2020 rating (of 1,639 communities:
five stars 161, four 647, three 670, none 161), ranks, award marks and the rectification list."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from evaluations.choices import CycleStatus, Stage
from evaluations.models import Assessment, Cycle, Rectification, Scheme

YEAR = 2025
# Share of five, four, three, two, one, no star (2020: 161/647/670/—/—/161 of 1,639; the rest spread thinly).
SHARES = [(5, 0.098), (4, 0.39), (3, 0.40), (2, 0.01), (1, 0.004), (0, 0.098)]
# A total that lands in each band with the demo thresholds (5: ≥450, 4: ≥400, 3: ≥350, 2: ≥300, 1: ≥250).
BANDS = {5: (452, 495), 4: (402, 448), 3: (352, 398), 2: (302, 348), 1: (252, 298), 0: (180, 248)}


def _scheme_and_cycle(stdout) -> Cycle:
    cycle = Cycle.objects.filter(year=YEAR).first()
    if cycle is not None:
        return cycle
    from evaluations import services
    from evaluations.demo import scheme_input
    from portal.models import User

    actor = User.objects.filter(is_superuser=True).first()
    scheme = Scheme.objects.filter(year=YEAR).first()
    if scheme is None:
        scheme = services.scheme_save(actor=actor, data=scheme_input(year=YEAR))
    if not scheme.is_locked:
        services.scheme_publish(actor=actor, scheme_id=scheme.pk)
    stdout.write(f"evaluations: created the {YEAR} scheme and cycle\n")
    return Cycle.objects.create(
        scheme=scheme,
        year=YEAR,
        status=CycleStatus.PUBLISHED,
        self_deadline=date(YEAR, 10, 31),
        street_deadline=date(YEAR, 11, 20),
        district_deadline=date(YEAR, 12, 5),
        city_deadline=date(YEAR, 12, 20),
        published_at=timezone.now(),
    )


def generate(*, stdout) -> int:
    from evaluations.services import assign_ranks
    from portal.models import OrgUnit

    rng = random.Random(2025)
    with transaction.atomic():
        cycle = _scheme_and_cycle(stdout)
        have = set(Assessment.objects.filter(cycle=cycle).values_list("community_id", flat=True))
        communities = list(
            OrgUnit.objects.filter(
                level="community", parent__level="street", parent__parent__level="district"
            )
            .exclude(pk__in=have)
            .values_list("pk", "parent_id", "parent__parent_id")
        )
        dims = list(cycle.scheme.dimensions.order_by("order").values_list("pk", "max_points"))
        new = []
        for pk, street_id, district_id in communities:
            stars = rng.choices([s for s, _ in SHARES], weights=[w for _, w in SHARES])[0]
            lo, hi = BANDS[stars]
            total = Decimal(rng.randint(lo * 10, hi * 10)) / 10
            share = total / sum(m for _, m in dims)
            dim_scores = {str(d): str((m * share).quantize(Decimal("0.1"))) for d, m in dims}
            new.append(
                Assessment(
                    cycle=cycle,
                    community_id=pk,
                    street_id=street_id,
                    district_id=district_id,
                    stage=Stage.PUBLISHED,
                    total_score=total,
                    stars=stars,
                    award=stars == 5,
                    dimension_scores=dim_scores,
                )
            )
        Assessment.objects.bulk_create(new, batch_size=2000)
        everything = list(
            Assessment.objects.filter(cycle=cycle).only("pk", "total_score", "district_id", "street_id")
        )
        assign_ranks(everything)
        Assessment.objects.bulk_update(
            everything, ["rank_city", "rank_district", "rank_street"], batch_size=2000
        )
        no_star = list(
            Assessment.objects.filter(cycle=cycle, stars=0, rectification__isnull=True).values_list(
                "pk", "community_id"
            )
        )
        Rectification.objects.bulk_create(
            [
                Rectification(assessment_id=pk, community_id=c, deadline=date(YEAR + 1, 3, 31))
                for pk, c in no_star
            ],
            batch_size=2000,
        )
    stdout.write(
        f"evaluations: {len(new)} published ratings for {YEAR}, {len(no_star)} on the rectification list\n"
    )
    return len(new)
