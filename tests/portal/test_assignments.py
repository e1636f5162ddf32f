"""Per-object grants (issue 12.1): assignments and leave delegations give and take back guardian grants through
one service, read by the same ``for_user`` as every other right.

The complaint's on-site verification (supervision) is the object used here: the core's promises are checked
on it end to end — who may assign, to whom, what the assignee then sees and may do, and that ending an
assignment or a delegation takes back exactly what it gave.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from guardian.models import UserObjectPermission

from portal.choices import Role
from portal.errors import DomainError, PermissionDeniedError
from portal.models import AuditEntry, OrgUnit, User
from portal.models.assignments import Assignment, AssignmentGrant, Delegation
from portal.scope import forget_grants
from portal.services import assignments
from supervision.assignments import VERIFIER_ACTIONS
from supervision.models import Complaint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(users):
    """A complaint accepted by 河西区民政局 (under investigation: verifiers may be sent)."""
    return _another_complaint(users)


def fresh(user: User) -> User:
    """The account as the next request reads it (its access stamp and grants read again)."""
    u = User.objects.get(pk=user.pk)
    forget_grants(u)
    return u


def sees(user: User, c: Complaint, action: str = "inspect") -> bool:
    return Complaint.objects.for_user(fresh(user), action).filter(pk=c.pk).exists()


def colleague_of(username: str, users, **kw) -> User:
    """A second staff user at the same org unit as ``username``'s first role."""
    ra = users[username].roles.first()
    return UserFactory(roles=[(ra.role, ra.org)], **kw)


def test_assigned_verifier_sees_and_may_note_but_a_third_user_may_not(users, complaint):
    street, official, other = users["street_staff"], users["hexi_official"], users["community_staff2"]
    assert not sees(street, complaint)

    a = assignments.assign(
        actor=official, obj=complaint, assignee=street, actions=VERIFIER_ACTIONS, reason="请到现场核实"
    )

    assert sees(street, complaint) and sees(street, complaint, "note")
    # nothing else: not the bureau's handling, not the complainant's identity, no verdict
    assert not sees(street, complaint, "handle")
    assert not sees(street, complaint, "reveal")
    assert not sees(street, complaint, "substantiate")
    assert not sees(other, complaint)
    assert a.assigned_by == official and a.actions == list(VERIFIER_ACTIONS)
    assert AuditEntry.objects.filter(action="portal.assignment_assign", actor=official).count() == 1


def test_unassign_takes_the_grant_back_at_once(users, complaint):
    street, official = users["street_staff"], users["hexi_official"]
    a = assignments.assign(actor=official, obj=complaint, assignee=street, actions=VERIFIER_ACTIONS)
    assert sees(street, complaint)

    assignments.unassign(actor=official, assignment=a, reason="已另行安排")

    assert not sees(street, complaint) and not sees(street, complaint, "note")
    a.refresh_from_db()
    assert a.ended_at is not None and a.ended_by == official
    assert AuditEntry.objects.filter(action="portal.assignment_end", actor=official).count() == 1
    # ending it again changes nothing
    assignments.unassign(actor=official, assignment=a)
    assert AuditEntry.objects.filter(action="portal.assignment_end").count() == 1


def test_assigning_twice_changes_nothing(users, complaint):
    street, official = users["street_staff"], users["hexi_official"]
    first = assignments.assign(actor=official, obj=complaint, assignee=street, actions=VERIFIER_ACTIONS)
    again = assignments.assign(actor=official, obj=complaint, assignee=street, actions=VERIFIER_ACTIONS)
    assert again.pk == first.pk
    assert Assignment.objects.count() == 1
    assert AssignmentGrant.objects.count() == len(VERIFIER_ACTIONS)
    assert AuditEntry.objects.filter(action="portal.assignment_assign").count() == 1


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("self", "不能指派给自己。"),
        ("inactive", "该用户已停用，不能指派。"),
        ("outside", "核查人须为该投诉所在街道或所在区区级机关的工作人员。"),
        ("resident", "核查人须为该投诉所在街道或所在区区级机关的工作人员。"),
    ],
)
def test_bad_assignee_is_refused_in_chinese_and_nothing_changes(users, complaint, who, message):
    official = users["hexi_official"]
    assignee = {
        "self": official,
        "inactive": colleague_of("street_staff", users, is_active=False),
        "outside": UserFactory(roles=[(Role.STREET_STAFF, OrgUnit.objects.get(code="120104001000"))])
        if OrgUnit.objects.filter(code="120104001000").exists()
        else users["nankai_official"],
        "resident": users["resident"],
    }[who]
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        assignments.assign(actor=official, obj=complaint, assignee=assignee, actions=VERIFIER_ACTIONS)
    assert exc.value.message == message
    assert not Assignment.objects.exists() and not AssignmentGrant.objects.exists()
    assert not UserObjectPermission.objects.filter(user=assignee).exists()
    assert AuditEntry.objects.filter(action="portal.assignment_assign").count() == 0
    assert AuditEntry.objects.count() == before


def test_only_the_bureau_assigns(users, complaint):
    """Only the bureau handling the complaint assigns: another district's bureau does not even find it (404),
    and the assigned street official cannot hand it on."""
    from portal.errors import NotFoundError

    street, official = users["street_staff"], users["hexi_official"]
    with pytest.raises(NotFoundError):
        assignments.assign(
            actor=users["nankai_official"], obj=complaint, assignee=street, actions=VERIFIER_ACTIONS
        )
    assignments.assign(actor=official, obj=complaint, assignee=street, actions=VERIFIER_ACTIONS)
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        assignments.assign(
            actor=fresh(street),
            obj=complaint,
            assignee=users["community_staff"],
            actions=VERIFIER_ACTIONS,
        )
    assert Assignment.objects.count() == 1


def test_an_action_the_rule_does_not_give_is_refused(users, complaint):
    with pytest.raises(DomainError, match="指派的权限无效"):
        assignments.assign(
            actor=users["hexi_official"], obj=complaint, assignee=users["street_staff"], actions=["handle"]
        )
    assert not Assignment.objects.exists()


def test_a_grant_also_given_by_another_live_assignment_stays(users, complaint):
    """Two routes to the same right: ending one leaves the other's grant in place."""
    street, official = users["street_staff"], users["hexi_official"]
    away = colleague_of("street_staff", users)
    # the colleague is away and the street official acts for them; both end up assigned to the complaint
    delegation = assignments.delegation_start(
        actor=away, to_user=street, starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    own = assignments.assign(actor=official, obj=complaint, assignee=street, actions=VERIFIER_ACTIONS)
    assignments.assign(actor=official, obj=complaint, assignee=away, actions=VERIFIER_ACTIONS)

    assignments.unassign(actor=official, assignment=own)
    assert sees(street, complaint)  # still the delegate of the colleague's assignment

    assignments.delegation_end(actor=fresh(away), delegation=delegation)
    assert not sees(street, complaint)
    assert sees(away, complaint)


def test_delegation_copies_open_assignments_and_takes_them_back(users, complaint):
    street, official = users["street_staff"], users["hexi_official"]
    stand_in = colleague_of("street_staff", users)
    assignments.assign(actor=official, obj=complaint, assignee=street, actions=VERIFIER_ACTIONS)
    assert not sees(stand_in, complaint)

    d = assignments.delegation_start(
        actor=street,
        to_user=stand_in,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=5),
        reason="年休假",
    )
    assert d.active
    assert sees(stand_in, complaint) and sees(stand_in, complaint, "note")

    # an assignment made during the delegation reaches the stand-in too
    second = _another_complaint(users)
    assignments.assign(actor=official, obj=second, assignee=street, actions=VERIFIER_ACTIONS)
    assert sees(stand_in, second)

    assignments.delegation_end(actor=fresh(street), delegation=d)

    assert not sees(stand_in, complaint) and not sees(stand_in, second)
    assert sees(street, complaint) and sees(street, second)  # the assignee keeps their own
    assert AuditEntry.objects.filter(action="portal.delegation_end", actor=street).count() == 1


def test_only_the_absent_colleague_ends_their_delegation(users):
    street = users["street_staff"]
    stand_in = colleague_of("street_staff", users)
    d = assignments.delegation_start(
        actor=street, to_user=stand_in, starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    with pytest.raises(PermissionDeniedError):
        assignments.delegation_end(actor=fresh(stand_in), delegation=d)
    from portal.errors import NotFoundError

    with pytest.raises(NotFoundError):
        assignments.delegation_end(actor=users["hexi_official"], delegation=d)
    d.refresh_from_db()
    assert d.ended_at is None


def test_the_sweep_starts_due_delegations_and_ends_expired_ones(users, complaint):
    street, official = users["street_staff"], users["hexi_official"]
    stand_in = colleague_of("street_staff", users)
    assignments.assign(actor=official, obj=complaint, assignee=street, actions=VERIFIER_ACTIONS)
    today = timezone.localdate()
    d = assignments.delegation_start(
        actor=street, to_user=stand_in, starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=2)
    )
    assert not d.active and not sees(stand_in, complaint)

    assert assignments.delegations_sweep(today=today) == {"started": 0, "ended": 0}
    assert assignments.delegations_sweep(today=today + timedelta(days=1)) == {"started": 1, "ended": 0}
    assert sees(stand_in, complaint)
    assert assignments.delegations_sweep(today=today + timedelta(days=2)) == {"started": 0, "ended": 0}

    assert assignments.delegations_sweep(today=today + timedelta(days=3)) == {"started": 0, "ended": 1}
    assert not sees(stand_in, complaint)
    d.refresh_from_db()
    assert d.ended_at is not None and d.ended_by is None
    assert assignments.delegations_sweep(today=today + timedelta(days=4)) == {"started": 0, "ended": 0}


def test_the_beat_runs_the_sweep_as_a_task(users):
    """The sweep is a task of the portal's beat schedule (its own name), run here directly."""
    from django.conf import settings

    from portal.tasks import delegations_sweep

    entry = settings.CELERY_BEAT_SCHEDULE["delegations-sweep"]
    assert entry["task"] == delegations_sweep.name
    street = users["street_staff"]
    stand_in = colleague_of("street_staff", users)
    yesterday = timezone.localdate() - timedelta(days=1)
    d = Delegation.objects.create(
        from_user=street, to_user=stand_in, starts_on=yesterday, ends_on=yesterday, created_by=street
    )
    assert delegations_sweep() == {"started": 0, "ended": 1}
    d.refresh_from_db()
    assert d.ended_at is not None


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "不能委托给自己。"),
        ("elsewhere", "代理人须为您所在单位的工作人员。"),
        ("inactive", "该用户已停用，不能作为代理人。"),
        ("backwards", "结束日期不能早于开始日期。"),
        ("past", "结束日期不能早于今天。"),
    ],
)
def test_bad_delegation_is_refused_in_chinese_and_nothing_changes(users, case, message):
    street = users["street_staff"]
    today = timezone.localdate()
    to_user = {
        "self": street,
        "elsewhere": users["community_staff"],
        "inactive": colleague_of("street_staff", users, is_active=False),
    }.get(case) or colleague_of("street_staff", users)
    starts, ends = {
        "backwards": (today + timedelta(days=3), today + timedelta(days=1)),
        "past": (today - timedelta(days=5), today - timedelta(days=1)),
    }.get(case, (today, today))
    with pytest.raises(DomainError) as exc:
        assignments.delegation_start(actor=street, to_user=to_user, starts_on=starts, ends_on=ends)
    assert exc.value.message == message
    assert not Delegation.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="portal.delegation").exists()


def test_one_delegation_at_a_time(users):
    street = users["street_staff"]
    stand_in = colleague_of("street_staff", users)
    today = timezone.localdate()
    assignments.delegation_start(actor=street, to_user=stand_in, starts_on=today, ends_on=today)
    with pytest.raises(DomainError, match="未结束的休假委托"):
        assignments.delegation_start(actor=street, to_user=stand_in, starts_on=today, ends_on=today)
    assert Delegation.objects.count() == 1


def test_residents_cannot_delegate(users):
    with pytest.raises(PermissionDeniedError):
        assignments.delegation_start(
            actor=users["resident"],
            to_user=users["resident2"],
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )


def test_assignments_and_delegations_leave_history(users, complaint):
    street = users["street_staff"]
    a = assignments.assign(
        actor=users["hexi_official"], obj=complaint, assignee=street, actions=VERIFIER_ACTIONS
    )
    assignments.unassign(actor=users["hexi_official"], assignment=a)
    assert [h.history_type for h in a.change_history.order_by("history_id")] == ["+", "~"]


# --- the delegation page ---------------------------------------------------------------------------


def test_the_page_registers_and_ends_a_delegation(users, page_client):
    street = users["street_staff"]
    stand_in = colleague_of("street_staff", users)
    client = page_client("street_staff")
    page = client.get("/accounts/delegations/")
    assert page.status_code == 200 and stand_in.display_name in page.content.decode()
    today = timezone.localdate().isoformat()

    r = client.post(
        "/accounts/delegations/",
        {"to_user": stand_in.pk, "starts_on": today, "ends_on": today, "reason": "外出培训"},
    )
    assert r.status_code == 302
    d = Delegation.objects.get()
    assert (d.from_user, d.to_user, d.active) == (street, stand_in, True)

    # the stand-in sees it but cannot end it; the colleague on leave ends it
    assert page_client(stand_in.username).post(f"/accounts/delegations/{d.pk}/end/").status_code == 403
    assert client.post(f"/accounts/delegations/{d.pk}/end/").status_code == 302
    d.refresh_from_db()
    assert d.ended_at is not None


def test_the_page_shows_a_bad_delegation_in_chinese(users, page_client):
    client = page_client("street_staff")
    today = timezone.localdate().isoformat()
    r = client.post(
        "/accounts/delegations/",
        {"to_user": users["community_staff"].pk, "starts_on": today, "ends_on": today},
    )
    assert r.status_code == 200
    assert "代理人须为您所在单位的工作人员。" in r.content.decode()
    assert not Delegation.objects.exists()


def test_the_page_is_for_staff_only(page_client):
    assert page_client("resident").get("/accounts/delegations/").status_code == 404


def _another_complaint(users):
    from supervision import services
    from supervision.schemas import ComplaintSchema

    c = services.complaint_file(
        actor=users["community_staff"],
        data=ComplaintSchema.parse(
            {
                "category": "unapproved_task",
                "target_department": "12010302",
                "description": "又一次要求社区填报未经准入的报表。",
                "community": "120103001001",
                "contact": "13800000002",
            }
        ),
    )
    services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    c.refresh_from_db()
    return c
