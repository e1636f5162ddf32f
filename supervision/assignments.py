"""On-site verification of a complaint (指派核查): the bureau handling it assigns a staff user of the complaint's
district — a street official of the community's street, above all — who then opens the bureau's page of the
complaint and records verification notes (the table's ``note`` step), and nothing else. The rights are
per-object grants of the core (``portal.services.assignments``); closing the complaint ends them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from portal.models import User
from portal.selectors.assignments import staff_below
from portal.services.assignments import AssignmentRule, register
from supervision.choices import COMPLAINT_WORKFLOW, Action
from supervision.models import Complaint

#: What an assigned verifier receives: the bureau's page of the complaint and its verification notes.
VERIFIER_ACTIONS = ("inspect", Action.NOTE.value)
#: The states in which a verifier works: those from which the table allows a note.
VERIFYING = COMPLAINT_WORKFLOW.transition(Action.NOTE).sources


def _district_path(c: Complaint) -> str:
    """The path of the complaint's district: its community's, else its handling bureau's node."""
    path = c.community.path if c.community is not None else c.handling_org.path
    codes = [code for code in path.split("/") if code]
    return "/".join(codes[:2]) + "/" if len(codes) >= 2 else path


def _candidates(c: Any) -> QuerySet[User]:
    return staff_below(_district_path(c))


def _accepts(c: Any) -> str:
    if c.status in VERIFYING:
        return ""
    return f"投诉当前状态为“{c.get_status_display()}”，只有调查核实或整改中的投诉可以指派核查。"


RULE = register(
    AssignmentRule(
        model=Complaint,
        actions=frozenset(VERIFIER_ACTIONS),
        assign_right="handle",
        candidates=_candidates,
        noun="该投诉",
        outside="核查人须为该投诉所在区的工作人员。",
        accepts=_accepts,
        read_right="inspect",
    )
)
