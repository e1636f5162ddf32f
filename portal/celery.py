"""The one Celery app of the portal (Redis broker in production, in-process without Redis)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
_heartbeat: dict = {}


def _observability() -> None:
    from portal.observability import connect_celery_signals

    connect_celery_signals()


_observability()


@signals.worker_ready.connect
def _heartbeat_start(sender=None, **kwargs):
    """Every worker announces itself in Redis; ``/readyz`` counts the fresh heartbeats."""
    from django.conf import settings

    from portal import health

    url = settings.REDIS_URL or (
        app.conf.broker_url if str(app.conf.broker_url).startswith("redis") else None
    )
    hostname = getattr(sender, "hostname", None) or f"worker-{os.getpid()}"
    _heartbeat["stop"] = health.worker_heartbeat_start(hostname=hostname, url=url)
    _heartbeat["hostname"], _heartbeat["url"] = hostname, url


@signals.worker_shutdown.connect
def _heartbeat_stop(**kwargs):
    from portal import health

    if "stop" in _heartbeat:
        _heartbeat["stop"].set()
        health.worker_heartbeat_stop(hostname=_heartbeat["hostname"], url=_heartbeat["url"])
