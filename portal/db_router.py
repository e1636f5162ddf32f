"""Read replicas for the public pages, with read-your-writes.

When ``JIANFU_REPLICA_DATABASE_URL`` names a PostgreSQL streaming replica, the read-only public pages (lists,
verification, published results — ``JIANFU_REPLICA_PREFIXES``) read from it; everything else, and every write,
goes to the primary. A client that has just written something (any POST, PUT, PATCH or DELETE answered without
a server error) gets a short-lived cookie and reads from the primary until it expires
(``JIANFU_READ_YOUR_WRITES_SECONDS``, longer than the replica's lag), so nobody misses what they just did.

``ReplicaRoutingMiddleware`` decides per request and says which database served the reads in the
``X-Jianfu-Read-From`` response header; ``ReplicaRouter`` applies the decision to the ORM.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
WROTE_COOKIE = "jianfu_wrote"
_use_replica: ContextVar[bool] = ContextVar("jianfu_use_replica", default=False)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def is_public_read(request) -> bool:
    if request.method not in {"GET", "HEAD"}:
        return False
    path = request.path
    if any(path.startswith(prefix) for prefix in settings.JIANFU_REPLICA_EXCLUDE):
        return False
    return any(path.startswith(prefix) for prefix in settings.JIANFU_REPLICA_PREFIXES)


def wrote_recently(request) -> bool:
    try:
        wrote_at = float(request.COOKIES.get(WROTE_COOKIE, "0"))
    except ValueError:
        return False
    return time.time() - wrote_at < settings.JIANFU_READ_YOUR_WRITES_SECONDS


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        use_replica = replica_configured() and is_public_read(request) and not wrote_recently(request)
        token = _use_replica.set(use_replica)
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if replica_configured():
            response["X-Jianfu-Read-From"] = REPLICA if use_replica else "primary"
            if request.method in UNSAFE_METHODS and response.status_code < 500:
                response.set_cookie(
                    WROTE_COOKIE,
                    str(int(time.time())),
                    max_age=settings.JIANFU_READ_YOUR_WRITES_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        return response


class ReplicaRouter:
    """Reads of a public page go to the replica; all else to the primary; migrations only on the primary."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        return REPLICA if _use_replica.get() and replica_configured() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
