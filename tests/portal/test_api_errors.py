"""Every /api/v1/ answer that is an error comes in the JSON error format, never HTML, never 500 (issue 13.6)."""

import pytest


def _assert_error(res, status):
    assert res.status_code == status, (res.status_code, res.content[:300])
    assert res["Content-Type"].startswith("application/json"), res["Content-Type"]
    err = res.json()["error"]
    assert err["code"] and any("\u4e00" <= c <= "\u9fff" for c in err["message"]), err
    return err


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-endpoint",
        "/api/v1/",
        "/api/v1/task-requests/-1",
        "/api/v1/task-requests/abc",
        "/api/v1/certificate-applications/-5",
        "/api/v1/task-requests/99999999999999999999999",
        "/api/v1/task-requests/2147483648",
    ],
)
def test_unknown_paths_and_bad_ids_answer_404_in_the_error_format(api, path):
    _assert_error(api("hexi_official").get(path), 404)


def test_an_unknown_method_answers_405_in_the_error_format(api):
    res = api().client.delete("/api/v1/orgs")
    err = _assert_error(res, 405)
    assert "方法" in err["message"]
    assert "GET" in res["Allow"]
    _assert_error(api("hexi_health").client.put("/api/v1/task-check"), 405)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/orgs", "/api/v1/evaluations/results", "/api/v1/task-requests", "/api/v1/refusals"],
)
@pytest.mark.parametrize("page", ["99999999999999999999", "9223372036854775808", "2147483648"])
def test_a_page_beyond_the_integer_range_answers_400(api, path, page):
    err = _assert_error(api("hexi_official").get(path, {"page": page}), 400)
    assert "page" in err["fields"]


def test_a_far_page_within_range_is_simply_empty(api):
    res = api().get("/api/v1/orgs", {"page": 1_000_000})
    assert res.status_code == 200 and res.json()["results"] == []
