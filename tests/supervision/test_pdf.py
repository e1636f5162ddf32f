"""The published criticism is a real sealed PDF behind its public notice page, with a QR code to it."""

import shutil
import subprocess

import pytest

from supervision import schemas as sv
from supervision import services
from supervision.models import Criticism

pytestmark = [pytest.mark.django_db, pytest.mark.policy("四-3")]


def test_published_criticism_pdf_is_served_and_reads_right(
    users, substantiated, client, tmp_path, django_capture_on_commit_callbacks
):
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to read the PDF"
    c = substantiated()
    cr = Criticism.objects.get(complaint=c)
    assert client.get(f"/supervision/notices/{cr.public_code}/").status_code == 404  # not yet published
    services.criticism_submit(actor=users["hexi_official"], criticism_id=cr.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.criticism_decide(
            actor=users["hexi_approver"],
            criticism_id=cr.pk,
            data=sv.CriticismDecisionSchema.parse({"decision": "approve"}),
        )
    cr.refresh_from_db()
    assert cr.pdf_file and len(cr.pdf_sha256) == 64
    r = client.get(f"/supervision/notices/{cr.public_code}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    path = tmp_path / "criticism.pdf"
    path.write_bytes(b"".join(r.streaming_content))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "河西区民政局" in text and cr.number in text and "通报" in text
    assert f"/supervision/notices/{cr.public_code}/" in text.replace("\n", "").replace(" ", "")
    assert "张桂英" not in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5000
