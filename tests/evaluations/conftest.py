"""Fixtures of the star-rating tests: the demo scheme input and a small open cycle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def scheme_data():
    """The demo scheme as the page or the API sends it (JSON rows), to change before parsing."""
    from evaluations.demo import scheme_data as build

    return build(year=2030, title="测试方案")


@pytest.fixture
def published_scheme(users):
    from evaluations import services
    from evaluations.demo import scheme_input

    scheme = services.scheme_save(
        actor=users["city_admin"], data=scheme_input(year=2026, title="2026年度测试方案")
    )
    return services.scheme_publish(actor=users["city_admin"], scheme_id=scheme.pk)


@pytest.fixture
def cycle(users, published_scheme):
    from evaluations import services
    from evaluations.schemas import CycleStartSchema

    today = timezone.localdate()
    data = CycleStartSchema.parse(
        {
            "self_deadline": str(today + timedelta(days=10)),
            "street_deadline": str(today + timedelta(days=20)),
            "district_deadline": str(today + timedelta(days=30)),
            "city_deadline": str(today + timedelta(days=40)),
        }
    )
    return services.cycle_start(actor=users["city_admin"], scheme_id=published_scheme.pk, data=data)


@pytest.fixture
def assessment(cycle):
    """新华南路社区 (community_staff's community, in street_staff's street) at the self-assessment stage."""
    return cycle.assessments.get(community__code="120103001001")


def scores(assessment, values: dict, reasons: dict | None = None, **more):
    """The typed input of one save of the score sheet: ``{indicator id: score}`` and reasons, as the page posts
    them, checked by the sheet's schema."""
    from evaluations import selectors
    from evaluations.schemas import ScoresSchema

    post = {f"score_{k}": v for k, v in values.items()}
    post.update({f"reason_{k}": v for k, v in (reasons or {}).items()})
    return ScoresSchema.parse(
        {**post, **more}, indicators=selectors.assessment_indicators(assessment=assessment)
    )


def step(action: str, comment: str = ""):
    """The typed input of a workflow step, checked by its schema."""
    from evaluations.schemas import TransitionSchema

    return TransitionSchema.parse({"action": action, "comment": comment})


def fill_all(assessment, user, ratio: float = 0.9):
    """Self-assess every indicator at ``ratio`` of its maximum."""
    from decimal import Decimal

    from evaluations import services

    values = {
        s.indicator_id: str((s.indicator.max_points * Decimal(str(ratio))).quantize(Decimal("0.1")))
        for s in assessment.scores.select_related("indicator")
    }
    return services.assessment_scores_update(
        actor=user, assessment_id=assessment.pk, data=scores(assessment, values)
    )


def walk(assessment, users, *, to: str = "confirmed", ratio: float = 0.9):
    """Take an assessment through the stages with the demo accounts."""
    from evaluations import services

    fill_all(assessment, users["community_staff"], ratio)
    steps = [
        ("submit", "community_staff"),
        ("street_approve", "street_staff"),
        ("district_approve", "hexi_official"),
        ("city_confirm", "city_admin"),
    ]
    stop = {"self": 0, "street": 1, "district": 2, "city": 3, "confirmed": 4}[to]
    for action, who in steps[:stop]:
        assessment = services.assessment_transition(
            actor=users[who], assessment_id=assessment.pk, data=step(action)
        )
    return assessment


@pytest.fixture
def eval_demo(demo):
    """The core demo plus this app's demo data only (faster than ``demo_full``; other apps' demo is not needed)."""
    from evaluations.demo import load_demo

    load_demo()
    return True
