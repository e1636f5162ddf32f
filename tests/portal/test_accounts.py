"""Accounts: resident registration, staff accounts only inside the granter's scope and never above their role."""

import pytest

from portal.errors import DomainError, PermissionDeniedError
from portal.models import AuditEntry, Department, RoleAssignment, User
from portal.services.accounts import resident_register, role_grant, staff_create


def test_resident_registers_and_binds_to_a_community(demo):
    user = resident_register(
        mobile="13900001111", real_name="赵小红", password="zhao-2026!", community_code="120103002001"
    )
    ra = RoleAssignment.objects.get(user=user)
    assert ra.role == "resident" and ra.org.code == "120103002001"
    assert AuditEntry.objects.filter(action="resident_register", actor=user).exists()


@pytest.mark.parametrize(
    ("mobile", "name", "password", "community", "field"),
    [
        ("12345", "赵小红", "zhao-2026!", "120103002001", "mobile"),
        ("13900001111", "X", "zhao-2026!", "120103002001", "real_name"),
        ("13900001111", "赵小红", "zhao-2026!", "999999999999", "community"),
        ("13900001111", "赵小红", "short", "120103002001", "password"),
        ("13900001111", "赵小红", "password", "120103002001", "password"),
    ],
)
def test_bad_registration_is_refused_in_chinese_and_stores_nothing(
    demo, mobile, name, password, community, field
):
    before = User.objects.count()
    with pytest.raises(DomainError) as exc:
        resident_register(mobile=mobile, real_name=name, password=password, community_code=community)
    assert field in exc.value.fields
    assert any("\u4e00" <= c <= "\u9fff" for c in exc.value.message)
    assert User.objects.count() == before


def test_duplicate_mobile_is_refused(demo):
    resident_register(
        mobile="13900002222", real_name="钱一", password="qian-2026!x", community_code="120103001001"
    )
    with pytest.raises(DomainError, match="已注册"):
        resident_register(
            mobile="13900002222", real_name="钱二", password="qian-2026!y", community_code="120103001001"
        )


def test_district_official_creates_staff_only_in_the_district(users, org):
    hexi = users["hexi_official"]
    user = staff_create(
        granter=hexi,
        username="hx_new",
        real_name="新同事",
        password="a-long-staff-pass",
        role="community_staff",
        org=org("120103002002"),
    )
    assert user.roles.get().org.code == "120103002002"
    with pytest.raises(PermissionDeniedError):
        staff_create(
            granter=hexi,
            username="nk_new",
            real_name="越权",
            password="a-long-staff-pass",
            role="community_staff",
            org=org("120104001001"),
        )
    assert not User.objects.filter(username="nk_new").exists()


def test_nobody_grants_a_role_above_their_own(users, org):
    with pytest.raises(PermissionDeniedError):
        role_grant(
            granter=users["hexi_official"],
            user=users["resident"],
            role="district_approver",
            org=org("120103"),
        )
    with pytest.raises(PermissionDeniedError):
        role_grant(
            granter=users["street_staff"], user=users["resident"], role="district_official", org=org("120103")
        )
    with pytest.raises(PermissionDeniedError):
        role_grant(
            granter=users["community_staff"],
            user=users["resident"],
            role="community_staff",
            org=org("120103001001"),
        )
    assert AuditEntry.objects.filter(action="denied:role_grant").count() == 3
    ra = role_grant(
        granter=users["city_admin"], user=users["resident2"], role="district_approver", org=org("120103")
    )
    assert ra.role == "district_approver"


def test_staff_passwords_need_twelve_characters(users, org):
    with pytest.raises(DomainError) as exc:
        staff_create(
            granter=users["street_staff"],
            username="short_pw",
            real_name="短密码",
            password="abc-12345",
            role="community_staff",
            org=org("120103001003"),
        )
    assert "12" in exc.value.message


def test_role_must_sit_at_its_level(users, org):
    with pytest.raises(DomainError, match="社区"):
        role_grant(
            granter=users["city_admin"], user=users["resident"], role="community_staff", org=org("120103")
        )
    dept = Department.objects.get(code="12010302")
    ra = role_grant(
        granter=users["hexi_official"],
        user=users["resident2"],
        role="department_staff",
        org=org("120103"),
        department=dept,
    )
    assert ra.org.code == "120103"


def test_accounts_page_creates_staff_in_scope(page_client, users):
    client = page_client("street_staff")
    r = client.post(
        "/manage/accounts/",
        {
            "username": "sq_new",
            "real_name": "王五",
            "role": "community_staff",
            "org": "120103001003",
            "password": "a-long-staff-pass",
        },
    )
    assert r.status_code == 302
    assert User.objects.get(username="sq_new").roles.get().org.code == "120103001003"
    page = client.get("/manage/accounts/").content.decode()
    assert "sq_new" in page and "nankai" not in page


def test_city_admin_maintains_the_org_tree_in_the_admin(page_client):
    client = page_client("city_admin")
    assert client.get("/admin/portal/orgunit/").status_code == 200
    r = client.get("/admin/portal/orgunit/?q=河西区")
    assert "120103" in r.content.decode()
    # Accounts are managed in the portal, inside each official's scope, not in the admin.
    assert client.get("/admin/portal/user/").status_code == 403
    assert page_client("hexi_official").get("/admin/portal/orgunit/").status_code == 302
