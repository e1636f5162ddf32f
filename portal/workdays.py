"""The one working-day calendar, used by every deadline.

A day is a working day when a local override (:class:`portal.models.CalendarDay`, edited in the admin) says
so; otherwise China's official calendar decides — public holidays are days off, make-up working days (调休)
are working days — from the ``chinesecalendar`` package; for years that package does not cover yet, Monday to
Friday are working days (the bureau then enters the year's holidays as local overrides).
"""

from __future__ import annotations

import datetime
from datetime import date, timedelta

import chinese_calendar

#: Years the official calendar covers (inclusive), taken from the package's own data.
OFFICIAL_YEARS = (
    min(d.year for d in chinese_calendar.holidays),
    max(d.year for d in chinese_calendar.holidays),
)


def official_is_workday(d: date) -> bool:
    """China's official answer for ``d`` (weekday rule outside the years the package covers)."""
    if d in chinese_calendar.workdays:
        return True
    if d in chinese_calendar.holidays:
        return False
    return d.weekday() < 5


def _overrides(start: date, end: date) -> dict[date, bool]:
    from portal.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def _is_workday(d: date, overrides: dict[date, bool]) -> bool:
    if d in overrides:
        return overrides[d]
    return official_is_workday(d)


def is_workday(d: date) -> bool:
    """Whether ``d`` is a working day."""
    return _is_workday(d, _overrides(d, d))


def add_workdays(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``n`` ≥ 0; 0 gives ``start`` itself)."""
    if n <= 0:
        return start
    overrides = _overrides(start, start + timedelta(days=n * 3 + 60))
    d, left = start, n
    while left:
        d += timedelta(days=1)
        if _is_workday(d, overrides):
            left -= 1
    return d


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before ``start``)."""
    if end < start:
        return -workdays_between(end, start)
    overrides = _overrides(start, end)
    count, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if _is_workday(d, overrides):
            count += 1
    return count


def deadline_after(
    start: datetime.datetime, n: int, *, at: datetime.time = datetime.time(17, 30)
) -> datetime.datetime:
    """The end of the ``n``-th working day after the (local) day of ``start``, as an aware datetime."""
    from django.utils import timezone

    day = add_workdays(timezone.localtime(start).date(), n)
    return timezone.make_aware(datetime.datetime.combine(day, at))
