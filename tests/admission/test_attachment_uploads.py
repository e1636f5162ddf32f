"""Admission attachments go through the core upload checker."""

from django.core.files.uploadedfile import SimpleUploadedFile

from admission.models import Attachment
from tests.support.files import EXE, png_bytes


def test_a_renamed_executable_is_refused_on_the_page_with_a_chinese_message(flow, page_client):
    req = flow.create()
    r = page_client("hexi_health").post(
        f"/admission/{req.pk}/attachments/", {"file": SimpleUploadedFile("实施方案.pdf", EXE)}, follow=True
    )
    assert "不能只改扩展名" in r.content.decode()
    assert not Attachment.objects.filter(request=req).exists()


def test_a_renamed_executable_is_refused_over_the_api(flow, api):
    req = flow.create()
    r = api("hexi_health").post_multipart(
        f"/api/v1/task-requests/{req.pk}/attachments", {"file": SimpleUploadedFile("a.png", EXE, "image/png")}
    )
    assert r.status_code == 400 and "不能只改扩展名" in r.json()["error"]["message"]
    assert not Attachment.objects.filter(request=req).exists()


def test_images_are_stored_re_encoded(flow, users):
    from admission import services

    data = png_bytes()
    att = services.attachment_add(
        actor=users["hexi_health"], request_id=flow.create().pk, upload=SimpleUploadedFile("图.png", data)
    )
    assert att.content_type == "image/png" and att.file.read().startswith(b"\x89PNG") and att.name == "图.png"
