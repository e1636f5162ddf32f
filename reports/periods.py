"""Report periods: a year (``2026``), a month (``2026-05``) or a quarter (``2026-Q2``).

A period is a half-open range of local dates ``[start, end)``; the previous period has the same length and
ends where this one starts, so a quarter compares with the quarter before it and a year with the year before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from portal.errors import DomainError

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """A calendar period of whole months."""

    kind: str  # "year" | "quarter" | "month"
    year: int
    number: int = 0  # quarter 1-4 or month 1-12; 0 for a year

    @property
    def start(self) -> date:
        if self.kind == "year":
            return date(self.year, 1, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * (self.number - 1) + 1, 1)
        return date(self.year, self.number, 1)

    @property
    def months(self) -> int:
        return {"year": 12, "quarter": 3, "month": 1}[self.kind]

    @property
    def end(self) -> date:
        """The first day after the period."""
        return _add_months(self.start, self.months)

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def code(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.number - 1]}季度"
        return f"{self.year}年{self.number}月"

    def month_starts(self) -> list[date]:
        return [_add_months(self.start, i) for i in range(self.months)]

    def previous(self) -> Period:
        prev = _add_months(self.start, -self.months)
        if self.kind == "year":
            return Period("year", prev.year)
        if self.kind == "quarter":
            return Period("quarter", prev.year, (prev.month - 1) // 3 + 1)
        return Period("month", prev.year, prev.month)

    def __str__(self) -> str:
        return self.code


def period_parse(value: str | None, *, field: str = "period") -> Period:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-Qn``; anything else is a clear Chinese error."""
    m = PERIOD_RE.match((value or "").strip())
    if not m:
        raise DomainError(
            "统计期间格式不正确，应为 YYYY（年度）、YYYY-MM（月份）或 YYYY-Qn（季度），例如 2026、2026-05、2026-Q2。",
            fields={field: "格式不正确。"},
        )
    year = int(m["year"])
    if not 2000 <= year <= 2100:
        raise DomainError("统计年份应在 2000 至 2100 年之间。", fields={field: "年份超出范围。"})
    if m["month"]:
        month = int(m["month"])
        if not 1 <= month <= 12:
            raise DomainError("月份应为 01 至 12。", fields={field: "月份不正确。"})
        return Period("month", year, month)
    if m["quarter"]:
        return Period("quarter", year, int(m["quarter"]))
    return Period("year", year)


def current_quarter(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period("quarter", today.year, (today.month - 1) // 3 + 1)


def last_complete(kind: str, today: date | None = None) -> Period:
    """The last finished month or quarter (what a scheduled report covers)."""
    today = today or timezone.localdate()
    if kind == "month":
        prev = _add_months(date(today.year, today.month, 1), -1)
        return Period("month", prev.year, prev.month)
    return current_quarter(today).previous()
