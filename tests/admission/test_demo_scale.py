"""Demo data, scale generation and bench endpoints."""

from io import StringIO

from django.utils import timezone

from admission import scale, selectors
from admission.choices import Status
from admission.models import AdmissionCounter, TaskRequest, TaskTarget
from portal.models import OrgUnit


def test_demo_has_requests_in_various_states_and_an_admitted_task(demo):
    from admission.demo import load_demo
    from portal.models import OrgUnit

    load_demo()
    load_demo()  # idempotent
    statuses = set(TaskRequest.objects.values_list("status", flat=True))
    assert {Status.APPROVED, Status.CONSULTATION, Status.REVIEW, Status.DRAFT} <= statuses
    items = selectors.admitted_tasks_for_community(community=OrgUnit.objects.get(code="120103001001"))
    assert len(items) == 1 and items[0].admission_no == f"津河西准〔{timezone.localdate().year}〕1号"
    assert TaskRequest.objects.order_by("pk").first().status == Status.APPROVED  # bench uses id 1's position


def test_scale_generate_bulk(demo, monkeypatch):
    import portal.scale

    # 250 tasks at "full scale" = as many communities as the demo has.
    monkeypatch.setattr(
        portal.scale, "DEFAULT_COMMUNITIES", OrgUnit.objects.filter(level="community").count()
    )
    monkeypatch.setattr(scale, "TOTAL", 250)
    monkeypatch.setattr(scale, "BATCH", 100)
    out = StringIO()
    scale.generate(stdout=out)
    assert TaskRequest.objects.filter(status=Status.APPROVED).count() == 250
    assert TaskTarget.objects.count() == 250
    numbers = list(TaskRequest.objects.values_list("admission_no", flat=True))
    assert len(set(numbers)) == 250
    hexi = AdmissionCounter.objects.get(body__org__code="120103", year=timezone.localdate().year)
    assert TaskRequest.objects.filter(approval_body=hexi.body).count() == hexi.last
    scale.generate(stdout=out)  # idempotent
    assert TaskRequest.objects.count() == 250


def test_bench_endpoints_are_valid():
    from admission.bench import ENDPOINTS
    from bench.discovery import validate

    assert all(validate(e) is None for e in ENDPOINTS)


def test_scale_generate_is_proportional_to_the_communities(demo, monkeypatch):
    """A small-scale database (fewer communities than Tianjin) gets the same density, not the same total."""
    import portal.scale

    communities = OrgUnit.objects.filter(level="community").count()
    monkeypatch.setattr(portal.scale, "DEFAULT_COMMUNITIES", communities * 10)
    monkeypatch.setattr(scale, "TOTAL", 1000)
    before = TaskRequest.objects.count()
    scale.generate(stdout=StringIO())
    assert TaskRequest.objects.count() - before == 100
