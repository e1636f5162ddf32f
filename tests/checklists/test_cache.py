"""A community's lists are served from the cache until its list versions or its admissions change; a
community carrying many admitted tasks lists the first ones on its page, and all of them in the API."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from admission.choices import Status
from admission.models import TaskRequest, TaskTarget
from checklists.views import ADMITTED_ON_PAGE
from portal.models import ApprovalBody, Department, OrgUnit


def _admit(community, n: int, start: int = 0) -> None:
    dept = Department.objects.filter(org__code="120103").first() or Department.objects.first()
    district = OrgUnit.objects.get(code="120103")
    today = timezone.localdate()
    for i in range(start, start + n):
        req = TaskRequest.objects.create(
            title=f"经准入事项{i}",
            description="协助核对信息。",
            department=dept,
            requester_org=district,
            status=Status.APPROVED,
            start_date=today,
            end_date=today + timedelta(days=300),
            valid_until=today + timedelta(days=300),
            workload_hours_per_month=Decimal("1"),
            funding_amount=Decimal("100"),
            funding_source="区级财政",
            working_conditions="提供账号。",
            approval_body=ApprovalBody.objects.filter(org=district).first(),
            approved_at=timezone.now(),
            admission_no=f"津测准〔{today.year}〕{i + 1}号",
        )
        TaskTarget.objects.create(request=req, community=community)


def test_api_shows_a_new_admission_at_once(lists, api):
    community = OrgUnit.objects.get(code="120103001001")
    before = api().get("/api/v1/communities/120103001001/checklist").json()
    assert not any(i["list_type"] == "admitted" and i["title"] == "经准入事项0" for i in before["items"])
    _admit(community, 1)
    after = api().get("/api/v1/communities/120103001001/checklist")
    assert after.status_code == 200 and after["Content-Type"].startswith("application/json")
    assert "经准入事项0" in after.content.decode()  # readable Chinese
    admitted = [i for i in after.json()["items"] if i["title"] == "经准入事项0"]
    assert (
        admitted and admitted[0]["admission_no"].startswith("津测准") and admitted[0]["source"] == "admission"
    )
    TaskRequest.objects.filter(title="经准入事项0").get().delete()
    again = api().get("/api/v1/communities/120103001001/checklist").json()
    assert not any(i["title"] == "经准入事项0" for i in again["items"])


def test_page_lists_the_first_admitted_tasks_and_says_how_many_more(lists, client):
    community = OrgUnit.objects.get(code="120103001002")
    _admit(community, ADMITTED_ON_PAGE + 3)
    page = client.get("/lists/community/120103001002/").content.decode()
    assert f"经准入 {ADMITTED_ON_PAGE + 3} 项" in page
    assert "经准入事项0<" in page and f"经准入事项{ADMITTED_ON_PAGE - 1}<" in page
    assert f"经准入事项{ADMITTED_ON_PAGE + 2}<" not in page
    assert "另有 3 项经准入事项未在此列出" in page
    found = client.get("/lists/community/120103001002/", {"q": f"经准入事项{ADMITTED_ON_PAGE + 2}"})
    assert f"经准入事项{ADMITTED_ON_PAGE + 2}<" in found.content.decode()  # search reaches all of them


def test_cached_page_and_api_queries_do_not_grow_with_admitted_tasks(
    lists, client, api, django_assert_max_num_queries
):
    community = OrgUnit.objects.get(code="120103001003")
    _admit(community, 2)
    counts = {}
    for n in (2, 40):
        if n == 40:
            _admit(community, 38, start=2)
        for path in ("/lists/community/120103001003/", "/api/v1/communities/120103001003/checklist"):
            client.get(path)  # fills the cache
            with django_assert_max_num_queries(12) as ctx:
                assert client.get(path).status_code == 200
            counts[(n, path)] = len(ctx.captured_queries)
    assert counts[(2, "/lists/community/120103001003/")] == counts[(40, "/lists/community/120103001003/")]
    api_path = "/api/v1/communities/120103001003/checklist"
    assert counts[(2, api_path)] == counts[(40, api_path)]
    assert len(api().get(api_path).json()["items"]) >= 40
