"""The API contract of ../shared/API.md and its permission matrix."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from admission.models import TaskRequest
from tests.admission.conftest import request_data
from tests.support.permissions import Access, check_matrix

BASE = "/api/v1/task-requests"


def test_create_submit_opinions_review_decision_over_api(api):
    health = api("hexi_health")
    r = health.post(BASE, request_data(target_orgs=["120103001001"]))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "draft" and body["id"]
    pk = body["id"]
    r = health.post(f"{BASE}/{pk}/submit")
    assert r.status_code == 200 and r.json()["status"] == "consultation"
    r = api("community_staff").post(f"{BASE}/{pk}/opinions", {"opinion": "agree", "comment": "同意"})
    assert r.status_code == 200
    r = api("street_staff").post(f"{BASE}/{pk}/opinions", {"opinion": "agree", "comment": ""})
    assert r.status_code == 200 and r.json()["status"] == "review"
    assert r.json()["consultation"]["agree"] == 2
    r = api("hexi_official").post(
        f"{BASE}/{pk}/review", {"legality": "pass", "reasonableness": "pass", "comment": "可"}
    )
    assert r.status_code == 200 and r.json()["status"] == "decision"
    r = api("hexi_approver").post(f"{BASE}/{pk}/decision", {"decision": "approve", "comment": "同意准入"})
    assert r.status_code == 200
    out = r.json()
    assert out["status"] == "approved" and out["admission_no"].startswith("津河西准〔")
    r = api("hexi_approver").post(f"{BASE}/{pk}/decision", {"decision": "reject", "comment": "再次"})
    assert r.status_code == 409
    assert "已被他人处理" in r.json()["error"]["message"]
    detail = health.get(f"{BASE}/{pk}").json()
    steps = [(h["from"], h["to"], h["role"]) for h in detail["history"]]
    assert steps[0] == (None, "draft", "department_staff")
    assert ("decision", "approved", "district_approver") in steps
    assert all({"at", "actor", "role", "from", "to", "comment"} <= set(h) for h in detail["history"])
    v = api().get(f"/api/v1/admissions/{quote(out['admission_no'])}")
    assert v.status_code == 200
    assert v.json()["status"] == "valid" and v.json()["scope"] == ["120103001001"]
    assert set(v.json()) >= {
        "admission_no",
        "status",
        "title",
        "department",
        "valid_from",
        "valid_until",
        "scope",
    }


def test_unknown_admission_is_404(api):
    r = api().get("/api/v1/admissions/" + quote("津河西准〔2026〕999号"))
    assert r.status_code == 404 and r.json()["error"]["message"]


def test_negative_list_submit_answers_rejected_with_reason(api):
    health = api("hexi_health")
    pk = health.post(BASE, request_data(title="社区负责辖区违法建设拆除和行政执法")).json()["id"]
    r = health.post(f"{BASE}/{pk}/submit")
    assert r.status_code == 200
    assert r.json()["status"] == "rejected" and r.json()["status_reason"]


def test_missing_funding_is_400_and_nothing_changes(api):
    health = api("hexi_health")
    pk = health.post(BASE, request_data(funding_amount=None, working_conditions="")).json()["id"]
    r = health.post(f"{BASE}/{pk}/submit")
    assert r.status_code == 400
    err = r.json()["error"]
    assert "费随事转" in err["message"] and "working_conditions" in err["fields"]
    assert health.get(f"{BASE}/{pk}").json()["status"] == "draft"


def test_bad_input_is_a_clear_400(api):
    health = api("hexi_health")
    r = health.post(BASE, {"title": "x"})
    assert r.status_code == 400 and r.json()["error"]["fields"]
    r = health.post(BASE, request_data(start_date="not-a-date"))
    assert r.status_code == 400
    r = health.post(BASE, request_data(target_orgs=["120104001001"]))
    assert r.status_code == 400 and "target_orgs" in r.json()["error"]["fields"]
    assert not TaskRequest.objects.exists()


def test_the_page_and_the_api_refuse_the_same_mistakes_with_the_same_messages(api, page_client):
    bad = request_data(title="", workload_hours_per_month="800", end_date="2020-01-01", purchase_service=[1])
    r = api("hexi_health").post(BASE, bad)
    assert r.status_code == 400
    assert r.json()["error"] == {
        "code": "invalid",
        "message": "申请内容不完整或有误，请检查标出的字段。",
        "fields": {
            "title": "请填写事项名称。",
            "end_date": "结束日期不能早于开始日期。",
            "workload_hours_per_month": "工作量不能超过每月 744 小时。",
            "purchase_service": "采取政府购买服务方式应为 true 或 false。",
        },
    }
    bad["purchase_service"] = "on"
    html = page_client("hexi_health").post("/admission/new/", bad).content.decode()
    for message in ("请填写事项名称。", "结束日期不能早于开始日期。", "工作量不能超过每月 744 小时。"):
        assert message in html
    assert api("hexi_health").post(BASE, ["title"]).status_code == 400
    assert not TaskRequest.objects.exists()


def test_list_endpoint_is_scoped_and_paginated(api, flow):
    flow.submitted(title="河西事项")
    flow.submitted("city_stats", title="市级事项")
    r = api("hexi_health").get(BASE, {"page_size": 1})
    assert r.status_code == 200 and r.json()["count"] == 1 and r.json()["results"][0]["title"] == "河西事项"
    assert api("nankai_official").get(BASE).json()["count"] == 0
    assert api("city_admin").get(BASE).json()["count"] == 2
    assert api("city_stats").get(BASE).json()["results"][0]["title"] == "市级事项"
    assert api().get(BASE).status_code == 401


def test_city_request_cannot_be_decided_by_district(api, flow):
    req = flow.in_decision("city_stats", reviewer="city_admin")
    assert api("hexi_approver").post(f"{BASE}/{req.pk}/decision", {"decision": "approve"}).status_code == 404
    r = api("city_approver").post(f"{BASE}/{req.pk}/decision", {"decision": "approve"})
    assert r.status_code == 200 and r.json()["admission_no"].startswith("津准〔")


def test_attachment_upload_over_api(api, flow):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.files import pdf_bytes

    req = flow.create()
    client = api("hexi_health")
    r = client.post_multipart(
        f"{BASE}/{req.pk}/attachments",
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")},
    )
    assert r.status_code == 201, r.content
    r = client.post_multipart(
        f"{BASE}/{req.pk}/attachments", {"file": SimpleUploadedFile("a.html", b"<script>", "application/pdf")}
    )
    assert r.status_code == 400


# ------------------------------------------------------------------ permission matrices

DISTRICT_VIEWERS = ["hexi_health", "hexi_official", "hexi_approver", "city_admin", "city_approver"]
OUTSIDERS = ["nankai_official", "city_stats", "resident", "community_staff2"]


def test_matrix_detail(flow):
    req = flow.submitted(target_orgs=["120103001001"])
    check_matrix(
        Access(url=f"{BASE}/{req.pk}", api=True),
        allowed=DISTRICT_VIEWERS + ["street_staff", "community_staff"],
        denied=OUTSIDERS,
        anonymous=401,
    )


def test_matrix_create(demo):
    check_matrix(
        Access(url=BASE, method="post", api=True, data=request_data, ok_status=(201,), denied_status=(403,)),
        allowed=["hexi_health"],
        denied=["hexi_official", "community_staff", "resident", "hexi_approver"],
        anonymous=401,
    )


def test_matrix_submit(flow):
    check_matrix(
        Access(
            url=lambda: f"{BASE}/{flow.create().pk}/submit", method="post", api=True, denied_status=(403, 404)
        ),
        allowed=["hexi_health"],
        denied=["hexi_official", "hexi_approver", "nankai_official", "resident"],
        anonymous=401,
    )


def test_matrix_opinions(flow):
    check_matrix(
        Access(
            url=lambda: f"{BASE}/{flow.submitted(target_orgs=['120103001001']).pk}/opinions",
            method="post",
            api=True,
            data={"opinion": "agree", "comment": ""},
            denied_status=(403, 404),
        ),
        allowed=["community_staff", "street_staff"],
        denied=["community_staff2", "hexi_official", "hexi_health", "nankai_official", "resident"],
        anonymous=401,
    )


def test_matrix_review(flow):
    check_matrix(
        Access(
            url=lambda: f"{BASE}/{flow.in_review().pk}/review",
            method="post",
            api=True,
            data={"legality": "pass", "reasonableness": "pass"},
            denied_status=(403, 404),
        ),
        allowed=["hexi_official"],
        denied=["hexi_approver", "hexi_health", "city_admin", "nankai_official", "community_staff"],
        anonymous=401,
    )


def test_matrix_decision(flow):
    check_matrix(
        Access(
            url=lambda: f"{BASE}/{flow.in_decision().pk}/decision",
            method="post",
            api=True,
            data={"decision": "approve"},
            denied_status=(403, 404),
        ),
        allowed=["hexi_approver"],
        denied=["hexi_official", "hexi_health", "city_approver", "nankai_official", "street_staff"],
        anonymous=401,
    )


def test_denials_are_consistent(flow, api):
    """Out of scope → 404; in scope with the wrong role → 403."""
    req = flow.in_decision()
    assert (
        api("nankai_official").post(f"{BASE}/{req.pk}/decision", {"decision": "approve"}).status_code == 404
    )
    assert api("hexi_official").post(f"{BASE}/{req.pk}/decision", {"decision": "approve"}).status_code == 403
    assert api("city_approver").post(f"{BASE}/{req.pk}/decision", {"decision": "approve"}).status_code == 403


def test_matrix_verify_public(flow):
    req = flow.approved()
    check_matrix(
        Access(url=f"/api/v1/admissions/{quote(req.admission_no)}", api=True),
        allowed=["resident", "community_staff2"],
        anonymous="ok",
    )


@pytest.mark.parametrize("path", [BASE, f"{BASE}/inbox"])
def test_list_query_counts_are_bounded(flow, api, django_assert_max_num_queries, path):
    for i in range(6):
        flow.in_review(title=f"事项{i}")
    client = api("hexi_official")
    with django_assert_max_num_queries(12):
        r = client.get(path)
    assert r.status_code == 200 and r.json()["count"] == 6


def test_detail_query_count_is_bounded(flow, api, django_assert_max_num_queries):
    req = flow.approved(target_orgs=["120103"])
    client = api("hexi_official")
    with django_assert_max_num_queries(16):
        r = client.get(f"{BASE}/{req.pk}")
    assert r.status_code == 200 and len(r.json()["consultation"]["opinions"]) == 15
