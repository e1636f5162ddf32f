"""Rights of the admission workflow as actions of the one scope mechanism: ``for_user(user, "review")``,
``"decide"`` and ``"revoke"`` answer exactly what the services allow, and the request's page offers each user
exactly the actions of the table whose right they hold."""

import pytest

from admission import services
from admission.models import TaskRequest
from portal.models import User


def test_review_and_decide_are_scope_actions_that_agree_with_the_grants(demo_full, users):
    requests = list(TaskRequest.objects.select_related("requester_org"))
    assert requests
    checked = {"review": 0, "decide": 0}
    for user in User.objects.filter(is_superuser=False):
        for action, grant_of in (("review", services.review_grant), ("decide", services.decide_grant)):
            scoped = set(TaskRequest.objects.for_user(user, action).values_list("pk", flat=True))
            granted = {r.pk for r in requests if grant_of(user, r) is not None}
            assert scoped == granted, (user.username, action)
            checked[action] += len(granted)
    assert checked["review"] and checked["decide"]  # the demo has requests someone may review and decide


def test_the_department_and_the_reviewer_are_outside_the_acting_scope(demo_full, users):
    req = TaskRequest.objects.filter(status="review", requester_org__code="120103").first()
    assert TaskRequest.objects.for_user(users["hexi_official"], "review").filter(pk=req.pk).exists()
    assert TaskRequest.objects.for_user(users["hexi_approver"], "decide").filter(pk=req.pk).exists()
    for username in ("hexi_health", "nankai_official", "city_admin", "hexi_approver", "resident"):
        assert not TaskRequest.objects.for_user(users[username], "review").filter(pk=req.pk).exists(), (
            username
        )
    for username in ("hexi_official", "nankai_official", "hexi_health", "city_approver"):
        assert not TaskRequest.objects.for_user(users[username], "decide").filter(pk=req.pk).exists(), (
            username
        )
    req.reviewed_by = users["hexi_approver"]
    req.save(update_fields=["reviewed_by"])
    assert not TaskRequest.objects.for_user(users["hexi_approver"], "decide").filter(pk=req.pk).exists()


def test_the_services_act_under_the_scope_right(demo_full, users):
    """Review and decide are refused or allowed by for_user; the grant only names the role the history shows.
    A superuser holds every scope right but acts under no grant, so the services still refuse them."""
    from admission.services.rights import acting_grant

    req = TaskRequest.objects.filter(status="review", requester_org__code="120103").first()
    assert acting_grant(users["hexi_official"], req, "review").role == "district_official"
    assert acting_grant(users["hexi_approver"], req, "decide").org_name == "河西区"
    for username in ("nankai_official", "hexi_health", "hexi_approver"):
        assert acting_grant(users[username], req, "review") is None, username
    assert acting_grant(User.objects.get(username="admin"), req, "review") is None


def test_revoke_is_a_scope_action_of_the_approver_at_the_requesters_level(demo_full, users):
    """for_user(user, "revoke"): the approver at the requester's own level (city or district), never the
    requesting department itself — for every demo user and request."""
    from portal.scope import grants_for

    requests = list(TaskRequest.objects.select_related("requester_org"))
    revocable = 0
    for user in User.objects.filter(is_superuser=False):
        scoped = set(TaskRequest.objects.for_user(user, "revoke").values_list("pk", flat=True))
        expected = set()
        for r in requests:
            role = "city_approver" if r.requester_org.level == "city" else "district_approver"
            own = any(g.department_id == r.department_id for g in grants_for(user, {"department_staff"}))
            at_level = any(g.org_id == r.requester_org_id for g in grants_for(user, {role}))
            if at_level and not own:
                expected.add(r.pk)
        assert scoped == expected, user.username
        revocable += len(expected)
    assert revocable


def test_revoke_is_refused_to_all_but_the_approver_and_changes_nothing(flow, users):
    from portal.errors import PermissionDeniedError

    req = flow.approved()
    for username in ("hexi_official", "hexi_health", "city_approver", "nankai_official"):
        with pytest.raises(PermissionDeniedError):
            services.task_request_revoke(actor=users[username], request_id=req.pk, reason="不再需要")
    with pytest.raises(PermissionDeniedError):  # every scope right, but no grant to act under
        services.task_request_revoke(actor=User.objects.get(username="admin"), request_id=req.pk, reason="x")
    assert TaskRequest.objects.get(pk=req.pk).status == "approved"
    services.task_request_revoke(actor=users["hexi_approver"], request_id=req.pk, reason="不再需要")
    assert TaskRequest.objects.get(pk=req.pk).status == "revoked"


def test_the_rights_are_no_public_helpers_of_the_services():
    assert not hasattr(services, "_level_grant") and "_level_grant" not in services.__all__


def test_a_task_request_has_no_right_nobody_declared(users):
    with pytest.raises(ValueError):
        TaskRequest.objects.for_user(users["hexi_official"], "approve")


# --- the page offers exactly the actions of the table the user may take ----------------------------------

#: data-testid of each action on the request's page → the workflow action it takes
PAGE_ACTIONS = {
    "edit-request": "edit",
    "submit-request": "submit",
    "withdraw-request": "withdraw",
    "opinion-form": "opinion",
    "review-form": "review",
    "decision-form": "decide",
    "revoke-form": "revoke",
}


def _offered(page_client, username, req) -> set[str] | None:
    """The actions the request's page offers ``username`` (None: the page does not exist for them)."""
    r = page_client(username).get(f"/admission/{req.pk}/")
    if r.status_code == 404:
        return None
    assert r.status_code == 200, username
    html = r.content.decode()
    return {action for testid, action in PAGE_ACTIONS.items() if f'data-testid="{testid}"' in html}


def _check_page(page_client, req, expected: dict):
    seen = {username: _offered(page_client, username, req) for username in expected}
    assert seen == expected, req.status


def test_each_role_is_offered_exactly_its_actions_on_a_district_request(flow, users, page_client):
    req = flow.create(target_orgs=["120103001001"])
    _check_page(
        page_client,
        req,
        {"hexi_health": {"edit", "submit", "withdraw"}, "hexi_official": None, "admin": set()},
    )
    req = services.task_request_submit(actor=users["hexi_health"], request_id=req.pk)
    _check_page(
        page_client,
        req,
        {
            "hexi_health": {"withdraw"},
            "street_staff": {"opinion"},
            "community_staff": {"opinion"},
            "community_staff2": None,
            "hexi_official": set(),
            "hexi_approver": set(),
            "admin": set(),
        },
    )
    services.task_request_opinion(actor=users["community_staff"], request_id=req.pk, opinion="agree")
    _check_page(page_client, req, {"community_staff": set(), "street_staff": {"opinion"}})
    req = flow.answer_all(req)
    assert req.status == "review"
    _check_page(
        page_client,
        req,
        {
            "hexi_official": {"review"},
            "hexi_approver": set(),
            "hexi_health": set(),
            "city_admin": set(),
            "street_staff": set(),
            "admin": set(),
        },
    )
    req = services.task_request_review(
        actor=users["hexi_official"], request_id=req.pk, legality="pass", reasonableness="pass"
    )
    _check_page(
        page_client,
        req,
        {"hexi_approver": {"decide"}, "hexi_official": set(), "city_approver": set(), "hexi_health": set()},
    )
    req = services.task_request_decide(actor=users["hexi_approver"], request_id=req.pk, decision="approve")
    _check_page(
        page_client,
        req,
        {
            "hexi_approver": {"revoke"},
            "hexi_official": set(),
            "hexi_health": set(),
            "city_approver": set(),
            "nankai_official": None,
            "admin": set(),
        },
    )
    req = services.task_request_revoke(actor=users["hexi_approver"], request_id=req.pk, reason="不再需要")
    _check_page(page_client, req, {"hexi_approver": set(), "hexi_health": set()})


def test_a_city_request_is_reviewed_decided_and_revoked_at_the_city(flow, page_client):
    req = flow.in_review("city_stats", target_orgs=["120103001001"])
    _check_page(page_client, req, {"city_admin": {"review"}, "hexi_official": None, "city_stats": set()})
    req = flow.approved("city_stats", reviewer="city_admin", approver="city_approver", title="市级事项")
    _check_page(page_client, req, {"city_approver": {"revoke"}, "hexi_approver": None, "city_admin": set()})
