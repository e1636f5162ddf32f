"""The current request's actor and address, for the audit log written deep inside services."""

import ipaddress
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.http import HttpRequest


@dataclass
class RequestContext:
    user: object | None = None
    ip: str | None = None
    path: str = ""
    in_request: bool = False
    # Refused accesses noticed inside a transaction that may roll back; written when the request ends.
    pending_denials: list[Any] = field(default_factory=list)
    # Cache generations read during this request (portal.caching): asked of Redis once per request.
    generations: dict[str, int] = field(default_factory=dict)


_current: ContextVar[RequestContext | None] = ContextVar("jianfu_request_context", default=None)


def set_context(ctx: RequestContext | None) -> Token[RequestContext | None]:
    return _current.set(ctx)


def reset_context(token: Token[RequestContext | None]) -> None:
    _current.reset(token)


def current() -> RequestContext:
    return _current.get() or RequestContext()


def active() -> RequestContext | None:
    """The context of the request being served, or None outside a request (jobs, the shell, tests)."""
    return _current.get()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the one place the throttles, the login lockout and the audit log read it.

    Behind the reverse proxy every connection comes from the proxy, so the address it forwards
    (``X-Forwarded-For``, else ``X-Real-IP``) is used — but only when the connection itself comes from a
    configured trusted proxy (``JIANFU_TRUSTED_PROXIES``); anyone else could write those headers. In a
    chain of ``X-Forwarded-For`` the rightmost address that is not a trusted proxy is the client (the ones
    to its left were written by the client and prove nothing).
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None or not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for candidate in reversed(forwarded):
        ip = _valid_ip(candidate)
        if ip is None:
            break  # a malformed hop: trust nothing further left
        if not _trusted(ip):
            return ip
    real = _valid_ip(request.META.get("HTTP_X_REAL_IP", "").strip())
    if real is not None and not forwarded:
        return real
    return remote


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _trusted(ip: str) -> bool:
    from django.conf import settings

    return any(ipaddress.ip_address(ip) in net for net in _networks(tuple(settings.JIANFU_TRUSTED_PROXIES)))


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())
