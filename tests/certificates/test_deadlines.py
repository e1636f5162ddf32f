"""The review deadline of a certificate application counts China's official working days."""

from datetime import date, datetime, time

from django.utils import timezone


def _submitted_at(monkeypatch, make_application, when: datetime):
    aware = timezone.make_aware(when)
    monkeypatch.setattr(timezone, "now", lambda: aware)
    return make_application()


def test_deadline_skips_public_holidays_and_counts_makeup_days(monkeypatch, make_application):
    # Wed 30 Sep 2026: 1–7 October is the National Day holiday; Saturday 10 October is worked.
    app = _submitted_at(monkeypatch, make_application, datetime(2026, 9, 30, 10, 0))
    due = timezone.localtime(app.due_at)
    assert due.date() == date(2026, 10, 10) and due.time() == time(17, 30)


def test_deadline_over_an_ordinary_weekend(monkeypatch, make_application):
    app = _submitted_at(monkeypatch, make_application, datetime(2026, 3, 6, 10, 0))  # a Friday
    assert timezone.localtime(app.due_at).date() == date(2026, 3, 11)
