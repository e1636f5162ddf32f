"""The demo data: published 2024/2025 results with different stars, and the 2026 cycle in progress."""

from evaluations.choices import CycleStatus, Stage
from evaluations.models import AppraisalEntry, Assessment, Cycle, Rectification, Scheme


def test_demo_years_and_stars(eval_demo):
    assert set(Scheme.objects.values_list("year", flat=True)) == {2024, 2025, 2026}
    assert all(s.is_locked for s in Scheme.objects.all())
    assert Cycle.objects.get(year=2025).status == CycleStatus.PUBLISHED
    assert Cycle.objects.get(year=2026).status == CycleStatus.OPEN
    stars_2025 = dict(
        Assessment.objects.filter(cycle__year=2025, district__code="120103").values_list(
            "community__code", "stars"
        )
    )
    assert len(stars_2025) >= 3
    assert {0, 5} <= set(stars_2025.values())
    assert len(set(stars_2025.values())) >= 4
    assert Rectification.objects.filter(assessment__cycle__year=2025).exists()
    mine = Assessment.objects.get(cycle__year=2026, community__code="120103001001")
    assert mine.stage == Stage.SELF
    assert AppraisalEntry.objects.count() == 10


def test_demo_loads_twice(eval_demo):
    from evaluations.demo import load_demo

    load_demo()
    assert Scheme.objects.count() == 3
