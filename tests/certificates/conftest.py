"""Fixtures of the certificates tests: the catalogue, files of every kind and an application factory."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.choices import AttachmentKind
from certificates.personal import id_check_char

GOOD_ID = "12010319850612301" + id_check_char("12010319850612301")  # 河西区, born 1985-06-12
OTHER_ID = "12010419900101123" + id_check_char("12010419900101123")


def png_bytes(size=(64, 48), color=(200, 210, 220), exif: bool = False) -> bytes:
    from PIL import Image

    img = Image.new("RGB", size, color)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes(size=(64, 48), with_exif: bool = False) -> bytes:
    from PIL import Image

    img = Image.new("RGB", size, (120, 140, 160))
    buf = io.BytesIO()
    if with_exif:
        exif = Image.Exif()
        exif[0x010F] = "SecretCam"  # Make
        exif[0x8825] = {1: "N", 2: (39.0, 7.0, 0.0)}  # GPS
        img.save(buf, "JPEG", exif=exif.tobytes())
    else:
        img.save(buf, "JPEG")
    return buf.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def good_files() -> dict:
    """Multipart fields of a complete application (API names)."""
    return {
        "id_card": [upload("front.png", png_bytes()), upload("back.jpg", jpeg_bytes(), "image/jpeg")],
        "household_register": [upload("hukou.pdf", pdf_bytes(), "application/pdf")],
    }


def form_data(**overrides) -> dict:
    data = {
        "type": "residence",
        "community": "120103001001",
        "applicant_name": "王小明",
        "id_number": GOOD_ID,
        "reason": "在本社区居住三年，子女入学需要。",
        "purpose": "办理子女入学",
        "pledge": "true",
    }
    data.update(good_files())
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def catalogue(demo):
    from certificates.demo import load_catalogue

    load_catalogue()
    return True


@pytest.fixture
def make_application(catalogue):
    """Create an application through the service (as ``resident`` unless told otherwise)."""
    from certificates import services
    from portal.models import User

    def make(
        username: str = "resident",
        type_code: str = "residence",
        community: str = "120103001001",
        id_number: str = GOOD_ID,
        name: str = "王小明",
    ):
        from certificates.schemas import ApplicationSchema
        from certificates.services import Upload

        files = [
            Upload(AttachmentKind.ID_FRONT, upload("f.png", png_bytes())),
            Upload(AttachmentKind.ID_BACK, upload("b.png", png_bytes())),
            Upload(AttachmentKind.HOUSEHOLD, upload("h.pdf", pdf_bytes(), "application/pdf")),
        ]
        data = ApplicationSchema.parse(
            {
                "type": type_code,
                "community": community,
                "applicant_name": name,
                "id_number": id_number,
                "reason": "在本社区居住三年。",
                "purpose": "办理子女入学",
                "pledge": True,
            }
        )
        app = services.application_create(user=User.objects.get(username=username), data=data, files=files)
        # Fixtures create many applications: keep them out of the per-day limit that the API tests check.
        from datetime import timedelta

        from django.utils import timezone

        from certificates.models import CertificateApplication

        CertificateApplication.objects.filter(pk=app.pk).update(created_at=timezone.now() - timedelta(days=2))
        app.refresh_from_db()
        return app

    return make


@pytest.fixture
def issue(make_application, django_capture_on_commit_callbacks):
    """An application approved by ``community_staff`` with its PDF rendered in-process."""
    from certificates import services
    from certificates.schemas import ReviewSchema
    from portal.models import User

    def make(**kw):
        app = make_application(**kw)
        staff = "community_staff2" if kw.get("community") == "120103001002" else "community_staff"
        with django_capture_on_commit_callbacks(execute=True):
            services.application_review(
                user=User.objects.get(username=staff),
                application_id=app.pk,
                data=ReviewSchema.parse({"decision": "approve", "comment": "属实"}),
            )
        app.refresh_from_db()
        return app

    return make
