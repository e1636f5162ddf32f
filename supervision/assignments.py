"""On-site verification of a complaint (指派核查): the bureau handling it assigns a staff user of the complaint's
street (its street office or one of its communities) or of the district's own offices, who then opens the bureau's
page of the complaint and records verification notes (the table's ``note`` step), and nothing else. The rights
are per-object grants of the core (``portal.services.assignments``); closing the complaint ends them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from portal.models import User
from portal.selectors.assignments import staff_at, staff_below
from portal.services.assignments import AssignmentRule, register
from supervision.choices import COMPLAINT_WORKFLOW, Action
from supervision.models import Complaint

#: What an assigned verifier receives: the bureau's page of the complaint and its verification notes.
VERIFIER_ACTIONS = ("inspect", Action.NOTE.value)
#: The states in which a verifier works: those from which the table allows a note.
VERIFYING = COMPLAINT_WORKFLOW.transition(Action.NOTE).sources


def _paths(c: Complaint) -> tuple[str, str]:
    """The complaint's district and street paths (its community's, else its handling bureau's node); the street
    path is the district's when the complaint names no community below a street."""
    path = c.community.path if c.community is not None else c.handling_org.path
    codes = [code for code in path.split("/") if code]
    if len(codes) < 2:
        return path, path
    district = "/".join(codes[:2]) + "/"
    street = "/".join(codes[:3]) + "/" if len(codes) >= 3 else district
    return district, street


def _candidates(c: Any) -> QuerySet[User]:
    """Who verifies on site: the staff of the complaint's street (its street office and communities) and of the
    district's own offices — not the staff of every community of the district, whom the form could not list."""
    district, street = _paths(c)
    return staff_below(street) | staff_at(district)


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
        outside="核查人须为该投诉所在街道或所在区区级机关的工作人员。",
        accepts=_accepts,
        read_right="inspect",
    )
)
