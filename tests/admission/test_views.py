"""Pages: permission matrices, forms, actions through the browser path, query-count bounds, verification."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from admission.choices import Status
from admission.models import TaskRequest
from tests.admission.conftest import request_data
from tests.support.permissions import Access, check_matrix

WORKERS = ["hexi_health", "hexi_official", "hexi_approver", "street_staff", "community_staff", "city_admin"]


@pytest.mark.parametrize("url", ["/admission/", "/admission/inbox/"])
def test_matrix_lists(demo, url):
    check_matrix(Access(url=url), allowed=WORKERS, denied=["resident"], anonymous="login")


def test_matrix_new_form(demo):
    check_matrix(
        Access(url="/admission/new/"),
        allowed=["hexi_health", "city_stats"],
        denied=["hexi_official", "community_staff", "resident"],
        anonymous="login",
    )


def test_matrix_detail(flow):
    req = flow.submitted(target_orgs=["120103001001"])
    check_matrix(
        Access(url=f"/admission/{req.pk}/"),
        allowed=[
            "hexi_health",
            "hexi_official",
            "hexi_approver",
            "street_staff",
            "community_staff",
            "city_admin",
        ],
        denied=["nankai_official", "city_stats", "community_staff2", "resident"],
        anonymous="login",
    )


def test_matrix_edit(flow):
    req = flow.create()
    check_matrix(
        Access(url=f"/admission/{req.pk}/edit/", denied_status=(403, 404)),
        allowed=["hexi_health"],
        denied=["hexi_official", "nankai_official", "resident"],
        anonymous="login",
    )


def _post_matrix(url_factory, data, allowed, denied):
    check_matrix(
        Access(url=url_factory, method="post", data=data, ok_status=(302,), denied_status=(403, 404)),
        allowed=allowed,
        denied=denied,
        anonymous="login",
    )


def test_matrix_actions(flow):
    _post_matrix(
        lambda: f"/admission/{flow.create().pk}/submit/",
        {},
        ["hexi_health"],
        ["hexi_official", "nankai_official", "resident"],
    )
    _post_matrix(
        lambda: f"/admission/{flow.submitted(target_orgs=['120103001001']).pk}/opinion/",
        {"opinion": "agree"},
        ["community_staff"],
        ["community_staff2", "hexi_official", "resident"],
    )
    _post_matrix(
        lambda: f"/admission/{flow.in_review().pk}/review/",
        {"legality": "pass", "reasonableness": "pass"},
        ["hexi_official"],
        ["hexi_approver", "hexi_health", "nankai_official", "resident"],
    )
    _post_matrix(
        lambda: f"/admission/{flow.in_decision().pk}/decision/",
        {"decision": "approve"},
        ["hexi_approver"],
        ["hexi_official", "city_approver", "hexi_health", "nankai_official"],
    )
    _post_matrix(
        lambda: f"/admission/{flow.approved().pk}/revoke/",
        {"reason": "不再需要"},
        ["hexi_approver"],
        ["hexi_official", "hexi_health", "nankai_official"],
    )


def test_matrix_verify_page_is_public(flow):
    req = flow.approved()
    check_matrix(
        Access(url=f"/admission/verify/{quote(req.admission_no)}/"), allowed=["resident"], anonymous="ok"
    )


def test_verify_unknown_number(demo, client):
    r = client.get("/admission/verify/" + quote("津河西准〔2026〕404号") + "/")
    assert r.status_code == 404 and "未查到准入编号" in r.content.decode()
    r = client.get("/admission/verify/", {"no": "津准〔2026〕1号"})
    assert r.status_code == 302


def test_new_request_form_and_submit_in_browser(page_client):
    c = page_client("hexi_health")
    r = c.get("/admission/new/")
    assert "费随事转" in r.content.decode() and "大营门街道" in r.content.decode()
    data = request_data(target_orgs=["120103001001"], funding_total="")
    r = c.post("/admission/new/", data)
    assert r.status_code == 302
    req = TaskRequest.objects.get()
    r = c.post(f"/admission/{req.pk}/submit/", follow=True)
    assert "已提交" in r.content.decode()
    assert TaskRequest.objects.get().status == Status.CONSULTATION


def test_form_errors_are_chinese_and_change_nothing(page_client):
    c = page_client("hexi_health")
    r = c.post("/admission/new/", request_data(target_orgs=["120104001001"], funding_total=""))
    assert r.status_code == 200
    assert "超出本部门所属层级" in r.content.decode() or "有效的选项" in r.content.decode()
    r = c.post("/admission/new/", request_data(target_orgs=[], extra_codes="120104001001", funding_total=""))
    assert "超出本部门所属层级" in r.content.decode()
    assert not TaskRequest.objects.exists()


def test_missing_funding_submit_shows_message(flow, page_client):
    req = flow.create(working_conditions="")
    r = page_client("hexi_health").post(f"/admission/{req.pk}/submit/", follow=True)
    assert "费随事转" in r.content.decode()
    assert TaskRequest.objects.get(pk=req.pk).status == Status.DRAFT


def test_detail_shows_tally_timeline_and_right_forms(flow, page_client):
    req = flow.in_review()
    html = page_client("hexi_official").get(f"/admission/{req.pk}/").content.decode()
    assert 'data-testid="review-form"' in html and 'data-testid="decision-form"' not in html
    assert "同意 4" in html and "征求意见结束" in html
    html = page_client("hexi_approver").get(f"/admission/{req.pk}/").content.decode()
    assert 'data-testid="review-form"' not in html and 'data-testid="decision-form"' not in html
    assert 'style="' not in html and "<script>" not in html  # strict CSP


def test_conflict_is_a_message_in_the_browser(flow, page_client):
    req = flow.approved()
    r = page_client("hexi_approver").post(
        f"/admission/{req.pk}/decision/", {"decision": "reject", "comment": "x"}, follow=True
    )
    assert "已被他人处理" in r.content.decode()


def test_attachment_upload_and_download(flow, page_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.files import pdf_bytes

    req = flow.create()
    c = page_client("hexi_health")
    c.post(f"/admission/{req.pk}/attachments/", {"file": SimpleUploadedFile("方案.pdf", pdf_bytes())})
    att = req.attachments.get()
    r = c.get(f"/admission/{req.pk}/attachments/{att.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert page_client("nankai_official").get(f"/admission/{req.pk}/attachments/{att.pk}/").status_code == 404


def test_dashboard_panel_and_nav(flow, page_client):
    flow.in_review()
    html = page_client("hexi_official").get("/dashboard/").content.decode()
    assert "社区工作事项准入" in html and 'data-testid="adm-awaiting">1<' in html
    assert "事项准入" in page_client("hexi_official").get("/").content.decode()
    assert "准入核验" in page_client().get("/").content.decode()


@pytest.mark.parametrize(
    "url", ["/admission/", "/admission/inbox/", "/admission/?status=review&department=12010302"]
)
def test_list_pages_query_count_bounded(flow, page_client, django_assert_max_num_queries, url):
    for i in range(8):
        flow.in_review(title=f"事项{i}")
    c = page_client("hexi_official")
    c.get(url)
    with django_assert_max_num_queries(20):
        r = c.get(url)
    assert r.status_code == 200 and "事项7" in r.content.decode()


def test_detail_page_query_count_bounded(flow, page_client, django_assert_max_num_queries):
    req = flow.approved(target_orgs=["120103"])
    c = page_client("hexi_official")
    c.get(f"/admission/{req.pk}/")
    with django_assert_max_num_queries(25):
        r = c.get(f"/admission/{req.pk}/")
    assert r.status_code == 200 and "泰山里社区" in r.content.decode()


def test_edit_form_shows_the_draft_as_saved(flow, page_client):
    """The edit page is filled from the saved request (the stored fields of TaskRequestInput)."""
    req = flow.create()
    html = page_client("hexi_health").get(f"/admission/{req.pk}/edit/").content.decode()
    assert f'value="{req.title}"' in html


def test_the_list_pages_and_new_form_open_for_the_users_the_role_rule_let_in(users, page_client):
    """Who opens admission's list, inbox and new-request form, user by user, now that they ask the org rights
    admission.requests and admission.request: exactly whom the old role rule let in — the superuser and the
    staff who take part (departments, bureaus, approvers, streets, communities) the lists; only the staff of a
    department the form and its button (the system administrator answers for no department) — anyone else
    meets a 404."""
    from portal.scope import has_role

    workers = (
        "department_staff",
        "city_admin",
        "city_approver",
        "district_official",
        "district_approver",
        "street_staff",
        "community_staff",
    )
    seen: dict[str, set[int]] = {}
    for name, user in users.items():
        client = page_client(name)
        worker = user.is_superuser or has_role(user, *workers)
        for url in ("/admission/", "/admission/inbox/"):
            got = client.get(url).status_code
            assert got == (200 if worker else 404), (name, url, got)
            seen.setdefault(url, set()).add(got)
        department = has_role(user, "department_staff")
        got = client.get("/admission/new/").status_code
        assert got == (200 if department else 404), (name, got)
        seen.setdefault("/admission/new/", set()).add(got)
        if worker:
            listing = client.get("/admission/").content.decode()
            assert ('data-testid="new-request"' in listing) == department, name
    assert all(codes == {200, 404} for codes in seen.values()), seen
