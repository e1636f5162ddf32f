"""Error pages: the portal's layout, in Chinese, with the reason and a way back; the API keeps JSON."""

import json

import pytest
from django.test import RequestFactory


def _page(response) -> str:
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert "天津市社区减负服务平台" in html  # the site header
    assert 'data-testid="error-page"' in html
    assert 'href="/"' in html  # a way home
    return html


def test_unknown_page_is_a_chinese_404_in_the_layout(page_client):
    r = page_client().get("/no-such-page/")
    assert r.status_code == 404
    html = _page(r)
    assert "页面不存在" in html and "Not Found" not in html
    assert "登录后再试" in html  # a visitor may simply not be logged in


def test_out_of_scope_object_is_404_with_the_way_back_to_its_list(page_client):
    r = page_client("resident").get("/admission/999999/", HTTP_REFERER="http://testserver/admission/")
    assert r.status_code in (403, 404)
    html = _page(r)
    assert 'data-testid="error-back"' in html or 'data-testid="error-section"' in html


def test_forbidden_page_shows_the_reason_the_code_gave(page_client):
    r = page_client("community_staff").get("/certificates/apply/")
    assert r.status_code == 403
    html = _page(r)
    assert "只有居民可以在线申请证明。" in html
    assert 'href="/certificates/"' in html  # back to the list it came from


def test_domain_error_not_caught_by_a_view_becomes_its_status_page(rf_request):
    from portal.errors import ConflictError
    from portal.middleware import DomainErrorPageMiddleware

    mw = DomainErrorPageMiddleware(lambda r: None)
    response = mw.process_exception(rf_request("/admission/1/"), ConflictError("该申请已被他人处理。"))
    assert response.status_code == 409
    assert "该申请已被他人处理。" in response.content.decode()
    api = mw.process_exception(rf_request("/api/v1/x"), ConflictError("该申请已被他人处理。"))
    assert api.status_code == 409
    assert json.loads(api.content) == {
        "error": {"code": "conflict", "message": "该申请已被他人处理。", "fields": {}}
    }


def test_too_many_requests_is_a_429_page(page_client, settings):
    settings.JIANFU_VERIFY_THROTTLE_PER_MINUTE = 2
    client = page_client()
    statuses = [client.get("/verify/", {"code": "R2-AAAAAA"}).status_code for _ in range(3)]
    assert statuses[:2] == [404, 404] and statuses[2] == 429
    html = _page(client.get("/verify/", {"code": "R2-AAAAAA"}))
    assert "过于频繁" in html


def test_server_error_page_and_bad_request(rf_request):
    from portal.views import errors

    r = errors.server_error(rf_request("/lists/"))
    assert r.status_code == 500
    html = r.content.decode()
    assert "系统出错" in html and 'name="viewport"' in html and "Server Error" not in html
    r = errors.bad_request(rf_request("/lists/"), Exception("bad"))
    assert r.status_code == 400 and "请求有误" in r.content.decode()


def test_api_paths_keep_the_json_error_format(page_client):
    r = page_client().get("/api/v1/no-such-endpoint")
    assert r.status_code == 404
    body = r.json()
    assert body["error"]["code"] == "not_found" and body["error"]["message"]
    assert set(body["error"]) == {"code", "message", "fields"}


@pytest.fixture
def rf_request(demo):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    def make(path):
        request = RequestFactory().get(path)
        request.user = AnonymousUser()
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    return make
