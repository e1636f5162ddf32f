"""Hostile uploads: judged by content, clear Chinese messages, nothing stored."""

from pathlib import Path

import pytest
from django.conf import settings

from certificates.models import Attachment, CertificateApplication
from tests.certificates.conftest import form_data, jpeg_bytes, pdf_bytes, png_bytes, upload

URL = "/api/v1/certificate-applications"


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "certificates"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_stored():
    assert CertificateApplication.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def post(api, **overrides):
    return api("resident").post_multipart(URL, form_data(**overrides))


def test_good_application_is_created(catalogue, api):
    r = post(api)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "submitted" and body["tracking_no"].startswith("ZM")
    app = CertificateApplication.objects.get(pk=body["id"])
    assert app.attachments.count() == 3
    files = stored_files()
    assert len(files) == 3
    for f in files:
        assert f.name.split(".")[0] not in ("front", "back", "hukou")  # generated names
        assert not str(f).startswith(str(settings.STATIC_ROOT))
    import hashlib

    for a in app.attachments.all():
        data = (Path(settings.MEDIA_ROOT) / "certificates" / a.stored_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == a.sha256


HTML = b"<html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'


@pytest.mark.parametrize(
    "field, files, status, message",
    [
        ("id_card", [upload("photo.jpg", HTML, "image/jpeg"), upload("b.png", png_bytes())], 400, "不是 JPG"),
        ("id_card", [upload("photo.jpg", SVG, "image/jpeg"), upload("b.png", png_bytes())], 400, "不是 JPG"),
        (
            "household_register",
            [upload("scan.png", b"\x89PNG\r\n\x1a\nnot really a png", "image/png")],
            400,
            "不是有效的",
        ),
        (
            "household_register",
            [upload("doc.pdf", b"%PDF-1.4\n garbage", "application/pdf")],
            400,
            "不是有效的 PDF",
        ),
        ("household_register", [upload("empty.jpg", b"", "image/jpeg")], 400, "空文件"),
        (
            "household_register",
            [upload("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf")],
            413,
            "10 MB",
        ),
        ("supporting", [upload(f"s{i}.png", png_bytes()) for i in range(7)], 400, "最多上传"),
    ],
    ids=["html-as-jpg", "svg-as-jpg", "broken-png", "broken-pdf", "empty", "oversized", "too-many-of-a-kind"],
)
def test_hostile_uploads_are_refused_and_nothing_is_stored(catalogue, api, field, files, status, message):
    r = post(api, **{field: files})
    assert r.status_code == status, r.content
    assert message in r.json()["error"]["message"]
    assert_nothing_stored()


def test_too_many_files_in_total(catalogue, api):
    r = post(
        api,
        household_register=[upload(f"h{i}.png", png_bytes()) for i in range(3)],
        supporting=[upload(f"s{i}.png", png_bytes()) for i in range(6)],
    )
    assert r.status_code == 400
    assert "最多上传 10 个文件" in r.json()["error"]["message"]
    assert_nothing_stored()


def test_pdf_with_javascript_is_refused(catalogue, api):
    data = pdf_bytes().replace(b"%%EOF", b"/JavaScript (app.alert(1))\n%%EOF")
    r = post(api, household_register=[upload("js.pdf", data, "application/pdf")])
    assert r.status_code == 400 and "脚本" in r.json()["error"]["message"]
    assert_nothing_stored()


def test_a_bad_file_after_good_ones_leaves_no_orphans(catalogue, api):
    r = post(api, supporting=[upload("ok.png", png_bytes()), upload("x.jpg", HTML, "image/jpeg")])
    assert r.status_code == 400
    assert_nothing_stored()


def test_path_traversal_names_are_only_displayed_sanitised(catalogue, api):
    r = post(
        api,
        id_card=[
            upload("../../etc/passwd.jpg", jpeg_bytes(), "image/jpeg"),
            upload("..\\..\\windows\\win.ini.png", png_bytes()),
        ],
    )
    assert r.status_code == 201, r.content
    names = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert "passwd.jpg" in names and "win.ini.png" in names
    for a in Attachment.objects.all():
        assert ".." not in a.stored_name and a.stored_name.startswith("uploads/")
    assert not Path("/etc/passwd.jpg").exists()
    for f in stored_files():
        assert Path(settings.MEDIA_ROOT).resolve() in f.resolve().parents


def test_images_are_reencoded_without_metadata(catalogue, api):
    from PIL import Image

    original = jpeg_bytes(with_exif=True)
    assert b"SecretCam" in original
    r = post(api, id_card=[upload("front.jpg", original, "image/jpeg"), upload("b.png", png_bytes())])
    assert r.status_code == 201
    att = Attachment.objects.get(kind="id_front")
    data = (Path(settings.MEDIA_ROOT) / "certificates" / att.stored_name).read_bytes()
    assert b"SecretCam" not in data and b"Exif" not in data
    import io

    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_files_are_judged_by_content_not_name(catalogue, api):
    # A real PNG named .pdf is accepted as a PNG; the stored name uses the real type.
    r = post(api, household_register=[upload("hukou.pdf", png_bytes(), "application/pdf")])
    assert r.status_code == 201
    att = Attachment.objects.get(kind="household_register")
    assert att.content_type == "image/png" and att.stored_name.endswith(".png")


def test_missing_required_files(catalogue, api):
    data = form_data()
    data.pop("household_register")
    r = api("resident").post_multipart(URL, data)
    assert r.status_code == 400 and "户口本" in r.json()["error"]["message"]
    assert_nothing_stored()
