"""The one working-day calendar: weekends, China's official holidays and make-up days, local overrides."""

from datetime import date, datetime, time

from django.utils import timezone

from portal.models import CalendarDay
from portal.workdays import add_workdays, deadline_after, is_workday, workdays_between


def test_weekends_are_skipped(db):
    friday = date(2026, 3, 6)
    assert add_workdays(friday, 1) == date(2026, 3, 9)
    assert add_workdays(friday, 5) == date(2026, 3, 13)
    assert workdays_between(friday, date(2026, 3, 13)) == 5
    assert not is_workday(date(2026, 3, 7))


def test_official_holidays_and_makeup_days_without_any_configuration(db):
    """National Day 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are worked."""
    assert CalendarDay.objects.count() == 0
    assert not is_workday(date(2026, 10, 1)) and not is_workday(date(2026, 10, 7))
    assert is_workday(date(2026, 9, 20)) and is_workday(date(2026, 10, 10))
    # From Wed 30 Sep: 1–7 off, Thu 8, Fri 9, Sat 10 (make-up), Mon 12.
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    # Spring Festival 2026 (15–23 February off; Saturday 28 February worked).
    assert not is_workday(date(2026, 2, 16)) and is_workday(date(2026, 2, 28))


def test_local_overrides_win(db):
    CalendarDay.objects.create(date=date(2026, 3, 9), name="防汛停工")  # a Monday off locally
    CalendarDay.objects.create(date=date(2026, 10, 10), name="本地不调休", is_workday=False)
    assert not is_workday(date(2026, 3, 9)) and not is_workday(date(2026, 10, 10))
    assert add_workdays(date(2026, 3, 6), 1) == date(2026, 3, 10)


def test_years_the_official_calendar_does_not_cover_fall_back_to_weekdays(db):
    assert is_workday(date(2031, 1, 1)) is (date(2031, 1, 1).weekday() < 5)
    CalendarDay.objects.create(date=date(2031, 1, 1), name="元旦")
    assert not is_workday(date(2031, 1, 1))


def test_deadline_is_the_end_of_a_working_day(db):
    start = timezone.make_aware(datetime(2026, 9, 30, 9, 0))
    due = deadline_after(start, 3)
    assert timezone.localtime(due).date() == date(2026, 10, 10) and timezone.localtime(due).time() == time(
        17, 30
    )


def test_the_old_admission_names_still_work(db):
    from admission import workdays as old
    from admission.models import CalendarDay as OldCalendarDay

    assert old.add_workdays is add_workdays and OldCalendarDay is CalendarDay
