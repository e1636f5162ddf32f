"""Login (with lockout), two-factor verification and setup, logout, password change, resident registration."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit import audit
from portal.errors import DomainError
from portal.forms import LoginForm, MobileCodeForm, OtpForm, RegisterForm, form_errors_from
from portal.services import accounts


def _next_url(request, default="portal:dashboard"):
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """Shown by django-axes once a login is refused: says what is locked (this account from this address, or
    the address) and until when (JSON for the API)."""
    from portal.lockout import lock_message

    if isinstance(original_response, dict) and credentials is None:  # axes' older two-argument call
        credentials = original_response
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    message = lock_message(request, username)
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {"error": {"code": "locked", "message": message, "fields": {}}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    html = render_to_string("portal/locked.html", {"message": message}, request=request)
    return HttpResponse(html, status=429)


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"].strip(), password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error(
                None, _("用户名或密码错误。同一账号在同一网络地址连续失败 5 次，将暂停从该地址登录 30 分钟。")
            )
        else:
            login(request, user)
            if user.is_portal_staff and accounts.user_has_totp(user=user):
                return redirect(f"/accounts/otp/?next={_next_url(request, '/dashboard/')}")
            return redirect(_next_url(request))
    return render(request, "portal/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_http_methods(["POST"])
def logout_view(request):
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("portal:home")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    from django_otp import login as otp_login
    from django_otp import match_token

    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is None:
            audit("otp_failed", obj=request.user, result="failed")
            form.add_error("token", "验证码不正确或已过期。")
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "portal/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    from django_otp import login as otp_login

    from portal.pdf import qr_svg

    device = accounts.totp_device_for_setup(user=request.user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if accounts.totp_confirm(user=request.user, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, "两步验证已开启。")
            return redirect("portal:dashboard")
        form.add_error("token", "验证码不正确，请确认手机时间准确后重试。")
    return render(
        request,
        "portal/otp_setup.html",
        {"form": form, "qr": qr_svg(device.config_url, scale=5), "secret": device.bin_key.hex()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit("password_change", obj=user)
        messages.success(request, "密码已修改。")
        return redirect("portal:dashboard")
    return render(request, "portal/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Brakes on self-registration without an outside CAPTCHA: a few accounts per address and hour.
            from portal.api.kit import throttle

            throttle(
                request,
                scope="resident_register",
                limit=settings.JIANFU_REGISTER_PER_ADDRESS_PER_HOUR,
                window_seconds=3600,
            )
            user = accounts.resident_register(
                mobile=form.cleaned_data["mobile"],
                real_name=form.cleaned_data["real_name"],
                password=form.cleaned_data["password"],
                community_code=form.cleaned_data["community"],
            )
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            try:
                accounts.mobile_code_send(user=user)
            except DomainError as exc:  # the account exists; the code can be asked for again on the next page
                messages.warning(request, exc.message)
            else:
                messages.success(
                    request,
                    f"注册成功。验证码已发送至 {accounts.mask_mobile(user.mobile)}，请输入验证码完成手机号验证。",
                )
            return redirect("portal:verify_mobile")
    return render(request, "portal/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def verify_mobile(request):
    """A resident confirms the mobile number with the SMS code (and may ask for a new one)."""
    user = request.user
    if user.mobile_verified_at or user.is_portal_staff:
        if user.mobile_verified_at:
            messages.info(request, "您的手机号已验证。")
        return redirect(_next_url(request))
    form = MobileCodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        form = MobileCodeForm()
        form.full_clean()  # an empty form that can carry the error of the resend
        form.cleaned_data = {}
        try:
            from portal.api.kit import throttle

            throttle(
                request,
                scope="mobile_code",
                limit=settings.JIANFU_MOBILE_CODE_PER_HOUR * 2,
                window_seconds=3600,
            )
            accounts.mobile_code_send(user=user)
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"验证码已发送至 {accounts.mask_mobile(user.mobile)}。")
            return redirect(request.get_full_path())
    elif request.method == "POST" and form.is_valid():
        try:
            accounts.mobile_verify(user=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "手机号已验证，现在可以在线提交申请了。")
            return redirect(_next_url(request))
    return render(
        request,
        "portal/verify_mobile.html",
        {"form": form, "mobile": accounts.mask_mobile(user.mobile), "next": request.GET.get("next", "")},
    )
