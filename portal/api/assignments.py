"""The JSON API of per-object assignments (指派), one set of operations per assignable model, added to its app's
router by :func:`assignment_routes`: who is assigned (GET), assign (POST), end an assignment (DELETE).

Everything goes through ``portal.services.assignments`` (the rule the app declared, its rights, its Chinese
errors, its audit) — the same calls as the pages' forms.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.db import models
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja import Status as HttpStatus

from portal import schemas
from portal.api.kit import AUTH, ERRORS
from portal.models import User
from portal.models.assignments import Assignment
from portal.selectors import assignments as selectors
from portal.services import assignments


class AssignIn(schemas.Body):
    input_schema = assignments.AssignSchema


class UnassignQuery(Schema):
    reason: str = ""


class PersonOut(Schema):
    id: int
    username: str
    name: str


class AssignmentOut(Schema):
    id: int
    assignee: PersonOut
    actions: list[str]
    reason: str
    assigned_by: str | None
    created_at: str
    ended_at: str | None
    end_reason: str


class AssignmentList(Schema):
    count: int
    results: list[AssignmentOut]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # AUTH: a logged-in user


def assignment_out(a: Assignment) -> dict:
    return {
        "id": a.pk,
        "assignee": {"id": a.assignee_id, "username": a.assignee.username, "name": a.assignee.display_name},
        "actions": list(a.actions),
        "reason": a.reason,
        "assigned_by": a.assigned_by.display_name if a.assigned_by is not None else None,
        "created_at": a.created_at.isoformat(),
        "ended_at": a.ended_at.isoformat() if a.ended_at else None,
        "end_reason": a.end_reason,
    }


def assignment_routes(
    router: Router, *, model: type[models.Model], path: str, actions: Iterable[str], who: str, name: str
) -> None:
    """Add to ``router``: ``GET {path}/assignments`` (the live assignees, for those who may open the object's
    page), ``POST {path}/assignments`` ``{"assignee": <user id>, "reason"?}`` → 201 (the rule's assigning
    right; the assignee receives ``actions``) and ``DELETE {path}/assignments/{assignment_id}?reason=`` → 200
    (the same right; the grants are taken back). ``path`` names the object as ``{int:pk}``; ``who`` is the
    assignee in the summaries (核查人, 合法性审查人); ``name`` makes the operation ids unique."""
    wanted = tuple(actions)

    @router.get(
        f"{path}/assignments",
        auth=AUTH,
        response={200: AssignmentList, **ERRORS},
        summary=f"查看{who}（当前有效的指派）",
        operation_id=f"{name}_assignments",
    )
    def listing(request: HttpRequest, pk: int):
        rows = selectors.live_assignments_for(user=_actor(request), model=model, pk=pk)
        return {"count": len(rows), "results": [assignment_out(a) for a in rows]}

    @router.post(
        f"{path}/assignments",
        auth=AUTH,
        response={201: AssignmentOut, **ERRORS},
        summary=f"指派{who}",
        operation_id=f"{name}_assign",
    )
    def assign(request: HttpRequest, pk: int, payload: AssignIn):
        obj = assignments.assignable(actor=_actor(request), model=model, pk=pk)
        data = assignments.AssignSchema.parse(payload)
        a = assignments.assign(
            actor=_actor(request), obj=obj, assignee=data.assignee, actions=wanted, reason=data.reason
        )
        return HttpStatus(201, assignment_out(a))

    @router.delete(
        f"{path}/assignments/{{int:assignment_id}}",
        auth=AUTH,
        response={200: AssignmentOut, **ERRORS},
        summary=f"撤销{who}的指派",
        operation_id=f"{name}_unassign",
    )
    def unassign(request: HttpRequest, pk: int, assignment_id: int, params: Query[UnassignQuery]):
        obj = assignments.assignable(actor=_actor(request), model=model, pk=pk)
        a = assignments.unassign(
            actor=_actor(request), assignment=assignment_id, obj=obj, reason=params.reason
        )
        return assignment_out(a)
