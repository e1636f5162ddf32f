"""Issuance survives a dead broker, a Redis restart and a killed worker (real Redis, real Celery worker, PostgreSQL).

The restart and kill tests run with the production timeouts (visibility timeout, heartbeat, sweep period): the
PDFs complete because the sweep reconciles from the database (portal.jobs.outbox_reconcile), not because Redis
redelivers.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings

from certificates.models import Certificate
from certificates.schemas import ReviewSchema
from certificates.services import RENDER_TASK
from portal.models import AuditEntry, OutboxMessage, User
from tests.conftest import start_worker, stop_worker, wait_for, worker_env

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
        data=ReviewSchema.parse({"decision": "approve", "comment": "属实"}),
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


def kill_hard(proc) -> None:
    """SIGKILL the worker and its pool processes at once: no shutdown, no acknowledgement, no restore."""
    for child in children_of(proc.pid):
        os.kill(child, signal.SIGKILL)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def issue_certificates(make_application, count: int) -> list[int]:
    ids = []
    for i in range(count):
        application = make_application(name=f"王小{'一二三四五六七八九十'[i % 10]}")
        approve(application.pk)
        ids.append(Certificate.objects.get(application=application).pk)
    return ids


def rendered(ids: list[int]) -> int:
    return Certificate.objects.filter(pk__in=ids).exclude(pdf_sha256="").count()


def assert_each_rendered_once(ids: list[int]) -> None:
    import hashlib

    files = pdf_files()
    assert len(files) == len(ids)
    by_hash = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    for cert in Certificate.objects.filter(pk__in=ids):
        assert cert.pdf_sha256 in by_hash
        assert (
            AuditEntry.objects.filter(action="certificate.pdf_rendered", object_id=str(cert.pk)).count() == 1
        ), cert.number


def production_timeouts_in_use() -> None:
    from portal.celery import app

    assert app.conf.broker_transport_options["visibility_timeout"] >= 900
    assert settings.JIANFU_TASK_STALE_AFTER_SECONDS >= 30 and settings.JIANFU_OUTBOX_SWEEP_SECONDS >= 15


def queued(url: str) -> list[str]:
    """The task names waiting in the broker's queue."""
    import json

    import redis

    return [json.loads(raw)["headers"]["task"] for raw in redis.Redis.from_url(url).lrange("celery", 0, -1)]


def _worker_log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else ""


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_renders_queued_before_a_redis_restart_all_complete(
    transactional_db, make_application, redis_server, tmp_path
):
    """~20 renders are queued (and their outbox rows marked sent), Redis restarts without persistence and
    loses them all; a worker with beat starts: every PDF exists within 2 minutes, each rendered once."""
    production_timeouts_in_use()
    ids = issue_certificates(make_application, 20)
    assert not OutboxMessage.objects.filter(task_name=RENDER_TASK, sent_at__isnull=True).exists()
    assert queued(redis_server.url).count(RENDER_TASK) == 20

    redis_server.restart()
    assert queued(redis_server.url) == []  # the queue is gone
    assert rendered(ids) == 0

    log = tmp_path / "worker.log"
    worker = start_worker(worker_env(redis_server.url), log, name="restart", beat_schedule=tmp_path / "beat")
    try:
        try:
            wait_for(lambda: rendered(ids) == len(ids), timeout=120, interval=1)
        except AssertionError:
            raise AssertionError(f"{rendered(ids)}/{len(ids)} rendered\n" + _worker_log_tail(log))
        time.sleep(2)  # a duplicate would show up now
        assert_each_rendered_once(ids)
        assert not OutboxMessage.objects.filter(task_name=RENDER_TASK, done_at__isnull=True).exists()
    finally:
        stop_worker(worker)


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_worker_killed_mid_render_the_work_completes_once(
    transactional_db, make_application, redis_server, tmp_path
):
    """A worker is killed with SIGKILL in the middle of two renders; a new worker (production timeouts, beat)
    completes every PDF within 2 minutes and none is rendered twice."""
    production_timeouts_in_use()
    log1 = tmp_path / "worker1.log"
    first = start_worker(worker_env(redis_server.url, JIANFU_CERT_RENDER_DELAY="600"), log1, name="doomed")
    try:
        ids = issue_certificates(make_application, 6)
        wait_for(
            lambda: Certificate.objects.filter(pk__in=ids, render_attempts__gte=1).count() >= 2, timeout=60
        )
        assert rendered(ids) == 0  # both renders are in the middle of their (slow) work
        in_flight = list(
            Certificate.objects.filter(pk__in=ids, render_attempts=1).values_list("pk", flat=True)
        )
    finally:
        kill_hard(first)
    assert rendered(ids) == 0 and pdf_files() == []

    log2 = tmp_path / "worker2.log"
    second = start_worker(
        worker_env(redis_server.url), log2, name="survivor", beat_schedule=tmp_path / "beat"
    )
    try:
        try:
            wait_for(lambda: rendered(ids) == len(ids), timeout=120, interval=1)
        except AssertionError:
            raise AssertionError(f"{rendered(ids)}/{len(ids)} rendered\n" + _worker_log_tail(log2))
        time.sleep(2)
        assert_each_rendered_once(ids)
        attempts = dict(Certificate.objects.filter(pk__in=ids).values_list("pk", "render_attempts"))
        assert all(attempts[pk] == 2 for pk in in_flight), (
            attempts
        )  # the killed run and the one that finished
        assert all(n == 1 for pk, n in attempts.items() if pk not in in_flight), attempts
    finally:
        stop_worker(second)
