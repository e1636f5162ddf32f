"""The login lockout: per account *and* address, with a much higher limit for one address across names.

Five wrong passwords for one account from one address lock that account from that address for 30 minutes;
nobody else behind the same address (an office NAT, a community service centre) is affected. An address
that fails many times across many names (``JIANFU_LOGIN_ADDRESS_FAILURE_LIMIT``) is throttled as a whole.
django-axes records the attempts (one row per account, address and browser); this handler adds the
address-wide limit, and :func:`lock_status` tells the user truthfully what is locked and until when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

from portal import context


def _recent(ip: str | None):
    cool_off = get_cool_off()
    return AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=timezone.now() - cool_off)


def _address_failures(ip: str | None) -> int:
    return _recent(ip).aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus the address-wide limit across all names."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        own = super().get_failures(request, credentials)  # this account from this address
        address_limit = settings.JIANFU_LOGIN_ADDRESS_FAILURE_LIMIT
        if _address_failures(getattr(request, "axes_ip_address", None)) >= address_limit:
            # Reported as "at the limit" so that axes refuses the attempt like an account lock.
            return max(own, get_failure_limit(request, credentials))
        return own


@dataclass(frozen=True)
class LockStatus:
    """What is locked (``account`` from this address, or the whole ``address``) and until when."""

    kind: str
    username: str
    until: datetime

    @property
    def message(self) -> str:
        at = timezone.localtime(self.until).strftime("%H:%M")
        if self.kind == "account":
            return (
                f"账号“{self.username}”在本网络地址连续登录失败 {settings.AXES_FAILURE_LIMIT} 次，"
                f"已暂停从本地址登录，{at} 后可再试。其他账号不受影响。"
            )
        return f"本网络地址登录失败次数过多（涉及多个账号），已暂停从本地址登录，{at} 后可再试。"


def lock_status(request, username: str | None) -> LockStatus | None:
    """Why a login from this request is refused now, or None when it is not locked."""
    ip = context.client_ip(request)
    cool_off = get_cool_off()
    username = (username or "").strip()
    if username:
        own = (
            _recent(ip)
            .filter(username=username)
            .aggregate(n=Sum("failures_since_start"), at=Max("attempt_time"))
        )
        if (own["n"] or 0) >= settings.AXES_FAILURE_LIMIT:
            return LockStatus("account", username, own["at"] + cool_off)
    if _address_failures(ip) >= settings.JIANFU_LOGIN_ADDRESS_FAILURE_LIMIT:
        last = _recent(ip).aggregate(at=Max("attempt_time"))["at"]
        return LockStatus("address", username, last + cool_off)
    return None


def lock_message(request, username: str | None) -> str:
    status = lock_status(request, username)
    if status is None:  # locked a moment ago and already over: say so plainly
        return "登录失败次数过多，请稍后再试。"
    return status.message
