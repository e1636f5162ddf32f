"""Issuance survives a dead broker and a killed worker (real Redis, real Celery worker, PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from certificates.models import Certificate
from certificates.services import RENDER_TASK
from portal.models import AuditEntry, OutboxMessage, User
from tests.conftest import ROOT, wait_for

DEAD_BROKER = "redis://127.0.0.1:1/15"


def use_broker(url: str) -> None:
    from kombu import pools

    from portal.celery import app

    app.conf.broker_url = url
    pools.reset()  # drop every cached connection and producer pool: the next publish connects to ``url``
    app._pool = None
    app.amqp._producer_pool = None


def approve(app_id: int) -> None:
    from certificates import services

    services.application_review(
        user=User.objects.get(username="community_staff"),
        application_id=app_id,
        decision="approve",
        comment="属实",
    )


def pdf_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "certificates" / "issued"
    return list(root.rglob("*.pdf")) if root.exists() else []


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_redis_down_at_approval_then_swept(make_application, broker_on_redis, celery_worker_process):
    application = make_application()
    use_broker(DEAD_BROKER)
    try:
        approve(application.pk)  # committed: the on-commit publish fails and the message stays in the outbox
    finally:
        use_broker(broker_on_redis)
    cert = Certificate.objects.get(application=application)
    assert cert.number.endswith("-0001") and not cert.pdf_sha256
    kept = OutboxMessage.objects.filter(task_name=RENDER_TASK, sent_at__isnull=True)
    assert kept.count() == 1 and kept.get().attempts == 1
    time.sleep(1.0)

    from portal.jobs import outbox_sweep

    sent = outbox_sweep(older_than_seconds=0)
    assert sent >= 1, list(OutboxMessage.objects.values_list("task_name", "last_error", "attempts"))
    wait_for(lambda: Certificate.objects.get(pk=cert.pk).pdf_sha256, timeout=90)
    assert len(pdf_files()) == 1
    assert not OutboxMessage.objects.filter(task_name=RENDER_TASK, sent_at__isnull=True).exists()


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


@pytest.fixture
def slow_render(monkeypatch):
    # Read by certificates.services in the worker process (the fixture worker copies os.environ).
    monkeypatch.setenv("JIANFU_CERT_RENDER_DELAY", "8")


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_worker_killed_mid_render_renders_exactly_once(
    slow_render, make_application, broker_on_redis, celery_worker_process, tmp_path
):
    application = make_application()
    approve(application.pk)
    cert = Certificate.objects.get(application=application)
    wait_for(lambda: Certificate.objects.get(pk=cert.pk).render_attempts >= 1, timeout=60)
    assert not Certificate.objects.get(pk=cert.pk).pdf_sha256  # in the middle of the slow render

    master = celery_worker_process.proc
    for child in children_of(master.pid):
        os.kill(child, signal.SIGKILL)
    master.send_signal(signal.SIGKILL)
    master.wait(timeout=10)
    time.sleep(0.5)
    assert not Certificate.objects.get(pk=cert.pk).pdf_sha256
    assert pdf_files() == []

    env = dict(celery_worker_process.env, JIANFU_CERT_RENDER_DELAY="0", JIANFU_TEST_VISIBILITY_TIMEOUT="5")
    log = tmp_path / "worker2.log"
    second = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.certificates.worker_entry",
            "--concurrency",
            "2",
            "--pool",
            "prefork",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test2-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        try:
            wait_for(lambda: Certificate.objects.get(pk=cert.pk).pdf_sha256, timeout=90)
        except AssertionError:
            import redis

            r = redis.Redis.from_url(broker_on_redis)
            raise AssertionError(
                f"not rendered; unacked={r.hlen('unacked')} queue={r.llen('celery')}\n"
                + log.read_text(errors="replace")[-6000:].split("ready.", 1)[-1]
            )
        time.sleep(3)  # let any duplicate delivery finish too
        cert.refresh_from_db()
        assert cert.render_attempts >= 2
        assert len(pdf_files()) == 1
        assert (
            AuditEntry.objects.filter(action="certificate.pdf_rendered", object_id=str(cert.pk)).count() == 1
        )
        import hashlib

        assert hashlib.sha256(pdf_files()[0].read_bytes()).hexdigest() == cert.pdf_sha256
    finally:
        second.terminate()
        try:
            second.wait(timeout=15)
        except subprocess.TimeoutExpired:
            second.kill()
