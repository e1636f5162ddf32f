"""The bare Django view: returns the bytes of an endpoint captured once by ``scripts/bench.py`` at start-up.

It runs through the same gunicorn, settings and middleware as the endpoint but does no work of its own, so
``endpoint latency / bare latency`` is the cost of the endpoint's own code and queries.
"""

import json
import os
import re
from pathlib import Path

from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt

NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,120}$")
_cache: dict[str, tuple[bytes, str, int]] = {}


def bodies_dir() -> Path:
    return Path(os.environ.get("JIANFU_BENCH_BODIES", "var/bench/bodies"))


def load_body(name: str) -> tuple[bytes, str, int]:
    if not NAME_RE.match(name) or name.startswith("."):
        raise Http404
    cached = _cache.get(name)
    if cached is None:
        folder = bodies_dir()
        try:
            body = (folder / f"{name}.body").read_bytes()
            meta = json.loads((folder / f"{name}.json").read_text())
        except (OSError, ValueError):
            raise Http404
        cached = _cache[name] = (
            body,
            meta.get("content_type") or "application/octet-stream",
            int(meta.get("status", 200)),
        )
    return cached


@csrf_exempt
def bare(request, name: str):
    body, content_type, status = load_body(name)
    return HttpResponse(body, content_type=content_type, status=status)
