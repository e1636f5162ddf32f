"""Every scoped listing of a district's staff reads that district's rows only (issue 16.6, docs/scale.md).

A scaled dataset of the same shape as Tianjin at a fraction of its size (16 districts, 3 streets and 60
communities each, their staff, the apps' scale data — admitted tasks, refusals, star ratings — and audit rows
in every community) is generated on PostgreSQL; then every scoped model's ``for_user(official, "view")`` runs
under EXPLAIN ANALYZE with sequential scans disabled, and the rows the scans of the model's table read must not
exceed that district's rows (``district_code``). ``scripts/scale_scope_check.py`` runs the same check at twice
Tianjin's size.
"""

from io import StringIO

import pytest
from django.db import connection

from portal import scale
from portal.choices import Role
from portal.models import AuditEntry, OrgUnit, RoleAssignment, User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DISTRICT = "120110"  # 东丽区, as in docs/scale.md
#: Scoped models the dataset fills and a district's staff see only part of: each must be checked.
EXPECTED = {
    "portal.User",
    "portal.RoleAssignment",
    "portal.AuditEntry",
    "taskcheck.Refusal",
    "evaluations.Assessment",
    "supervision.Complaint",
    "supervision.Rectification",
    "supervision.Appeal",
}


@pytest.fixture
def scaled(demo):
    scale.generate(streets=48, communities=960, password=None, stdout=StringIO())
    AuditEntry.objects.bulk_create(
        AuditEntry(action="certificate_issue", org_id=pk, org_path=path, object_type="test")
        for pk, path in OrgUnit.objects.filter(level="community").values_list("pk", "path")
        for _ in range(2)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _staff(username: str, role: str, org: OrgUnit) -> User:
    user = User.objects.create(username=username)
    RoleAssignment.objects.create(user=user, role=role, org=org)
    return user


def _report(reads) -> str:
    lines = [f"{'model':<32} {'rows':>7} {'visible':>7} {'district':>8} {'read':>7}"]
    lines += [f"{r.label:<32} {r.total:>7} {r.visible:>7} {r.district_rows:>8} {r.read:>7}" for r in reads]
    return "\n".join(lines)


def test_scoped_listings_of_district_and_street_staff_read_only_their_district(scaled):
    official = _staff("scope_scale_official", Role.DISTRICT_OFFICIAL, OrgUnit.objects.get(code=DISTRICT))
    reads = scale.scope_reads(official, DISTRICT)
    report = _report(reads)
    assert EXPECTED <= {r.label for r in reads}, report
    assert all(r.within_district for r in reads), report
    # The shape is right: the district is one of sixteen, far from the whole table, and its official sees it.
    for r in reads:
        if r.label in EXPECTED:
            assert 0 < r.visible <= r.district_rows < r.total / 8, report

    # A street's staff: scoped by district first, then by the street's path inside it.
    street = OrgUnit.objects.filter(level="street", parent__code=DISTRICT).order_by("code").first()
    staff = _staff("scope_scale_street", Role.STREET_STAFF, street)
    reads = scale.scope_reads(staff, DISTRICT)
    report = _report(reads)
    assert {"portal.User", "portal.RoleAssignment", "taskcheck.Refusal", "evaluations.Assessment"} <= {
        r.label for r in reads
    }, report
    assert all(r.within_district for r in reads), report
    refusals = next(r for r in reads if r.label == "taskcheck.Refusal")
    assert 0 < refusals.visible < refusals.district_rows, report
