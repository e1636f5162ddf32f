"""generate_scale_data: counts, codes, paths, staff roles, idempotence, reset keeps the demo, production refusal."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from portal import scale
from portal.choices import CommunityKind, OrgLevel, Role
from portal.demo import DISTRICTS
from portal.models import OrgUnit, RoleAssignment, User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SIZE = ["--streets", "20", "--communities", "200", "--no-apps"]


def run(*args) -> str:
    out = StringIO()
    call_command("generate_scale_data", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_plan_is_deterministic_and_avoids_demo_codes():
    plan = scale.build_plan(streets=300, communities=5600)
    assert plan == scale.build_plan(streets=300, communities=5600)
    assert len(plan.streets) == 300 and len(plan.communities) == 5600
    codes = [p.code for p in plan.streets + plan.communities]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 12 and c.isdigit() and scale.SCALE_CODE_RE.match(c) for c in codes)
    assert {p.parent_code for p in plan.streets} == {code for code, _ in DISTRICTS}
    villages = sum(1 for p in plan.communities if p.kind == CommunityKind.VILLAGE)
    assert 0.04 <= villages / 5600 <= 0.06
    # The demo's street codes (street numbers 001–004) are never generated.
    assert not {"120103001000", "120103004000", "120104001000"} & set(codes)
    with pytest.raises(ValueError):
        scale.build_plan(streets=1, communities=500)


def test_generate_counts_codes_paths_and_staff(demo):
    demo_orgs = set(OrgUnit.objects.values_list("code", flat=True))
    output = run(*SIZE)
    assert "communities" in output and " s" in output  # per-step timings are printed

    streets = OrgUnit.objects.filter(level=OrgLevel.STREET).exclude(code__in=demo_orgs)
    communities = OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).exclude(code__in=demo_orgs)
    assert streets.count() == 20 and communities.count() == 200
    assert OrgUnit.objects.filter(level=OrgLevel.DISTRICT).count() == 16
    assert communities.filter(kind=CommunityKind.VILLAGE).count() == 10

    for node in list(streets) + list(communities.select_related("parent")):
        assert len(node.code) == 12 and node.code[6:9] >= "100"
        assert node.path == node.parent.path + node.code + "/"
        assert node.code.startswith(
            node.parent.code[:9] if node.level == OrgLevel.COMMUNITY else node.parent.code
        )
    # Paths make the scope work: a district covers its generated communities.
    hexi = OrgUnit.objects.get(code="120103")
    assert OrgUnit.objects.within(hexi).communities().filter(code__in=communities.values("code")).exists()

    for node in streets:
        user = User.objects.get(username=f"s_{node.code}")
        assert list(user.roles.values_list("role", "org_id")) == [(Role.STREET_STAFF, node.pk)]
    sample = communities.order_by("code")[:10]
    for node in sample:
        user = User.objects.get(username=f"c_{node.code}")
        assert list(user.roles.values_list("role", "org_id")) == [(Role.COMMUNITY_STAFF, node.pk)]
        assert user.check_password("jianfu-demo-2026")
    assert RoleAssignment.objects.filter(org__in=communities, role=Role.COMMUNITY_STAFF).count() == 200


def test_idempotent_and_reset_keeps_demo(demo):
    demo_users = set(User.objects.values_list("username", flat=True))
    demo_orgs = set(OrgUnit.objects.values_list("code", flat=True))
    run(*SIZE)
    snapshot = (OrgUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    run(*SIZE)
    assert (OrgUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == snapshot

    run(*SIZE, "--reset")
    assert (OrgUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == snapshot

    run("--reset-only")
    assert set(User.objects.values_list("username", flat=True)) == demo_users
    assert set(OrgUnit.objects.values_list("code", flat=True)) == demo_orgs
    assert User.objects.get(username="community_staff").roles.filter(org__code="120103001001").exists()


def test_works_without_the_demo():
    run(*SIZE)
    assert OrgUnit.objects.filter(level=OrgLevel.DISTRICT).count() == 16
    assert scale.counts() == {"streets": 20, "communities": 200, "villages": 10, "staff": 220}


def test_refuses_production_settings_without_force():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError):
        run(*SIZE)
    assert not OrgUnit.objects.exists()
