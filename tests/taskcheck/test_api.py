"""POST /api/v1/task-check and the refusal endpoints: answers, errors, permissions."""

from __future__ import annotations

import pytest

from portal.models import AuditEntry
from portal.pdf import pdf_text
from taskcheck.models import Refusal
from tests.support.permissions import Access, check_matrix
from tests.taskcheck.conftest import HOME, NEIGHBOUR

CHECK = "/api/v1/task-check"
PROHIBITED_TASK = {"community": HOME, "title": "由社区负责辖区违建拆除", "department": "河西区城市管理委员会"}


@pytest.fixture
def lists(demo, reference_lists):
    return reference_lists


def test_on_list_answer_names_the_item_and_its_legal_basis(api, lists):
    r = api().post(CHECK, {"community": HOME, "title": "协助开展人口普查入户登记"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["verdict"] == "on_list"
    assert body["matched_item"]["id"] == "B-33"
    assert "《全国人口普查条例》第三条第四款" in body["matched_item"]["legal_basis"]
    assert body["community"] == {"code": HOME, "name": "新华南路社区"}
    assert "complaint_category" not in body or body["complaint_category"] is None


def test_prohibited_answer_gives_the_reason_and_the_clause(api, lists):
    body = api().post(CHECK, PROHIBITED_TASK).json()
    assert body["verdict"] == "prohibited"
    assert "拆迁拆违" in body["reason"] and "三（一）" in body["clause"]
    assert body["complaint_category"] == "unapproved_task"


def test_a_weak_match_names_the_nearest_items_for_the_worker_to_check(api, lists):
    """Round 6: a word shared with an item is no ``on_list``; the answer lists the items it may be (``nearest``)."""
    body = api().post(CHECK, {"community": HOME, "title": "居委会向居民推销家用灭火器"}).json()
    assert body["verdict"] == "not_admitted" and body["rule"] == "weak_match"
    assert body["matched_item"] is None and body["nearest"]
    first = body["nearest"][0]
    assert {"id", "list_type", "title", "legal_basis"} <= set(first) and first["title"] in body["reason"]
    sure = api().post(CHECK, {"community": HOME, "title": "协助开展人口普查入户登记"}).json()
    assert sure["verdict"] == "on_list" and sure["nearest"] == []


def test_admission_number_admits_here_and_not_in_another_street(api, lists):
    task = {"title": "加装电梯意愿征询", "admission_no": "津河西准〔2026〕3号"}
    here = api().post(CHECK, {**task, "community": HOME}).json()
    assert here["verdict"] == "admitted"
    assert here["admission"]["admission_no"] == "津河西准〔2026〕3号"
    elsewhere = api().post(CHECK, {**task, "community": "120103002001"}).json()
    assert elsewhere["verdict"] == "not_admitted"
    assert "不包括本社区" in elsewhere["reason"]


@pytest.mark.parametrize(
    "payload, status, message",
    [
        ({"community": HOME, "title": ""}, 400, "请填写任务名称。"),
        ({"community": HOME, "title": "   "}, 400, "请填写任务名称。"),
        ({"community": HOME}, 400, "请填写任务名称。"),
        ({"community": "999999999999", "title": "协助开展人口普查"}, 404, "未找到该社区"),
        ({"community": "120103", "title": "协助开展人口普查"}, 404, "未找到该社区"),
        ({"community": "abc", "title": "协助开展人口普查"}, 400, "社区代码格式不正确"),
        ({"community": "12010300100'--", "title": "协助开展人口普查"}, 400, "社区代码格式不正确"),
        ({"title": "协助开展人口普查"}, 400, "请求数据不正确"),
        ({"community": HOME, "title": "任务" * 150}, 400, "请检查标出的字段"),
    ],
)
def test_bad_requests_get_a_clear_chinese_error(api, lists, payload, status, message):
    r = api().post(CHECK, payload)
    assert r.status_code == status, r.content
    assert message in r.json()["error"]["message"]


def test_a_body_that_is_not_json_is_a_400(api, lists):
    r = api().client.post(CHECK, data="{not json", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["message"]


def test_community_staff_records_a_refusal_and_gets_its_notice(api, lists, users):
    r = api("community_staff").post("/api/v1/refusals", PROHIBITED_TASK)
    assert r.status_code == 201, r.content
    body = r.json()
    refusal = Refusal.objects.get(pk=body["id"])
    assert refusal.community.code == HOME and refusal.verdict == "prohibited"
    assert refusal.created_by == users["community_staff"]
    assert body["complaint"]["category"] == "unapproved_task"
    assert "河西区城市管理委员会" in body["complaint"]["text"]
    assert AuditEntry.objects.filter(action="taskcheck.refusal_record", object_id=str(refusal.pk)).exists()
    pdf = api("community_staff").get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "拒绝承接告知书" in text and "津民发" in text and "新华南路社区" in text


@pytest.mark.parametrize(
    "username, status", [("community_staff2", 403), ("resident", 403), ("street_staff", 403)]
)
def test_only_the_communitys_staff_may_refuse_in_its_name(api, lists, username, status):
    r = api(username).post("/api/v1/refusals", PROHIBITED_TASK)
    assert r.status_code == status, r.content
    assert r.json()["error"]["message"]
    assert not Refusal.objects.exists()


def test_refusing_needs_a_login(api, lists):
    assert api().post("/api/v1/refusals", PROHIBITED_TASK).status_code == 401


def test_an_on_list_task_cannot_be_refused(api, lists):
    r = api("community_staff").post(
        "/api/v1/refusals", {"community": HOME, "title": "协助开展人口普查入户登记"}
    )
    assert r.status_code == 400
    assert "不能登记拒绝" in r.json()["error"]["message"]
    assert not Refusal.objects.exists()


@pytest.fixture
def refusal_id(api, lists):
    def make():
        return api("community_staff").post("/api/v1/refusals", PROHIBITED_TASK).json()["id"]

    return make


def test_refusal_detail_matrix(lists, refusal_id):
    rid = refusal_id()
    check_matrix(
        Access(url=f"/api/v1/refusals/{rid}", api=True),
        allowed=["community_staff", "street_staff", "hexi_official", "city_admin"],
        denied=["community_staff2", "nankai_official", "resident", "hexi_health"],
        anonymous=401,
    )


def test_refusal_notice_matrix(lists, refusal_id):
    rid = refusal_id()
    check_matrix(
        Access(url=f"/api/v1/refusals/{rid}/notice.pdf", api=True),
        allowed=["community_staff", "hexi_official"],
        denied=["community_staff2", "nankai_official", "resident"],
        anonymous=401,
    )


def test_refusal_list_is_scoped(api, lists, refusal_id):
    refusal_id()
    assert api("community_staff").get("/api/v1/refusals").json()["count"] == 1
    assert api("street_staff").get("/api/v1/refusals").json()["count"] == 1
    assert api("community_staff2").get("/api/v1/refusals").json()["count"] == 0
    assert api("nankai_official").get("/api/v1/refusals").json()["count"] == 0
    assert api("resident").get("/api/v1/refusals").json()["count"] == 0
    assert api().get("/api/v1/refusals").status_code == 401


def test_task_check_is_public(lists):
    check_matrix(
        Access(
            url=CHECK, method="post", api=True, data={"community": NEIGHBOUR, "title": "调解居民邻里纠纷"}
        ),
        allowed=["community_staff", "resident", "hexi_health"],
        anonymous="ok",
    )
