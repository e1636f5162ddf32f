"""On-site verification (指派核查, issue 12.1): the bureau assigns a complaint to a street official of its district,
who then finds it in their list, opens it and records a verification note — and nothing else; unassigning or
finishing the complaint takes that away at once."""

from __future__ import annotations

import pytest

from portal.models import AuditEntry
from portal.models.assignments import Assignment
from supervision import schemas as sv
from supervision import services
from supervision.models import Complaint, ComplaintEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(users, file_complaint):
    c = file_complaint()
    services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    return Complaint.objects.get(pk=c.pk)


def assign(page_client, c, assignee, reason="请现场核实"):
    return page_client("hexi_official").post(
        f"/supervision/complaints/{c.pk}/assign/", {"assignee": assignee.pk, "reason": reason}
    )


def test_the_bureau_assigns_and_the_verifier_sees_and_notes(users, page_client, accepted):
    c, street = accepted, users["street_staff"]
    bureau_page = page_client("hexi_official").get(f"/supervision/complaints/{c.pk}/").content.decode()
    assert "指派核查" in bureau_page and street.display_name in bureau_page

    assert assign(page_client, c, street).status_code == 302
    assert Assignment.objects.get().assignee == street
    bureau_page = page_client("hexi_official").get(f"/supervision/complaints/{c.pk}/").content.decode()
    assert 'data-testid="verifier"' in bureau_page and 'data-testid="unassign"' in bureau_page

    verifier = page_client("street_staff")
    listing = verifier.get("/supervision/complaints/")
    assert listing.status_code == 200 and f"/supervision/complaints/{c.pk}/" in listing.content.decode()
    assert (
        "指派给我的核查" in listing.content.decode()
        and "/supervision/complaints/export.csv" not in listing.content.decode()
    )
    page = verifier.get(f"/supervision/complaints/{c.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="add-note"' in html
    # nothing else: no other step, no complainant, no assignment form
    for other in ("accept", "verdict", "request-statement", "reveal", "assign", "unassign", "identity"):
        assert f'data-testid="{other}"' not in html

    r = verifier.post(f"/supervision/complaints/{c.pk}/note/", {"comment": "已到社区核实，情况属实。"})
    assert r.status_code == 302
    event = ComplaintEvent.objects.filter(complaint=c, action="note").get()
    assert event.actor == street and event.role == "verifier"


def test_the_verifier_cannot_take_the_bureaus_steps(users, page_client, accepted):
    c = accepted
    assign(page_client, c, users["street_staff"])
    verifier = page_client("street_staff")
    verifier.post(f"/supervision/complaints/{c.pk}/verdict/", {"substantiated": "no", "reason": "不属实"})
    verifier.post(f"/supervision/complaints/{c.pk}/unassign/", {"assignment": Assignment.objects.get().pk})
    assert verifier.post(f"/supervision/complaints/{c.pk}/reveal/").status_code == 404
    c.refresh_from_db()
    assert c.status == "investigating"
    assert Assignment.objects.get().ended_at is None


def test_a_third_user_does_not_find_it(users, page_client, accepted):
    assign(page_client, accepted, users["street_staff"])
    other = page_client("community_staff2")
    assert other.get(f"/supervision/complaints/{accepted.pk}/").status_code == 404
    assert other.get("/supervision/complaints/").status_code == 404


def test_unassigning_closes_the_page_at_once(users, page_client, accepted):
    c = accepted
    assign(page_client, c, users["street_staff"])
    verifier = page_client("street_staff")
    assert verifier.get(f"/supervision/complaints/{c.pk}/").status_code == 200

    r = page_client("hexi_official").post(
        f"/supervision/complaints/{c.pk}/unassign/", {"assignment": Assignment.objects.get().pk}
    )
    assert r.status_code == 302
    assert verifier.get(f"/supervision/complaints/{c.pk}/").status_code == 404
    assert (
        verifier.post(f"/supervision/complaints/{c.pk}/note/", {"comment": "晚到的记录"}).status_code == 404
    )
    assert not ComplaintEvent.objects.filter(complaint=c, action="note").exists()


def test_finishing_the_complaint_ends_the_verification(users, page_client, accepted):
    c = accepted
    assign(page_client, c, users["street_staff"])
    services.complaint_verdict(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.VerdictSchema.parse({"substantiated": "no", "reason": "经核实，该事项属于协助清单。"}),
    )
    assert Assignment.objects.get().ended_at is not None
    assert page_client("street_staff").get(f"/supervision/complaints/{c.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="portal.assignment_end").count() == 1


def test_a_verifier_outside_the_district_is_refused_in_chinese(users, page_client, accepted):
    r = page_client("hexi_official").post(
        f"/supervision/complaints/{accepted.pk}/assign/",
        {"assignee": users["nankai_official"].pk, "reason": ""},
        follow=True,
    )
    assert "核查人须为该投诉所在街道或所在区区级机关的工作人员。" in r.content.decode()
    assert not Assignment.objects.exists()
    assert not AuditEntry.objects.filter(action="portal.assignment_assign").exists()


def test_a_submitted_complaint_is_not_sent_for_verification(users, page_client, file_complaint):
    c = file_complaint()
    r = assign(page_client, c, users["street_staff"])
    assert r.status_code == 302
    assert not Assignment.objects.exists()


def test_the_api_assigns_lists_and_ends_a_verifier(users, api, accepted):
    """GET/POST/DELETE /api/v1/complaints/{id}/assignments: the same service, rights and Chinese errors as the page."""
    c, street = accepted, users["street_staff"]
    url = f"/api/v1/complaints/{c.pk}/assignments"
    bureau = api("hexi_official")
    assert bureau.get(url).json() == {"count": 0, "results": []}
    assert api("street_staff").get(url).status_code == 404  # not assigned yet: the complaint is not theirs

    r = bureau.post(url, {"assignee": street.pk, "reason": "请现场核实"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["assignee"] == {"id": street.pk, "username": "street_staff", "name": street.display_name}
    assert sorted(body["actions"]) == ["inspect", "note"] and body["ended_at"] is None
    assert AuditEntry.objects.filter(action="portal.assignment_assign", object_id=str(c.pk)).exists()
    listed = api("street_staff").get(url).json()  # the verifier sees who is assigned
    assert [a["assignee"]["username"] for a in listed["results"]] == ["street_staff"]
    assert api("street_staff").post(url, {"assignee": users["community_staff"].pk}).status_code in (403, 404)

    for payload, status, message in [
        ({}, 400, "请选择被指派人"),
        ({"assignee": users["hexi_official"].pk}, 400, "不能指派给自己"),
        (
            {"assignee": users["nankai_official"].pk},
            400,
            "核查人须为该投诉所在街道或所在区区级机关的工作人员",
        ),
        ({"assignee": street.pk, "reason": "长" * 501}, 400, "指派说明"),
    ]:
        r = bureau.post(url, payload)
        assert r.status_code == status and message in r.json()["error"]["message"], (payload, r.content)
    assert api("nankai_official").post(url, {"assignee": street.pk}).status_code == 404

    r = bureau.delete(f"{url}/{body['id']}", {"reason": "已另行安排"})
    assert r.status_code == 200 and r.json()["ended_at"] and r.json()["end_reason"] == "已另行安排"
    assert api("street_staff").get(url).status_code == 404  # the grants went with the assignment
    assert bureau.delete(f"{url}/999999").status_code == 404
    assert Assignment.objects.get().ended_at is not None


def test_the_api_refuses_a_verifier_for_a_complaint_not_under_investigation(users, api, file_complaint):
    c = file_complaint()  # submitted, not yet accepted
    r = api("hexi_official").post(
        f"/api/v1/complaints/{c.pk}/assignments", {"assignee": users["street_staff"].pk}
    )
    assert r.status_code == 409 and "只有调查核实或整改中的投诉可以指派核查" in r.json()["error"]["message"]
    assert not Assignment.objects.exists()


def test_verifiers_come_from_the_complaints_street_and_the_district_offices(users, page_client, accepted):
    """The form offers the staff of the complaint's street and of the district's own offices — the people who
    can verify on site — not every community worker of the district (381 at Tianjin scale, more than a form
    can list); a worker of another street is refused by the form and the service alike."""
    from portal.choices import Role
    from portal.models import OrgUnit
    from tests.factories import CommunityFactory, StreetFactory, UserFactory

    district = OrgUnit.objects.get(code="120103")
    other_street = StreetFactory(parent=district, code="120103090000", name="另一街道")
    elsewhere = UserFactory(
        username="other_street_worker",
        real_name="别街社工",
        roles=[(Role.COMMUNITY_STAFF, CommunityFactory(parent=other_street, code="120103090001"))],
    )
    page = page_client("hexi_official").get(f"/supervision/complaints/{accepted.pk}/").content.decode()
    assert users["street_staff"].display_name in page  # the complaint's street office
    assert users["community_staff2"].display_name in page  # another community of the same street
    assert users["hexi_health"].display_name in page  # a district office
    assert "别街社工" not in page

    r = assign(page_client, accepted, elsewhere)
    assert r.status_code in (200, 302)
    assert not Assignment.objects.exists()
    assert assign(page_client, accepted, users["hexi_health"]).status_code == 302
    assert Assignment.objects.get().assignee == users["hexi_health"]
