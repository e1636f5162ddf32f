"""Login events go to the audit log (axes keeps its own attempt log as well)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    import time

    from portal.audit import audit
    from portal.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT

    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_LOGIN_AT] = now
        request.session[SESSION_SEEN_AT] = now
    audit("login", obj=user, actor=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    from portal.audit import audit

    if user is not None:
        audit("logout", obj=user, actor=user)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    from portal.audit import audit
    from portal.models import AuditEntry

    audit(
        "login_failed",
        result=AuditEntry.Result.FAILED,
        object_repr=str(credentials.get("username", ""))[:100],
        detail="用户名或密码错误",
    )
