"""The current request's actor and address, for the audit log written deep inside services."""

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RequestContext:
    user: object | None = None
    ip: str | None = None
    path: str = ""
    in_request: bool = False
    # Refused accesses noticed inside a transaction that may roll back; written when the request ends.
    pending_denials: list = field(default_factory=list)


_current: ContextVar[RequestContext | None] = ContextVar("jianfu_request_context", default=None)


def set_context(ctx: RequestContext | None):
    return _current.set(ctx)


def reset_context(token) -> None:
    _current.reset(token)


def current() -> RequestContext:
    return _current.get() or RequestContext()


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
