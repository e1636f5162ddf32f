from datetime import date

import pytest

from portal.errors import DomainError
from reports.periods import last_complete, period_parse


@pytest.mark.parametrize(
    "text,start,end,previous",
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1), "2025"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1), "2025-Q4"),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "2026-Q3"),
        ("2026-01", date(2026, 1, 1), date(2026, 2, 1), "2025-12"),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1), "2026-11"),
    ],
)
def test_periods_and_the_one_before(text, start, end, previous):
    p = period_parse(text)
    assert (p.start, p.end, p.previous().code, p.code) == (start, end, previous, text)


@pytest.mark.parametrize(
    "bad", ["", "2026-Q5", "2026-13", "2026-00", "26", "2026Q1", "2026-1", "第一季度", "1999"]
)
def test_malformed_periods_get_a_clear_chinese_error(bad):
    with pytest.raises(DomainError) as exc:
        period_parse(bad)
    assert "period" in exc.value.fields and any("\u4e00" <= c <= "\u9fff" for c in exc.value.message)


def test_scheduled_reports_cover_the_last_finished_month_and_quarter():
    assert last_complete("month", date(2026, 1, 1)).code == "2025-12"
    assert last_complete("quarter", date(2026, 4, 1)).code == "2026-Q1"
    assert last_complete("quarter", date(2026, 2, 15)).code == "2025-Q4"
