"""Admission deadlines count working days of the core calendar."""

from datetime import date

from django.utils import timezone

from portal.workdays import add_workdays


def test_consultation_window_is_five_working_days(flow, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 3, 6))
    req = flow.submitted(start_date="2026-06-01", end_date="2026-12-31")
    assert req.consultation_due == date(2026, 3, 13)
    assert req.decide_by == add_workdays(date(2026, 3, 6), 15)


def test_consultation_window_skips_national_day(flow, monkeypatch):
    """Submitted Wed 30 Sep 2026: 1–7 Oct are public holidays, Sat 10 Oct a make-up working day."""
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 9, 30))
    req = flow.submitted(start_date="2026-12-01", end_date="2026-12-31")
    assert req.consultation_due == date(2026, 10, 13)  # 8, 9, 10 (Sat, worked), 12, 13
