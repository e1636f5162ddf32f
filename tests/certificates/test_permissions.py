"""Who may use every page and endpoint of certificates (tests.support.permissions.check_matrix)."""

import pytest

from tests.certificates.conftest import form_data
from tests.support.permissions import Access, check_matrix

OUTSIDERS = [
    "community_staff2",
    "resident2",
    "street_staff",
    "hexi_official",
    "nankai_official",
    "city_admin",
]


@pytest.fixture
def issued(issue):
    return issue()


@pytest.fixture
def submitted(make_application):
    return make_application()


def test_public_pages_and_endpoints(catalogue, issued):
    code = issued.certificate.verify_code
    for url in ("/certificates/", "/certificates/barred/?q=婚姻", f"/certificates/verify/{code}/"):
        check_matrix(Access(url=url), allowed=["resident", "community_staff", "city_admin"], anonymous="ok")
    for url in (
        "/api/v1/certificate-types",
        "/api/v1/certificate-types/barred?q=婚姻",
        f"/api/v1/certificates/verify/{code}",
    ):
        check_matrix(Access(url=url, api=True), allowed=["resident", "community_staff"], anonymous="ok")


def test_application_detail_pages_and_api(issued):
    pk = issued.pk
    att = issued.attachments.first().pk
    for url in (
        f"/certificates/applications/{pk}/",
        f"/certificates/applications/{pk}/files/{att}/",
        f"/certificates/applications/{pk}/certificate.pdf",
    ):
        check_matrix(Access(url=url), allowed=["resident", "community_staff"], denied=OUTSIDERS)
    check_matrix(
        Access(url=f"/api/v1/certificate-applications/{pk}", api=True),
        allowed=["resident", "community_staff"],
        denied=OUTSIDERS,
        anonymous=401,
    )


def test_review_endpoint_and_page(make_application):
    def fresh():
        return make_application().pk

    check_matrix(
        Access(
            url=lambda: f"/api/v1/certificate-applications/{fresh()}/review",
            method="post",
            api=True,
            data={"decision": "need_more", "comment": "请补充材料"},
        ),
        allowed=["community_staff"],
        denied=["resident", *OUTSIDERS],
        anonymous=401,
    )
    check_matrix(
        Access(
            url=lambda: f"/certificates/applications/{fresh()}/review/",
            method="post",
            data={"decision": "need_more", "comment": "请补充材料"},
            ok_status=(302,),
        ),
        allowed=["community_staff"],
        denied=["resident", *OUTSIDERS],
    )


def test_revoke_and_reveal(issue, make_application):
    check_matrix(
        Access(
            url=lambda: f"/api/v1/certificate-applications/{issue().pk}/revoke",
            method="post",
            api=True,
            data={"reason": "迁出本社区"},
        ),
        allowed=["community_staff"],
        denied=["resident", *OUTSIDERS],
        anonymous=401,
    )
    check_matrix(
        Access(url=lambda: f"/certificates/applications/{make_application().pk}/reveal-id/", method="post"),
        allowed=["community_staff"],
        denied=["resident", *OUTSIDERS],
    )


def test_resident_only_actions(make_application, catalogue):
    check_matrix(
        Access(url="/certificates/apply/", denied_status=(403,)),
        allowed=["resident", "resident2"],
        denied=["community_staff", "city_admin"],
        anonymous="login",
    )
    check_matrix(
        Access(
            url="/api/v1/certificate-applications",
            method="post",
            api=True,
            multipart=True,
            data=lambda: form_data(),
            ok_status=(201,),
            denied_status=(403,),
        ),
        allowed=["resident", "resident2"],
        denied=["community_staff", "city_admin", "hexi_official"],
        anonymous=401,
    )
    check_matrix(
        Access(
            url=lambda: f"/certificates/applications/{make_application().pk}/withdraw/",
            method="post",
            ok_status=(302,),
        ),
        allowed=["resident"],
        denied=["resident2", "community_staff", "community_staff2"],
    )
    check_matrix(Access(url="/certificates/my/"), allowed=["resident", "community_staff"], anonymous="login")


def test_staff_pages(issued):
    for url in (
        "/certificates/queue/",
        "/certificates/register/issued/",
        "/certificates/register/seal/",
        "/certificates/register/issued/?format=csv",
        "/certificates/register/seal/?format=xlsx",
    ):
        check_matrix(
            Access(url=url, denied_status=(403,)),
            allowed=["community_staff", "community_staff2"],
            denied=["resident", "street_staff", "hexi_official"],
            anonymous="login",
        )


def test_other_community_sees_nothing_in_its_registers(issued, page_client):
    body = page_client("community_staff2").get("/certificates/register/issued/?format=csv").content.decode()
    assert issued.certificate.number not in body
    body = page_client("community_staff").get("/certificates/register/issued/?format=csv").content.decode()
    assert issued.certificate.number in body
    queue = page_client("community_staff2").get("/certificates/queue/?status=issued").content.decode()
    assert issued.tracking_no not in queue


def test_catalogue_upkeep_is_for_the_city_admin(catalogue):
    for url in (
        "/certificates/manage/",
        "/certificates/manage/types/new/",
        "/certificates/manage/barred/new/",
    ):
        check_matrix(
            Access(url=url, denied_status=(403,)),
            allowed=["city_admin"],
            denied=["hexi_official", "community_staff", "resident"],
            anonymous="login",
        )


def test_adding_a_type_needs_a_legal_basis(catalogue, page_client):
    from certificates.models import CertificateType

    client = page_client("city_admin")
    data = {
        "code": "new-one",
        "name": "新证明",
        "legal_basis": "",
        "eligible_applicants": "居民",
        "validity_days": 30,
        "wording_template": "兹证明{holder_name}。",
        "order": 60,
        "active": "on",
        "required_materials": "身份证",
    }
    r = client.post("/certificates/manage/types/new/", data)
    assert r.status_code == 200 and "依据" in r.content.decode()
    assert not CertificateType.objects.filter(code="new-one").exists()
    data["legal_basis"] = "某法第十条（示例）"
    r = client.post("/certificates/manage/types/new/", data)
    assert r.status_code == 302
    assert CertificateType.objects.get(code="new-one").required_materials == ["身份证"]


def test_the_pages_open_for_the_users_the_role_rule_let_in(users, page_client):
    """Who opens certificates' pages, user by user, now that they ask the org rights certificates.apply,
    certificates.review and certificates.catalogue: exactly whom the old role rule let in — residents the online
    application (the system administrator lives in no community), the superuser and community staff the review
    queue and registers, the superuser and the city admin the catalogue upkeep; everyone else gets the page's
    403 with its Chinese reason."""
    from portal.scope import has_role

    pages = {
        "/certificates/queue/": ({"community_staff"}, "只有社区工作人员可以访问该页面。"),
        "/certificates/register/issued/": ({"community_staff"}, "只有社区工作人员可以访问该页面。"),
        "/certificates/register/seal/": ({"community_staff"}, "只有社区工作人员可以访问该页面。"),
        "/certificates/manage/": ({"city_admin"}, "只有市民政局管理员可以维护证明目录。"),
    }
    seen: dict[str, set[int]] = {}
    for name, user in users.items():
        client = page_client(name)
        for url, (roles, reason) in pages.items():
            response = client.get(url)
            allowed = user.is_superuser or has_role(user, *roles)
            assert response.status_code == (200 if allowed else 403), (name, url, response.status_code)
            if not allowed:
                assert reason in response.content.decode(), (name, url)
            seen.setdefault(url, set()).add(response.status_code)
        response = client.get("/certificates/apply/")
        if has_role(user, "resident"):
            assert response.status_code in (200, 302), (
                name,
                response.status_code,
            )  # 302: verify the mobile first
        else:
            assert response.status_code == 403, (name, response.status_code)
            assert "只有居民可以在线申请证明。" in response.content.decode(), name
        seen.setdefault("/certificates/apply/", set()).add(response.status_code)
    assert all(403 in codes and len(codes) > 1 for codes in seen.values()), seen
