"""POST /api/v1/reports and GET /api/v1/reports/{id} per API.md: 202, progress, download with the same token,
clear 400s, scope as 404."""

from __future__ import annotations

import pytest

from portal.models import AuditEntry, Job
from portal.pdf import pdf_text


def order(api, user, **body):
    payload = {"kind": "burden", "org": "120103", "period": "2026-Q2", **body}
    return api(user).post("/api/v1/reports", payload)


def test_district_official_orders_and_downloads_the_quarterly_report(
    hexi_activity, api, django_capture_on_commit_callbacks
):
    client = api("hexi_official")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/api/v1/reports", {"kind": "burden", "org": "120103", "period": "2026-Q2"})
    assert r.status_code == 202, r.content
    body = r.json()
    assert set(body) == {"id", "status"} and body["status"] == "queued"
    status = client.get(f"/api/v1/reports/{body['id']}").json()
    assert status["status"] == "done" and status["progress"] == 100, status
    pdf = client.get(status["download_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content)).replace("\n", "")
    assert "河西区2026年第二季度社区减负成效报告" in text
    assert "拒绝承接登记" in text and "大营门街道" in text
    assert AuditEntry.objects.filter(action="reports.order", actor__username="hexi_official").exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"period": "2026-Q5"}, "period"),
        ({"period": "二〇二六"}, "period"),
        ({"kind": "everything"}, "kind"),
    ],
)
def test_bad_input_is_a_clear_400_and_orders_nothing(demo, api, body, field):
    r = order(api, "hexi_official", **body)
    assert r.status_code == 400
    error = r.json()["error"]
    assert field in error["fields"] and any("\u4e00" <= c <= "\u9fff" for c in error["message"])
    assert not Job.objects.exists()


def test_missing_fields_are_a_400(demo, api):
    r = api("hexi_official").post("/api/v1/reports", {"kind": "burden"})
    assert r.status_code == 400 and "org" in r.json()["error"]["fields"]


def test_another_scope_is_404_and_audited(demo, api):
    r = order(api, "hexi_official", org="120104")
    assert r.status_code == 404 and not Job.objects.exists()
    assert AuditEntry.objects.filter(result="denied", actor__username="hexi_official").exists()
    assert order(api, "street_staff", org="120103").status_code == 404  # a street sees only its street
    assert order(api, "community_staff").status_code == 404
    assert order(api, "resident").status_code == 404
    assert (
        api().post("/api/v1/reports", {"kind": "burden", "org": "120103", "period": "2026"}).status_code
        == 401
    )


def test_city_admin_orders_the_city_summary_and_others_cannot_read_it(
    hexi_activity, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = order(api, "city_admin", org="120000")
    assert r.status_code == 202
    rid = r.json()["id"]
    status = api("city_admin").get(f"/api/v1/reports/{rid}").json()
    assert status["status"] == "done"
    text = pdf_text(b"".join(api("city_admin").get(status["download_url"]).streaming_content))
    assert "汇总报告" in text and "南开区" in text and "河西区" in text
    # the district below may not read the city's report, nor its file
    assert api("hexi_official").get(f"/api/v1/reports/{rid}").status_code == 404
    assert api("hexi_official").get(status["download_url"]).status_code == 404
    assert api("nankai_official").get(f"/api/v1/reports/{rid}").status_code == 404
    assert api("hexi_official").get("/api/v1/reports/not-a-uuid").status_code == 404


def test_the_city_reads_a_district_report(hexi_activity, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rid = order(api, "hexi_official").json()["id"]
    assert api("city_admin").get(f"/api/v1/reports/{rid}").json()["status"] == "done"
    assert api("nankai_official").get(f"/api/v1/reports/{rid}").status_code == 404


def test_register_reports_and_the_star_summary(hexi_activity, api, django_capture_on_commit_callbacks):
    client = api("hexi_official")
    with django_capture_on_commit_callbacks(execute=True):
        rid = client.post(
            "/api/v1/reports", {"kind": "register_seal", "org": "120103", "period": "2026-Q2"}
        ).json()["id"]
    text = pdf_text(
        b"".join(client.get(client.get(f"/api/v1/reports/{rid}").json()["download_url"]).streaming_content)
    )
    assert "用印登记簿" in text and "拒绝承接告知书" in text and "共 4 条" in text
    r = client.post("/api/v1/reports", {"kind": "stars", "org": "120000", "period": "2025"})
    assert r.status_code == 404  # the city is not 河西区's
    r = api("city_admin").post("/api/v1/reports", {"kind": "stars", "org": "120000", "period": "2025"})
    assert r.status_code == 400 and "区" in r.json()["error"]["message"]
