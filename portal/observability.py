"""Logs and metrics: one JSON line per request and per task, a request id that follows the work into Celery,
and Prometheus metrics at ``/metrics`` for the addresses the settings allow.

* Request id: taken from the proxy's ``X-Request-ID`` when it looks like one, else made here; returned in the
  response header, written on every log line of the request, stored on the outbox messages the request enqueues
  and sent as a task header, so the worker's log lines of that task carry it too.
* Log lines never hold a full ID number or a password: ``JsonFormatter`` masks 18-character ID numbers in every
  message and drops fields named like a secret; request lines carry the path without its query string.
* Metrics: request latency by route (the URL pattern, not the path), task durations and failures, outbox depth,
  the broker queue's length and jobs by status. With several processes per host (gunicorn workers, Celery
  prefork children) set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder shared by them.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound

REQUEST_ID_HEADER = "X-Request-ID"
TASK_HEADER = "jianfu_request_id"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_request_id: ContextVar[str | None] = ContextVar("jianfu_request_id", default=None)
_log_fields: ContextVar[dict | None] = ContextVar("jianfu_log_fields", default=None)

# 18-character resident ID numbers (GB 11643): keep the region (6) and the check part (4), mask the birth date.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_SECRET_KEYS = re.compile(r"pass(word|wd)?|secret|token|authorization|cookie|id_number$", re.I)
_SECRET_IN_TEXT = re.compile(
    r"((?:password|passwd|pwd|token|secret)[\"']?\s*[:=]\s*[\"']?)[^\s&\"',;]+", re.I
)

request_logger = logging.getLogger("jianfu.request")
task_logger = logging.getLogger("jianfu.task")


def current_request_id() -> str | None:
    return _request_id.get()


def bind_request_id(value: str | None):
    return _request_id.set(value)


def incoming_request_id(header: str | None) -> str:
    return header if header and _VALID_ID.match(header) else uuid.uuid4().hex


def redact(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return _SECRET_IN_TEXT.sub(r"\1[已隐去]", text)


def _clean(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: ("[已隐去]" if _SECRET_KEYS.search(str(k)) else _clean(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact(str(value))


_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(_clean(entry), ensure_ascii=False, default=str)


class RedactingFormatter(logging.Formatter):
    """The plain format of the development console, with the same masking."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


# --- metrics ------------------------------------------------------------------------------------------------

_metrics: dict = {}


def metrics():
    """The metric objects (created once per process)."""
    if not _metrics:
        from prometheus_client import Counter, Histogram

        _metrics["request"] = Histogram(
            "jianfu_http_request_duration_seconds",
            "Request latency by route",
            ["route", "method", "status"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        _metrics["task"] = Histogram(
            "jianfu_task_duration_seconds",
            "Celery task run time",
            ["task", "state"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
        )
        _metrics["task_failures"] = Counter("jianfu_task_failures", "Celery tasks that raised", ["task"])
    return _metrics


class _StateCollector:
    """Gauges read when Prometheus scrapes: outbox depth, broker queue length, jobs by status."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        from portal.models import Job, OutboxMessage

        outbox = GaugeMetricFamily("jianfu_outbox_depth", "Accepted tasks not yet handed to the broker")
        outbox.add_metric([], OutboxMessage.objects.filter(sent_at__isnull=True).count())
        yield outbox
        jobs = GaugeMetricFamily("jianfu_jobs", "Jobs by status", labels=["status"])
        from django.db.models import Count

        counts = {row["status"]: row["n"] for row in Job.objects.values("status").annotate(n=Count("pk"))}
        for status in Job.Status.values:
            jobs.add_metric([status], counts.get(status, 0))
        yield jobs
        queue = GaugeMetricFamily("jianfu_queue_length", "Messages waiting in the broker", labels=["queue"])
        try:
            from portal import health

            client = health.redis_client()
            if client is not None:
                queue.add_metric(["celery"], client.llen("celery"))
        except Exception:
            pass  # Redis down: /readyz says so; no queue figure
        yield queue


def render_metrics() -> tuple[bytes, str]:
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
    from prometheus_client import REGISTRY as PROCESS_REGISTRY

    metrics()
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
        output = generate_latest(registry)
    else:
        output = generate_latest(PROCESS_REGISTRY)
    state = CollectorRegistry()
    state.register(_StateCollector())
    return output + generate_latest(state), CONTENT_TYPE_LATEST


def address_allowed(request) -> bool:
    """Every address the request came through (the peer and what a proxy reports) must be allowed."""
    networks = [ipaddress.ip_network(item, strict=False) for item in settings.JIANFU_METRICS_ALLOWED]
    addresses = [request.META.get("REMOTE_ADDR", "")]
    addresses += [request.META.get("HTTP_X_REAL_IP", "")] if request.META.get("HTTP_X_REAL_IP") else []
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses += [part.strip() for part in forwarded.split(",") if part.strip()]
    try:
        parsed = [ipaddress.ip_address(a) for a in addresses]
    except ValueError:
        return False
    return bool(parsed) and all(any(ip in net for net in networks) for ip in parsed)


def metrics_view(request):
    if not address_allowed(request):
        return HttpResponseNotFound("Not Found")
    body, content_type = render_metrics()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


class RequestLogMiddleware:
    """Request id in, request id out; one log line and one latency sample per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = bind_request_id(request_id)
        started = time.perf_counter()
        response = None
        try:
            if request.path == "/metrics":
                response = metrics_view(request)
            else:
                response = self.get_response(request)
            return response
        finally:
            duration = time.perf_counter() - started
            status = getattr(response, "status_code", 500)
            match = getattr(request, "resolver_match", None)
            route = (
                ("/" + match.route)
                if match is not None and match.route
                else ("/metrics" if request.path == "/metrics" else "unmatched")
            )
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
            if response is not None:
                response[REQUEST_ID_HEADER] = request_id
            try:
                metrics()["request"].labels(route=route, method=request.method, status=str(status)).observe(
                    duration
                )
            except Exception:
                pass
            request_logger.info(
                "%s %s %s",
                request.method,
                route,
                status,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "route": route,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round(duration * 1000, 1),
                    "user_id": user_id,
                },
            )
            _request_id.reset(token)


# --- Celery -------------------------------------------------------------------------------------------------


def connect_celery_signals() -> None:
    from celery import signals

    @signals.before_task_publish.connect(weak=False)
    def _add_request_id(headers=None, **kwargs):
        if headers is not None and TASK_HEADER not in headers:
            request_id = current_request_id()
            if request_id:
                headers[TASK_HEADER] = request_id

    @signals.task_prerun.connect(weak=False)
    def _task_start(task_id=None, task=None, **kwargs):
        request = getattr(task, "request", None)
        request_id = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(
            TASK_HEADER
        )
        task.__dict__.setdefault("_jianfu", {})[task_id] = (
            time.perf_counter(),
            bind_request_id(request_id or current_request_id()),
        )

    @signals.task_postrun.connect(weak=False)
    def _task_end(task_id=None, task=None, state=None, **kwargs):
        started, token = task.__dict__.get("_jianfu", {}).pop(task_id, (None, None))
        if started is None:
            return
        duration = time.perf_counter() - started
        try:
            metrics()["task"].labels(task=task.name, state=str(state)).observe(duration)
        except Exception:
            pass
        task_logger.info(
            "task %s %s",
            task.name,
            state,
            extra={
                "task": task.name,
                "task_id": task_id,
                "state": state,
                "duration_ms": round(duration * 1000, 1),
            },
        )
        if token is not None:
            try:
                _request_id.reset(token)
            except ValueError:
                _request_id.set(None)

    @signals.task_failure.connect(weak=False)
    def _task_failed(sender=None, task_id=None, exception=None, **kwargs):
        try:
            metrics()["task_failures"].labels(task=getattr(sender, "name", "unknown")).inc()
        except Exception:
            pass
        task_logger.warning(
            "task %s failed: %s",
            getattr(sender, "name", "unknown"),
            type(exception).__name__,
            extra={
                "task": getattr(sender, "name", "unknown"),
                "task_id": task_id,
                "error": str(exception)[:300],
            },
        )

    @signals.after_setup_logger.connect(weak=False)
    @signals.after_setup_task_logger.connect(weak=False)
    def _celery_json_logs(logger=None, **kwargs):
        if getattr(settings, "JIANFU_LOG_FORMAT", "plain") == "json" and logger is not None:
            for handler in logger.handlers:
                handler.setFormatter(JsonFormatter())
