"""/healthz and /readyz with the database, Redis and the workers up and down."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
import redis

from tests.conftest import ROOT, wait_for
from tests.support.services import redis_url

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing ever listens on port 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _other_redis_db(url: str, db: int) -> str:
    return url.rsplit("/", 1)[0] + f"/{db}"


@pytest.fixture
def client():
    from django.test import Client

    return Client(REMOTE_ADDR="10.1.2.3", HTTP_HOST="10.9.9.9:8001")  # a probe by address, not by host name


def test_healthz_answers_without_touching_anything(client):
    # No database access is allowed in this test: any query would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_degraded_when_redis_is_down(client, settings):
    settings.REDIS_URL = DEAD_REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["state"] == "up"
    assert body["checks"]["migrations"]["state"] == "up"
    assert body["checks"]["media"]["state"] == "up"
    assert body["checks"]["redis"]["state"] == "down"
    assert body["checks"]["workers"]["state"] == "down"


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_degraded_when_no_worker_beats(client, settings):
    url = _other_redis_db(redis_url(), 13)  # a database no worker of the suite announces itself in
    redis.Redis.from_url(url).flushdb()
    settings.REDIS_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["state"] == "up"
    assert body["checks"]["workers"] == {**body["checks"]["workers"], "state": "down", "workers": 0}


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_readyz_ok_with_database_redis_and_a_real_worker(client, settings, celery_worker_process):
    settings.REDIS_URL = celery_worker_process.env["REDIS_URL"]
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def ready():
        response = client.get("/readyz")
        return response if response.json()["status"] == "ok" else None

    response = wait_for(ready, timeout=30)
    body = response.json()
    assert response.status_code == 200
    assert {name: check["state"] for name, check in body["checks"].items()} == {
        "database": "up",
        "migrations": "up",
        "media": "up",
        "redis": "up",
        "workers": "up",
    }
    assert body["checks"]["workers"]["workers"] >= 1
    assert any(name.startswith("test-") for name in body["checks"]["workers"]["names"])

    # The worker stops: its heartbeat goes with it and the server says degraded (still 200).
    celery_worker_process.proc.terminate()
    celery_worker_process.proc.wait(timeout=20)
    after = client.get("/readyz")
    assert after.status_code == 200
    names = after.json()["checks"]["workers"].get("names", [])
    assert not any(name.startswith(f"test-{os.getpid()}@") for name in names)


@pytest.mark.django_db
def test_readyz_fails_when_media_storage_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["media"]["state"] == "down"


@pytest.mark.django_db
def test_readyz_fails_when_the_disk_is_nearly_full(client, settings):
    settings.JIANFU_MEDIA_MIN_FREE_MB = 10**12
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"]["state"] == "down"
    assert response.json()["checks"]["media"]["error"] == "磁盘空间不足"


@pytest.mark.django_db
def test_readyz_fails_while_a_migration_is_unapplied(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    from portal import health

    monkeypatch.setattr(health, "_migrations_applied", False)
    real_plan = MigrationExecutor.migration_plan

    def plan_with_rollback(self, targets, clean_start=False):
        # What the executor would do if the newest migration of `portal` were not applied yet.
        leaf = [key for key in self.loader.graph.leaf_nodes() if key[0] == "portal"][0]
        self.loader.applied_migrations.pop(leaf, None)
        return real_plan(self, targets, clean_start)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_with_rollback)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["state"] == "down"
    assert response.json()["checks"]["migrations"]["first"].startswith("portal.")


def test_readyz_is_503_and_healthz_200_when_the_database_is_down(tmp_path):
    """A real gunicorn whose PostgreSQL does not answer: the process lives, it is not ready."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{_free_port()}/nothing",
        REDIS_URL=DEAD_REDIS,
        JIANFU_MEDIA_ROOT=str(tmp_path / "media"),
        JIANFU_CELERY_EAGER="0",
    )
    log = tmp_path / "gunicorn.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        import json
        import urllib.error
        import urllib.request

        def get(path):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as exc:
                return exc.code, json.loads(exc.read())
            except OSError:
                return None

        status, body = wait_for(lambda: get("/healthz"), timeout=30)
        assert status == 200 and body["status"] == "ok"
        status, body = get("/readyz")
        assert status == 503, body
        assert body["status"] == "fail"
        assert body["checks"]["database"]["state"] == "down"
        assert body["checks"]["migrations"]["state"] == "down"
        assert body["checks"]["redis"]["state"] == "down"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
