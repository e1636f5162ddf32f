"""A Celery worker for the worker-killed test: the portal's app with a short Redis visibility timeout, so that
a task left unacknowledged by a SIGKILLed worker is redelivered within seconds instead of an hour."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

from portal.celery import app  # noqa: E402

options = dict(app.conf.broker_transport_options or {})
options["visibility_timeout"] = int(os.environ.get("JIANFU_TEST_VISIBILITY_TIMEOUT", "5"))
# Sweep for abandoned messages every second (kombu's default period is 10 s × every 10th call = 100 s).
options["unacked_restore_interval"] = 1
options["unacked_restore_throttle"] = 1
app.conf.broker_transport_options = options

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
