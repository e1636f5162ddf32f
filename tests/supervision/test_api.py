"""The complaint and appeal API as API.md promises it: 201 with a tracking code, status by code, 400 in the
error format for bad input, 404 for an unknown code, 429 beyond ten anonymous filings an hour."""

import pytest

from supervision.models import Complaint

pytestmark = [pytest.mark.django_db, pytest.mark.policy("四-2"), pytest.mark.policy("三（六）")]

GOOD = {
    "category": "extra_ledgers",
    "target_department": "河西区卫生健康委员会",
    "description": "要求社区另建一本慢病随访台账，每月报送，不在台账目录中。",
    "community": "120103001001",
}


def test_anonymous_filing_answers_201_with_a_tracking_code_that_shows_the_status(api):
    r = api().post("/api/v1/complaints", GOOD)
    assert r.status_code == 201, r.content
    code = r.json()["tracking_code"]
    assert len(code) >= 20
    c = Complaint.objects.get(tracking_code=code)
    assert c.department.code == "12010302" and c.handling_org.code == "120103" and c.anonymous

    s = api().get(f"/api/v1/complaints/{code}")
    assert s.status_code == 200
    body = s.json()
    assert body["status"] == "submitted"
    assert body["category"] == "extra_ledgers"
    assert body["department"] == "河西区卫生健康委员会"
    assert [st["action"] for st in body["steps"]] == ["file"]


def test_city_department_complaints_go_to_the_city_bureau(api, users):
    from portal.models import Notification

    r = api("community_staff").post("/api/v1/complaints", {**GOOD, "target_department": "12000002"})
    assert r.status_code == 201
    c = Complaint.objects.get(tracking_code=r.json()["tracking_code"])
    assert c.handling_org.code == "120000"
    told = set(Notification.objects.filter(kind="complaint_new").values_list("user__username", flat=True))
    assert told == {"city_admin"}


def test_district_bureau_is_told_at_once(api):
    from portal.models import Notification

    api().post("/api/v1/complaints", GOOD)
    n = Notification.objects.get(kind="complaint_new")
    assert n.user.username == "hexi_official" and n.is_todo and n.deadline is not None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"category": "too_much_work"}, "category"),
        ({"target_department": ""}, "target_department"),
        ({"description": ""}, "description"),
        ({"community": "999999999999"}, "community"),
    ],
)
def test_bad_input_answers_400_in_the_error_format_and_stores_nothing(api, change, field):
    r = api().post("/api/v1/complaints", {**GOOD, **change})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid" and field in err["fields"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message"])
    assert Complaint.objects.count() == 0


def test_missing_field_and_broken_json_answer_400(api):
    r = api().post("/api/v1/complaints", {"category": "other"})
    assert r.status_code == 400 and "description" in r.json()["error"]["fields"]
    r = api().client.post("/api/v1/complaints", data="{oops", content_type="application/json")
    assert r.status_code == 400 and "error" in r.json()


def test_unknown_or_malformed_tracking_code_answers_404(api):
    from certificates.personal import verify_code_new

    assert api().get(f"/api/v1/complaints/{verify_code_new()}").status_code == 404
    r = api().get("/api/v1/complaints/NOT-A-CODE")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_anonymous_throttle_answers_429_beyond_ten_an_hour_and_keeps_every_accepted_complaint(api):
    client = api()
    codes = []
    for _ in range(10):
        r = client.post("/api/v1/complaints", GOOD)
        assert r.status_code == 201
        codes.append(r.json()["tracking_code"])
    r = client.post("/api/v1/complaints", GOOD)
    assert r.status_code == 429
    assert "频繁" in r.json()["error"]["message"]
    assert Complaint.objects.count() == 10
    for code in codes:  # nothing accepted was lost
        assert client.get(f"/api/v1/complaints/{code}").json()["status"] == "submitted"
    # Logged-in staff are not throttled as anonymous callers.
    assert api("community_staff").post("/api/v1/complaints", GOOD).status_code == 201


def test_openapi_lists_complaint_and_appeal_operations(api):
    paths = api().get("/api/v1/openapi.json").json()["paths"]
    for p in [
        "/api/v1/complaints",
        "/api/v1/complaints/{tracking_code}",
        "/api/v1/appeals",
        "/api/v1/appeals/{appeal_id}",
        "/api/v1/appeals/{appeal_id}/answer",
        "/api/v1/appeals/{appeal_id}/rating",
    ]:
        assert p in paths, p


def test_rating_and_reopen_by_code(api, users, file_complaint):
    from supervision import schemas as sv
    from supervision import services

    c = file_complaint()
    client = api()
    assert client.post(f"/api/v1/complaints/{c.tracking_code}/rating", {"score": 5}).status_code == 409
    services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    services.complaint_verdict(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.VerdictSchema.parse({"substantiated": "no", "reason": "该任务已准入。"}),
    )
    r = client.post(f"/api/v1/complaints/{c.tracking_code}/rating", {"score": 9})
    assert r.status_code == 400 and "score" in r.json()["error"]["fields"]
    r = client.post(f"/api/v1/complaints/{c.tracking_code}/rating", {"score": 2, "comment": "不认可"})
    assert r.status_code == 200 and r.json()["rating"] == 2
    r = client.post(f"/api/v1/complaints/{c.tracking_code}/reopen", {"reason": "准入编号是假的。"})
    assert r.status_code == 200 and r.json()["status"] == "investigating"
    services.complaint_verdict(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.VerdictSchema.parse({"substantiated": "no", "reason": "复查仍不属实。"}),
    )
    r = client.post(f"/api/v1/complaints/{c.tracking_code}/reopen", {"reason": "再试一次"})
    assert r.status_code == 409 and "一次" in r.json()["error"]["message"]


def test_appeal_api_round_trip(api):
    r = api("resident").post(
        "/api/v1/appeals", {"category": "facilities", "text": "3号楼路灯坏了两周。", "location": "3号楼"}
    )
    assert r.status_code == 201 and r.json()["status"] == "open"
    pk = r.json()["id"]
    assert api("resident2").get(f"/api/v1/appeals/{pk}").status_code == 404  # another resident's appeal
    assert api("community_staff2").get(f"/api/v1/appeals/{pk}").status_code == 404  # another community
    assert api("street_staff").get(f"/api/v1/appeals/{pk}").status_code == 200
    assert api("street_staff").post(f"/api/v1/appeals/{pk}/answer", {"answer": "x"}).status_code == 403
    assert api("resident").post(f"/api/v1/appeals/{pk}/rating", {"score": 5}).status_code == 409
    r = api("community_staff").post(f"/api/v1/appeals/{pk}/answer", {"answer": "已报修，明天更换。"})
    assert r.status_code == 200 and r.json()["status"] == "answered" and r.json()["answered_at"]
    r = api("resident").post(f"/api/v1/appeals/{pk}/rating", {"score": 4, "comment": "及时"})
    assert r.status_code == 200 and r.json()["rating"] == 4 and r.json()["status"] == "closed"
    listing = api("community_staff").get("/api/v1/appeals").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == pk
    assert api("community_staff2").get("/api/v1/appeals").json()["count"] == 0


def test_appeal_bad_input_and_non_residents(api):
    r = api("resident").post("/api/v1/appeals", {"category": "weather", "text": ""})
    assert r.status_code == 400 and {"category", "text"} <= set(r.json()["error"]["fields"])
    assert (
        api("community_staff").post("/api/v1/appeals", {"category": "other", "text": "x"}).status_code == 403
    )
    assert api().post("/api/v1/appeals", {"category": "other", "text": "x"}).status_code == 401
