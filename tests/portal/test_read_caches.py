"""What the pages read once and keep (issue 15): the org path of breadcrumbs and full names, a report's node,
rights over an org node read from the roles, the live assignments of an object, the rights a complaint page
offers and a department's open rectifications — each given up as soon as the data it was read from changes."""

from __future__ import annotations

import pytest

from portal.choices import Role
from portal.models import OrgUnit, User
from portal.scope import allowed, allows, forget_grants, grant_object
from portal.selectors.assignments import live_assignments
from portal.services import assignments
from reports.models import RECORD_BASELINE
from reports.selectors import breadcrumbs, report_scope
from supervision import selectors as sv_selectors
from supervision import services as sv_services
from supervision.assignments import VERIFIER_ACTIONS
from supervision.choices import RectificationStatus
from supervision.models import Complaint, Rectification
from supervision.schemas import ComplaintSchema, VerdictInput
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _file(users) -> Complaint:
    return sv_services.complaint_file(
        actor=users["community_staff"],
        data=ComplaintSchema.parse(
            {
                "category": "unapproved_task",
                "target_department": "12010302",
                "description": "要求社区填报未经准入的报表。",
                "community": "120103001001",
                "contact": "13800000002",
            }
        ),
    )


def test_breadcrumbs_and_full_names_follow_a_renamed_district(org):
    community = org("120103001001")
    assert [o.name for o in breadcrumbs(community)][1] == "河西区"
    before = community.full_name

    district = org("120103")
    district.name = "河西新区"
    district.save()

    community = org("120103001001")
    assert [o.name for o in breadcrumbs(community)][1] == "河西新区"
    assert community.full_name == before.replace("河西区", "河西新区")


def test_the_node_of_a_report_follows_a_renamed_district(users, org):
    assert report_scope(user=users["hexi_official"], code="120103").name == "河西区"
    district = org("120103")
    district.name = "河西新区"
    district.save()
    assert report_scope(user=users["hexi_official"], code="120103").name == "河西新区"


def test_a_right_over_a_node_read_from_the_roles_is_the_answer_of_the_query(users, org):
    nodes = [org(code) for code in ("120000", "120103", "120103001000", "120103001001", "120101")]
    for user in User.objects.all():
        for node in nodes:
            for right in (RECORD_BASELINE, "change"):
                by_query = OrgUnit.objects.for_user(user, right).filter(pk=node.pk).exists()
                assert allows(user, right, node) == by_query, (user.username, node.code, right)


def test_a_right_over_a_node_given_to_one_user_counts(users, org):
    resident = users["resident"]
    district = org("120103")
    assert not allows(resident, "change", district)
    grant_object(resident, "change", district)
    forget_grants(resident)
    assert allows(resident, "change", district)
    assert not allows(resident, "change", org("120101"))


def test_live_assignments_follow_assign_and_unassign(users):
    c = _file(users)
    sv_services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    assert live_assignments(c) == []
    street = users["street_staff"]
    a = assignments.assign(actor=users["hexi_official"], obj=c, assignee=street, actions=VERIFIER_ACTIONS)
    assert [x.assignee for x in live_assignments(c)] == [street]

    other = UserFactory(roles=[(Role.STREET_STAFF, street.roles.first().org)])
    assignments.assign(actor=users["hexi_official"], obj=c, assignee=other, actions=VERIFIER_ACTIONS)
    assert [x.assignee for x in live_assignments(c)] == [street, other]

    assignments.unassign(actor=users["hexi_official"], assignment=a, reason="已另行安排")
    assert [x.assignee for x in live_assignments(c)] == [other]


def test_the_steps_a_complaint_page_offers_follow_its_state(users):
    official = users["hexi_official"]
    c = _file(users)
    steps, bureau = sv_selectors.complaint_page_rights(user=official, complaint=c)
    assert "accept" in steps and bureau
    # another user, another scope: never the official's answer
    assert sv_selectors.complaint_page_rights(user=users["resident"], complaint=c) == (set(), False)

    sv_services.complaint_accept(actor=official, complaint_id=c.pk)
    c = Complaint.objects.get(pk=c.pk)
    steps, _ = sv_selectors.complaint_page_rights(user=official, complaint=c)
    assert "accept" not in steps
    wanted = ["accept", "verdict", "handle", "statement"]
    assert allowed(official, wanted, c, cached_as=sv_selectors.GENERATION) == allowed(official, wanted, c)


def test_open_rectifications_follow_a_closed_order(users):
    official = users["hexi_official"]
    c = _file(users)
    sv_services.complaint_accept(actor=official, complaint_id=c.pk)
    sv_services.complaint_verdict(
        actor=official,
        complaint_id=c.pk,
        data=VerdictInput(substantiated=True, reason="经核实属实。", requirements="停止要求社区填报。"),
    )
    rect = Rectification.objects.get(complaint=c)
    assert [r["id"] for r in sv_selectors.open_rectifications(department_id=rect.department_id)] == [rect.pk]

    rect.status = RectificationStatus.CLOSED
    rect.save()
    assert sv_selectors.open_rectifications(department_id=rect.department_id) == []
