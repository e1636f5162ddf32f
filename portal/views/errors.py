"""Error pages in the portal's own layout, in Chinese, with the reason and a way back.

``/api/`` paths keep the JSON error format ``{"error": {"code", "message", "fields"}}``. A view may raise
:class:`portal.errors.DomainError` (or ``PermissionDenied("…")`` / ``Http404``): the error page shows its
Chinese message (see :class:`portal.middleware.DomainErrorPageMiddleware`).
"""

from __future__ import annotations

import logging
from urllib.parse import urlparse

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.api.kit import error_body

logger = logging.getLogger(__name__)

TITLES = {
    400: ("请求有误", "bad_request"),
    403: ("无权访问", "forbidden"),
    404: ("页面不存在", "not_found"),
    405: ("不支持该操作", "method_not_allowed"),
    409: ("状态已变化", "conflict"),
    413: ("上传内容过大", "too_large"),
    429: ("操作过于频繁", "throttled"),
    500: ("系统出错", "server_error"),
}
DEFAULT_REASONS = {
    400: "提交的内容不完整或格式不正确，请返回检查后重试。",
    403: "您的账号没有访问该页面的权限。",
    404: "您要找的页面不存在，或您无权查看该内容。",
    405: "该页面不支持这种操作方式。",
    409: "该事项的状态已经变化，请刷新后查看最新情况。",
    413: "上传的文件过大，请压缩后重试。",
    429: "您的操作过于频繁，请稍等一分钟后再试。",
    500: "系统暂时出现问题，我们已记录此错误。请稍后重试；如多次出现，请联系市民政局。",
}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text or "")


def _same_site_referer(request) -> str:
    ref = request.META.get("HTTP_REFERER", "")
    if not ref:
        return ""
    parsed = urlparse(ref)
    if parsed.netloc and parsed.netloc != request.get_host():
        return ""
    path = parsed.path or "/"
    if path == request.path:
        return ""
    return path + (f"?{parsed.query}" if parsed.query else "")


def _list_link(path: str) -> tuple[str, str] | None:
    """The list a user came from, judged by the first part of the path."""
    sections = {
        "lists": ("/lists/", "工作事项清单"),
        "check": ("/check/", "任务核查"),
        "admission": ("/admission/", "准入审批"),
        "certificates": ("/certificates/", "社区证明"),
        "evaluations": ("/evaluations/", "评星定级"),
        "jobs": ("/dashboard/", "工作台"),
        "inbox": ("/inbox/", "待办"),
    }
    first = path.strip("/").split("/", 1)[0]
    found = sections.get(first)
    if found and found[0] != path:
        return found[0], _(found[1])
    return None


def error_page(request, status: int, reason: str | None = None, *, code: str | None = None) -> HttpResponse:
    """The one error response: JSON for ``/api/`` paths, the portal's page otherwise."""
    title, default_code = TITLES.get(status, ("请求失败", "error"))
    message = reason if reason and _is_chinese(reason) else DEFAULT_REASONS.get(status, "请求失败。")
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(code or default_code, message),
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    user = getattr(request, "user", None)
    anonymous = user is None or not user.is_authenticated
    context = {
        "status": status,
        "title": _(title),
        "reason": _(message),
        "back": _same_site_referer(request),
        "section": _list_link(request.path),
        "login_url": f"{reverse('portal:login')}?next={request.path}"
        if anonymous and status in (403, 404)
        else "",
        "dashboard": not anonymous,
    }
    try:
        html = render_to_string("portal/error.html", context, request=request)
    except Exception:  # the layout itself failed (e.g. the database is down): a plain page still helps
        logger.exception("error page: layout failed, plain page served")
        html = render_to_string("portal/error_plain.html", context)
    response = HttpResponse(html, status=status)
    if status == 429:
        response["Retry-After"] = "60"
    return response


def bad_request(request, exception=None):
    return error_page(request, 400, str(exception or ""))


def permission_denied(request, exception=None):
    return error_page(request, 403, str(exception or ""))


def page_not_found(request, exception=None):
    return error_page(request, 404, str(exception or ""))


def server_error(request):
    return error_page(request, 500)
