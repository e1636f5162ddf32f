"""Shared API machinery: token and session auth, the error format, pagination, throttling.

Every app's ``api.py`` builds a ``ninja.Router`` with these pieces and calls its own services; it never
formats errors by hand. Errors answer ``{"error": {"code", "message", "fields"}}`` with a proper status.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from portal import context
from portal.caching import CachedListing
from portal.errors import DomainError, ThrottledError
from portal.models import ApiToken, User


class ChineseJSONRenderer(JSONRenderer):
    """Readable Chinese in responses (no \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


#: The renderer of the one NinjaAPI (``portal.api.root``); an app that serialises a response itself (to cache
#: its bytes) renders with it, so the bytes equal what ninja would answer.
RENDERER = ChineseJSONRenderer()


def cached_json_response(request: HttpRequest, *, generation: str, key: str, schema, build):
    """A 200 answer of ``build()`` validated by ``schema`` and rendered as ninja would answer it, its bytes
    cached under the ``portal.caching`` generation ``generation`` and ``key`` (which must name everything the
    answer depends on: filters, page). For public reads whose serialisation costs more than the data."""
    from django.http import HttpResponse

    from portal.caching import cached

    def render() -> bytes:
        validated = schema.model_validate(build()).model_dump()
        return RENDERER.render(request, validated, response_status=200).encode()

    body = cached(generation, key, render)
    return HttpResponse(body, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` issued by ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token or len(token) > 200:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), expires_at__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        request.user = row.user
        ctx = getattr(request, "jianfu_context", None)
        if ctx is not None:
            ctx.user = row.user
        context.current().user = row.user
        return row.user


class BrowserSessionAuth(SessionAuth):
    """The browser's session cookie (CSRF is checked for unsafe methods).

    A staff session whose second factor is still missing is not a login for the API: otherwise the password
    alone (at the login page or the admin login) would reach everything the one-time code protects.
    """

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None and not session_counts_for_api(user):
            return None
        if user is not None:
            context.current().user = user
        return user


def session_counts_for_api(user) -> bool:
    from portal.services.accounts import session_second_factor_missing

    return session_second_factor_missing(user=user) is None


bearer_auth = BearerTokenAuth()
session_auth = BrowserSessionAuth()
#: Endpoints that need a logged-in caller.
AUTH = [bearer_auth, session_auth]


class AuthedRequest(HttpRequest):
    """The request an endpoint behind :data:`AUTH` receives (for type checkers; never built): django-ninja sets
    ``auth`` to the user the token or the session named, before the endpoint runs."""

    auth: User


def optional_user(request: HttpRequest):
    """The caller of a public endpoint if they identified themselves (token or session), else None."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return bearer_auth.authenticate(request, header[7:].strip())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not session_counts_for_api(user):
        return None
    return user


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str] = {}


class ErrorOut(Schema):
    error: ErrorBody


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


#: Beyond this a page number is refused (400): the offset must stay inside the database's integer range.
MAX_PAGE = 1_000_000


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数，最多 200")


def paginate(queryset, params: PageParams, serialize, *, vary: str | None = None) -> dict:
    """``{"count", "results"}`` for one page of ``queryset`` (a list works too).

    With ``vary`` and a :class:`portal.caching.CachedListing`, the whole answer is cached with the listing:
    ``vary`` names what ``serialize`` depends on besides the rows (the date, for an "overdue" flag), ``""``
    when nothing."""

    def answer() -> dict:
        count = (
            queryset.count()
            if hasattr(queryset, "count") and not isinstance(queryset, list)
            else len(queryset)
        )
        start = (params.page - 1) * params.page_size
        rows = queryset[start : start + params.page_size]
        return {"count": count, "results": [serialize(r) for r in rows]}

    if vary is not None and isinstance(queryset, CachedListing):
        name = f"{serialize.__module__}.{serialize.__qualname__}"
        return queryset.cached(f"api:{params.page}:{params.page_size}:{name}:{vary}", answer)
    return answer()


def clock() -> float:
    """The throttles' clock (seconds): fixed windows are numbered by it. Tests pin it so that counting up to a
    limit never straddles a window boundary."""
    return time.time()


def throttle(
    request: HttpRequest, *, scope: str, limit: int, window_seconds: int, key: str | None = None
) -> None:
    """Allow ``limit`` calls per ``window_seconds`` per address (or ``key``); beyond, 429 with a Chinese message."""
    ident = key or context.client_ip(request) or "unknown"
    bucket = int(clock() // window_seconds)
    cache_key = f"throttle:{scope}:{ident}:{bucket}"
    added = cache.add(cache_key, 1, window_seconds + 5)
    count = 1 if added else cache.incr(cache_key)
    if count > limit:
        raise ThrottledError("请求过于频繁，请稍后再试。")


def domain_error_response(api, request, exc: DomainError):
    return api.create_response(request, error_body(exc.code, exc.message, exc.fields), status=exc.status)


def token_ttl():
    return settings.API_TOKEN_TTL
