"""Password rules: staff ≥ 12 characters, residents ≥ 8 (common and all-numeric passwords are refused
by Django's validators configured beside this one)."""

from django.core.exceptions import ValidationError


class RoleMinimumLengthValidator:
    STAFF_MIN = 12
    RESIDENT_MIN = 8

    def validate(self, password, user=None):
        minimum = self.STAFF_MIN if _is_staff(user) else self.RESIDENT_MIN
        if len(password or "") < minimum:
            who = "工作人员" if minimum == self.STAFF_MIN else "居民"
            raise ValidationError(f"{who}密码至少需要 {minimum} 个字符。", code="password_too_short")

    def get_help_text(self):
        return "工作人员密码至少 12 个字符，居民密码至少 8 个字符；不能使用常见密码或纯数字。"


def _is_staff(user) -> bool:
    if user is None:
        return False
    if getattr(user, "_jianfu_is_staff_hint", None) is not None:
        return user._jianfu_is_staff_hint
    if getattr(user, "pk", None) is None:
        return bool(getattr(user, "is_superuser", False))
    return user.is_portal_staff
