"""Read side of the lists (CONTRACT shared with taskcheck, admission and evaluations — keep signatures).

One selector serves the page, the API and the PDF. The checklists app owns this module; the bodies below
are placeholders until the app's models land.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a community's current lists, whatever its source."""

    id: str                      # stable id: "A-3" style for list items, "adm-<pk>" for admitted tasks
    list_type: str               # "autonomy" | "assistance" | "admitted"
    category: str                # Tianjin category name (e.g. "统计和普查"); admitted tasks: "经准入的工作事项"
    title: str
    content: str = ""
    legal_basis: tuple[str, ...] = ()   # human-readable, e.g. "《全国人口普查条例》第三条第四款（行政法规）"
    department: str = ""         # the department assisted / requesting department
    admission_no: str = ""       # admitted tasks only
    valid_until: date | None = None
    keywords: tuple[str, ...] = field(default=())  # curated synonyms for the task check


@dataclass(frozen=True)
class NegativeItem:
    """One responsibility a residents' committee may never carry (policy 三(一))."""

    code: str
    title: str                   # e.g. "行政执法"
    reason: str                  # plain explanation
    clause: str                  # e.g. "津民发〔2019〕35号 三（一）"
    keywords: tuple[str, ...] = ()


def community_checklist(*, community) -> list[ChecklistItem]:
    """City base lists + the district's additions + tasks admitted for this community."""
    return []


def negative_list() -> list[NegativeItem]:
    return []
