"""The one NinjaAPI object: routers of every app, error handlers, OpenAPI at ``/api/v1/openapi.json``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from portal.api.kit import RENDERER, domain_error_response, error_body
from portal.errors import DomainError

api = NinjaAPI(
    renderer=RENDERER,
    title="天津市社区减负服务平台 API",
    version="1",
    description="居委会工作事项清单、准入、证明、评星定级、减负投诉与居民诉求的公开接口。错误一律返回 "
    '`{"error": {"code", "message", "fields"}}`。',
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

FIELD_MESSAGES = {
    "missing": "缺少必填字段。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "bool_parsing": "应为 true 或 false。",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD。",
    "date_parsing": "日期格式应为 YYYY-MM-DD。",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD。",
    "decimal_parsing": "应为数字。",
    "float_parsing": "应为数字。",
    "string_too_long": "内容过长。",
    "string_too_short": "内容过短。",
    "greater_than_equal": "数值过小。",
    "less_than_equal": "数值过大。",
    "greater_than": "数值过小。",
    "less_than": "数值过大。",
    "literal_error": "取值不在允许范围内。",
    "enum": "取值不在允许范围内。",
    "json_invalid": "请求体不是合法的 JSON。",
    "string_type": "应为文本。",
    "list_type": "应为列表。",
    "model_attributes_type": "请求体应为 JSON 对象。",
    "dict_type": "请求体应为 JSON 对象。",
}


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return domain_error_response(api, request, exc)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields = {}
    for err in exc.errors:
        loc = [
            str(p)
            for p in err.get("loc", [])
            if p not in ("body", "query", "path", "payload", "form", "params")
        ]
        name = ".".join(loc) or "body"
        message = err.get("msg", "")
        fields[name] = FIELD_MESSAGES.get(err.get("type", ""), "") or (
            message if any("\u4e00" <= c <= "\u9fff" for c in message) else "格式不正确。"
        )
    return api.create_response(
        request, error_body("invalid", "请求数据不正确，请检查标出的字段。", fields), status=400
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(
        request,
        error_body("unauthorized", "需要登录：请提供有效的令牌（Authorization: Bearer …）或先登录。"),
        status=401,
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, error_body("not_found", "未找到该对象，或您无权访问。"), status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, error_body("forbidden", "您无权执行此操作。"), status=403)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    messages = {
        400: "请求体不是合法的 JSON，或请求格式不正确。",
        401: "需要登录。",
        403: "您无权执行此操作。",
        404: "未找到。",
        405: "不支持该请求方法。",
        409: "状态冲突。",
        413: "上传内容过大。",
        429: "请求过于频繁，请稍后再试。",
    }
    message = (
        str(exc)
        if any("\u4e00" <= c <= "\u9fff" for c in str(exc))
        else messages.get(exc.status_code, "请求失败。")
    )
    return api.create_response(request, error_body("error", message), status=exc.status_code)


def _add_routers() -> None:
    from admission.api import router as admission_router
    from certificates.api import router as certificates_router
    from checklists.api import router as checklists_router
    from evaluations.api import router as evaluations_router
    from portal.api.core import router as core_router
    from reports.api import router as reports_router
    from supervision.api import router as supervision_router
    from taskcheck.api import router as taskcheck_router

    api.add_router("", core_router)
    api.add_router("", checklists_router)
    api.add_router("", taskcheck_router)
    api.add_router("", admission_router)
    api.add_router("", certificates_router)
    api.add_router("", evaluations_router)
    api.add_router("", supervision_router)
    api.add_router("", reports_router)


_add_routers()
