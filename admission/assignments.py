"""The named legal reviewer of a task request (合法性审查人): the civil-affairs reviewer of the request assigns a
staff user of the requester's district (a lawyer of the district's 司法局, above all), who may then see the
request and record a legal-review opinion while it is under review (the table's ``legal_opinion`` row). The
rights are per-object grants of the core (``portal.services.assignments``); the review's outcome ends them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from admission.choices import WORKFLOW, Action
from admission.models import TaskRequest
from portal.models import User
from portal.selectors.assignments import staff_below
from portal.services.assignments import AssignmentRule, register

#: What a named legal reviewer receives: the request itself, and the legal-review opinion.
LEGAL_REVIEWER_ACTIONS = ("view", WORKFLOW.transition(Action.LEGAL_OPINION).right)


def _candidates(req: Any) -> QuerySet[User]:
    """Staff of the requester's own level: the district's (its 司法局 among them), or the city's."""
    return staff_below(req.requester_org.path)


def _accepts(req: Any) -> str:
    if WORKFLOW.allows(req.status, Action.LEGAL_OPINION):
        return ""
    return f"申请当前状态为“{req.get_status_display()}”，只有审查阶段的申请可以指派合法性审查人。"


RULE = register(
    AssignmentRule(
        model=TaskRequest,
        actions=frozenset(LEGAL_REVIEWER_ACTIONS),
        assign_right="review",
        candidates=_candidates,
        noun="该申请",
        outside="合法性审查人须为申请部门所在区（市）的工作人员。",
        accepts=_accepts,
        read_right="view",
    )
)
