"""A draft belongs to its department until it is submitted (issue 13.5): page, API and file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from admission import services
from tests.support.files import pdf_bytes

ABOVE = ["city_approver", "city_admin", "hexi_official", "hexi_approver"]


def _draft_with_attachment(flow, page_client, **overrides):
    req = flow.create(**overrides)
    page_client("hexi_health").post(
        f"/admission/{req.pk}/attachments/", {"file": SimpleUploadedFile("方案.pdf", pdf_bytes())}
    )
    return req, req.attachments.get()


@pytest.mark.parametrize("username", ABOVE)
def test_officials_above_do_not_see_an_unsubmitted_draft(flow, page_client, api, username):
    req, att = _draft_with_attachment(flow, page_client)
    assert page_client(username).get(f"/admission/{req.pk}/").status_code == 404
    assert page_client(username).get(f"/admission/{req.pk}/attachments/{att.pk}/").status_code == 404
    assert req.title not in page_client(username).get("/admission/").content.decode()
    client = api(username)
    assert client.get(f"/api/v1/task-requests/{req.pk}").status_code == 404
    listed = client.get("/api/v1/task-requests", {"page_size": 200}).json()["results"]
    assert req.pk not in {r["id"] for r in listed}


def test_the_department_sees_its_draft_and_officials_see_it_once_submitted(flow, page_client, api, users):
    req, att = _draft_with_attachment(flow, page_client)
    assert page_client("hexi_health").get(f"/admission/{req.pk}/").status_code == 200
    assert api("hexi_health").get(f"/api/v1/task-requests/{req.pk}").status_code == 200
    services.task_request_submit(actor=users["hexi_health"], request_id=req.pk)
    for username in ("hexi_official", "hexi_approver", "city_admin"):
        assert page_client(username).get(f"/admission/{req.pk}/").status_code == 200
        assert api(username).get(f"/api/v1/task-requests/{req.pk}").status_code == 200
        assert page_client(username).get(f"/admission/{req.pk}/attachments/{att.pk}/").status_code == 200


def test_a_draft_withdrawn_before_submission_stays_with_its_department(flow, page_client, api, users):
    req, _ = _draft_with_attachment(flow, page_client)
    services.task_request_withdraw(actor=users["hexi_health"], request_id=req.pk, comment="不再需要")
    assert api("hexi_official").get(f"/api/v1/task-requests/{req.pk}").status_code == 404
    assert api("hexi_health").get(f"/api/v1/task-requests/{req.pk}").status_code == 200
