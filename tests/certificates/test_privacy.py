"""The full ID number never leaves the database except in the audited reveal view."""

import logging

from certificates.models import CertificateApplication
from portal.models import AuditEntry
from tests.certificates.conftest import GOOD_ID, form_data

URL = "/api/v1/certificate-applications"


def test_no_full_id_number_in_responses_pages_or_logs(
    catalogue, api, page_client, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    bodies = []
    r = api("resident").post_multipart(URL, form_data())
    bodies.append(r.content)
    pk = r.json()["id"]
    app = CertificateApplication.objects.get(pk=pk)
    assert (
        GOOD_ID not in app.id_number_encrypted
        and app.id_number_masked == GOOD_ID[:6] + "********" + GOOD_ID[-4:]
    )
    bodies.append(api("resident").post_multipart(URL, form_data(pledge="false")).content)  # error echo
    with django_capture_on_commit_callbacks(execute=True):
        bodies.append(api("community_staff").post(f"{URL}/{pk}/review", {"decision": "approve"}).content)
    bodies.append(api("resident").get(f"{URL}/{pk}").content)
    bodies.append(api("community_staff").get(f"{URL}/{pk}").content)
    code = app.certificate.verify_code
    bodies.append(api().get(f"/api/v1/certificates/verify/{code}").content)
    for user in ("resident", "community_staff"):
        client = page_client(user)
        for url in (
            f"/certificates/applications/{pk}/",
            "/certificates/my/",
            "/certificates/queue/?status=issued",
            "/certificates/register/issued/?format=csv",
            "/certificates/register/seal/?format=csv",
            "/dashboard/",
            "/inbox/",
        ):
            bodies.append(client.get(url).content)
    bodies.append(
        page_client("resident")
        .post("/certificates/apply/", {**form_data(id_number=GOOD_ID), "pledge": ""})
        .content
    )
    bodies.append(page_client().get(f"/certificates/verify/{code}/").content)
    from certificates import uploads
    from portal.pdf import pdf_text

    app.certificate.refresh_from_db()
    pdf = uploads.stored_path(app.certificate.pdf_name).read_bytes()
    assert GOOD_ID not in pdf_text(pdf) and app.id_number_masked in pdf_text(pdf)
    for body in bodies:
        assert GOOD_ID.encode() not in body
    assert GOOD_ID not in caplog.text
    for entry in AuditEntry.objects.all():
        assert GOOD_ID not in f"{entry.before} {entry.after} {entry.detail} {entry.object_repr}"


def test_staff_reveal_is_audited_and_the_only_place(make_application, page_client, caplog):
    caplog.set_level(logging.DEBUG)
    app = make_application()
    r = page_client("community_staff").post(f"/certificates/applications/{app.pk}/reveal-id/")
    assert r.status_code == 200
    assert GOOD_ID in r.content.decode()
    assert "no-store" in r["Cache-Control"]
    entry = AuditEntry.objects.get(action="certificate_application.reveal_id")
    assert entry.actor.username == "community_staff" and entry.object_id == str(app.pk)
    assert GOOD_ID not in caplog.text
    # the applicant cannot use it, nor another community
    assert page_client("resident").post(f"/certificates/applications/{app.pk}/reveal-id/").status_code == 404
    assert (
        page_client("community_staff2").post(f"/certificates/applications/{app.pk}/reveal-id/").status_code
        == 404
    )
    assert AuditEntry.objects.filter(action="certificate_application.reveal_id").count() == 1
    assert AuditEntry.objects.filter(action="denied:reveal").count() == 2
