"""Rights of the admission workflow as actions of the one scope mechanism: ``for_user(user, "review")`` and
``for_user(user, "decide")`` answer exactly what the services' review and decide grants allow."""

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
