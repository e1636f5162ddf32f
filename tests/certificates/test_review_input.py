"""Review, revocation and supplements take one checked input, the same on the page and through the API: a refused
decision says why in Chinese and changes nothing."""

import pytest

from certificates.models import ApplicationEvent, CertificateApplication
from tests.certificates.conftest import pdf_bytes, upload

URL = "/api/v1/certificate-applications"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "reject", "comment": " "}, "不予出具时必须写明理由。"),
        ({"decision": "need_more"}, "请写明需要补充的材料。"),
        ({"decision": "issue"}, "审核结论应为 approve、reject 或 need_more。"),
        ({"decision": ["approve"]}, "审核结论应为 approve、reject 或 need_more。"),
        ({"comment": "属实"}, "请选择审核结论。"),
    ],
)
def test_a_refused_review_says_why_on_the_page_and_in_the_api(
    make_application, api, page_client, data, message
):
    app = make_application()
    r = api("community_staff").post(f"{URL}/{app.pk}/review", data)
    assert r.status_code == 400 and r.json()["error"]["message"] == message
    if not isinstance(data.get("decision"), list):
        page = page_client("community_staff").post(
            f"/certificates/applications/{app.pk}/review/", data, follow=True
        )
        assert message in page.content.decode()
    app.refresh_from_db()
    assert (
        app.status == "submitted"
        and not ApplicationEvent.objects.filter(application=app, action="reject").exists()
    )


def test_the_page_review_asks_for_material_and_the_resident_supplements(make_application, page_client):
    app = make_application()
    page = page_client("community_staff").post(
        f"/certificates/applications/{app.pk}/review/",
        {"decision": "need_more", "comment": " 请补充租赁合同 "},
        follow=True,
    )
    assert "要求补充材料：已完成。" in page.content.decode()
    app.refresh_from_db()
    assert (app.status, app.status_reason) == ("need_more", "请补充租赁合同")
    r = page_client("resident").post(
        f"/certificates/applications/{app.pk}/supplement/",
        {"comment": " 已补充合同 ", "supporting": upload("合同.pdf", pdf_bytes(), "application/pdf")},
        follow=True,
    )
    assert "补充材料已提交" in r.content.decode()
    app.refresh_from_db()
    assert app.status == "submitted"
    assert ApplicationEvent.objects.get(application=app, action="supplement").comment == "已补充合同"


def test_a_revocation_needs_its_reason_on_the_page_and_in_the_api(issue, api, page_client):
    app = issue()
    r = api("community_staff").post(f"{URL}/{app.pk}/revoke", {"reason": "迁"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "撤销证明必须写明原因。"
    page = page_client("community_staff").post(
        f"/certificates/applications/{app.pk}/revoke/", {}, follow=True
    )
    assert "撤销证明必须写明原因。" in page.content.decode()
    assert CertificateApplication.objects.get(pk=app.pk).status == "issued"
    page = page_client("community_staff").post(
        f"/certificates/applications/{app.pk}/revoke/", {"reason": "申请人已迁出本社区"}, follow=True
    )
    assert "证明已撤销" in page.content.decode()
    assert CertificateApplication.objects.get(pk=app.pk).status == "revoked"


def test_the_api_documents_the_review_body(api):
    doc = api().get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert schemas["ReviewIn"]["properties"]["decision"]["enum"] == ["approve", "need_more", "reject"]
    assert schemas["RevokeIn"]["required"] == ["reason"]
