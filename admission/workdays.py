"""The working-day calendar: weekdays are working days except configured holidays; weekend days configured as
make-up working days (调休) count as working days. Holidays are edited in the admin (:class:`CalendarDay`)."""

from __future__ import annotations

from datetime import date, timedelta


def _overrides(start: date, end: date) -> dict[date, bool]:
    from admission.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def _is_workday(d: date, overrides: dict[date, bool]) -> bool:
    if d in overrides:
        return overrides[d]
    return d.weekday() < 5


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
