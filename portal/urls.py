"""URL configuration: the core pages, each app's pages, the admin and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal.api.root import api
from portal.views import auth, delegations, pages, prefs
from portal.views import verify as verify_views

app_name = "portal"

portal_patterns = [
    path("", pages.home, name="home"),
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/otp/", auth.otp_verify, name="otp_verify"),
    path("accounts/otp/setup/", auth.otp_setup, name="otp_setup"),
    path("accounts/password/", auth.password_change, name="password_change"),
    path("accounts/assigned/", delegations.assigned_list, name="assigned"),
    path("accounts/delegations/", delegations.delegation_list, name="delegations"),
    path("accounts/delegations/<int:pk>/end/", delegations.delegation_end, name="delegation_end"),
    path("accounts/register/", auth.register, name="register"),
    path("accounts/verify-mobile/", auth.verify_mobile, name="verify_mobile"),
    path("dashboard/", pages.dashboard_view, name="dashboard"),
    path("inbox/", pages.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", pages.inbox_open, name="inbox_open"),
    path("audit/", pages.audit_list, name="audit_list"),
    path("audit/export.csv", pages.audit_export, name="audit_export"),
    path("jobs/<uuid:pk>/", pages.job_page, name="job"),
    path("jobs/<uuid:pk>/status/", pages.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", pages.job_download, name="job_download"),
    path("manage/accounts/", pages.staff_accounts, name="staff_accounts"),
    path("manage/orgs/import/", pages.org_import_view, name="org_import"),
    path("prefs/elder/", prefs.elder_toggle, name="elder_toggle"),
    path("verify/", verify_views.verify_lookup, name="verify"),
    path("verify/<str:code>/", verify_views.verify_short, name="verify_short"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("lists/", include("checklists.urls")),
    path("check/", include("taskcheck.urls")),
    path("admission/", include("admission.urls")),
    path("certificates/", include("certificates.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("supervision/", include("supervision.urls")),
    path("reports/", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path(f"{getattr(settings, 'JIANFU_ADMIN_PATH', 'admin')}/", admin.site.urls),
]

handler400 = "portal.views.errors.bad_request"
handler403 = "portal.views.errors.permission_denied"
handler404 = "portal.views.errors.page_not_found"
handler500 = "portal.views.errors.server_error"
