"""The issued certificate: a real PDF with letterhead, wording, masked ID, seal and QR; registers; stats."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from certificates import uploads
from certificates.selectors import certificate_stats_for_community
from portal.pdf import pdf_text

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"


def test_pdf_text_and_png(issue):
    app = issue()
    cert = app.certificate
    data = uploads.stored_path(cert.pdf_name).read_bytes()
    assert data.startswith(b"%PDF-")
    import hashlib

    assert hashlib.sha256(data).hexdigest() == cert.pdf_sha256
    text = pdf_text(data)
    compact = "".join(text.split())
    for expected in (
        "天津市河西区大营门街道",  # the letterhead: the community's district and street
        "新华南路社区居民委员会",
        "居住证明",
        cert.number,
        "王小明",
        app.id_number_masked,
        "特此证明",
        "办理子女入学",
        cert.verify_code,
    ):
        assert expected in compact, expected
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    if shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        pdf_path = SHOTS / "certificate.pdf"
        pdf_path.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf_path), str(SHOTS / "certificate")],
            check=True,
        )
        assert (SHOTS / "certificate-1.png").exists()


def test_registers_export(issue, page_client):
    app = issue()
    client = page_client("community_staff")
    csv = client.get("/certificates/register/issued/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert app.certificate.number in text and "王*明" in text
    seal = client.get("/certificates/register/seal/?format=xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(seal.content)).active
    rows = list(ws.values)
    assert rows[0][:2] == ("用印时间", "印章名称")
    assert rows[1][1] == "新华南路社区居民委员会" and rows[1][5] == app.certificate.number


def test_stats_for_evaluations(issue, org):
    from django.utils import timezone

    issue()
    issue()
    stats = certificate_stats_for_community(community=org("120103001001"), year=timezone.localdate().year)
    assert stats == {"issued": 2, "on_time": 2}
    assert certificate_stats_for_community(community=org("120103001002"), year=2020) == {
        "issued": 0,
        "on_time": 0,
    }


def test_resident_downloads_pdf_and_attachments_as_attachments(issue, page_client):
    app = issue()
    client = page_client("resident")
    r = client.get(f"/certificates/applications/{app.pk}/certificate.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    att = app.attachments.first()
    r = client.get(f"/certificates/applications/{app.pk}/files/{att.pk}/")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("username", ["resident", "community_staff", "city_admin"])
def test_demo_loads_and_pages_render(demo, username, page_client, django_capture_on_commit_callbacks):
    from certificates.demo import load_demo
    from certificates.models import Certificate, CertificateApplication

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    load_demo()  # idempotent
    assert CertificateApplication.objects.count() == 2 and Certificate.objects.count() == 1
    client = page_client(username)
    for url in ("/certificates/", "/dashboard/"):
        r = client.get(url)
        assert r.status_code == 200
        assert "style=" not in r.content.decode() and "<script>" not in r.content.decode()
