"""Control characters in any input answer 400 with a Chinese message and change nothing (issue 13.9)."""

import pytest

from taskcheck.models import Refusal

MESSAGE = "控制字符"


def _assert_api_400(res):
    assert res.status_code == 400, (res.status_code, res.content[:300])
    assert MESSAGE in res.json()["error"]["message"]


@pytest.mark.parametrize(
    "path,params",
    [
        ("/api/v1/orgs", {"q": "\x00"}),
        ("/api/v1/task-requests", {"q": "a\x00b"}),
        ("/api/v1/refusals", {"q": "\x00"}),
        ("/api/v1/certificate-types/barred", {"q": "\x01"}),
        ("/api/v1/orgs", {"level\x00": "city"}),
    ],
)
def test_control_characters_in_query_parameters(api, path, params):
    _assert_api_400(api("hexi_official").get(path, params))


def test_control_characters_in_paths_and_json_bodies(api, page_client):
    _assert_api_400(api().get("/api/v1/admissions/A%00"))
    _assert_api_400(api().post("/api/v1/auth/token", {"username": "resident\x00", "password": "x"}))
    _assert_api_400(
        api().post(
            "/api/v1/task-check",
            {"community": "120103001001", "title": "入户调查", "admission_no": "津\x00准〔2026〕1号"},
        )
    )
    before = Refusal.objects.count()
    res = api("community_staff").post(
        "/api/v1/refusals",
        {"community": "120103001001", "title": "未经准入\x00的统计任务", "description": "x"},
    )
    _assert_api_400(res)
    assert Refusal.objects.count() == before


def test_line_breaks_and_tabs_in_submitted_text_are_fine(api):
    res = api().post(
        "/api/v1/task-check",
        {"community": "120103001001", "title": "入户调查", "description": "第一行\r\n第二行\t说明"},
    )
    assert res.status_code == 200


def test_pages_refuse_control_characters_with_a_chinese_400(page_client):
    for path in ["/lists/?q=%00", "/admission/verify/A%00/", "/admission/verify/?no=%00"]:
        res = page_client().get(path)
        assert res.status_code == 400 and MESSAGE in res.content.decode(), path
    res = page_client("community_staff").post("/check/", {"community": "120103001001", "title": "a\x00b"})
    assert res.status_code == 400 and MESSAGE in res.content.decode()


def test_an_admission_number_with_a_slash_is_simply_not_found(page_client):
    res = page_client().get("/admission/verify/", {"no": "a/b"})
    assert res.status_code == 404 and "未查到准入编号" in res.content.decode()
