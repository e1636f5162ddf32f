"""The department complained about never learns who complained — not from its pages, the API, exports,
the criticism PDF or its notifications — and revealing the complainant is audited."""

import pytest

from portal.models import AuditEntry, Notification
from supervision import schemas as sv
from supervision import services
from supervision.models import Criticism, Rectification

pytestmark = [pytest.mark.django_db, pytest.mark.policy("四-2")]

NAME = "张桂英"  # community_staff's real name
CONTACT = "13800000001"
ORG = "新华南路社区"


def _never_named(text: str):
    assert NAME not in text and CONTACT not in text and "community_staff" not in text


def test_department_pages_and_api_do_not_name_the_complainant(users, substantiated, page_client, api):
    c = substantiated()
    r = Rectification.objects.get(complaint=c)
    dept = page_client("hexi_health")
    for url in ["/supervision/department/", f"/supervision/rectifications/{r.pk}/", "/dashboard/", "/inbox/"]:
        resp = dept.get(url)
        assert resp.status_code == 200, url
        _never_named(resp.content.decode())
    # The bureau's page about the case and the complainant's own words are not the department's.
    assert dept.get(f"/supervision/complaints/{c.pk}/").status_code == 404
    assert dept.get("/supervision/complaints/export.csv").status_code == 404
    assert dept.post(f"/supervision/complaints/{c.pk}/reveal/").status_code == 404
    # The public status by code carries no name either.
    body = api("hexi_health").get(f"/api/v1/complaints/{c.tracking_code}").content.decode()
    _never_named(body)


def test_notifications_to_the_department_do_not_name_the_complainant(users, substantiated):
    substantiated()
    texts = Notification.objects.filter(user=users["hexi_health"]).values_list("title", "body")
    assert texts
    for title, body in texts:
        _never_named(title + body)


def test_criticism_pdf_and_notice_page_do_not_name_the_complainant(users, substantiated, client):
    from portal.pdf import pdf_text
    from supervision.pdf import criticism_pdf_bytes

    c = substantiated()
    cr = Criticism.objects.get(complaint=c)
    services.criticism_submit(actor=users["hexi_official"], criticism_id=cr.pk)
    services.criticism_decide(
        actor=users["hexi_approver"],
        criticism_id=cr.pk,
        data=sv.CriticismDecisionSchema.parse({"decision": "approve"}),
    )
    cr.refresh_from_db()
    text = pdf_text(criticism_pdf_bytes(cr))
    assert "河西区卫生健康委员会" in text and cr.number in text
    _never_named(text)
    page = client.get(f"/supervision/notices/{cr.public_code}/").content.decode()
    assert cr.number in page
    _never_named(page)
    _never_named(client.get("/supervision/").content.decode())


def test_bureau_export_has_no_complainant_column(users, substantiated, page_client):
    substantiated()
    resp = page_client("hexi_official").get("/supervision/complaints/export.csv")
    assert resp.status_code == 200
    text = resp.content.decode("utf-8-sig")
    assert "河西区卫生健康委员会" in text
    _never_named(text)


def test_handler_sees_the_identity_only_by_an_audited_reveal(users, file_complaint, page_client):
    c = file_complaint()
    official = page_client("hexi_official")
    page = official.get(f"/supervision/complaints/{c.pk}/").content.decode()
    _never_named(page)
    assert AuditEntry.objects.filter(action="supervision.reveal_identity").count() == 0
    revealed = official.post(f"/supervision/complaints/{c.pk}/reveal/").content.decode()
    assert NAME in revealed and CONTACT in revealed and ORG in revealed
    row = AuditEntry.objects.get(action="supervision.reveal_identity")
    assert row.actor == users["hexi_official"] and row.object_id == str(c.pk)
    # Another district's bureau cannot reveal it.
    assert page_client("nankai_official").post(f"/supervision/complaints/{c.pk}/reveal/").status_code == 404


def test_the_contact_is_encrypted_at_rest(users, file_complaint):
    from supervision.models import ComplainantIdentity

    c = file_complaint()
    stored = ComplainantIdentity.objects.get(complaint=c).contact_encrypted
    assert stored and CONTACT not in stored


def test_anonymous_complaints_keep_no_identity(api, users):
    r = api().post(
        "/api/v1/complaints",
        {
            "category": "one_vote_veto",
            "target_department": "12010302",
            "description": "卫健委对社区设置一票否决考核指标。",
            "name": "某人",
        },
    )
    from supervision.models import ComplainantIdentity, Complaint

    c = Complaint.objects.get(tracking_code=r.json()["tracking_code"])
    ident = ComplainantIdentity.objects.get(complaint=c)
    assert ident.user is None and ident.name == ""
    assert services.complaint_identity_reveal(actor=users["hexi_official"], complaint_id=c.pk)["anonymous"]
    assert AuditEntry.objects.get(action="supervision.file").actor is None
