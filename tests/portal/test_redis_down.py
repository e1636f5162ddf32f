"""Pages keep serving while Redis is down: the cache degrades to none, read throttles fail open (issue 13.12)."""

import socket

import pytest
from django.test import Client

from portal.cache import ResilientRedisCache


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings, demo_full):
    """The cache points at an address where no Redis answers (as when Redis is stopped)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    ResilientRedisCache._down_until = 0.0
    yield
    ResilientRedisCache._down_until = 0.0


def test_public_pages_and_api_keep_serving_without_redis(redis_down, settings):
    settings.JIANFU_VERIFY_THROTTLE_PER_MINUTE = 3
    client = Client()
    for path in [
        "/api/v1/communities/120103001001/checklist",
        "/api/v1/negative-list",
        "/api/v1/orgs?level=district",
        "/api/v1/evaluations/results",
        "/evaluations/results/",
        "/lists/",
        "/check/",
    ]:
        assert client.get(path).status_code == 200, path
    res = client.post(
        "/api/v1/task-check",
        {"community": "120103001001", "title": "协助开展人口抽样调查"},
        content_type="application/json",
    )
    assert res.status_code == 200 and res.json()["verdict"]
    # Verification answers (here: not found) and its read throttle fails open instead of answering 500.
    for _ in range(5):
        assert client.get("/api/v1/certificates/verify/NO-SUCH-CODE").status_code == 404
        assert client.get("/certificates/verify/NO-SUCH-CODE/").status_code == 404


def test_logins_work_without_redis(redis_down, users):
    client = Client()
    res = client.post("/accounts/login/", {"username": "resident", "password": "jianfu-demo-2026"})
    assert res.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_production_settings_use_the_degrading_cache_with_short_timeouts():
    from portal.settings import base

    if base.REDIS_URL:
        options = base.CACHES["default"]["OPTIONS"]
        assert base.CACHES["default"]["BACKEND"] == "portal.cache.ResilientRedisCache"
        assert options["socket_connect_timeout"] <= 0.5
    assert base.CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] <= 0.5
