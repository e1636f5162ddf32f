"""Structured request logs with a request id that follows the work into Celery; Prometheus metrics for the
allowed addresses only; no full ID number and no password in any log line."""

from __future__ import annotations

import json
import logging

import pytest

from portal.observability import JsonFormatter, redact
from tests.conftest import wait_for

ID_NUMBER = "120103198506123012"


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def captured():
    handler = Capture()
    loggers = [
        logging.getLogger(name) for name in ("jianfu.request", "jianfu.task", "portal", "certificates")
    ]
    old = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield handler.lines
    for lg, (level, _) in zip(loggers, old, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def _request_lines(lines):
    return [json.loads(line) for line in lines if '"logger": "jianfu.request"' in line]


def test_request_line_carries_the_proxy_request_id_user_route_status_and_duration(
    page_client, users, captured
):
    client = page_client("community_staff")
    response = client.get("/inbox/", HTTP_X_REQUEST_ID="proxy-req-0001abcd")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-req-0001abcd"
    (line,) = [e for e in _request_lines(captured) if e["path"] == "/inbox/"]
    assert line["request_id"] == "proxy-req-0001abcd"
    assert line["user_id"] == users["community_staff"].pk
    assert line["route"] == "/inbox/"
    assert line["status"] == 200 and line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)


def test_route_is_the_url_pattern_and_a_bad_request_id_is_replaced(page_client, captured):
    response = page_client().get("/lists/community/120103001001/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32
    (line,) = _request_lines(captured)
    assert line["route"] == "/lists/community/<str:code>/"
    assert line["request_id"] == response["X-Request-ID"]


def test_no_password_and_no_full_id_number_in_the_logs(page_client, captured, client):
    client.post("/accounts/login/", {"username": "community_staff", "password": "Very-Secret-Pass-99"})
    page_client().get(f"/certificates/verify/{ID_NUMBER}/?id_number={ID_NUMBER}&password=hunter2")
    logging.getLogger("portal").warning(
        "checked %s with password=hunter2", ID_NUMBER, extra={"password": "x1"}
    )
    text = "\n".join(captured)
    assert captured
    assert "Very-Secret-Pass-99" not in text and "hunter2" not in text and '"x1"' not in text
    assert ID_NUMBER not in text
    assert "120103********3012" in text


def test_redact_masks_id_numbers_and_secrets():
    assert redact(f"身份证 {ID_NUMBER} token=abc123") == "身份证 120103********3012 token=[已隐去]"
    assert redact("12010319850612301X") == "120103********301X"
    assert redact("order 1201031985061230123") == "order 1201031985061230123"  # not an ID number (19 digits)


@pytest.mark.django_db
def test_metrics_for_allowed_addresses_only(client, settings, page_client, demo):
    settings.JIANFU_METRICS_ALLOWED = ["127.0.0.1/32", "10.8.0.0/16"]
    page_client().get("/lists/")
    ok = client.get("/metrics", REMOTE_ADDR="10.8.1.2")
    assert ok.status_code == 200
    body = ok.content.decode()
    assert 'jianfu_http_request_duration_seconds_count{method="GET",route="/lists/",status="200"}' in body
    assert "jianfu_outbox_depth " in body
    assert 'jianfu_jobs{status="failed"}' in body
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    # Through the proxy (REMOTE_ADDR is the proxy) from outside: refused too.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9").status_code == 404
    assert (
        client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    )


@pytest.mark.django_db
def test_task_durations_and_failures_are_counted(client, demo):
    from prometheus_client import REGISTRY

    from portal.celery import app
    from portal.observability import metrics

    @app.task(name="tests.observability.always_fails")
    def always_fails():
        raise RuntimeError("boom")

    metrics()
    labels = {"task": "tests.observability.always_fails"}
    before = REGISTRY.get_sample_value("jianfu_task_failures_total", labels) or 0
    always_fails.apply()
    always_fails.apply()
    assert REGISTRY.get_sample_value("jianfu_task_failures_total", labels) == before + 2
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert (
        'jianfu_task_duration_seconds_count{state="FAILURE",task="tests.observability.always_fails"}' in body
    )


@pytest.fixture
def json_worker_logs(monkeypatch):
    monkeypatch.setenv("JIANFU_LOG_FORMAT", "json")  # read by the worker process the next fixture starts


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_request_id_reaches_the_worker_log_of_the_task_the_request_started(
    users, json_worker_logs, celery_worker_process, broker_on_redis
):
    from django.db import transaction

    from portal import observability
    from portal.jobs import enqueue
    from portal.models import OutboxMessage

    token = observability.bind_request_id("trace-from-proxy-42")  # as RequestLogMiddleware does per request
    try:
        with transaction.atomic():
            message = enqueue("portal.tasks.outbox_sweep")
    finally:
        observability._request_id.reset(token)
    assert OutboxMessage.objects.get(pk=message.pk).request_id == "trace-from-proxy-42"

    def task_line():
        for line in celery_worker_process.log.read_text(errors="replace").splitlines():
            if line.startswith("{") and "trace-from-proxy-42" in line:
                entry = json.loads(line)
                if entry.get("logger") == "jianfu.task" and entry.get("task") == "portal.tasks.outbox_sweep":
                    return entry
        return None

    entry = wait_for(task_line, timeout=60)
    assert entry["request_id"] == "trace-from-proxy-42" and entry["state"] == "SUCCESS"
