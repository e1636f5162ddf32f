"""The API of API.md: catalogue, barred search, applications, review, verification."""

import pytest
from django.core.cache import cache

from certificates.models import BarredRedirect, Certificate, CertificateApplication, SealUse
from portal.models import AuditEntry, Notification
from tests.certificates.conftest import form_data

pytestmark = [pytest.mark.policy("三（五）-1"), pytest.mark.policy("三（五）-2")]

URL = "/api/v1/certificate-applications"


def test_certificate_types_lists_the_five_with_honest_bases(catalogue, api):
    r = api().get("/api/v1/certificate-types")
    assert r.status_code == 200
    rows = r.json()
    assert len(rows) == 5
    names = [t["name"] for t in rows]
    assert "居住证明" in names and any("生活困难" in n for n in names)
    for t in rows:
        assert t["code"] and t["legal_basis"] and t["required_materials"]
        assert "《意见》三（五）" in t["legal_basis"]
        # no statute naming the committee was found: said honestly
        assert "待核实" in t["legal_basis"] or "没有单一依据" in t["legal_basis"]


def test_barred_search_tells_where_to_go_and_counts(catalogue, api):
    r = api().get("/api/v1/certificate-types/barred", {"q": "开无犯罪记录证明"})
    assert r.status_code == 200
    body = r.json()
    assert body["results"][0]["name"] == "无犯罪记录证明"
    assert "公安" in body["results"][0]["agency"] and "公安" in body["message"]
    assert BarredRedirect.objects.filter(barred__name="无犯罪记录证明").count() == 1
    everything = api().get("/api/v1/certificate-types/barred").json()
    assert everything["count"] >= 23
    assert BarredRedirect.objects.count() == 1  # listing without a query is not a redirect


def test_barred_page_answers_plainly(catalogue, page_client):
    r = page_client().get("/certificates/barred/", {"q": "开无犯罪记录证明"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "居委会不出具“无犯罪记录证明”" in text and "派出所" in text
    assert BarredRedirect.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"pledge": "false"}, "pledge", "承诺"),
        ({"pledge": None}, "pledge", "承诺"),
        ({"id_number": "120103198506123019"}, "id_number", "校验位"),
        ({"id_number": "120103203001013014"}, "id_number", "出生日期"),
        ({"applicant_name": "x"}, "applicant_name", "真实姓名"),
        ({"community": "999999"}, "community", "社区"),
        ({"reason": "住"}, "reason", "请填写申请事由（2至1000字）。"),
        ({"purpose": " "}, "purpose", "请填写证明用途（2至200字）。"),
        ({"id_number": ""}, "id_number", "请填写公民身份号码。"),
    ],
)
def test_bad_applications_are_refused(catalogue, api, overrides, field, message):
    r = api("resident").post_multipart(URL, form_data(**overrides))
    assert r.status_code == 400, r.content
    err = r.json()["error"]
    assert field in err["fields"]
    assert message in err["message"] + "".join(err["fields"].values())
    assert CertificateApplication.objects.count() == 0


def test_every_wrong_field_is_named_at_once(catalogue, api):
    r = api("resident").post_multipart(URL, form_data(applicant_name="x", reason="", pledge="false"))
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["message"] == "申请信息不完整或有误，请按提示修改。"
    assert err["fields"] == {
        "applicant_name": "请填写与身份证一致的真实姓名（2至30个字）。",
        "reason": "请填写申请事由（2至1000字）。",
        "pledge": "请阅读并勾选材料真实性承诺。",
    }
    assert CertificateApplication.objects.count() == 0


def test_barred_type_is_refused_with_the_agency(catalogue, api):
    r = api("resident").post_multipart(URL, form_data(type="无犯罪记录证明"))
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "barred_certificate"
    assert "公安机关" in r.json()["error"]["message"]
    assert CertificateApplication.objects.count() == 0
    assert BarredRedirect.objects.filter(channel="application").count() == 1


def test_only_residents_apply(catalogue, api):
    r = api("community_staff").post_multipart(URL, form_data())
    assert r.status_code == 403
    assert api().post_multipart(URL, form_data()).status_code == 401


def test_daily_limit(catalogue, api):
    client = api("resident")
    for _ in range(10):
        assert client.post_multipart(URL, form_data()).status_code == 201
    r = client.post_multipart(URL, form_data())
    assert r.status_code == 429
    assert "每天最多" in r.json()["error"]["message"]
    assert CertificateApplication.objects.count() == 10


def test_full_review_cycle(catalogue, api, django_capture_on_commit_callbacks, users):
    created = api("resident").post_multipart(URL, form_data()).json()
    staff = api("community_staff")
    assert Notification.objects.filter(
        user=users["community_staff"], is_todo=True, done_at__isnull=True
    ).exists()

    r = staff.post(f"{URL}/{created['id']}/review", {"decision": "reject", "comment": ""})
    assert r.status_code == 400 and "理由" in r.json()["error"]["message"]

    r = staff.post(f"{URL}/{created['id']}/review", {"decision": "need_more", "comment": "请补充租赁合同"})
    assert r.status_code == 200 and r.json()["status"] == "need_more"
    assert Notification.objects.filter(user=users["resident"], kind="certificate_need_more").exists()
    # still not reviewable while waiting for the resident
    assert staff.post(f"{URL}/{created['id']}/review", {"decision": "approve"}).status_code == 409

    from certificates import services
    from certificates.choices import AttachmentKind
    from certificates.schemas import SupplementSchema
    from tests.certificates.conftest import pdf_bytes, upload

    services.application_supplement(
        user=users["resident"],
        application_id=created["id"],
        data=SupplementSchema.parse({"comment": "已补充"}),
        files=[services.Upload(AttachmentKind.SUPPORTING, upload("c.pdf", pdf_bytes(), "application/pdf"))],
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = staff.post(f"{URL}/{created['id']}/review", {"decision": "approve", "comment": "属实"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "issued"
    assert body["certificate_no"].endswith("-0001")
    assert body["verify_code"] and body["pdf_url"]
    assert [h["action"] for h in body["history"]] == ["submit", "need_more", "supplement", "approve"]
    assert staff.post(f"{URL}/{created['id']}/review", {"decision": "approve"}).status_code == 409

    detail = api("resident").get(f"{URL}/{created['id']}").json()
    assert detail["pdf_ready"] is True
    assert SealUse.objects.count() == 1
    seal = SealUse.objects.get()
    assert seal.approver == users["community_staff"] and seal.certificate.number == body["certificate_no"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "certificate_application.submit",
        "certificate_application.need_more",
        "certificate_application.supplement",
        "certificate_application.approve",
        "certificate.issue",
        "certificate.pdf_rendered",
    } <= actions
    assert Notification.objects.filter(user=users["resident"], kind="certificate_issued").exists()

    v = api().get(f"/api/v1/certificates/verify/{body['verify_code']}").json()
    assert v == {
        "valid": True,
        "certificate_no": body["certificate_no"],
        "type": "居住证明",
        "community": v["community"],
        "issued_at": v["issued_at"],
        "holder": "王*明",
        "revoked": False,
        "expired": False,
        "valid_until": v["valid_until"],
        "revoked_at": None,
    }
    assert "新华南路社区" in v["community"]

    r = staff.post(f"{URL}/{created['id']}/revoke", {"reason": ""})
    assert r.status_code == 400
    r = staff.post(f"{URL}/{created['id']}/revoke", {"reason": "申请人已迁出本社区"})
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    v = api().get(f"/api/v1/certificates/verify/{body['verify_code']}").json()
    assert v["valid"] is False and v["revoked"] is True
    assert AuditEntry.objects.filter(action="certificate.revoke").exists()


def test_numbers_are_gap_free_per_community_and_year(issue):
    numbers = [issue().certificate.number for _ in range(3)]
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]
    other = issue(username="resident2", community="120103001002")
    assert other.certificate.number.endswith("-0001")


def test_verification_of_unknown_and_tampered_codes(issue, api):
    app = issue()
    code = app.certificate.verify_code
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    for bad in (tampered, "ABCDEFGHJKLMNPQRSTUVWXYZ", "nonsense", "A" * 200):
        r = api().get(f"/api/v1/certificates/verify/{bad}")
        assert r.status_code == 404
        assert r.json()["valid"] is False and r.json()["certificate_no"] is None
    page = api().client.get(f"/certificates/verify/{tampered}/")
    assert page.status_code == 404 and "无效" in page.content.decode()
    ok = api().client.get(f"/certificates/verify/{code}/")
    assert ok.status_code == 200 and "有效" in ok.content.decode() and "王*明" in ok.content.decode()


def test_verification_is_throttled(issue, api, throttle_clock):
    code = issue().certificate.verify_code
    cache.clear()
    client = api()
    statuses = [client.get(f"/api/v1/certificates/verify/{code}").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    throttle_clock.advance(60)  # the next minute opens a new window
    assert client.get(f"/api/v1/certificates/verify/{code}").status_code == 200


def test_rendering_is_idempotent(issue, settings):
    from pathlib import Path

    from certificates.services import certificate_render_pdf

    app = issue()
    cert = Certificate.objects.get(application=app)
    first = cert.pdf_sha256
    assert first
    assert certificate_render_pdf(certificate_id=cert.pk) is False  # a duplicated job finds it done
    cert.refresh_from_db()
    assert cert.pdf_sha256 == first
    files = list((Path(settings.MEDIA_ROOT) / "certificates" / "issued").rglob("*.pdf"))
    assert len(files) == 1


def test_review_by_another_community_is_404_and_the_refusal_is_audited(make_application, api, users):
    app = make_application()
    r = api("community_staff2").post(f"{URL}/{app.pk}/review", {"decision": "approve", "comment": "同意"})
    assert r.status_code == 404
    assert CertificateApplication.objects.get(pk=app.pk).status == app.status
    assert AuditEntry.objects.filter(
        actor=users["community_staff2"], action="denied:review", result="denied", object_id=str(app.pk)
    ).exists()
