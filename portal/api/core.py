"""Core endpoints: tokens, the caller, the org tree, job progress."""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.auth import authenticate
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from portal.api.kit import AUTH, ERRORS, PageParams, cached_json_response, error_body, paginate, token_ttl
from portal.caching import CachedListing
from portal.choices import OrgLevel
from portal.errors import DomainError
from portal.models import ApiToken, Job
from portal.scope import get_scoped_or_404, user_grants
from portal.selectors.orgs import public_org, public_orgs

router = Router(tags=["平台"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None


class RoleOut(Schema):
    role: str
    org: str
    org_name: str = ""
    department: str | None = None


class UserOut(Schema):
    username: str
    name: str
    roles: list[RoleOut]


class TokenOut(Schema):
    token: str
    expires_at: datetime
    user: UserOut


def user_out(user) -> dict:
    return {
        "username": user.username,
        "name": user.display_name,
        "roles": [
            {
                "role": g.role,
                "org": g.org_code,
                "org_name": g.org_name,
                "department": g.department_name or None,
            }
            for g in user_grants(user)
        ],
    }


@router.post("/auth/token", response={200: TokenOut, **ERRORS}, auth=None, summary="以用户名和密码换取令牌")
def token_create(request, payload: TokenIn):
    """Repeated failures lock the account from that address (and throttle the address) as the login page does."""
    from axes.handlers.proxy import AxesProxyHandler

    from portal.lockout import lock_message
    from portal.services.accounts import user_has_totp

    credentials = {"username": payload.username}
    if AxesProxyHandler.is_locked(request, credentials):
        return Status(429, error_body("locked", lock_message(request, payload.username)))
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if user is None:
        if AxesProxyHandler.is_locked(request, credentials):
            return Status(429, error_body("locked", lock_message(request, payload.username)))
        raise AuthenticationError()
    if user_has_totp(user=user):
        from django_otp import match_token

        if not payload.otp or match_token(user, payload.otp.strip()) is None:
            return Status(
                401,
                error_body(
                    "otp_required", "请提供身份验证器上的6位动态验证码（otp）。", {"otp": "验证码无效。"}
                ),
            )
    else:
        from django.conf import settings

        if settings.JIANFU_REQUIRE_2FA and user.is_portal_staff:
            return Status(
                403, error_body("otp_setup_required", "工作人员须先在网页端设置两步验证，才能使用接口。")
            )
    token, key = ApiToken.issue(user, token_ttl())
    from portal.audit import audit

    audit("api_token_issue", obj=user, actor=user)
    return {"token": key, "expires_at": token.expires_at, "user": user_out(user)}


@router.get("/me", response={200: UserOut, **ERRORS}, auth=AUTH, summary="当前用户")
def me(request):
    return user_out(request.auth)


class OrgOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    kind: str = ""


class OrgPage(Schema):
    count: int
    results: list[OrgOut]


CODE_RE = re.compile(r"^\d{6,12}$")


class OrgFilter(PageParams):
    level: str | None = None
    parent: str | None = None
    q: str | None = None


@router.get("/orgs", response={200: OrgPage, **ERRORS}, auth=None, summary="组织树（公开）")
def org_list(request, filters: Query[OrgFilter]):
    qs = public_orgs().select_related("parent").order_by("code")
    if filters.level:
        if filters.level not in OrgLevel.values:
            raise DomainError(
                "层级参数不正确，应为 city、district、street 或 community。",
                fields={"level": "取值不在允许范围内。"},
            )
        qs = qs.filter(level=filters.level)
    if filters.parent:
        if not CODE_RE.match(filters.parent):
            raise DomainError("上级代码格式不正确，应为6至12位数字。", fields={"parent": "格式不正确。"})
        parent = public_org(code=filters.parent)
        if parent is None:
            raise Http404
        qs = qs.filter(parent=parent)
    if filters.q:
        qs = qs.filter(name__contains=filters.q.strip()[:50])

    def build() -> dict:
        return paginate(
            CachedListing(qs, "orgs"),
            filters,
            lambda o: {
                "code": o.code,
                "name": o.name,
                "level": o.level,
                "parent": o.parent.code if o.parent_id else None,
                "kind": o.kind,
            },
        )

    # The tree changes rarely: a page's bytes are kept until an org changes (generation "orgs").
    key = repr(("orgs-api", filters.level, filters.parent, filters.q, filters.page, filters.page_size))
    return cached_json_response(request, generation="orgs", key=key, schema=OrgPage, build=build)


class JobOut(Schema):
    id: str
    kind: str
    title: str
    status: str
    progress: int
    message: str
    download_url: str | None


def job_out(job: Job) -> dict:
    from django.urls import reverse

    return {
        "id": str(job.id),
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "download_url": reverse("portal:job_download", args=[job.id])
        if job.status == Job.Status.DONE and job.file
        else None,
    }


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, auth=AUTH, summary="后台任务进度")
def job_detail(request, job_id: str):
    return job_out(get_scoped_or_404(Job, request.auth, "view", pk=job_id))
