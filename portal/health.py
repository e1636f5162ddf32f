"""Health of one app server: what a load balancer and the bureau's monitoring ask.

``liveness()`` says the process answers (no dependency is touched). ``readiness()`` checks every part the portal
needs and says how bad a failure is:

* the database, the migrations and the media storage are required: without them nothing a user submits can be
  kept, so the server is ``fail`` (HTTP 503) and the load balancer should stop sending it traffic;
* Redis and the Celery workers are not: pages still serve and work accepted meanwhile waits in the outbox
  (``portal.jobs``), so the server is ``degraded`` (HTTP 200).

Workers announce themselves with a heartbeat key in Redis (``worker_heartbeat_start``, started by every
Celery worker of the portal); readiness counts the keys that are fresh.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings

UP, DOWN, SKIPPED = "up", "down", "not_configured"
OK, DEGRADED, FAIL = "ok", "degraded", "fail"
REQUIRED = ("database", "migrations", "media")
HEARTBEAT_PREFIX = "jianfu:worker-heartbeat:"
HEARTBEAT_INTERVAL = 10
HEARTBEAT_TTL = 35

_migrations_applied = False  # once true for this process it stays true (a new release restarts processes)


def redis_client(*, url: str | None = None):
    import redis

    url = url or getattr(settings, "REDIS_URL", None)
    if not url:
        return None
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def liveness() -> dict:
    return {"status": OK, "pid": os.getpid(), "host": socket.gethostname()}


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # a check never raises: it reports
        result = {"state": DOWN, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict:
    from django.db import connections

    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        connection.close()  # do not keep a broken connection for the next request
        raise
    return {"state": UP, "vendor": connection.vendor}


def check_migrations() -> dict:
    global _migrations_applied
    if _migrations_applied:
        return {"state": UP}
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return {"state": DOWN, "unapplied": len(plan), "first": f"{plan[0][0].app_label}.{plan[0][0].name}"}
    _migrations_applied = True
    return {"state": UP}


def check_media() -> dict:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    probe = root / f".readyz-{uuid.uuid4().hex}"
    probe.write_bytes(b"ok")
    probe.unlink()
    free_mb = shutil.disk_usage(root).free // (1024 * 1024)
    minimum = int(getattr(settings, "JIANFU_MEDIA_MIN_FREE_MB", 200))
    if free_mb < minimum:
        return {"state": DOWN, "free_mb": free_mb, "min_free_mb": minimum, "error": "磁盘空间不足"}
    return {"state": UP, "free_mb": free_mb}


def check_redis() -> dict:
    client = redis_client()
    if client is None:
        return {"state": SKIPPED, "note": "no REDIS_URL: cache in memory, tasks in-process"}
    client.ping()
    return {"state": UP}


def check_workers() -> dict:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return {"state": SKIPPED, "note": "tasks run in-process"}
    client = redis_client()
    if client is None:
        return {"state": DOWN, "workers": 0, "error": "no REDIS_URL"}
    names = sorted(key.decode()[len(HEARTBEAT_PREFIX) :] for key in client.scan_iter(f"{HEARTBEAT_PREFIX}*"))
    if not names:
        return {"state": DOWN, "workers": 0, "error": "no worker heartbeat"}
    return {"state": UP, "workers": len(names), "names": names[:20]}


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "media": check_media,
    "redis": check_redis,
    "workers": check_workers,
}


def readiness() -> tuple[int, dict]:
    """(HTTP status, body): 200 ok, 200 degraded (Redis or workers down), 503 fail (a required part down)."""
    checks: dict[str, dict] = {}
    checks["database"] = _timed(check_database)
    if checks["database"]["state"] == UP:
        checks["migrations"] = _timed(check_migrations)
    else:
        checks["migrations"] = {"state": DOWN, "error": "database down"}
    for name in ("media", "redis", "workers"):
        checks[name] = _timed(CHECKS[name])
    if checks["redis"]["state"] == DOWN and checks["workers"]["state"] == DOWN:
        checks["workers"].setdefault("error", "Redis down")
    if any(checks[name]["state"] == DOWN for name in REQUIRED):
        status = FAIL
    elif any(check["state"] == DOWN for check in checks.values()):
        status = DEGRADED
    else:
        status = OK
    return (503 if status == FAIL else 200), {"status": status, "checks": checks}


# --- worker heartbeat ---------------------------------------------------------------------------------------


def worker_heartbeat_start(*, hostname: str, url: str | None = None) -> threading.Event:
    """Write ``jianfu:worker-heartbeat:<hostname>`` to Redis every few seconds (expires when the worker dies)."""
    stop = threading.Event()
    key = f"{HEARTBEAT_PREFIX}{hostname}"

    def beat() -> None:
        while not stop.is_set():
            try:
                client = redis_client(url=url)
                if client is not None:
                    client.set(key, str(int(time.time())), ex=HEARTBEAT_TTL)
            except Exception:
                pass  # Redis down: the key expires and readiness says so
            stop.wait(HEARTBEAT_INTERVAL)

    threading.Thread(target=beat, name="jianfu-heartbeat", daemon=True).start()
    return stop


def worker_heartbeat_stop(*, hostname: str, url: str | None = None) -> None:
    try:
        client = redis_client(url=url)
        if client is not None:
            client.delete(f"{HEARTBEAT_PREFIX}{hostname}")
    except Exception:
        pass
