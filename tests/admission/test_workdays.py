"""The working-day calendar: weekends, configured holidays and make-up working days."""

from datetime import date

from admission.models import CalendarDay
from admission.workdays import add_workdays, is_workday, workdays_between


def test_weekends_are_skipped(db):
    friday = date(2026, 3, 6)
    assert add_workdays(friday, 1) == date(2026, 3, 9)
    assert add_workdays(friday, 5) == date(2026, 3, 13)
    assert workdays_between(friday, date(2026, 3, 13)) == 5
    assert not is_workday(date(2026, 3, 7))


def test_configured_holidays_and_makeup_days(db):
    CalendarDay.objects.create(date=date(2026, 10, 1), name="国庆节")
    CalendarDay.objects.create(date=date(2026, 10, 2), name="国庆节")
    CalendarDay.objects.create(date=date(2026, 10, 10), name="国庆调休", is_workday=True)  # a Saturday
    assert not is_workday(date(2026, 10, 1))
    assert is_workday(date(2026, 10, 10))
    # From Wed 30 Sep: Thu/Fri holidays, weekend 3-4, Mon 5 … Fri 9, Sat 10 worked.
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 5)
    assert add_workdays(date(2026, 9, 30), 6) == date(2026, 10, 10)
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 6


def test_consultation_window_is_five_working_days(flow, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 3, 6))
    req = flow.submitted(start_date="2026-06-01", end_date="2026-12-31")
    assert req.consultation_due == date(2026, 3, 13)
    assert req.decide_by == add_workdays(date(2026, 3, 6), 15)
