"""Accounts: resident self-registration, staff accounts created inside an official's scope, roles, TOTP."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.audit import audit
from portal.choices import GRANTABLE_ROLES, ROLE_LEVEL, STAFF_ROLES, OrgLevel, Role
from portal.errors import DomainError, PermissionDeniedError, ThrottledError
from portal.models import Department, MobileCode, OrgUnit, RoleAssignment, User
from portal.scope import forget_grants, grants_for, has_confirmed_totp

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
NAME_RE = re.compile(r"^[\u4e00-\u9fa5·]{2,20}$|^[A-Za-z][A-Za-z .'-]{1,49}$")


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise DomainError(
            "；".join(exc.messages), code="weak_password", fields={"password": "；".join(exc.messages)}
        )


def resident_register(*, mobile: str, real_name: str, password: str, community_code: str) -> User:
    """A resident registers with mobile number, real name and password and binds to a community."""
    mobile = (mobile or "").strip()
    real_name = (real_name or "").strip()
    fields = {}
    if not MOBILE_RE.match(mobile):
        fields["mobile"] = "请输入11位中国大陆手机号码。"
    if not NAME_RE.match(real_name):
        fields["real_name"] = "请输入真实姓名（2至20个汉字）。"
    community = OrgUnit.objects.filter(code=(community_code or "").strip(), level=OrgLevel.COMMUNITY).first()
    if community is None:
        fields["community"] = "请选择所在社区。"
    if fields:
        raise DomainError("注册信息有误，请检查标出的项目。", fields=fields)
    if User.objects.filter(username=mobile).exists():
        raise DomainError(
            "该手机号已注册，请直接登录。", code="duplicate", fields={"mobile": "该手机号已注册。"}
        )
    user = User(username=mobile, mobile=mobile, real_name=real_name)  # mobile not yet verified
    user._jianfu_is_staff_hint = False
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.RESIDENT, org=community)
        audit("resident_register", obj=user, actor=user, org=community, after={"community": community.code})
    return user


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile or "") == 11 else mobile


def _code_hash(*, user: User, mobile: str, code: str) -> str:
    key = hashlib.sha256(b"jianfu-mobile-code:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{user.pk}:{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def mobile_code_send(*, user: User) -> MobileCode:
    """Send a one-time code by SMS to the user's mobile number (throttled; the previous code stops working)."""
    from portal.sms import send_sms

    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("请先登录。")
    if user.mobile_verified_at:
        raise DomainError("您的手机号已验证，无需再获取验证码。", code="already_verified")
    mobile = user.mobile or ""
    if not MOBILE_RE.match(mobile):
        raise DomainError("账号没有有效的手机号，请联系社区工作人员。", code="no_mobile")
    now = timezone.now()
    ttl = settings.JIANFU_MOBILE_CODE_TTL_SECONDS
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one sender at a time per account
        recent = MobileCode.objects.filter(user=user, created_at__gte=now - timedelta(hours=1))
        last = recent.order_by("-created_at").first()
        wait = settings.JIANFU_MOBILE_CODE_RESEND_SECONDS
        if last and (now - last.created_at).total_seconds() < wait:
            left = max(1, int(wait - (now - last.created_at).total_seconds()))
            raise ThrottledError(f"验证码已发送，请 {left} 秒后再重新获取。", code="throttled")
        if recent.count() >= settings.JIANFU_MOBILE_CODE_PER_HOUR:
            raise ThrottledError("获取验证码次数过多，请一小时后再试。", code="throttled")
        MobileCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        code = f"{secrets.randbelow(10**6):06d}"
        row = MobileCode.objects.create(
            user=user,
            mobile=mobile,
            code_hash=_code_hash(user=user, mobile=mobile, code=code),
            expires_at=now + timedelta(seconds=ttl),
        )
        audit("mobile_code_send", obj=user, actor=user, after={"mobile": mask_mobile(mobile)})
        try:
            send_sms(
                mobile=mobile,
                text=f"【社区减负平台】您的验证码是 {code}，{ttl // 60} 分钟内有效。如非本人操作，请忽略。",
            )
        except Exception:
            raise DomainError("短信发送失败，请稍后再试。", code="sms_failed", status=503)
    return row


def mobile_verify(*, user: User, code: str) -> User:
    """Confirm the mobile number with the code from the SMS; the account can then submit applications."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("请先登录。")
    if user.mobile_verified_at:
        return user
    code = (code or "").strip()
    if not re.fullmatch(r"\d{6}", code):
        raise DomainError("请输入短信中的 6 位数字验证码。", fields={"code": "请输入 6 位数字。"})
    now = timezone.now()
    maximum = settings.JIANFU_MOBILE_CODE_MAX_ATTEMPTS
    with transaction.atomic():
        row = (
            MobileCode.objects.select_for_update()
            .filter(user=user, mobile=user.mobile, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.expires_at <= now:
            raise DomainError(
                "验证码已失效，请重新获取。", code="code_expired", fields={"code": "验证码已失效。"}
            )
        if row.attempts >= maximum:
            raise DomainError(
                "验证码错误次数过多，请重新获取。", code="code_locked", fields={"code": "请重新获取验证码。"}
            )
        right = hmac.compare_digest(row.code_hash, _code_hash(user=user, mobile=user.mobile, code=code))
        if right:
            row.used_at = now
            row.save(update_fields=["used_at"])
            before = {"mobile_verified_at": None}
            user.mobile_verified_at = now
            user.save(update_fields=["mobile_verified_at"])
            audit(
                "mobile_verified",
                obj=user,
                actor=user,
                before=before,
                after={"mobile": mask_mobile(user.mobile), "mobile_verified_at": now.isoformat()},
            )
            return user
        row.attempts += 1
        row.save(update_fields=["attempts"])
        audit(
            "mobile_verify_failed", obj=user, actor=user, result="denied", detail=f"第 {row.attempts} 次错误"
        )
        left = maximum - row.attempts
    message = f"验证码不正确，还可尝试 {left} 次。" if left > 0 else "验证码错误次数过多，请重新获取。"
    raise DomainError(message, code="code_wrong", fields={"code": message})


def require_verified_contact(user) -> None:
    """Residents submit applications only once their mobile number is confirmed (staff are not asked)."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser or user.mobile_verified_at:
        return
    if user.is_portal_staff:
        return
    raise PermissionDeniedError(
        "请先验证手机号：在“验证手机号”页面输入短信验证码后，即可在线提交申请。", code="mobile_unverified"
    )


def _granter_can_grant(granter: User, role: str, org: OrgUnit) -> bool:
    if granter.is_superuser:
        return True
    for g in grants_for(granter, GRANTABLE_ROLES.keys()):
        if role in GRANTABLE_ROLES.get(g.role, ()) and org.path.startswith(g.org_path):
            return True
    return False


def role_grant(
    *, granter: User, user: User, role: str, org: OrgUnit, department: Department | None = None
) -> RoleAssignment:
    """Give ``user`` a role at ``org``: only inside the granter's scope, never above the granter's own role."""
    if role not in Role.values:
        raise DomainError("未知角色。", fields={"role": "未知角色。"})
    if role == Role.DEPARTMENT_STAFF:
        if department is None:
            raise DomainError("部门工作人员必须指定部门。", fields={"department": "请选择部门。"})
        org = department.org
    expected_level = ROLE_LEVEL[Role(role)]
    if expected_level is not None and org.level != expected_level:
        raise DomainError(
            f"“{Role(role).label}”只能设在{OrgLevel(expected_level).label}级。", fields={"org": "层级不符。"}
        )
    if not _granter_can_grant(granter, role, org):
        audit(
            "denied:role_grant",
            obj=user,
            actor=granter,
            result="denied",
            org=org,
            detail=f"无权授予 {role} @ {org.code}",
        )
        raise PermissionDeniedError("您无权在该范围授予此角色。", code="forbidden")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, org=org, department=department, defaults={"granted_by": granter}
    )
    if created:
        audit(
            "role_grant",
            obj=user,
            actor=granter,
            org=org,
            after={"role": role, "org": org.code, "department": department.code if department else None},
        )
    forget_grants(user)
    return assignment


def staff_create(
    *,
    granter: User,
    username: str,
    real_name: str,
    password: str,
    role: str,
    org: OrgUnit,
    department: Department | None = None,
    email: str = "",
    mobile: str = "",
) -> User:
    """Create a staff account with one role, inside the granter's scope."""
    if role not in STAFF_ROLES:
        raise DomainError("只能创建工作人员账号。", fields={"role": "请选择工作人员角色。"})
    if not re.match(r"^[A-Za-z0-9_.@-]{3,150}$", username or ""):
        raise DomainError(
            "用户名只能包含字母、数字和 _ . @ -，3 至 150 个字符。", fields={"username": "用户名格式不正确。"}
        )
    if User.objects.filter(username=username).exists():
        raise DomainError("该用户名已存在。", code="duplicate", fields={"username": "该用户名已存在。"})
    if not _granter_can_grant(granter, role, department.org if department else org):
        raise PermissionDeniedError("您无权在该范围创建此角色的账号。")
    user = User(username=username, real_name=real_name, email=email, mobile=mobile)
    user._jianfu_is_staff_hint = True
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        audit("staff_create", obj=user, actor=granter, org=org, after={"username": username, "role": role})
        role_grant(granter=granter, user=user, role=role, org=org, department=department)
    return user


def user_has_totp(*, user: User) -> bool:
    """Whether a confirmed TOTP device guards the account (read with the account's roles, see
    ``portal.scope.has_confirmed_totp``)."""
    return has_confirmed_totp(user)


def session_second_factor_missing(*, user) -> str | None:
    """Why a logged-in browser session does not yet count as a full login, or None when it does.

    The one rule for pages and the API alike: staff (superusers included) who have a TOTP device, and every
    staff member where production requires two-factor login, count only once the session's second factor is
    verified. ``"verify"`` means a code must be confirmed; ``"setup"`` means a device must be set up first.
    """
    if not user.is_authenticated or not user.is_portal_staff:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if user_has_totp(user=user):
        return "verify"
    if settings.JIANFU_REQUIRE_2FA:
        return "setup"
    return None


def totp_device_for_setup(*, user: User):
    """The unconfirmed TOTP device being set up (created on first call)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def totp_confirm(*, user: User, token: str) -> bool:
    device = totp_device_for_setup(user=user)
    if device.verify_token((token or "").strip()):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        forget_grants(user)  # the account's cached "has a device" goes with its roles
        audit("totp_enabled", obj=user, actor=user)
        return True
    return False
