"""After approval: the community's admitted tasks, verification, expiry and revocation take effect at once."""

from datetime import timedelta

from django.utils import timezone

from admission import selectors, services
from admission.choices import Status
from admission.models import TaskRequest


def test_admitted_task_shows_for_target_communities_only(flow, org):
    req = flow.approved(target_orgs=["120103001001"])
    items = selectors.admitted_tasks_for_community(community=org("120103001001"))
    assert [i.admission_no for i in items] == [req.admission_no]
    item = items[0]
    assert (
        item.list_type == "admitted"
        and item.id == f"adm-{req.pk}"
        and item.department == "河西区卫生健康委员会"
    )
    assert item.valid_until == req.valid_until and "2000" in item.content
    assert selectors.admitted_tasks_for_community(community=org("120103001002")) == []
    assert selectors.admission_valid_for_community(
        admission_no=req.admission_no, community=org("120103001001")
    )
    assert (
        selectors.admission_valid_for_community(admission_no=req.admission_no, community=org("120103001002"))
        is None
    )


def test_not_yet_approved_is_not_admitted(flow, org):
    flow.in_decision(target_orgs=["120103001001"])
    assert selectors.admitted_tasks_for_community(community=org("120103001001")) == []


def test_lookup_and_covers(flow, org):
    req = flow.approved(target_orgs=["120103001001"])
    info = selectors.admission_lookup(admission_no=req.admission_no)
    assert info["status"] == "valid" and info["scope"] == ["120103001001"]
    assert info["covers"](org("120103001001")) and not info["covers"](org("120103001002"))
    assert info["valid_from"] == req.start_date
    assert selectors.admission_lookup(admission_no="津河西准〔1999〕9号") is None


def test_expiry_takes_effect_at_once_and_job_marks_it(flow, org):
    req = flow.approved(target_orgs=["120103001001"])
    TaskRequest.objects.filter(pk=req.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert selectors.admitted_tasks_for_community(community=org("120103001001")) == []
    assert selectors.admission_lookup(admission_no=req.admission_no)["status"] == "expired"
    assert services.admissions_expire_due() == 1
    assert TaskRequest.objects.get(pk=req.pk).status == Status.EXPIRED
    assert services.admissions_expire_due() == 0


def test_revocation_takes_effect_at_once(flow, org, users):
    req = flow.approved(target_orgs=["120103001001"])
    services.task_request_revoke(actor=users["hexi_approver"], request_id=req.pk, reason="不再需要")
    assert selectors.admitted_tasks_for_community(community=org("120103001001")) == []
    info = selectors.admission_lookup(admission_no=req.admission_no)
    assert info["status"] == "revoked" and info["revoke_reason"] == "不再需要"


def test_stats_for_community(flow, org):
    flow.approved(target_orgs=["120103001001"])
    year = timezone.localdate().year
    assert selectors.admission_stats_for_community(community=org("120103001001"), year=year) == {
        "admitted_tasks": 1
    }
    assert selectors.admission_stats_for_community(community=org("120103001002"), year=year) == {
        "admitted_tasks": 0
    }


def test_task_check_and_checklist_use_the_selectors(flow, org):
    """When the checklists and taskcheck apps are wired, the community's list and the check agree."""
    req = flow.approved(target_orgs=["120103001001"])
    from checklists.selectors import community_checklist
    from taskcheck.engine import evaluate_task

    items = community_checklist(community=org("120103001001"))
    assert items, "the community's checklist is empty: the approved task must be on it"
    assert any(i.admission_no == req.admission_no for i in items)
    assert (
        evaluate_task(title=req.title, community=org("120103001001"), admission_no=req.admission_no).verdict
        == "admitted"
    )
    assert (
        evaluate_task(title=req.title, community=org("120103002001"), admission_no=req.admission_no).verdict
        == "not_admitted"
    )


def test_request_list_filters(flow, users):
    a = flow.submitted(title="甲事项")
    flow.submitted(title="乙事项")
    flow.create(title="丙草稿")  # a draft: its department's alone until submitted
    city = flow.submitted("city_stats", title="市级事项")
    TaskRequest.objects.filter(pk=a.pk).update(stage_due=timezone.localdate() - timedelta(days=2))
    official = users["hexi_official"]
    assert {r.title for r in selectors.request_list(user=official)} == {"甲事项", "乙事项"}
    assert {r.title for r in selectors.request_list(user=official, status="consultation")} == {
        "甲事项",
        "乙事项",
    }
    assert [r.title for r in selectors.request_list(user=official, overdue=True)] == ["甲事项"]
    assert [r.title for r in selectors.request_list(user=official, department="12010302", q="乙")] == [
        "乙事项"
    ]
    assert "丙草稿" in {r.title for r in selectors.request_list(user=users["hexi_health"])}
    assert city.pk in {r.pk for r in selectors.request_list(user=users["city_admin"])}


def test_inbox_per_role(flow, users):
    consult = flow.submitted(title="待反馈事项", target_orgs=["120103001001"])
    review = flow.in_review(title="待审查事项", target_orgs=["120103001001"])
    decision = flow.in_decision(title="待决定事项", target_orgs=["120103001001"])
    draft = flow.create(title="草稿")

    def ids(name):
        return {r.pk for r in selectors.inbox(user=users[name])}

    assert ids("community_staff") == {consult.pk}
    assert ids("community_staff2") == set()
    assert ids("hexi_official") == {review.pk}
    assert ids("hexi_approver") == {decision.pk}
    assert ids("hexi_health") == {draft.pk}
    assert ids("nankai_official") == set() and ids("city_approver") == set()
