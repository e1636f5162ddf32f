"""Every route has a permission-matrix case (issue 12.1).

The test walks every URL pattern of the site (Django's resolver, all apps) and every operation of the JSON
API (the ninja routers) and fails when one has no case in :data:`CASES` — so a new page or endpoint cannot
land without saying who may use it. A public route is declared public explicitly (``anonymous="ok"``).
Each case is then run: the anonymous caller gets the declared outcome, every denied role a 403 or 404, and
every allowed role neither (for a GET: 200; for a POST with an empty or harmless body: anything but a
refusal — a form error or a redirect back is fine, nothing is changed by a form that does not validate).

The Django admin keeps its own guard (staff accounts, model permissions); its pages are one family of
cases, walked model by model in :func:`test_the_admin_is_for_staff_only`.

Cases use the demo data (``load_demo``) plus the few objects :func:`world` adds (a finished job, a refusal,
an attachment …); ``{name}`` in a URL is filled from that world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.support.permissions import Access, api_operations, check_matrix, page_routes

EVERYONE = (
    "city_admin",
    "city_approver",
    "city_stats",
    "hexi_official",
    "hexi_approver",
    "hexi_health",
    "nankai_official",
    "street_staff",
    "community_staff",
    "community_staff2",
    "resident",
    "resident2",
)
LOGIN = "login"
PUBLIC = "ok"
REFUSED = (403, 404)
#: a POST with an empty body, as an allowed user: anything but a refusal (a form error, a redirect back)
NOT_REFUSED = (200, 201, 202, 204, 302, 400, 409, 422)


@dataclass(frozen=True)
class Case:
    url: str
    allowed: tuple[str, ...] = ()
    denied: tuple[str, ...] = ()
    anonymous: str | int = LOGIN
    method: str = "get"
    ok: tuple[int, ...] | None = None
    data: dict | Callable[[], dict] | None = None
    multipart: bool = False

    def access(self, world: dict, *, api: bool) -> Access:
        ok = self.ok or ((200,) if self.method == "get" else NOT_REFUSED)
        return Access(
            url=self.url.format(**world),
            method=self.method,
            api=api,
            data=self.data,
            multipart=self.multipart,
            ok_status=ok,
            denied_status=REFUSED,
        )


def public(url: str, *, ok=(200,), method="get", data=None) -> Case:
    """A route anyone may use, logged in or not."""
    return Case(url, allowed=("resident", "city_admin"), anonymous=PUBLIC, ok=ok, method=method, data=data)


def logged_in(url: str, *, ok=(200,), method="get") -> Case:
    """A route every logged-in user may use (their own inbox, password, dashboard)."""
    return Case(url, allowed=EVERYONE, anonymous=LOGIN, ok=ok, method=method)


def post(url: str, allowed, denied, *, anonymous=LOGIN, data=None) -> Case:
    return Case(
        url, allowed=tuple(allowed), denied=tuple(denied), anonymous=anonymous, method="post", data=data
    )


def get(url: str, allowed, denied, *, anonymous=LOGIN, ok=None) -> Case:
    return Case(url, allowed=tuple(allowed), denied=tuple(denied), anonymous=anonymous, ok=ok)


def api(
    method: str,
    url: str,
    allowed=(),
    denied=(),
    *,
    anonymous: str | int = 401,
    ok=None,
    data=None,
    multipart: bool = False,
):
    return Case(
        url,
        allowed=tuple(allowed),
        denied=tuple(denied),
        anonymous=anonymous,
        method=method.lower(),
        ok=ok,
        data=data,
        multipart=multipart,
    )


def api_public(method: str, url: str, *, ok=(200,), data=None) -> Case:
    return api(method, url, allowed=("resident", "city_admin"), anonymous=PUBLIC, ok=ok, data=data)


HEXI_HANDLERS = ("hexi_official",)
OUTSIDE_HEXI = ("nankai_official", "resident")
LIST_EDITORS = ("city_admin", "hexi_official")
EVAL_STAFF = ("community_staff", "street_staff", "hexi_official", "city_admin")
EVAL_OUTSIDERS = ("community_staff2", "nankai_official", "resident", "hexi_health")
CERT_OUTSIDERS = ("community_staff2", "resident2", "street_staff", "nankai_official")

TASK_REQUEST = {
    "title": "健康档案入户核对",
    "description": "请协助核对辖区居民健康档案。",
    "target_orgs": ["120103001001"],
    "start_date": "2027-03-01",
    "end_date": "2027-06-30",
    "workload_hours_per_month": 2,
}
REPORT = {"kind": "burden", "org": "120103", "period": "2026"}


def a_pdf() -> dict:
    from tests.support.files import pdf_bytes, upload

    return {"file": upload("方案.pdf", pdf_bytes(), "application/pdf")}


def supplement() -> dict:
    from tests.support.files import pdf_bytes, upload

    return {"comment": "补充材料", "supporting": upload("证明.pdf", pdf_bytes(), "application/pdf")}


def certificate_form() -> dict:
    from tests.certificates.conftest import form_data

    return form_data()


#: route → its cases. Pages by URL pattern (every method the view takes), API operations by method and path.
CASES: dict[str, list[Case]] = {
    # --- portal -----------------------------------------------------------------------------------------
    "": [public("/")],
    "accounts/login/": [public("/accounts/login/")],
    "accounts/logout/": [public("/accounts/logout/", method="post", ok=(302,))],
    "accounts/otp/": [Case("/accounts/otp/", anonymous=LOGIN, allowed=("city_admin",), ok=(200, 302))],
    "accounts/otp/setup/": [
        Case("/accounts/otp/setup/", anonymous=LOGIN, allowed=("city_admin",), ok=(200, 302))
    ],
    "accounts/password/": [logged_in("/accounts/password/")],
    # 指派给我的: anyone's own assignments (none for most: the page opens, empty; the menu shows it only to those
    # with one — tests/portal/test_navigation.py)
    "accounts/assigned/": [logged_in("/accounts/assigned/")],
    # 我的代理: every staff user's own leave delegations; ending one is its owner's (community_staff's, in world())
    "accounts/delegations/": [
        get("/accounts/delegations/", ["street_staff", "hexi_official", "hexi_health"], ["resident"])
    ],
    "accounts/delegations/<int:pk>/end/": [
        post(
            "/accounts/delegations/{delegation}/end/",
            ["community_staff"],
            ["community_staff2", "hexi_official", "resident", "street_staff"],
        )
    ],
    "accounts/register/": [public("/accounts/register/")],
    # a resident confirms the mobile number; confirmed accounts and staff are sent on (302)
    "accounts/verify-mobile/": [logged_in("/accounts/verify-mobile/", ok=(200, 302))],
    "dashboard/": [logged_in("/dashboard/")],
    "inbox/": [logged_in("/inbox/")],
    "inbox/<int:pk>/open/": [post("/inbox/{note}/open/", ["resident"], ["resident2", "community_staff"])],
    "audit/": [
        get("/audit/", ["city_admin", "hexi_official"], ["community_staff", "resident", "hexi_health"])
    ],
    "audit/export.csv": [
        get(
            "/audit/export.csv",
            ["city_admin", "hexi_official"],
            ["community_staff", "resident", "hexi_health"],
        )
    ],
    "jobs/<uuid:pk>/": [
        get("/jobs/{job}/", ["hexi_health", "hexi_official", "city_admin"], ["nankai_official", "resident"])
    ],
    "jobs/<uuid:pk>/status/": [
        get("/jobs/{job}/status/", ["hexi_health", "hexi_official"], ["nankai_official", "resident"])
    ],
    "jobs/<uuid:pk>/download/": [
        get("/jobs/{job}/download/", ["hexi_health", "hexi_official"], ["nankai_official", "resident"])
    ],
    "manage/accounts/": [
        get(
            "/manage/accounts/",
            ["city_admin", "hexi_official", "street_staff"],
            ["community_staff", "resident", "hexi_health"],
        )
    ],
    "manage/orgs/import/": [
        get("/manage/orgs/import/", ["city_admin"], ["hexi_official", "community_staff", "resident"])
    ],
    "prefs/elder/": [public("/prefs/elder/", method="post", ok=(302,))],
    "verify/": [public("/verify/")],
    "verify/<str:code>/": [public("/verify/{cert_code}/", ok=(200, 302))],
    "i18n/setlang/": [public("/i18n/setlang/", method="post", ok=(302,), data={"language": "zh-hans"})],
    "api/v1/openapi.json": [public("/api/v1/openapi.json")],
    "api/v1/docs": [public("/api/v1/docs")],
    "api/v1/": [public("/api/v1/", ok=(200, 404))],
    # --- checklists -------------------------------------------------------------------------------------
    "lists/": [public("/lists/")],
    "lists/check/": [public("/lists/check/", ok=(301, 302))],
    "lists/negative/": [public("/lists/negative/")],
    "lists/district/<str:code>/": [public("/lists/district/120103/")],
    "lists/district/<str:code>/pdf/": [public("/lists/district/120104/pdf/")],
    "lists/district/<str:code>/excel/": [public("/lists/district/120103/excel/")],
    "lists/district/<str:code>/registers/": [public("/lists/district/120103/registers/")],
    "lists/community/<str:code>/": [public("/lists/community/120103001001/")],
    "lists/community/<str:code>/pdf/": [public("/lists/community/120103001001/pdf/")],
    "lists/community/<str:code>/excel/": [public("/lists/community/120103001001/excel/")],
    "lists/community/<str:code>/qr/": [public("/lists/community/120103001001/qr/")],
    "lists/history/<str:code>/": [public("/lists/history/120000/")],
    "lists/history/<str:code>/<int:number>/": [public("/lists/history/120000/1/")],
    "lists/manage/": [
        get(
            "/lists/manage/",
            ["city_admin", "hexi_official", "nankai_official"],
            ["resident", "community_staff", "hexi_health"],
        )
    ],
    "lists/manage/lists/<str:code>/": [
        get("/lists/manage/lists/120103/", LIST_EDITORS, ["nankai_official", "street_staff", "resident"]),
        get("/lists/manage/lists/120000/", ["city_admin"], ["hexi_official", "resident"]),
    ],
    "lists/manage/lists/<str:code>/items/new/": [
        get("/lists/manage/lists/120103/items/new/", LIST_EDITORS, ["nankai_official", "community_staff"])
    ],
    "lists/manage/lists/<str:code>/items/<str:item_code>/": [
        get("/lists/manage/lists/120103/items/120103-B-1/", LIST_EDITORS, ["nankai_official", "resident"])
    ],
    "lists/manage/lists/<str:code>/items/<str:item_code>/delete/": [
        post(
            "/lists/manage/lists/120103/items/120103-B-1/delete/",
            [],
            ["nankai_official", "community_staff", "resident"],
        )
    ],
    "lists/manage/lists/<str:code>/publish/": [
        post("/lists/manage/lists/120103/publish/", ["hexi_official"], ["nankai_official", "community_staff"])
    ],
    "lists/manage/lists/<str:code>/discard/": [
        post("/lists/manage/lists/120103/discard/", [], ["nankai_official", "street_staff"])
    ],
    "lists/manage/registers/<str:code>/": [
        get("/lists/manage/registers/120103/", LIST_EDITORS, ["nankai_official", "hexi_health", "resident"])
    ],
    "lists/manage/registers/<str:code>/ledgers/new/": [
        get("/lists/manage/registers/120103/ledgers/new/", LIST_EDITORS, ["nankai_official", "resident"])
    ],
    "lists/manage/registers/<str:code>/ledgers/<int:pk>/": [
        get(
            "/lists/manage/registers/120103/ledgers/{ledger}/",
            LIST_EDITORS,
            ["nankai_official", "street_staff"],
        )
    ],
    "lists/manage/registers/<str:code>/ledgers/<int:pk>/delete/": [
        post(
            "/lists/manage/registers/120103/ledgers/{ledger}/delete/",
            [],
            ["nankai_official", "community_staff"],
        )
    ],
    "lists/manage/registers/<str:code>/organisations/new/": [
        get(
            "/lists/manage/registers/120000/organisations/new/", ["city_admin"], ["hexi_official", "resident"]
        )
    ],
    "lists/manage/registers/<str:code>/organisations/<int:pk>/": [
        get(
            "/lists/manage/registers/120000/organisations/{organisation}/",
            ["city_admin"],
            ["hexi_official", "resident"],
        )
    ],
    "lists/manage/registers/<str:code>/organisations/<int:pk>/delete/": [
        post(
            "/lists/manage/registers/120000/organisations/{organisation}/delete/",
            [],
            ["hexi_official", "nankai_official"],
        )
    ],
    "lists/manage/plaques/": [
        get(
            "/lists/manage/plaques/",
            ["community_staff", "street_staff", "hexi_official"],
            ["resident", "hexi_health"],
            ok=(200, 302),
        )
    ],
    "lists/manage/plaques/<str:code>/": [
        get(
            "/lists/manage/plaques/120103001001/",
            ["community_staff", "street_staff", "hexi_official", "city_admin"],
            ["community_staff2", "nankai_official", "resident", "hexi_health"],
        )
    ],
    "lists/manage/plaques/<str:code>/<int:pk>/delete/": [
        post(
            "/lists/manage/plaques/{plaque_community}/{plaque}/delete/",
            [],
            ["nankai_official", "resident", "hexi_health"],
        )
    ],
    "GET /api/v1/communities/{code}/checklist": [
        api_public("get", "/api/v1/communities/120103001001/checklist")
    ],
    "GET /api/v1/negative-list": [api_public("get", "/api/v1/negative-list")],
    # --- taskcheck ---------------------------------------------------------------------------------------
    "check/": [public("/check/")],
    "check/refuse/": [
        post(
            "/check/refuse/",
            ["community_staff"],
            ["resident", "hexi_health"],
            data={"community": "120103001001", "title": "请各社区完成本季度招商引资任务"},
        )
    ],
    "check/refusals/": [
        get(
            "/check/refusals/",
            ["community_staff", "street_staff", "hexi_official"],
            ["resident", "hexi_health"],
        )
    ],
    "check/refusals/<int:pk>/": [
        get(
            "/check/refusals/{refusal}/",
            ["community_staff", "street_staff", "hexi_official"],
            ["community_staff2", "nankai_official", "resident"],
        )
    ],
    "check/refusals/<int:pk>/notice.pdf": [
        get(
            "/check/refusals/{refusal}/notice.pdf",
            ["community_staff"],
            ["community_staff2", "nankai_official", "resident"],
        )
    ],
    "check/verify/<str:code>/": [public("/check/verify/{refusal_code}/")],
    "check/policy/": [public("/check/policy/")],
    "POST /api/v1/task-check": [
        api_public(
            "post", "/api/v1/task-check", ok=(200, 400, 422), data={"title": "请各社区完成招商引资任务"}
        )
    ],
    "POST /api/v1/refusals": [
        api(
            "post",
            "/api/v1/refusals",
            ["community_staff"],
            ["resident", "hexi_health"],
            data={"community": "120103001001", "title": "请各社区完成本季度招商引资任务"},
        )
    ],
    "GET /api/v1/refusals": [api("get", "/api/v1/refusals", ["community_staff", "hexi_official"])],
    "GET /api/v1/refusals/{refusal_id}": [
        api(
            "get",
            "/api/v1/refusals/{refusal}",
            ["community_staff", "hexi_official"],
            ["community_staff2", "nankai_official", "resident"],
        )
    ],
    "GET /api/v1/refusals/{refusal_id}/notice.pdf": [
        api(
            "get",
            "/api/v1/refusals/{refusal}/notice.pdf",
            ["community_staff"],
            ["community_staff2", "nankai_official"],
        )
    ],
    # --- admission ---------------------------------------------------------------------------------------
    "admission/": [get("/admission/", ["hexi_health", "hexi_official", "community_staff"], ["resident"])],
    "admission/inbox/": [get("/admission/inbox/", ["hexi_official", "hexi_approver"], ["resident"])],
    "admission/new/": [get("/admission/new/", ["hexi_health"], ["resident", "community_staff"])],
    "admission/<int:pk>/": [
        get(
            "/admission/{tr_review}/",
            ["hexi_health", "hexi_official"],
            ["nankai_official", "resident", "city_stats"],
        )
    ],
    "admission/<int:pk>/edit/": [
        get("/admission/{tr_draft}/edit/", ["hexi_health"], ["nankai_official", "resident", "hexi_official"])
    ],
    "admission/<int:pk>/submit/": [
        post("/admission/{tr_review}/submit/", ["hexi_health"], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/withdraw/": [
        post("/admission/{tr_approved}/withdraw/", ["hexi_health"], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/opinion/": [
        post("/admission/{tr_consult}/opinion/", [], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/review/": [
        post("/admission/{tr_review}/review/", ["hexi_official"], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/legal-reviewer/": [
        post("/admission/{tr_review}/legal-reviewer/", ["hexi_official"], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/legal-reviewer/end/": [
        post("/admission/{tr_review}/legal-reviewer/end/", ["hexi_official"], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/legal-opinion/": [
        post("/admission/{tr_review}/legal-opinion/", [], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/decision/": [
        post("/admission/{tr_review}/decision/", [], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/revoke/": [
        post("/admission/{tr_approved}/revoke/", [], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/attachments/": [
        post("/admission/{tr_draft}/attachments/", ["hexi_health"], ["nankai_official", "resident"])
    ],
    "admission/<int:pk>/attachments/<int:att_pk>/": [
        get(
            "/admission/{tr_draft}/attachments/{tr_attachment}/",
            ["hexi_health"],
            ["nankai_official", "resident"],
        )
    ],
    "admission/<int:pk>/notice.pdf": [
        get(
            "/admission/{tr_approved}/notice.pdf",
            ["hexi_health", "hexi_official"],
            ["nankai_official", "resident"],
            ok=(200, 302),
        )
    ],
    "admission/verify/": [public("/admission/verify/")],
    "admission/verify/<str:admission_no>/": [public("/admission/verify/{admission_no}/")],
    "GET /api/v1/task-requests": [api("get", "/api/v1/task-requests", ["hexi_health", "hexi_official"])],
    "POST /api/v1/task-requests": [
        api(
            "post",
            "/api/v1/task-requests",
            ["hexi_health"],
            ["resident", "community_staff"],
            data=TASK_REQUEST,
        )
    ],
    "GET /api/v1/task-requests/inbox": [api("get", "/api/v1/task-requests/inbox", ["hexi_official"])],
    "GET /api/v1/task-requests/{pk}": [
        api(
            "get",
            "/api/v1/task-requests/{tr_review}",
            ["hexi_health", "hexi_official"],
            ["nankai_official", "resident"],
        )
    ],
    "PUT /api/v1/task-requests/{pk}": [
        api(
            "put",
            "/api/v1/task-requests/{tr_draft}",
            ["hexi_health"],
            ["nankai_official", "resident"],
            data=TASK_REQUEST,
        )
    ],
    "POST /api/v1/task-requests/{pk}/submit": [
        api(
            "post",
            "/api/v1/task-requests/{tr_review}/submit",
            ["hexi_health"],
            ["nankai_official", "resident"],
        )
    ],
    "POST /api/v1/task-requests/{pk}/withdraw": [
        api(
            "post",
            "/api/v1/task-requests/{tr_approved}/withdraw",
            ["hexi_health"],
            ["nankai_official", "resident"],
        )
    ],
    "POST /api/v1/task-requests/{pk}/opinions": [
        api(
            "post",
            "/api/v1/task-requests/{tr_consult}/opinions",
            [],
            ["nankai_official", "resident"],
            data={"opinion": "agree"},
        )
    ],
    "POST /api/v1/task-requests/{pk}/review": [
        api(
            "post",
            "/api/v1/task-requests/{tr_review}/review",
            [],
            ["nankai_official", "resident"],
            data={"legality": "pass", "reasonableness": "pass"},
        )
    ],
    "POST /api/v1/task-requests/{pk}/decision": [
        api(
            "post",
            "/api/v1/task-requests/{tr_review}/decision",
            [],
            ["nankai_official", "resident"],
            data={"decision": "approve"},
        )
    ],
    "POST /api/v1/task-requests/{pk}/revoke": [
        api(
            "post",
            "/api/v1/task-requests/{tr_approved}/revoke",
            [],
            ["nankai_official", "resident"],
            data={"reason": "任务取消"},
        )
    ],
    "POST /api/v1/task-requests/{pk}/attachments": [
        api(
            "post",
            "/api/v1/task-requests/{tr_draft}/attachments",
            ["hexi_health"],
            ["nankai_official", "resident"],
            data=a_pdf,
            multipart=True,
        )
    ],
    "GET /api/v1/admissions/{admission_no}": [api_public("get", "/api/v1/admissions/{admission_no}")],
    # --- certificates ------------------------------------------------------------------------------------
    "certificates/": [public("/certificates/")],
    "certificates/barred/": [public("/certificates/barred/")],
    "certificates/verify/": [public("/certificates/verify/")],
    "certificates/verify/<str:code>/": [public("/certificates/verify/{cert_code}/")],
    "certificates/apply/": [
        get("/certificates/apply/", ["resident", "resident2"], ["community_staff", "city_admin"])
    ],
    "certificates/my/": [get("/certificates/my/", ["resident", "community_staff"], [])],
    "certificates/applications/<int:pk>/": [
        get("/certificates/applications/{cert_issued}/", ["resident", "community_staff"], CERT_OUTSIDERS)
    ],
    "certificates/applications/<int:pk>/review/": [
        post(
            "/certificates/applications/{cert_submitted}/review/",
            ["community_staff"],
            ["resident", *CERT_OUTSIDERS],
            data={"decision": "need_more", "comment": "请补充材料"},
        )
    ],
    "certificates/applications/<int:pk>/supplement/": [
        post(
            "/certificates/applications/{cert_submitted}/supplement/",
            ["resident"],
            ["resident2", "community_staff2", "nankai_official"],
            data=supplement,
        )
    ],
    "certificates/applications/<int:pk>/withdraw/": [
        post(
            "/certificates/applications/{cert_issued}/withdraw/",
            [],
            ["resident2", "community_staff2", "nankai_official"],
        )
    ],
    "certificates/applications/<int:pk>/revoke/": [
        post(
            "/certificates/applications/{cert_issued}/revoke/",
            [],
            ["resident", *CERT_OUTSIDERS],
            data={"reason": "迁出本社区"},
        )
    ],
    "certificates/applications/<int:pk>/reveal-id/": [
        post(
            "/certificates/applications/{cert_submitted}/reveal-id/",
            ["community_staff"],
            ["resident", *CERT_OUTSIDERS],
        )
    ],
    "certificates/applications/<int:pk>/files/<int:attachment_pk>/": [
        get(
            "/certificates/applications/{cert_issued}/files/{cert_attachment}/",
            ["resident", "community_staff"],
            CERT_OUTSIDERS,
        )
    ],
    "certificates/applications/<int:pk>/certificate.pdf": [
        get(
            "/certificates/applications/{cert_issued}/certificate.pdf",
            ["resident", "community_staff"],
            CERT_OUTSIDERS,
        )
    ],
    "certificates/queue/": [
        get(
            "/certificates/queue/",
            ["community_staff", "community_staff2"],
            ["resident", "street_staff", "hexi_official"],
        )
    ],
    "certificates/register/issued/": [
        get(
            "/certificates/register/issued/",
            ["community_staff", "community_staff2"],
            ["resident", "street_staff", "hexi_official"],
        )
    ],
    "certificates/register/seal/": [
        get(
            "/certificates/register/seal/",
            ["community_staff", "community_staff2"],
            ["resident", "street_staff", "hexi_official"],
        )
    ],
    "certificates/manage/": [
        get("/certificates/manage/", ["city_admin"], ["hexi_official", "community_staff", "resident"])
    ],
    "certificates/manage/types/new/": [
        get(
            "/certificates/manage/types/new/",
            ["city_admin"],
            ["hexi_official", "community_staff", "resident"],
        )
    ],
    "certificates/manage/types/<int:pk>/": [
        get(
            "/certificates/manage/types/{cert_type}/",
            ["city_admin"],
            ["hexi_official", "community_staff", "resident"],
        )
    ],
    "certificates/manage/barred/new/": [
        get(
            "/certificates/manage/barred/new/",
            ["city_admin"],
            ["hexi_official", "community_staff", "resident"],
        )
    ],
    "certificates/manage/barred/<int:pk>/": [
        get(
            "/certificates/manage/barred/{barred}/",
            ["city_admin"],
            ["hexi_official", "community_staff", "resident"],
        )
    ],
    "GET /api/v1/certificate-types": [api_public("get", "/api/v1/certificate-types")],
    "GET /api/v1/certificate-types/barred": [api_public("get", "/api/v1/certificate-types/barred")],
    "POST /api/v1/certificate-applications": [
        api(
            "post",
            "/api/v1/certificate-applications",
            ["resident"],
            ["community_staff", "city_admin"],
            data=certificate_form,
            multipart=True,
        )
    ],
    "GET /api/v1/certificate-applications/{application_id}": [
        api(
            "get",
            "/api/v1/certificate-applications/{cert_issued}",
            ["resident", "community_staff"],
            CERT_OUTSIDERS,
        )
    ],
    "POST /api/v1/certificate-applications/{application_id}/review": [
        api(
            "post",
            "/api/v1/certificate-applications/{cert_submitted}/review",
            ["community_staff"],
            ["resident", *CERT_OUTSIDERS],
            data={"decision": "need_more", "comment": "请补充材料"},
        )
    ],
    "POST /api/v1/certificate-applications/{application_id}/revoke": [
        api(
            "post",
            "/api/v1/certificate-applications/{cert_issued}/revoke",
            [],
            ["resident", *CERT_OUTSIDERS],
            data={"reason": "迁出本社区"},
        )
    ],
    "GET /api/v1/certificates/verify/{verify_code}": [
        api_public("get", "/api/v1/certificates/verify/{cert_code}")
    ],
    "GET /api/v1/certificate-applications/{app_id}/certificate.pdf": [
        api(
            "get",
            "/api/v1/certificate-applications/{cert_issued}/certificate.pdf",
            ["resident", "community_staff"],
            CERT_OUTSIDERS,
        )
    ],
    # --- evaluations -------------------------------------------------------------------------------------
    "evaluations/": [get("/evaluations/", EVAL_STAFF, ["resident", "hexi_health", "city_approver"])],
    "evaluations/results/": [public("/evaluations/results/")],
    "evaluations/whitelist/": [public("/evaluations/whitelist/")],
    "evaluations/whitelist/new/": [
        get("/evaluations/whitelist/new/", ["city_admin"], ["hexi_official", "community_staff", "resident"])
    ],
    "evaluations/whitelist/<int:pk>/edit/": [
        get(
            "/evaluations/whitelist/{appraisal}/edit/",
            ["city_admin"],
            ["hexi_official", "community_staff", "resident"],
        )
    ],
    "evaluations/assessments/<int:pk>/": [
        get("/evaluations/assessments/{assessment}/", EVAL_STAFF, EVAL_OUTSIDERS)
    ],
    "evaluations/assessments/<int:pk>/scores/": [
        post("/evaluations/assessments/{assessment}/scores/", ["community_staff"], EVAL_OUTSIDERS)
    ],
    "evaluations/assessments/<int:pk>/transition/": [
        post("/evaluations/assessments/{assessment}/transition/", ["community_staff"], EVAL_OUTSIDERS)
    ],
    "evaluations/assessments/<int:pk>/figures/": [
        post("/evaluations/assessments/{assessment}/figures/", ["community_staff"], EVAL_OUTSIDERS)
    ],
    "evaluations/assessments/<int:pk>/evidence/": [
        post("/evaluations/assessments/{assessment}/evidence/", ["community_staff"], EVAL_OUTSIDERS)
    ],
    "evaluations/assessments/<int:pk>/evidence/<int:evidence_pk>/": [
        get("/evaluations/assessments/{assessment}/evidence/{eval_evidence}/", EVAL_STAFF, EVAL_OUTSIDERS)
    ],
    "evaluations/assessments/<int:pk>/pdf/": [
        post("/evaluations/assessments/{assessment}/pdf/", ["community_staff"], EVAL_OUTSIDERS)
    ],
    "evaluations/reports/summary/": [
        post("/evaluations/reports/summary/", ["city_admin"], ["community_staff", "resident", "hexi_health"])
    ],
    "evaluations/cycles/<int:pk>/publish/": [
        post(
            "/evaluations/cycles/{cycle}/publish/",
            [],
            ["hexi_official", "street_staff", "community_staff", "resident"],
        )
    ],
    "evaluations/schemes/": [get("/evaluations/schemes/", EVAL_STAFF, ["resident", "hexi_health"])],
    "evaluations/schemes/new/": [
        get("/evaluations/schemes/new/", ["city_admin"], ["hexi_official", "community_staff", "resident"])
    ],
    "evaluations/schemes/<int:pk>/": [
        get("/evaluations/schemes/{scheme}/", EVAL_STAFF, ["resident", "hexi_health"])
    ],
    "evaluations/schemes/<int:pk>/edit/": [
        get(
            "/evaluations/schemes/{draft_scheme}/edit/",
            ["city_admin"],
            ["hexi_official", "community_staff", "resident"],
        )
    ],
    "evaluations/schemes/<int:pk>/publish/": [
        post(
            "/evaluations/schemes/{draft_scheme}/publish/",
            [],
            ["hexi_official", "community_staff", "resident"],
        )
    ],
    "evaluations/schemes/<int:pk>/copy/": [
        post("/evaluations/schemes/{scheme}/copy/", [], ["hexi_official", "community_staff", "resident"])
    ],
    "evaluations/rectification/": [
        get("/evaluations/rectification/", EVAL_STAFF, ["resident", "hexi_health"])
    ],
    "evaluations/rectification/<int:pk>/": [
        get(
            "/evaluations/rectification/{eval_rect}/",
            ["hexi_official", "city_admin"],
            ["street_staff", "community_staff", "nankai_official", "resident"],
        )
    ],
    "GET /api/v1/evaluations/results": [api_public("get", "/api/v1/evaluations/results")],
    "GET /api/v1/evaluations/whitelist": [api_public("get", "/api/v1/evaluations/whitelist")],
    # --- supervision -------------------------------------------------------------------------------------
    "supervision/": [public("/supervision/")],
    "supervision/file/": [public("/supervision/file/")],
    "supervision/file/done/": [public("/supervision/file/done/", ok=(200, 302))],
    "supervision/track/": [public("/supervision/track/")],
    "supervision/track/<str:code>/": [public("/supervision/track/{tracking_code}/")],
    "supervision/notices/<str:code>/": [public("/supervision/notices/{notice_code}/")],
    "supervision/notices/<str:code>/pdf/": [public("/supervision/notices/{notice_code}/pdf/", ok=(200, 302))],
    "supervision/complaints/": [
        get(
            "/supervision/complaints/",
            ["hexi_official", "city_admin"],
            ["community_staff", "resident", "hexi_health"],
        )
    ],
    "supervision/complaints/export.csv": [
        get(
            "/supervision/complaints/export.csv",
            ["hexi_official", "city_admin"],
            ["community_staff", "resident", "hexi_health"],
        )
    ],
    "supervision/complaints/<int:pk>/": [
        get(
            "/supervision/complaints/{complaint}/",
            # street_staff: the demo's verifier assigned to it (a per-object grant)
            ["hexi_official", "street_staff"],
            ["nankai_official", "resident", "community_staff"],
        )
    ],
    "supervision/complaints/<int:pk>/reveal/": [
        post(
            "/supervision/complaints/{complaint}/reveal/",
            ["hexi_official"],
            ["nankai_official", "resident", "hexi_health"],
        )
    ],
    "supervision/complaints/<int:pk>/evidence/<int:evidence_pk>/": [
        get(
            "/supervision/complaints/{complaint}/evidence/{sup_evidence}/",
            ["hexi_official"],
            ["nankai_official", "resident", "hexi_health"],
        )
    ],
    "supervision/complaints/<int:pk>/<str:action>/": [
        post(
            "/supervision/complaints/{complaint}/note/",
            ["hexi_official", "street_staff"],
            ["nankai_official", "resident", "hexi_health"],
        ),
        post(
            "/supervision/complaints/{complaint}/assign/",
            ["hexi_official"],
            ["nankai_official", "resident", "hexi_health", "community_staff"],
        ),
        post(
            "/supervision/complaints/{complaint}/unassign/",
            ["hexi_official"],
            ["nankai_official", "resident", "hexi_health", "community_staff"],
        ),
    ],
    "supervision/criticisms/": [
        get("/supervision/criticisms/", ["hexi_official", "hexi_approver"], ["resident", "community_staff"])
    ],
    "supervision/criticisms/<int:pk>/": [logged_in("/supervision/criticisms/{criticism}/")],
    "supervision/department/": [
        get("/supervision/department/", ["hexi_health"], ["resident", "community_staff", "hexi_official"])
    ],
    "supervision/department/statements/<int:pk>/": [
        get(
            "/supervision/department/statements/{statement_complaint}/",
            ["hexi_health"],
            ["city_stats", "resident", "nankai_official"],
        )
    ],
    "supervision/rectifications/<int:pk>/": [
        get(
            "/supervision/rectifications/{sup_rect}/",
            ["hexi_official"],
            ["nankai_official", "resident", "hexi_health"],
        )
    ],
    "supervision/rectifications/<int:pk>/verify/": [
        post(
            "/supervision/rectifications/{sup_rect}/verify/",
            ["hexi_official"],
            ["nankai_official", "resident", "hexi_health"],
        )
    ],
    "supervision/appeals/": [get("/supervision/appeals/", ["resident", "community_staff"], ["hexi_health"])],
    "supervision/appeals/new/": [
        get("/supervision/appeals/new/", ["resident"], ["community_staff", "hexi_official"])
    ],
    "supervision/appeals/<int:pk>/": [
        get(
            "/supervision/appeals/{appeal}/",
            ["resident", "community_staff", "street_staff"],
            ["resident2", "community_staff2", "nankai_official"],
        )
    ],
    "POST /api/v1/complaints": [api_public("post", "/api/v1/complaints", ok=(400, 422), data={})],
    "GET /api/v1/complaints/{tracking_code}": [api_public("get", "/api/v1/complaints/{tracking_code}")],
    # 指派核查 (the demo complaint's verifier is street_staff): the bureau assigns; the verifier sees who is assigned
    "GET /api/v1/complaints/{pk}/assignments": [
        api(
            "get",
            "/api/v1/complaints/{complaint}/assignments",
            ["hexi_official", "street_staff"],
            ["nankai_official", "resident", "community_staff", "hexi_health"],
        )
    ],
    "POST /api/v1/complaints/{pk}/assignments": [
        api(
            "post",
            "/api/v1/complaints/{complaint}/assignments",
            ["hexi_official"],
            ["nankai_official", "resident", "street_staff", "community_staff"],
        )
    ],
    "DELETE /api/v1/complaints/{pk}/assignments/{assignment_id}": [
        api(
            "delete",
            "/api/v1/complaints/{complaint}/assignments/{complaint_assignment}",
            ["hexi_official"],
            ["nankai_official", "resident", "street_staff", "community_staff2"],
        )
    ],
    # 合法性审查人 (the demo request's is hexi_justice): its reviewer assigns; those who see the request see who
    "GET /api/v1/task-requests/{pk}/assignments": [
        api(
            "get",
            "/api/v1/task-requests/{tr_review}/assignments",
            ["hexi_official", "hexi_health", "hexi_justice"],
            ["nankai_official", "resident"],
        )
    ],
    "POST /api/v1/task-requests/{pk}/assignments": [
        api(
            "post",
            "/api/v1/task-requests/{tr_review}/assignments",
            ["hexi_official"],
            ["nankai_official", "resident", "hexi_health", "hexi_justice"],
        )
    ],
    "DELETE /api/v1/task-requests/{pk}/assignments/{assignment_id}": [
        api(
            "delete",
            "/api/v1/task-requests/{tr_review}/assignments/{tr_assignment}",
            ["hexi_official"],
            ["nankai_official", "resident", "hexi_health", "hexi_justice"],
        )
    ],
    "POST /api/v1/complaints/{tracking_code}/rating": [
        api_public("post", "/api/v1/complaints/{tracking_code}/rating", ok=(400, 409, 422), data={})
    ],
    "POST /api/v1/complaints/{tracking_code}/reopen": [
        api_public("post", "/api/v1/complaints/{tracking_code}/reopen", ok=(400, 409, 422), data={})
    ],
    "POST /api/v1/appeals": [
        api(
            "post",
            "/api/v1/appeals",
            ["resident"],
            ["community_staff", "hexi_official"],
            data={"category": "environment", "text": ""},
        )
    ],
    "GET /api/v1/appeals": [api("get", "/api/v1/appeals", ["resident", "community_staff"])],
    "GET /api/v1/appeals/{appeal_id}": [
        api(
            "get",
            "/api/v1/appeals/{appeal}",
            ["resident", "community_staff"],
            ["resident2", "community_staff2", "nankai_official"],
        )
    ],
    "POST /api/v1/appeals/{appeal_id}/answer": [
        api(
            "post",
            "/api/v1/appeals/{appeal}/answer",
            ["community_staff"],
            ["resident2", "community_staff2", "nankai_official"],
            data={"answer": ""},
        )
    ],
    "POST /api/v1/appeals/{appeal_id}/rating": [
        api(
            "post",
            "/api/v1/appeals/{appeal}/rating",
            ["resident"],
            ["resident2", "community_staff2", "nankai_official"],
            data={"score": 0},
        )
    ],
    # --- reports -----------------------------------------------------------------------------------------
    "reports/": [
        get("/reports/", ["city_admin", "hexi_official"], ["resident", "hexi_health", "community_staff"])
    ],
    "reports/export.xlsx": [
        get("/reports/export.xlsx", ["city_admin", "hexi_official"], ["resident", "hexi_health"])
    ],
    "reports/order/": [
        post(
            "/reports/order/", ["hexi_official"], ["resident", "hexi_health", "nankai_official"], data=REPORT
        )
    ],
    "reports/list/": [logged_in("/reports/list/")],
    "reports/baseline/": [
        post(
            "/reports/baseline/",
            ["hexi_official"],
            ["resident", "hexi_health", "nankai_official"],
            data={"district": "120103", "count": "40"},
        )
    ],
    "reports/registers/<slug:kind>/": [
        get("/reports/registers/admission/", ["city_admin", "hexi_official"], ["resident", "hexi_health"])
    ],
    "reports/public/": [public("/reports/public/")],
    "reports/public/<str:code>/": [public("/reports/public/120103/")],
    "POST /api/v1/reports": [
        api(
            "post",
            "/api/v1/reports",
            ["hexi_official"],
            ["resident", "hexi_health", "nankai_official"],
            data=REPORT,
        )
    ],
    "GET /api/v1/reports/{report_id}": [
        api(
            "get",
            "/api/v1/reports/{report}",
            ["hexi_official", "city_admin"],
            ["nankai_official", "resident"],
        )
    ],
    "GET /api/v1/reports/{report_id}/download": [
        api("get", "/api/v1/reports/{report}/download", ["hexi_official"], ["nankai_official", "resident"])
    ],
    # --- the core API ------------------------------------------------------------------------------------
    "POST /api/v1/auth/token": [api_public("post", "/api/v1/auth/token", ok=(400, 401, 422), data={})],
    "GET /api/v1/me": [api("get", "/api/v1/me", EVERYONE)],
    "GET /api/v1/orgs": [api_public("get", "/api/v1/orgs")],
    "GET /api/v1/jobs/{job_id}": [
        api("get", "/api/v1/jobs/{job}", ["hexi_health"], ["nankai_official", "resident"])
    ],
}

ADMIN_PREFIX = "admin/"


def routes() -> list[str]:
    return [r for r in page_routes() if not r.startswith(ADMIN_PREFIX)] + api_operations()


def test_every_route_has_a_permission_case():
    """A page or API operation without a case in CASES fails here, and so does a case of a removed route."""
    known = routes()
    missing = [r for r in known if r not in CASES]
    stale = [r for r in CASES if r not in known]
    assert not missing, "routes without a permission-matrix case (add them to CASES):\n  " + "\n  ".join(
        missing
    )
    assert not stale, "cases of routes that no longer exist:\n  " + "\n  ".join(stale)
    assert all(CASES[r] for r in known)
    for route, cases in CASES.items():
        for case in cases:
            assert case.anonymous == PUBLIC or case.denied or case.anonymous in (LOGIN, 401), route


def world(users) -> dict:
    """The demo objects the cases point at, plus the few the demo does not have."""
    from django.core.files.base import ContentFile

    from admission import services as admission_services
    from admission.models import TaskRequest
    from certificates.models import BarredCertificate, CertificateApplication, CertificateType
    from checklists.models import LedgerEntry, OrganisationEntry, PlaqueRecord
    from evaluations import services as evaluation_services
    from evaluations.models import AppraisalEntry, Assessment, Cycle, Rectification, Scheme
    from evaluations.schemas import EvidenceSchema
    from portal.models import Job, Notification
    from portal.services.notifications import notify
    from supervision import schemas as sv
    from supervision import services as supervision_services
    from supervision.models import Appeal, Complaint, Criticism
    from supervision.models import Rectification as SupervisionRectification
    from taskcheck.services import check_input, refusal_record
    from tests.support.files import pdf_bytes, upload

    health = users["hexi_health"]
    job = Job.objects.create(
        kind="export", title="河西区报表", requested_by=health, org=health.roles.first().org, status="done"
    )
    job.file.save("报表.csv", ContentFile(b"a,b\n1,2\n"))
    report = Job.objects.create(
        kind="reports.burden",
        title="河西区减负成效",
        requested_by=users["hexi_official"],
        org=users["hexi_official"].roles.first().org,
        status="done",
    )
    report.file.save("report.pdf", ContentFile(pdf_bytes()))
    notify(users=[users["resident"]], kind="test", title="测试通知", url="/dashboard/")
    refusal = refusal_record(
        actor=users["community_staff"],
        data=check_input(
            community="120103001001", title="请各社区完成本季度招商引资任务", department="河西区商务局"
        ),
    )
    draft = TaskRequest.objects.get(status="draft", created_by=health)
    attachment = admission_services.attachment_add(
        actor=health, request_id=draft.pk, upload=upload("方案.pdf", pdf_bytes(), "application/pdf")
    )
    issued = CertificateApplication.objects.get(status="issued")
    mine = Assessment.objects.get(cycle__year=2026, community__code="120103001001")
    evidence = evaluation_services.assessment_evidence_add(
        actor=users["community_staff"],
        assessment_id=mine.pk,
        data=EvidenceSchema.parse({"title": "居民会议记录"}),
        upload=upload("会议记录.pdf", pdf_bytes(), "application/pdf"),
    )
    draft_scheme = evaluation_services.scheme_copy(
        actor=users["city_admin"], scheme_id=Scheme.objects.get(year=2026).pk
    )
    complaint = Complaint.objects.get(status="investigating", community__code="120103001001")
    supervision_services.complaint_note(
        actor=users["hexi_official"],
        complaint_id=complaint.pk,
        data=sv.NoteSchema.parse({"comment": "现场核实。"}),
        files=[upload("核实记录.pdf", pdf_bytes(), "application/pdf")],
    )
    to_state = Complaint.objects.filter(status="submitted", department__name="河西区卫生健康委员会").first()
    supervision_services.complaint_accept(actor=users["hexi_official"], complaint_id=to_state.pk)
    supervision_services.complaint_request_statement(
        actor=users["hexi_official"],
        complaint_id=to_state.pk,
        data=sv.StatementRequestSchema.parse({"summary": "请说明入户统计任务的依据。"}),
    )
    from admission.tasks import render_notice
    from certificates.tasks import render_certificate_pdf
    from supervision.tasks import render_criticism

    render_notice(TaskRequest.objects.get(status="approved").pk)
    render_certificate_pdf(issued.certificate.pk)
    for criticism in Criticism.objects.all():
        render_criticism(criticism.pk)
    from django.utils import timezone

    from portal.models.assignments import Delegation

    delegation = Delegation.objects.create(
        from_user=users["community_staff"],
        to_user=users["community_staff2"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        created_by=users["community_staff"],
    )
    plaque = PlaqueRecord.objects.select_related("community").first()
    from portal.services import assignments
    from supervision.assignments import VERIFIER_ACTIONS

    tr_review = TaskRequest.objects.filter(status="review", created_by=health).first()
    # assignments the DELETE cases end (the demo's own — street_staff's, hexi_justice's — stay for the GETs)
    complaint_extra = assignments.assign(
        actor=users["hexi_official"],
        obj=complaint,
        assignee=users["community_staff2"],
        actions=VERIFIER_ACTIONS,
    )
    tr_extra = assignments.assign(
        actor=users["hexi_official"],
        obj=tr_review,
        assignee=users["street_staff"],
        actions=assignments.rule_for(TaskRequest).actions,
    )
    return {
        "complaint_assignment": complaint_extra.pk,
        "tr_assignment": tr_extra.pk,
        "delegation": delegation.pk,
        "job": job.pk,
        "report": report.pk,
        "note": Notification.objects.filter(user=users["resident"]).latest("pk").pk,
        "refusal": refusal.pk,
        "refusal_code": refusal.verify_code,
        "tr_draft": draft.pk,
        "tr_attachment": attachment.pk,
        "tr_review": tr_review.pk,
        "tr_consult": TaskRequest.objects.get(status="consultation").pk,
        "tr_approved": TaskRequest.objects.get(status="approved").pk,
        "admission_no": TaskRequest.objects.get(status="approved").admission_no,
        "cert_issued": issued.pk,
        "cert_submitted": CertificateApplication.objects.get(status="submitted").pk,
        "cert_attachment": issued.attachments.first().pk,
        "cert_code": issued.certificate.verify_code,
        "cert_type": CertificateType.objects.first().pk,
        "barred": BarredCertificate.objects.first().pk,
        "ledger": LedgerEntry.objects.filter(district__code="120103").first().pk,
        "organisation": OrganisationEntry.objects.filter(org__code="120000").first().pk,
        "plaque": plaque.pk,
        "plaque_community": plaque.community.code,
        "assessment": mine.pk,
        "eval_evidence": evidence.pk,
        "appraisal": AppraisalEntry.objects.first().pk,
        "cycle": Cycle.objects.get(year=2026).pk,
        "scheme": Scheme.objects.get(year=2026).pk,
        "draft_scheme": draft_scheme.pk,
        "eval_rect": Rectification.objects.get(status="in_progress").pk,
        "complaint": complaint.pk,
        "sup_evidence": complaint.evidence.first().pk,
        "tracking_code": complaint.tracking_code,
        "statement_complaint": to_state.pk,
        "criticism": Criticism.objects.first().pk,
        "notice_code": Criticism.objects.first().public_code,
        "sup_rect": SupervisionRectification.objects.get(status="ordered").pk,
        "appeal": Appeal.objects.get(status="open").pk,
    }


def test_every_case_of_the_matrix_holds(demo_full, users):
    """Runs every case (one demo for all of them) and reports every route whose rule does not hold."""
    w = world(users)
    problems = []
    for route, cases in CASES.items():
        for case in cases:
            access = case.access(w, api=route.split(" ", 1)[0] in {"GET", "POST", "PUT", "PATCH", "DELETE"})
            try:
                check_matrix(access, allowed=case.allowed, denied=case.denied, anonymous=case.anonymous)
            except AssertionError as exc:
                problems.append(f"{route}: {exc}")
    assert not problems, f"{len(problems)} routes break their rule:\n" + "\n".join(problems)


def test_the_admin_is_for_staff_only(demo):
    """The Django admin keeps its own guard, walked model by model: anonymous callers and accounts without
    staff status are sent to its login page; the superuser gets in."""
    from django.contrib import admin
    from django.urls import reverse

    from tests.support.permissions import call

    paths = ["/admin/"] + [
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in admin.site._registry
    ]
    problems = []
    for path in paths:
        for username in (None, "resident", "hexi_official", "community_staff"):
            r = call(Access(url=path), username)
            if not (r.status_code == 302 and "/admin/login/" in r.get("Location", "")):
                problems.append(f"{path} as {username}: {r.status_code}")
        r = call(Access(url=path), "admin")
        if r.status_code != 200:
            problems.append(f"{path} as the superuser: {r.status_code}")
    assert not problems, "\n".join(problems)
