"""Production settings for the benchmark run: ``portal.settings.production`` unchanged, plus

* ``bench.middleware.QueryCountMiddleware`` (outermost), which answers every request with ``X-Query-Count``;
* ``ROOT_URLCONF = "bench.urls"``: the portal's URLs plus ``/__bench__/bare/<name>``, the bare Django view
  that returns the pre-captured bytes of one endpoint (the baseline of the ratio column);
* static files through Django's ``ManifestStaticFilesStorage`` (the same hashed names as production's WhiteNoise
  storage, without pre-compressing 30 MB with Brotli on every run: no benchmarked endpoint serves a static file).

Only under ``JIANFU_BENCH=1``; ``scripts/bench.py`` sets it together with the environment production needs.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from portal.settings.production import *  # noqa: F403
from portal.settings.production import MIDDLEWARE, STORAGES

if os.environ.get("JIANFU_BENCH") != "1":
    raise ImproperlyConfigured("bench.settings is for scripts/bench.py only (JIANFU_BENCH=1)")

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
