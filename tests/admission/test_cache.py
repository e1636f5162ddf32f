"""Admission lists, counts and a community's admitted tasks are cached until a request changes
(portal.caching generation "admission"); every change shows at once."""

from admission import selectors, services


def test_request_list_count_follows_new_requests(flow, users):
    official = users["hexi_health"]  # drafts are seen by their department only
    flow.create(title="甲事项")
    before = selectors.request_list(user=official)
    assert before.count() == 1 and [r.title for r in before[0:30]] == ["甲事项"]
    flow.create(title="乙事项")
    after = selectors.request_list(user=official)
    assert after.count() == 2
    assert [r.title for r in after[0:30]] == ["乙事项", "甲事项"]


def test_request_list_shows_a_status_change_at_once(flow, users):
    official = users["hexi_health"]
    req = flow.create(title="甲事项")
    assert selectors.request_list(user=official, status="draft").count() == 1
    services.task_request_submit(actor=users["hexi_health"], request_id=req.pk)
    assert selectors.request_list(user=official, status="draft").count() == 0
    assert selectors.request_list(user=official, status="consultation").count() == 1


def test_admitted_items_follow_approval_and_revocation(flow, org, users):
    community = org("120103001001")
    assert selectors.admitted_tasks_for_community(community=community) == []  # cached empty
    req = flow.approved(target_orgs=["120103001001"])
    assert [i.admission_no for i in selectors.admitted_tasks_for_community(community=community)] == [
        req.admission_no
    ]
    services.task_request_revoke(actor=users["hexi_approver"], request_id=req.pk, reason="不再需要")
    assert selectors.admitted_tasks_for_community(community=community) == []


def test_dashboard_figures_follow_changes(flow, users):
    official = users["hexi_official"]
    before = selectors.dashboard_figures(user=official)
    flow.submitted(title="甲事项")
    after = selectors.dashboard_figures(user=official)
    assert after["active"] == before["active"] + 1


def test_request_list_page_queries_do_not_grow_with_requests(
    flow, page_client, django_assert_max_num_queries
):
    c = page_client("hexi_health")
    for i in range(3):
        flow.create(title=f"事项{i}")
    assert c.get("/admission/").status_code == 200  # fills the cache (count and page ids)
    with django_assert_max_num_queries(12) as few:
        assert c.get("/admission/").status_code == 200
    for i in range(3, 35):
        flow.create(title=f"事项{i}")
    assert c.get("/admission/").status_code == 200
    with django_assert_max_num_queries(12) as many:
        r = c.get("/admission/")
    assert r.status_code == 200 and "事项34" in r.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_moving_an_org_drops_the_cached_lists(flow, users):
    from portal.caching import generation

    staff = users["hexi_health"]
    flow.create(title="甲事项")
    assert selectors.request_list(user=staff).count() == 1
    before = generation("admission")
    from portal.models import OrgUnit

    org = OrgUnit.objects.get(code="120103001000")
    org.name = org.name + "（更名）"
    org.save()
    assert generation("admission") > before
