"""Shared fixtures: demo data, users, API clients, service markers and a real Celery worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.services import redis_available, redis_url, require_services

ROOT = Path(__file__).resolve().parent.parent


def _missing(reason: str):
    if require_services():
        pytest.fail(f"JIANFU_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("e2e"):
            # Browser tests share the live server thread with the ORM.
            os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            _missing(
                "PostgreSQL is not configured for this run (make test uses it when 127.0.0.1:5432 answers)"
            )
    if request.node.get_closest_marker("redis") or request.node.get_closest_marker("celery_worker"):
        if not redis_available():
            _missing(f"Redis does not answer at {redis_url()}")


@pytest.fixture(autouse=True)
def _media_root(tmp_path_factory, settings):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _throttle_window(monkeypatch):
    """Throttles count in fixed windows of the wall clock; a test counting up to a limit on a slow machine could
    cross a window boundary and see its count restart. Pin the throttles' clock for the test's life (the cache,
    hence every count, is cleared between tests); ``throttle_clock.advance(s)`` moves it on."""
    from portal.api import kit

    class Clock:
        now = 1_800_000_000.0

        def advance(self, seconds: float) -> None:
            self.now += seconds

    c = Clock()
    monkeypatch.setattr(kit, "clock", lambda: c.now)
    return c


@pytest.fixture
def throttle_clock(_throttle_window):
    return _throttle_window


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from portal.caching import clear_local

    cache.clear()
    clear_local()
    yield


@pytest.fixture
def demo(db):
    """The core demo data of API.md (org tree, departments, approval bodies, demo accounts)."""
    from portal.demo import load_core

    load_core()
    return True


@pytest.fixture
def demo_full(db):
    """Core demo data plus every app's demo data (lists, catalogue, scheme …)."""
    from portal.demo import load_demo

    load_demo()
    return True


@pytest.fixture
def users(demo):
    from portal.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def org(demo):
    from portal.models import OrgUnit

    def get(code: str):
        return OrgUnit.objects.get(code=code)

    return get


class ApiClient:
    """A Django test client that speaks JSON and carries a bearer token."""

    def __init__(self, username: str | None = None):
        from django.test import Client

        self.client = Client(REMOTE_ADDR="127.0.0.5")
        self.username = username
        if username:
            from portal.models import ApiToken, User

            _, key = ApiToken.issue(User.objects.get(username=username), settings.API_TOKEN_TTL)
            self.client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"

    def get(self, path, params=None, **extra):
        return self.client.get(path, params or {}, **extra)

    def post(self, path, data=None, **extra):
        return self.client.post(
            path, data=json.dumps(data if data is not None else {}), content_type="application/json", **extra
        )

    def post_multipart(self, path, data, **extra):
        return self.client.post(path, data=data, **extra)

    def patch(self, path, data=None, **extra):
        return self.client.patch(path, data=json.dumps(data or {}), content_type="application/json", **extra)

    def delete(self, path, params=None, **extra):
        from urllib.parse import urlencode

        query = f"?{urlencode(params)}" if params else ""
        return self.client.delete(path + query, **extra)


@pytest.fixture
def api(demo):
    """``api("hexi_official")`` → a JSON client logged in with a token; ``api()`` → anonymous."""

    def make(username: str | None = None) -> ApiClient:
        return ApiClient(username)

    return make


@pytest.fixture
def page_client(demo):
    """``page_client("community_staff")`` → a browser-like client with a logged-in session."""
    from django.test import Client

    from portal.models import User

    def make(username: str | None = None) -> Client:
        client = Client(REMOTE_ADDR="127.0.0.7")
        if username:
            client.force_login(
                User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
            )
        return client

    return make


def worker_env(broker_url: str, **extra) -> dict:
    """The environment of a real worker process that shares this test's database and media folder."""
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=broker_url,
        CELERY_BROKER_URL=broker_url,
        JIANFU_CELERY_EAGER="0",
        JIANFU_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    env.update(extra)
    return env


def start_worker(env: dict, log: Path, *, name: str, beat_schedule: Path | None = None) -> subprocess.Popen:
    """Start ``celery -A portal worker`` (with an embedded beat when ``beat_schedule`` is given) and wait until it
    is ready; the log goes to ``log``."""
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--concurrency",
        "2",
        "--pool",
        "prefork",
    ]
    args += ["--loglevel", "INFO", "--without-gossip", "--without-mingle", "-n", f"{name}-{os.getpid()}@%h"]
    if beat_schedule is not None:
        args += ["--beat", "--schedule", str(beat_schedule)]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        if "ready" in log.read_text(errors="replace"):
            return proc
        if proc.poll() is not None:
            pytest.fail("celery worker exited:\n" + log.read_text(errors="replace"))
        time.sleep(0.2)
    proc.kill()
    pytest.fail("celery worker did not become ready:\n" + log.read_text(errors="replace"))


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker (separate process) on Redis, using this test's database.

    Tests using it must commit their data (``transactional_db``) so that the worker sees it.
    """
    if not redis_available():
        _missing(f"Redis does not answer at {redis_url()}")
    from django.db import connection

    if connection.vendor != "postgresql":
        _missing("a real worker shares the test database only on PostgreSQL")
    env = worker_env(redis_url())
    log = tmp_path / "worker.log"
    proc = start_worker(env, log, name="test")
    worker = type("Worker", (), {"proc": proc, "log": log, "env": env})()
    yield worker
    stop_worker(proc)


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own (no persistence), started and stopped by the test; the process's Celery
    app publishes to it meanwhile."""
    import shutil

    from tests.support.services import RedisServer

    if not shutil.which("redis-server"):
        _missing("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    from portal.celery import app

    old = (app.conf.broker_url, app.conf.task_always_eager)
    use_broker(server.url)
    try:
        yield server
    finally:
        use_broker(old[0], eager=old[1])
        server.stop()


def use_broker(url: str | None, *, eager: bool = False):
    """Point the Celery app of this process at ``url`` (None: in-process eager execution)."""
    from portal.celery import app

    app.conf.task_always_eager = eager
    if url:
        app.conf.broker_url = url
    from kombu import pools

    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def broker_on_redis():
    """Switch the test process from in-process tasks to the real Redis broker (queue emptied first)."""
    from portal.celery import app

    url = redis_url()
    old = (app.conf.broker_url, app.conf.task_always_eager)
    try:
        import redis

        redis.Redis.from_url(url).flushdb()
    except Exception:
        pass
    use_broker(url)
    yield url
    use_broker(old[0], eager=old[1])


@pytest.fixture
def broker_down():
    """A broker address where nothing listens: publishing fails like when Redis is down."""
    from portal.celery import app

    old = (app.conf.broker_url, app.conf.task_always_eager)
    use_broker("redis://127.0.0.1:6399/0")
    yield
    use_broker(old[0], eager=old[1])


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll ``predicate`` until it returns a truthy value (for work done by a real worker)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout:.0f} s")
