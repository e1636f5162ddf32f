"""Security baseline: lockout, password rules, session limits, two-factor login, CSP, no-store, CSRF."""

import time

import pytest
from django.test import Client

from portal.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from portal.models import User

PASSWORD = "jianfu-demo-2026"


def _login_post(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_failures_lock_the_account_from_that_address_for_thirty_minutes(users):
    from axes.models import AccessAttempt, AccessFailureLog

    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(4):
        r = _login_post(client, "community_staff", "wrong-password")
        assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()
    r = _login_post(client, "community_staff", "wrong-password")
    assert r.status_code == 429
    # Locked from this address now: even the right password is refused here, and the message says what is
    # locked and until when.
    r = _login_post(client, "community_staff", PASSWORD)
    page = r.content.decode()
    assert r.status_code == 429 and "community_staff" in page and "后可再试" in page
    assert "其他账号不受影响" in page
    assert AccessFailureLog.objects.filter(username="community_staff").count() >= 5
    assert AccessAttempt.objects.filter(username="community_staff").exists()


def test_lockout_expires_after_thirty_minutes(users, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    client = Client(REMOTE_ADDR="10.0.0.3")
    for _ in range(5):
        _login_post(client, "street_staff", "nope-nope-nope")
    assert _login_post(client, "street_staff", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    r = _login_post(client, "street_staff", PASSWORD)
    assert r.status_code == 302 and r["Location"].endswith("/dashboard/")


def test_every_login_attempt_is_audited(users):
    from portal.models import AuditEntry

    client = Client(REMOTE_ADDR="10.0.0.5")
    _login_post(client, "resident", "bad-password-1")
    _login_post(client, "resident", PASSWORD)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "result"))
    assert ("login_failed", "failed") in actions
    assert ("login", "ok") in actions


def test_api_token_locks_like_the_login_page(api):
    anon = api()
    for _ in range(5):
        r = anon.post("/api/v1/auth/token", {"username": "hexi_health", "password": "wrong"})
    assert r.status_code == 429
    assert "hexi_health" in r.json()["error"]["message"] and "后可再试" in r.json()["error"]["message"]
    r = anon.post("/api/v1/auth/token", {"username": "hexi_health", "password": PASSWORD})
    assert r.status_code == 429


def test_base_settings_hash_with_argon2():
    from portal.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    ("staff", "password", "ok"),
    [
        (True, "short-pass1", False),  # 11 characters: too short for staff
        (True, "long-enough-pass", True),
        (False, "abcd-123", True),  # 8 characters: enough for a resident
        (False, "abc-123", False),
        (True, "password1234", False),  # common
        (False, "12345678901", False),  # numeric
    ],
)
def test_password_rules(db, staff, password, ok):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from portal.models import User

    user = User(username="someone-new", real_name="测试")
    user._jianfu_is_staff_hint = staff
    if ok:
        validate_password(password, user=user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user=user)


def _session_client(username):
    from portal.models import User

    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def _age_session(client, *, idle=0, since_login=0):
    session = client.session
    now = int(time.time())
    session[SESSION_LOGIN_AT] = now - since_login
    session[SESSION_SEEN_AT] = now - idle
    session.save()


def test_staff_session_ends_after_thirty_minutes_idle(users):
    client = _session_client("community_staff")
    _age_session(client, idle=29 * 60)
    assert client.get("/dashboard/").status_code == 200
    _age_session(client, idle=31 * 60)
    r = client.get("/dashboard/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get("/dashboard/").status_code == 302  # really logged out


def test_resident_is_not_cut_after_thirty_minutes_but_every_session_ends_after_twelve_hours(users):
    client = _session_client("resident")
    _age_session(client, idle=45 * 60, since_login=60 * 60)
    assert client.get("/dashboard/").status_code == 200
    staff = _session_client("hexi_official")
    _age_session(staff, idle=60, since_login=12 * 3600 + 60)
    assert staff.get("/dashboard/").status_code == 302


def test_a_page_view_within_the_limits_does_not_write_the_session(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _session_client("hexi_official")
    _age_session(client, idle=5)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/").status_code == 200
    assert not [
        q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]
    _age_session(client, idle=40)  # the idle clock is moved on at most every 30 seconds
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/").status_code == 200
    assert [
        q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]
    assert int(time.time()) - client.session[SESSION_SEEN_AT] < 5


def _totp_for(user):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device, lambda: f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_with_a_totp_device_must_enter_the_code(users):
    device, code = _totp_for(users["hexi_approver"])
    client = Client()
    r = _login_post(client, "hexi_approver", PASSWORD)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")
    r = client.get("/dashboard/")
    assert r.status_code == 302 and "/accounts/otp/" in r["Location"]
    r = client.post("/accounts/otp/", {"token": "000000" if code() != "000000" else "111111"})
    assert "验证码不正确" in r.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a failure
    r = client.post("/accounts/otp/", {"token": code(), "next": "/dashboard/"})
    assert r.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_api_token_needs_the_totp_code_when_the_user_has_a_device(users, api):
    _, code = _totp_for(users["hexi_approver"])
    anon = api()
    r = anon.post("/api/v1/auth/token", {"username": "hexi_approver", "password": PASSWORD})
    assert r.status_code == 401 and r.json()["error"]["code"] == "otp_required"
    r = anon.post("/api/v1/auth/token", {"username": "hexi_approver", "password": PASSWORD, "otp": code()})
    assert r.status_code == 200


def test_two_factor_is_required_for_staff_under_production_policy(users, settings):
    settings.JIANFU_REQUIRE_2FA = True
    client = _session_client("street_staff")
    r = client.get("/dashboard/")
    assert r.status_code == 302 and r["Location"] == "/accounts/otp/setup/"
    page = client.get("/accounts/otp/setup/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    # Residents are not forced.
    assert _session_client("resident").get("/dashboard/").status_code == 200


def test_strict_content_security_policy_and_no_store(users):
    r = Client().get("/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r["X-Frame-Options"] == "DENY"
    r = _session_client("resident").get("/dashboard/")
    assert "no-store" in r["Cache-Control"]


def test_csrf_is_enforced_on_login_and_forms(users):
    client = Client(enforce_csrf_checks=True)
    r = client.post("/accounts/login/", {"username": "resident", "password": PASSWORD})
    assert r.status_code == 403
    r = client.get("/accounts/login/")
    token = r.cookies["csrftoken"].value
    r = client.post(
        "/accounts/login/", {"username": "resident", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert r.status_code == 302


def test_api_session_auth_needs_csrf_for_unsafe_methods(users):
    import json

    from portal.models import User
    from taskcheck.models import Refusal

    client = Client(enforce_csrf_checks=True)
    client.force_login(
        User.objects.get(username="community_staff"), backend="django.contrib.auth.backends.ModelBackend"
    )
    assert client.get("/api/v1/me").status_code == 200
    body = json.dumps({"community": "120103001001", "title": "未经准入的入户摸底调查", "description": "入户"})
    # A POST with the session cookie but without the CSRF token (what a hostile page would send) is refused.
    r = client.post("/api/v1/refusals", body, content_type="application/json")
    assert r.status_code in (401, 403)
    assert not Refusal.objects.exists()
    # With the token from the cookie, the same POST goes through.
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    r = client.post("/api/v1/refusals", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201, r.content.decode()
    assert Refusal.objects.count() == 1


# -- Two-factor login cannot be skipped through the API (issue 13, point 1) ------------------------------


def test_a_password_only_session_does_not_reach_the_api_when_the_user_has_a_device(users):
    device, code = _totp_for(users["hexi_approver"])
    client = Client()
    _login_post(client, "hexi_approver", PASSWORD)
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["error"]["code"]
    r = client.get("/api/v1/task-requests")
    assert r.status_code == 401
    client.post("/accounts/otp/", {"token": code(), "next": "/dashboard/"})
    r = client.get("/api/v1/me")
    assert r.status_code == 200 and r.json()["username"] == "hexi_approver"


def test_a_password_only_staff_session_does_not_reach_the_api_where_two_factor_is_required(users, settings):
    settings.JIANFU_REQUIRE_2FA = True
    staff = _session_client("community_staff")
    assert staff.get("/api/v1/me").status_code == 401
    assert staff.get("/api/v1/certificate-applications/1").status_code == 401
    # A resident's session is a full login: residents are not asked for a second factor.
    resident = _session_client("resident")
    assert resident.get("/api/v1/me").status_code == 200


def test_a_superuser_logged_in_at_the_admin_login_does_not_reach_the_api_without_the_code(users, settings):
    from django.conf import settings as live

    settings.JIANFU_REQUIRE_2FA = True
    client = Client()
    admin_path = getattr(live, "JIANFU_ADMIN_PATH", "admin")
    r = client.post(
        f"/{admin_path}/login/", {"username": "admin", "password": PASSWORD, "next": f"/{admin_path}/"}
    )
    assert r.status_code == 302  # the password was right
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/certificate-applications/1").status_code == 401
    assert client.get("/api/v1/task-requests").status_code == 401


def test_a_device_set_up_after_the_roles_were_cached_is_asked_for_at_once(users):
    """ "Has a confirmed TOTP device" is cached with the account's roles (portal.scope): confirming a device
    increments the account's access_stamp, so the very next login asks for the code — a cached "no device"
    must never let a staff member past two-factor login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.scope import has_confirmed_totp
    from portal.services.accounts import session_second_factor_missing

    approver = User.objects.get(pk=users["hexi_approver"].pk)
    assert not has_confirmed_totp(approver)  # cached now: no device
    client = Client()
    assert _login_post(client, "hexi_approver", PASSWORD).status_code == 302
    assert client.get("/dashboard/").status_code == 200  # the roles are in the cache
    device = TOTPDevice.objects.create(user=approver, name="手机", confirmed=False)
    device.confirmed = True
    device.save()
    fresh = User.objects.get(pk=approver.pk)  # what the next request loads
    assert has_confirmed_totp(fresh) and session_second_factor_missing(user=fresh) == "verify"
    again = Client()
    r = _login_post(again, "hexi_approver", PASSWORD)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")
    r = again.get("/dashboard/")
    assert r.status_code == 302 and "/accounts/otp/" in r["Location"]
    device.delete()  # and a removed device no longer asks
    assert not has_confirmed_totp(User.objects.get(pk=approver.pk))
