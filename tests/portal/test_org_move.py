"""Moving an org unit: the whole subtree moves with it, at once, checked and audited (issue 13.4)."""

import pytest
from django.test import Client

from portal.choices import Role
from portal.errors import DomainError, PermissionDeniedError
from portal.models import AuditEntry, OrgUnit, User
from portal.services.orgs import org_unit_move
from taskcheck.models import Refusal
from tests.factories import CommunityFactory, UserFactory

STREET = "120103001000"  # the first demo street of 河西区, with community_staff's community below it
HEXI, NANKAI = "120103", "120104"


def _refusal(community: OrgUnit, n: int) -> Refusal:
    return Refusal.objects.create(
        community=community,
        notice_no=f"拒告〔2026〕{community.code}-{n:04d}",
        title=f"测试事项{n}",
        verdict="not_admitted",
        reason="未经准入",
        clause="津民发〔2019〕35号",
    )


def _seen_refusals(api, username: str) -> set[str]:
    res = api(username).get("/api/v1/refusals", {"page_size": 200})
    assert res.status_code == 200, res.content
    return {r["notice_no"] for r in res.json()["results"]}


def test_moving_a_street_moves_its_communities_and_what_everyone_sees(api, users, org):
    community = org("120103001001")
    moved = _refusal(community, 1).notice_no
    stays = _refusal(org("120103002001"), 2).notice_no
    assert moved in _seen_refusals(api, "hexi_official")
    assert moved not in _seen_refusals(api, "nankai_official")

    org_unit_move(actor=users["city_admin"], unit=org(STREET), new_parent=org(NANKAI))

    # Every node below the street now lies under 南开区 in the stored tree.
    for node in OrgUnit.objects.filter(parent__code=STREET):
        assert node.path == f"120000/{NANKAI}/{STREET}/{node.code}/"
    assert not OrgUnit.objects.filter(path__startswith=f"120000/{HEXI}/{STREET}/").exists()
    assert org("120103001001").ancestor_at("district").code == NANKAI

    # 南开区's official now sees the moved community's refusal; 河西区's no longer does.
    assert moved in _seen_refusals(api, "nankai_official")
    assert moved not in _seen_refusals(api, "hexi_official")
    assert stays in _seen_refusals(api, "hexi_official")
    # The community's own staff and the street's staff still see it (their roles moved with the node).
    assert moved in _seen_refusals(api, "community_staff")
    assert moved in _seen_refusals(api, "street_staff")
    assert stays not in _seen_refusals(api, "community_staff")
    # Accounts of the moved community are managed by the new district now.
    staff = users["community_staff"]
    assert User.objects.for_user(users["nankai_official"]).filter(pk=staff.pk).exists()
    assert not User.objects.for_user(users["hexi_official"]).filter(pk=staff.pk).exists()

    entry = AuditEntry.objects.filter(action="org_move").get()
    assert entry.actor == users["city_admin"]
    assert entry.before["parent"] == HEXI and entry.after["parent"] == NANKAI
    assert entry.after["descendants"] == OrgUnit.objects.filter(parent__code=STREET).count()


def test_a_move_under_its_own_descendant_is_refused_and_changes_nothing(db):
    community = CommunityFactory()
    street, district = community.parent, community.parent.parent
    city_admin = UserFactory(roles=[(Role.CITY_ADMIN, district.parent)])
    paths = dict(OrgUnit.objects.values_list("code", "path"))
    with pytest.raises(DomainError) as err:
        org_unit_move(actor=city_admin, unit=district, new_parent=street)
    assert "下级" in err.value.message or "隶属" in err.value.message
    # Even the model itself refuses a cycle when saved directly.
    district.parent = community
    with pytest.raises(DomainError):
        district.save()
    assert dict(OrgUnit.objects.values_list("code", "path")) == paths
    assert not AuditEntry.objects.filter(action="org_move").exists()


def test_a_street_cannot_hang_under_a_street_and_a_district_official_cannot_move_out(users, org):
    with pytest.raises(DomainError):
        org_unit_move(actor=users["city_admin"], unit=org(STREET), new_parent=org("120103002000"))
    with pytest.raises(PermissionDeniedError):
        org_unit_move(actor=users["hexi_official"], unit=org(STREET), new_parent=org(NANKAI))
    assert org("120103001001").path.startswith(f"120000/{HEXI}/")


def test_a_move_in_the_admin_rewrites_the_subtree_and_is_audited(users, org):
    client = Client()
    client.force_login(users["admin"], backend="django.contrib.auth.backends.ModelBackend")
    street = org(STREET)
    res = client.post(
        f"/admin/portal/orgunit/{street.pk}/change/",
        {
            "code": street.code,
            "name": street.name,
            "level": "street",
            "kind": "",
            "parent": org(NANKAI).pk,
            "address": "",
            "phone": "",
        },
    )
    assert res.status_code == 302, res.content.decode()[:2000]
    assert org("120103001001").path == f"120000/{NANKAI}/{STREET}/120103001001/"
    assert AuditEntry.objects.filter(action="org_move", actor=users["admin"]).exists()
    # Choosing its own community as the street's parent is a form error, not a 500.
    res = client.post(
        f"/admin/portal/orgunit/{street.pk}/change/",
        {
            "code": street.code,
            "name": street.name,
            "level": "street",
            "kind": "",
            "parent": org("120103001001").pk,
            "address": "",
            "phone": "",
        },
    )
    assert res.status_code == 200
    assert "下级" in res.content.decode() or "上级必须" in res.content.decode()


def _district_codes(model, **lookup) -> set[str]:
    return set(model._base_manager.filter(**lookup).values_list("district_code", flat=True))


def test_a_move_rewrites_the_district_column_of_every_row_below_at_once(users, org):
    """The district-keyed tables (portal.scope.DistrictKeyed) follow a street that moves to another district:
    the listings of a district official select by ``district_code``, so a stale one would hide the moved
    community's rows from its new district and show them to the old one."""
    from portal.models import RoleAssignment

    community, other = org("120103001001"), org("120103002001")
    moved, stays = _refusal(community, 1), _refusal(other, 2)
    assert (moved.district_code, stays.district_code) == (HEXI, HEXI)
    assert _district_codes(RoleAssignment, org__path__startswith=org(STREET).path) == {HEXI}
    written = AuditEntry.objects.create(action="test", org=community, org_path=community.path)
    assert written.district_code == HEXI

    org_unit_move(actor=users["city_admin"], unit=org(STREET), new_parent=org(NANKAI))

    moved.refresh_from_db()
    stays.refresh_from_db()
    assert (moved.district_code, stays.district_code) == (NANKAI, HEXI)
    street_path = org(STREET).path
    assert _district_codes(RoleAssignment, org__path__startswith=street_path) == {NANKAI}
    assert _district_codes(RoleAssignment, org=org(HEXI)) == {HEXI}
    assert not Refusal.objects.filter(community__path__startswith=street_path).exclude(district_code=NANKAI)
    # The audit log keeps the district it was written in, like its org_path (it is append-only).
    assert AuditEntry.objects.get(pk=written.pk).district_code == HEXI


def test_a_move_that_fails_leaves_paths_and_district_columns_as_they_were(users, org, monkeypatch):
    from portal.models import org as org_module

    moved = _refusal(org("120103001001"), 1)
    paths = dict(OrgUnit.objects.values_list("code", "path"))

    def broken(node):
        raise RuntimeError("数据库中断")

    monkeypatch.setattr(org_module, "move_district_codes", broken)
    with pytest.raises(RuntimeError):
        org_unit_move(actor=users["city_admin"], unit=org(STREET), new_parent=org(NANKAI))
    assert dict(OrgUnit.objects.values_list("code", "path")) == paths
    moved.refresh_from_db()
    assert moved.district_code == HEXI


def test_the_district_column_follows_the_org_on_save_and_bulk_create(org):
    refusal = _refusal(org("120103001001"), 1)
    assert refusal.district_code == HEXI
    refusal.community = org("120104001001")
    refusal.save()
    assert Refusal.objects.get(pk=refusal.pk).district_code == NANKAI
    Refusal.objects.bulk_create(
        [
            Refusal(
                community_id=org("120103001001").pk,
                notice_no="拒告〔2026〕批量-0001",
                title="批量测试",
                verdict="not_admitted",
                reason="未经准入",
                clause="津民发〔2019〕35号",
            )
        ]
    )
    assert Refusal.objects.get(notice_no="拒告〔2026〕批量-0001").district_code == HEXI
    # Rows of the city itself carry the city's code.
    assert (
        Refusal.objects.create(
            community=org("120000"),
            notice_no="拒告〔2026〕市级-0001",
            title="市级",
            verdict="not_admitted",
            reason="未经准入",
            clause="津民发〔2019〕35号",
        ).district_code
        == "120000"
    )
