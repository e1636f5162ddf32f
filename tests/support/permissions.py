"""The permission-matrix helper: every app tests each URL and API endpoint for anonymous callers, callers of
the wrong role, callers outside the object's scope, and callers in scope.

    from tests.support.permissions import Access, check_matrix

    def test_request_detail_matrix(demo, make_request):
        check_matrix(
            Access(url=lambda: f"/admission/requests/{make_request().pk}/"),
            allowed=["hexi_official", "hexi_health"],   # in scope, right role
            denied=["nankai_official", "resident"],    # out of scope or wrong role: 404 (or 403)
            anonymous="login",                         # "login" (302 to the login page), 401 (API), or "ok" (public)
        )

``url`` may be a callable so that state-changing endpoints get a fresh object for every caller. API
endpoints (``api=True``) are called with a bearer token; pages with a logged-in session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.test import Client

from portal.models import ApiToken, User


@dataclass
class Access:
    url: str | Callable[[], str]
    method: str = "get"
    data: dict | Callable[[], dict] | None = None
    api: bool = False
    ok_status: tuple[int, ...] = (200,)
    denied_status: tuple[int, ...] = (404,)
    multipart: bool = False
    headers: dict = field(default_factory=dict)

    def resolve(self) -> tuple[str, dict | None]:
        url = self.url() if callable(self.url) else self.url
        data = self.data() if callable(self.data) else self.data
        return url, data


def client_for(username: str | None, *, api: bool) -> Client:
    client = Client(REMOTE_ADDR="127.0.0.9")
    if username is None:
        return client
    user = User.objects.get(username=username)
    if api:
        from django.conf import settings

        _, key = ApiToken.issue(user, settings.API_TOKEN_TTL)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    else:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def route_of(url: str, method: str) -> str:
    """``"GET admission/<int:pk>/"`` — the URL pattern (not the concrete URL) a call goes to."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return f"{method.upper()} ?{url}"
    return f"{method.upper()} {match.route}"


def _record(url: str, method: str) -> None:
    """With JIANFU_MATRIX_LOG set, note which route this matrix case covers (tests/permission_matrix.py)."""
    import os

    folder = os.environ.get("JIANFU_MATRIX_LOG")
    if not folder:
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].split("[")[0]
    with open(os.path.join(folder, f"matrix-{os.getpid()}.txt"), "a", encoding="utf-8") as fh:
        fh.write(f"{route_of(url, method)}\t{test}\n")


def call(access: Access, username: str | None):
    """Call the endpoint as ``username`` (None: anonymous) and return the response."""
    client = client_for(username, api=access.api)
    url, data = access.resolve()
    _record(url, access.method)
    method = getattr(client, access.method.lower())
    if access.method.lower() == "get":
        return method(url, data or {}, **access.headers)
    if access.api and not access.multipart:
        return method(url, data=json.dumps(data or {}), content_type="application/json", **access.headers)
    return method(url, data=data or {}, **access.headers)


def check_matrix(
    access: Access,
    *,
    allowed: Iterable[str] = (),
    denied: Iterable[str] = (),
    anonymous: str | int = "login",
) -> None:
    """Assert who may and who may not use ``access``. Raises AssertionError naming every mismatch."""
    problems = []
    r = call(access, None)
    if anonymous == "login":
        if not (r.status_code == 302 and "/accounts/login/" in r.get("Location", "")):
            problems.append(f"anonymous: expected a redirect to the login page, got {r.status_code}")
    elif anonymous == "ok":
        if r.status_code not in access.ok_status:
            problems.append(f"anonymous: expected {access.ok_status}, got {r.status_code}")
    elif r.status_code != anonymous:
        problems.append(f"anonymous: expected {anonymous}, got {r.status_code}")
    for username in denied:
        r = call(access, username)
        if r.status_code not in access.denied_status:
            problems.append(f"{username}: expected refusal {access.denied_status}, got {r.status_code}")
    for username in allowed:
        r = call(access, username)
        if r.status_code not in access.ok_status:
            body = r.content[:300].decode("utf-8", "replace") if hasattr(r, "content") else ""
            problems.append(f"{username}: expected {access.ok_status}, got {r.status_code} {body}")
    assert not problems, f"permission matrix of {access.method.upper()} {access.url}:\n  " + "\n  ".join(
        problems
    )


# --- every route of the site, for the URL-walking test (tests/test_url_permissions.py) ------------------


def page_routes() -> list[str]:
    """Every URL pattern of the site (``"admission/<int:pk>/"``), walked through the resolver — the API's
    operations excepted: :func:`api_operations` lists them one per method."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and getattr(p.callback, "__module__", "") != "ninja.operation":
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


def api_operations() -> list[str]:
    """Every operation of the JSON API (``"GET /api/v1/task-requests/{pk}"``), from the ninja routers."""
    from portal.api.root import api

    return [
        f"{method.upper()} {path}"
        for path, ops in api.get_openapi_schema()["paths"].items()
        for method in ops
    ]
