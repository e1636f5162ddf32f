"""The named legal reviewer (合法性审查人, issue 12.1): the district reviewer assigns a staff user of the district
(here a lawyer of 河西区司法局), who may then open the request and record a legal-review opinion while it is under
review — shown on the page and in the history — and nothing else; unassigning or finishing the review takes it
away at once."""

from __future__ import annotations

import pytest

from admission.models import HistoryEntry
from portal.choices import Role
from portal.models import AuditEntry, User
from portal.models.assignments import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer(demo):
    """The demo's lawyer of 河西区司法局 (department staff of the district)."""
    user = User.objects.get(username="hexi_justice")
    assert (
        user.roles.get().role == Role.DEPARTMENT_STAFF and user.roles.get().department.name == "河西区司法局"
    )
    return user


@pytest.fixture
def in_review(flow):
    return flow.in_review()


def assign(page_client, req, user):
    return page_client("hexi_official").post(
        f"/admission/{req.pk}/legal-reviewer/", {"assignee": user.pk, "reason": "请审查法律依据"}
    )


def test_the_reviewer_names_a_legal_reviewer_who_records_an_opinion(page_client, in_review, lawyer):
    req = in_review
    reviewer_page = page_client("hexi_official").get(f"/admission/{req.pk}/").content.decode()
    assert 'data-testid="legal-assign"' in reviewer_page and lawyer.display_name in reviewer_page
    assert page_client("hexi_justice").get(f"/admission/{req.pk}/").status_code == 404

    assert assign(page_client, req, lawyer).status_code == 302
    assert Assignment.objects.get().assignee == lawyer

    page = page_client("hexi_justice").get(f"/admission/{req.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="send-legal-opinion"' in html
    assert 'data-testid="send-review"' not in html and 'data-testid="legal-assign"' not in html

    r = page_client("hexi_justice").post(
        f"/admission/{req.pk}/legal-opinion/", {"opinion": "该事项无法律法规依据，建议不予准入。"}
    )
    assert r.status_code == 302
    row = HistoryEntry.objects.get(request=req, action="legal_opinion")
    assert row.actor == lawyer and row.role == "legal_reviewer" and row.to_status == "review"
    reviewer_page = page_client("hexi_official").get(f"/admission/{req.pk}/").content.decode()
    assert "该事项无法律法规依据，建议不予准入。" in reviewer_page
    assert "合法性审查人" in reviewer_page


def test_the_legal_reviewer_may_not_review(page_client, in_review, lawyer):
    req = in_review
    assign(page_client, req, lawyer)
    r = page_client("hexi_justice").post(
        f"/admission/{req.pk}/review/", {"legality": "pass", "reasonableness": "pass", "comment": ""}
    )
    assert r.status_code == 403
    req.refresh_from_db()
    assert req.status == "review"


def test_no_one_else_records_a_legal_opinion(page_client, in_review, lawyer):
    req = in_review
    assign(page_client, req, lawyer)
    # the reviewer sees the request but was not named: 403; another district: 404
    assert (
        page_client("hexi_official").post(f"/admission/{req.pk}/legal-opinion/", {"opinion": "x"}).status_code
        == 403
    )
    assert (
        page_client("nankai_official")
        .post(f"/admission/{req.pk}/legal-opinion/", {"opinion": "x"})
        .status_code
        == 404
    )
    assert not HistoryEntry.objects.filter(request=req, action="legal_opinion").exists()


def test_unassigning_takes_the_request_away_at_once(page_client, in_review, lawyer):
    req = in_review
    assign(page_client, req, lawyer)
    assert page_client("hexi_justice").get(f"/admission/{req.pk}/").status_code == 200
    r = page_client("hexi_official").post(
        f"/admission/{req.pk}/legal-reviewer/end/", {"assignment": Assignment.objects.get().pk}
    )
    assert r.status_code == 302
    assert page_client("hexi_justice").get(f"/admission/{req.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="portal.assignment_end").count() == 1


def test_the_review_outcome_ends_the_assignment(users, page_client, in_review, lawyer):
    from admission import services

    req = in_review
    assign(page_client, req, lawyer)
    services.task_request_review(
        actor=users["hexi_official"], request_id=req.pk, legality="pass", reasonableness="pass"
    )
    assert Assignment.objects.get().ended_at is not None
    assert page_client("hexi_justice").get(f"/admission/{req.pk}/").status_code == 404


def test_a_legal_reviewer_outside_the_district_is_refused_in_chinese(users, page_client, in_review):
    r = page_client("hexi_official").post(
        f"/admission/{in_review.pk}/legal-reviewer/",
        {"assignee": users["nankai_official"].pk, "reason": ""},
        follow=True,
    )
    assert "合法性审查人须为申请部门所在区（市）的工作人员。" in r.content.decode()
    assert not Assignment.objects.exists()


def test_only_a_request_under_review_gets_a_legal_reviewer(users, flow, lawyer):
    from portal.errors import ConflictError
    from portal.services import assignments

    req = flow.submitted()
    with pytest.raises(ConflictError, match="只有审查阶段的申请可以指派合法性审查人"):
        assignments.assign(
            actor=users["hexi_official"], obj=req, assignee=lawyer, actions=["view", "legal_review"]
        )
    assert not Assignment.objects.exists()


def test_the_api_names_and_ends_a_legal_reviewer(api, users, in_review, lawyer):
    """GET/POST/DELETE /api/v1/task-requests/{id}/assignments: the reviewer names the lawyer, who then sees the
    request; the requesting department sees who reviews it and cannot name anyone."""
    req = in_review
    url = f"/api/v1/task-requests/{req.pk}/assignments"
    assert api("hexi_justice").get(f"/api/v1/task-requests/{req.pk}").status_code == 404
    assert api("hexi_health").post(url, {"assignee": lawyer.pk}).status_code == 403
    assert api("nankai_official").post(url, {"assignee": lawyer.pk}).status_code == 404

    r = api("hexi_official").post(url, {"assignee": lawyer.pk, "reason": "请审查法律依据"})
    assert r.status_code == 201, r.content
    assert r.json()["assignee"]["username"] == "hexi_justice" and r.json()["reason"] == "请审查法律依据"
    assert api("hexi_justice").get(f"/api/v1/task-requests/{req.pk}").status_code == 200
    seen = api("hexi_health").get(url).json()
    assert seen["count"] == 1 and seen["results"][0]["assignee"]["name"] == lawyer.display_name
    again = api("hexi_official").post(url, {"assignee": lawyer.pk})  # already named: nothing changes
    assert again.status_code == 201 and again.json()["id"] == r.json()["id"]
    r = api("hexi_official").post(url, {"assignee": users["nankai_official"].pk})
    assert r.status_code == 400 and "合法性审查人须为申请部门所在区" in r.json()["error"]["message"]

    ended = api("hexi_official").delete(f"{url}/{again.json()['id']}")
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert api("hexi_justice").get(f"/api/v1/task-requests/{req.pk}").status_code == 404
    assert api("hexi_official").get(url).json()["count"] == 0
