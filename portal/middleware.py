"""Cross-cutting request handling: health probes, audit context, session limits, two-factor enforcement,
no-store."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from portal import context

SESSION_LOGIN_AT = "jianfu_login_at"
SESSION_SEEN_AT = "jianfu_seen_at"


class HealthProbeMiddleware:
    """``/healthz`` and ``/readyz`` answer before anything else: no session, no host check, no HTTPS redirect
    (load balancers probe the app servers directly by address)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            from portal import health

            return _probe_response(200, health.liveness())
        if request.path == "/readyz":
            from portal import health

            status, body = health.readiness()
            return _probe_response(status, body)
        return self.get_response(request)


def _probe_response(status: int, body: dict) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


class RequestContextMiddleware:
    """Makes the current user and address available to the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.RequestContext(ip=context.client_ip(request), path=request.path, in_request=True)
        token = context.set_context(ctx)
        try:
            request.jianfu_context = ctx
            return self.get_response(request)
        finally:
            if ctx.pending_denials:
                from portal.audit import write_pending_denials

                write_pending_denials(ctx)
            context.reset_context(token)


class SessionLimitsMiddleware:
    """Staff sessions end after 30 minutes idle; every session ends 12 hours after login (等保 level 3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = getattr(request, "jianfu_context", None)
        if ctx is not None:
            ctx.user = request.user
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            login_at = request.session.get(SESSION_LOGIN_AT) or now
            seen_at = request.session.get(SESSION_SEEN_AT) or now
            idle_limit = settings.JIANFU_STAFF_IDLE_SECONDS if user.is_portal_staff else None
            if now - login_at > settings.JIANFU_SESSION_ABSOLUTE_SECONDS or (
                idle_limit is not None and now - seen_at > idle_limit
            ):
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                from django.contrib import messages

                messages.info(request, "会话已超时，请重新登录。")
                return redirect(f"{reverse('portal:login')}?next={request.path}")
            # Assigning marks the session modified, and a modified session is written back (an UPDATE in
            # its own transaction): only when a value is new, so an ordinary page view writes nothing.
            if SESSION_LOGIN_AT not in request.session:
                request.session[SESSION_LOGIN_AT] = login_at
            if now - seen_at >= 30 or SESSION_SEEN_AT not in request.session:
                request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Staff must confirm a TOTP code when they have a device (always, under production settings).

    ``/api/`` is exempt from the redirect only: the API's session authentication applies the same rule
    (``session_second_factor_missing``) and treats a half-logged-in session as no login at all.
    """

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/i18n/", "/public/", "/verify/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and request.path != "/"
        ):
            from portal.services.accounts import session_second_factor_missing

            missing = session_second_factor_missing(user=user)
            if missing == "verify":
                return redirect(f"{reverse('portal:otp_verify')}?next={request.path}")
            if missing == "setup":
                return redirect(reverse("portal:otp_setup"))
        return self.get_response(request)


class PersonalDataNoStoreMiddleware:
    """Pages shown to a logged-in user may hold personal data: never store them in any cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "user", None) is not None
            and request.user.is_authenticated
            or getattr(response, "jianfu_personal_data", False)
        ):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class ChineseFirstLocaleMiddleware:
    """Chinese unless English was chosen: with the language switch (cookie), or by a browser whose first
    preference is English (``Accept-Language: en…``). A browser that lists Chinese first gets Chinese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            first = (
                request.headers.get("Accept-Language", "").split(",", 1)[0].split(";", 1)[0].strip().lower()
            )
            chosen = "en" if first == "en" or first.startswith("en-") else None
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


API_PREFIX = "/api/v1/"

#: What each status means to an API client, when no more precise message was given.
API_STATUS_MESSAGES = {
    400: ("invalid", "请求格式不正确。"),
    401: ("unauthorized", "需要登录：请提供有效的令牌（Authorization: Bearer …）或先登录。"),
    403: ("forbidden", "您无权执行此操作。"),
    404: ("not_found", "接口或对象不存在：请核对地址和编号（编号应为正整数）。"),
    405: ("method_not_allowed", "该接口不支持此请求方法。"),
    413: ("too_large", "上传内容过大。"),
    429: ("throttled", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "服务器处理请求时出错，请稍后再试；如持续出现请联系管理员。"),
}


class ApiErrorFormatMiddleware:
    """Every ``/api/v1/`` answer that is an error comes in the API's JSON error format.

    The API's own handlers already answer ``{"error": {...}}``; what reaches here as HTML or an empty body
    comes from outside them — an unknown path or an id that is not a positive integer (the URL resolver's
    404), a method the operation does not have (405), an unexpected failure (500) — and is rewritten with
    a Chinese message and the same status (the ``Allow`` header of a 405 is kept).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        from django.http import JsonResponse

        code, message = API_STATUS_MESSAGES.get(
            response.status_code, API_STATUS_MESSAGES[500 if response.status_code >= 500 else 400]
        )
        body = {"error": {"code": code, "message": message, "fields": {}}}
        rewritten = JsonResponse(body, status=response.status_code, json_dumps_params={"ensure_ascii": False})
        for header in ("Allow", "Retry-After"):
            if header in response:
                rewritten[header] = response[header]
        return rewritten


#: C0 control characters and DEL. Line breaks and tabs are allowed in submitted text (a textarea's \r\n),
#: never in a URL or a query parameter.
_CONTROL = {chr(c) for c in range(0x20)} | {"\x7f"}
_CONTROL_IN_TEXT = _CONTROL - {"\t", "\n", "\r"}
CONTROL_MESSAGE = "输入内容中含有不允许的控制字符（如空字符），请删除后重试。"


def _has(chars: set[str], value) -> bool:
    if isinstance(value, str):
        return not chars.isdisjoint(value)
    if isinstance(value, dict):
        return any(_has(chars, k) or _has(chars, v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has(chars, v) for v in value)
    return False


def request_control_characters(request) -> str | None:
    """Where the request carries a control character (``"path"``, ``"query"``, ``"form"``, ``"json"``), or None.

    A NUL byte reaching PostgreSQL fails the query (500), and one stored on another database ends up in
    notices and exports; no input of this portal needs any control character but line breaks and tabs.
    """
    if _has(_CONTROL, request.path):
        return "path"
    for key, values in request.GET.lists():
        if _has(_CONTROL, key) or _has(_CONTROL, values):
            return "query"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        import json

        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None  # not JSON at all: the API answers that itself
        return "json" if _has(_CONTROL_IN_TEXT, data) else None
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.POST.lists():
            if _has(_CONTROL_IN_TEXT, key) or _has(_CONTROL_IN_TEXT, values):
                return "form"
        for upload in request.FILES.values():
            if _has(_CONTROL, upload.name or ""):
                return "form"
    return None


class ControlCharacterMiddleware:
    """Refuse control characters in every input — path, query, form and JSON — with a 400 and a Chinese message
    (the JSON error format under ``/api/``), before any view or query sees them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = request_control_characters(request)
        if where is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse(
                {
                    "error": {
                        "code": "control_characters",
                        "message": CONTROL_MESSAGE,
                        "fields": {where: CONTROL_MESSAGE},
                    }
                },
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        from django.http import HttpResponseBadRequest
        from django.utils.html import escape

        return HttpResponseBadRequest(
            '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>请求无效</title>'
            f'<h1>请求无效</h1><p>{escape(CONTROL_MESSAGE)}</p><p><a href="/">返回首页</a></p></html>',
            content_type="text/html; charset=utf-8",
        )


class DomainErrorPageMiddleware:
    """A :class:`portal.errors.DomainError` a page view did not catch becomes the error page with its Chinese
    message and status (403, 404, 409, 429 …) instead of a 500. The API handles its own errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from portal.errors import DomainError

        if not isinstance(exception, DomainError):
            return None
        from portal.views.errors import error_page

        return error_page(request, exception.status, exception.message, code=exception.code)
