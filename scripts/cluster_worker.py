"""The Celery worker of ``make cluster-test``: the portal's app with redelivery tuned for a test that kills a worker.

A task left unacknowledged by a SIGKILLed worker goes back to the queue after ``visibility_timeout`` seconds
(JIANFU_CLUSTER_VISIBILITY_TIMEOUT, default 40); the survivors look for such tasks every second; and the lock
that guards that look expires after a few seconds, because a worker killed while holding it would otherwise stop
the others restoring anything for kombu's default five minutes.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from portal.celery import app  # noqa: E402

options = dict(app.conf.broker_transport_options or {})
options["visibility_timeout"] = int(os.environ.get("JIANFU_CLUSTER_VISIBILITY_TIMEOUT", "40"))
options["unacked_restore_interval"] = 1
options["unacked_restore_throttle"] = 1
options["unacked_mutex_expire"] = 5
app.conf.broker_transport_options = options

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
