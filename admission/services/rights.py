"""Who may act on a request: the reviewers, approvers and department staff of it, and the grants they act under."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from admission.models import ACTING_ROLES, ConsultationInvite, TaskRequest, opinion_grants
from portal.choices import OrgLevel, Role
from portal.errors import PermissionDeniedError
from portal.models import RoleAssignment, User
from portal.scope import Grant, allows, grants_for

#: The role a named legal reviewer acts under in the history (a per-object grant, not an org-tree role).
LEGAL_REVIEWER = "legal_reviewer"


def _users_with(role: str, org_ids: Iterable[int]) -> list[User]:
    ids = list(org_ids)
    if not ids:
        return []
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(role=role, org_id__in=ids).select_related("user")
        if ra.user.is_active
    ]


def reviewers_of(req: TaskRequest) -> list[User]:
    role = Role.CITY_ADMIN if req.requester_org.level == OrgLevel.CITY else Role.DISTRICT_OFFICIAL
    return _users_with(role, [req.requester_org_id])


def approvers_of(req: TaskRequest) -> list[User]:
    role = Role.CITY_APPROVER if req.requester_org.level == OrgLevel.CITY else Role.DISTRICT_APPROVER
    return _users_with(role, [req.requester_org_id])


def department_staff_of(req: TaskRequest) -> list[User]:
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            role=Role.DEPARTMENT_STAFF, department_id=req.department_id
        ).select_related("user")
    ]


def is_own_department(user, req: TaskRequest) -> bool:
    return any(g.department_id == req.department_id for g in grants_for(user, {Role.DEPARTMENT_STAFF}))


def _level_grant(user, req: TaskRequest, city_role: str, district_role: str):
    role = city_role if req.requester_org.level == OrgLevel.CITY else district_role
    return next((g for g in grants_for(user, {role}) if g.org_id == req.requester_org_id), None)


def review_grant(user, req: TaskRequest):
    """The grant under which ``user`` may review ``req`` (the civil-affairs official at the requester's level),
    or None. A department never reviews its own request."""
    if is_own_department(user, req) or user.pk == req.created_by_id:
        return None
    return _level_grant(user, req, Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL)


def decide_grant(user, req: TaskRequest):
    """The grant under which ``user`` may decide (the approver at the requester's level), or None. Neither the
    department nor the reviewer of the request decides it."""
    if is_own_department(user, req) or user.pk == req.created_by_id:
        return None
    if req.reviewed_by_id and req.reviewed_by_id == user.pk:
        return None
    return _level_grant(user, req, Role.CITY_APPROVER, Role.DISTRICT_APPROVER)


def acting_grant(user, req: TaskRequest, action: str):
    """The grant under which ``user`` takes the right ``action`` on ``req`` — a right the workflow's rows name
    (``"edit"``, ``"opinion"``, ``"review"``, ``"decide"``, ``"revoke"``) — or None.

    The right itself is the scope mechanism's — ``TaskRequest.objects.for_user(user, action)`` — and the grant
    only names the role and org the history records (a superuser, who holds every right but acts under no
    grant, gets None: nobody decides a request outside the org tree). The services ask it before they act, the
    page before it offers the action (``WORKFLOW.offered``)."""
    if not allows(user, action, req):
        return None
    if action in ACTING_ROLES:
        return _level_grant(user, req, *ACTING_ROLES[action])
    if action == "edit":
        return next(
            (g for g in grants_for(user, {Role.DEPARTMENT_STAFF}) if g.department_id == req.department_id),
            None,
        )
    if action == "opinion":
        return next((g for g, invite in consulted_as(user, req) if not invite.opinion), None)
    if action == "legal_review":
        # A per-object grant, not a role: the history records the reviewer as 合法性审查人 of their own org.
        own = grants_for(user)
        return replace(own[0], role=LEGAL_REVIEWER) if own else None
    raise ValueError(f"task requests have no right {action!r}")


def consulted_as(
    user,
    req: TaskRequest,
    *,
    org_code: str | None = None,
    invites: Iterable[ConsultationInvite] | None = None,
) -> list[tuple[Grant, ConsultationInvite]]:
    """The grants under which ``user`` was consulted on ``req``, each with its org's invitation (answered or
    not), by org code; ``org_code`` keeps that one org. The one place that matches a user to the invitations
    (``opinion_grants``, the rule of the right ``opinion``): the page asks it through :func:`acting_grant`, the
    opinion service answers under its first unanswered pair. ``invites``: the request's invitations as the
    caller read them (the service, locked), else ``req.invites`` (prefetched by the page)."""
    by_org = {i.org_id: i for i in (req.invites.all() if invites is None else invites)}
    pairs = [
        (g, by_org[g.org_id])
        for g in opinion_grants(user)
        if g.org_id in by_org and (not org_code or g.org_code == org_code)
    ]
    return sorted(pairs, key=lambda pair: pair[0].org_code)


def holds(user, action: str, req: TaskRequest) -> bool:
    """Whether ``user`` may take the right ``action`` on ``req`` now (``acting_grant``), as
    ``Workflow.offered`` asks it."""
    return acting_grant(user, req, action) is not None


def _department_grant(user, req: TaskRequest):
    """The department grant under which ``user`` edits, submits or withdraws ``req`` (the right ``edit``);
    a 403 when the user does not hold it."""
    grant = acting_grant(user, req, "edit")
    if grant is None:
        raise PermissionDeniedError("只有申请部门的工作人员可以办理此操作。")
    return grant
