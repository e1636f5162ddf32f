"""Read side of admission (CONTRACT used by checklists, taskcheck and evaluations — keep signatures).

The admission app owns this module; the bodies below are placeholders until its models land.
"""

from __future__ import annotations


def admitted_tasks_for_community(*, community) -> list:
    """Tasks approved and currently valid for ``community``, as ``checklists.selectors.ChecklistItem``
    rows with ``list_type="admitted"`` (title, content, department, admission_no, valid_until)."""
    return []


def admission_lookup(*, admission_no: str) -> dict | None:
    """Public verification data of an admission number, or None if unknown:
    ``{"admission_no", "status": "valid"|"expired"|"revoked", "title", "department", "valid_from",
    "valid_until", "scope": [community codes …], "covers": callable(community) -> bool}``."""
    return None


def admission_valid_for_community(*, admission_no: str, community) -> dict | None:
    """The admission if it is valid now and its scope includes ``community``, else None."""
    return None


def admission_stats_for_community(*, community, year: int) -> dict:
    """Figures for the star-rating evidence: ``{"admitted_tasks": n}``."""
    return {"admitted_tasks": 0}
