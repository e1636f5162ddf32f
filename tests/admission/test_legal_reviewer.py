"""The named legal reviewer (合法性审查人, issue 12.1): the district reviewer assigns a staff user of the district
(here a lawyer of 河西区司法局), who may then open the request and record a legal-review opinion while it is under
review — shown on the page and in the history — and nothing else; unassigning or finishing the review takes it
away at once."""

from __future__ import annotations

import pytest

from admission.models import HistoryEntry
from portal.choices import Role
from portal.models import AuditEntry, OrgUnit
from portal.models.assignments import Assignment
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer(demo):
    hexi = OrgUnit.objects.get(code="120103")
    justice = DepartmentFactory(org=hexi, code="12010309", name="河西区司法局")
    return UserFactory(
        username="hexi_justice", real_name="钱律明", roles=[(Role.DEPARTMENT_STAFF, hexi, justice)]
    )


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
