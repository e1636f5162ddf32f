"""A refused application keeps what the resident entered: text, the uploads (by name, removable) and the ID
number (in the session, not printed back), with each error once next to its field and a summary on top."""

from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import CertificateApplication
from tests.certificates.conftest import GOOD_ID, pdf_bytes, png_bytes


def _files():
    return {
        "id_front": SimpleUploadedFile("身份证正面.png", png_bytes(), content_type="image/png"),
        "household_register": SimpleUploadedFile("户口本.pdf", pdf_bytes(), content_type="application/pdf"),
    }


def test_refused_application_keeps_text_files_and_id_and_goes_through_later(page_client, catalogue):
    client = page_client("resident")
    client.get("/certificates/apply/?type=residence")
    data = {
        "type": "residence",
        "community": "120103001001",
        "applicant_name": "王小明",
        "id_number": GOOD_ID,
        "reason": "在本社区居住五年，孩子上学需要居住证明。",
        "purpose": "",  # missing: the service refuses
        "pledge": "on",
        **_files(),
    }
    r = client.post("/certificates/apply/", data)
    assert r.status_code == 400
    html = r.content.decode()
    assert not CertificateApplication.objects.exists()
    assert "在本社区居住五年，孩子上学需要居住证明。" in html  # text kept
    assert GOOD_ID not in html  # the ID number is not printed back …
    assert 'data-testid="id-kept"' in html and GOOD_ID[-4:] in html  # … but kept, and the page says so
    assert html.count('data-testid="pending-file"') == 2
    assert "身份证正面.png" in html and "户口本.pdf" in html
    assert 'data-testid="error-summary"' in html and 'href="#id_purpose"' in html
    message = "请填写证明用途（2至200字）。"
    assert html.count(message) <= 1  # the error once, next to its field

    # Remove one kept file, then submit the rest without choosing anything again.
    token = html.split('name="pending_remove" value="', 2)[2].split('"', 1)[0]  # the second file
    typed = {
        k: v for k, v in data.items() if k not in ("id_front", "household_register")
    }  # inputs are empty again
    r = client.post(
        "/certificates/apply/", {**typed, "id_number": "", "purpose": "", "pending_remove": token}
    )
    html = r.content.decode()
    assert html.count('data-testid="pending-file"') == 1 and "户口本.pdf" not in html
    assert 'data-testid="error-summary"' not in html  # removing is not a failed submission
    r = client.post(
        "/certificates/apply/",
        {
            **typed,
            "id_number": "",
            "purpose": "办理子女小学入学",
            "household_register": SimpleUploadedFile(
                "户口本2.pdf", pdf_bytes(), content_type="application/pdf"
            ),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    app = CertificateApplication.objects.get()
    assert sorted(a.kind for a in app.attachments.all()) == sorted(["id_front", "household_register"])
