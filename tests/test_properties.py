"""Properties that must hold for every input, not just the examples we thought of (Hypothesis):
ID numbers (checksum, birth date), working days (counting forward and back agree) and admission numbers
(format and parse are inverse; numbers are gap-free per body and year)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from admission.services import admission_number_next, format_admission_no, parse_admission_no
from certificates.personal import ID_CHECK_CHARS, PROVINCE_CODES, id_check_char, id_number_validate
from portal import workdays
from portal.errors import DomainError
from taskcheck.rules import ADMISSION_NO_RE
from tests.factories import ApprovalBodyFactory

DB = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# ------------------------------------------------------------------------------------------------ ID numbers

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31))


@st.composite
def id_numbers(draw) -> str:
    """A well-formed ID number: a province code, a region that is not 0000, a birth date, a sequence number
    and the check character of ISO 7064 MOD 11-2."""
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    region = draw(st.integers(min_value=1, max_value=9999))
    birth = draw(birth_dates)
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{province}{region:04d}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


@given(id_numbers())
def test_a_well_formed_id_number_is_accepted_as_typed_and_in_lower_case(number):
    assert id_number_validate(number) == number
    assert id_number_validate(f" {number.lower()} ") == number


@given(id_numbers(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_one_mistyped_digit_is_always_refused(number, position, shift):
    wrong = str((int(number[position]) + shift) % 10)
    typo = number[:position] + wrong + number[position + 1 :]
    with pytest.raises(DomainError):
        id_number_validate(typo)


@given(id_numbers(), st.sampled_from(ID_CHECK_CHARS))
def test_a_wrong_check_character_is_refused_with_its_own_message(number, check):
    assume(check != number[17])
    with pytest.raises(DomainError, match="校验位不正确"):
        id_number_validate(number[:17] + check)


@given(id_numbers(), st.sampled_from(["0230", "0431", "1301", "1232", "0000", "1300"]))
def test_a_birth_date_that_does_not_exist_is_refused(number, month_day):
    first17 = number[:10] + month_day + number[14:17]
    with pytest.raises(DomainError, match="出生日期不存在"):
        id_number_validate(first17 + id_check_char(first17))


@given(id_numbers(), st.integers(min_value=1, max_value=3000))
def test_a_birth_date_after_today_is_refused(number, days_ahead):
    birth = timezone.localdate() + datetime.timedelta(days=days_ahead)
    first17 = f"{number[:6]}{birth:%Y%m%d}{number[14:17]}"
    with pytest.raises(DomainError, match="出生日期不合理"):
        id_number_validate(first17 + id_check_char(first17))


# ------------------------------------------------------------------------------------------------ working days

days = st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2030, 12, 31))


@pytest.mark.django_db
@DB
@given(days, st.integers(min_value=0, max_value=60))
def test_adding_working_days_then_counting_back_gives_the_same_number(start, n):
    end = workdays.add_workdays(start, n)
    assert workdays.workdays_between(start, end) == n
    assert workdays.workdays_between(end, start) == -n
    if n:
        # the n-th working day is a working day, and no working day was skipped before it
        assert workdays.is_workday(end)
        assert workdays.workdays_between(start, end - datetime.timedelta(days=1)) == n - 1


@pytest.mark.django_db
@DB
@given(days, st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=20))
def test_a_local_day_off_is_never_a_deadline_and_moves_it_later(start, n, offset):
    from portal.models import CalendarDay

    before = workdays.add_workdays(start, n)
    day_off = start + datetime.timedelta(days=offset)
    was_workday = workdays.is_workday(day_off)
    with transaction.atomic():
        CalendarDay.objects.update_or_create(date=day_off, defaults={"is_workday": False})
        after = workdays.add_workdays(start, n)
        transaction.set_rollback(True)
    assert after != day_off
    assert after >= before
    assert (after > before) == (was_workday and day_off <= before)


# ------------------------------------------------------------------------------------------------ admission numbers

short_names = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=5).map(
    lambda s: "津" + s
)
years = st.integers(min_value=2000, max_value=2099)
running = st.integers(min_value=1, max_value=99999)


@given(short_names, years, running)
def test_an_admission_number_parses_back_to_its_parts(short_name, year, n):
    number = format_admission_no(short_name, year, n)
    assert parse_admission_no(number) == (short_name, year, n)


@given(short_names, years, running, st.text(max_size=20), st.text(max_size=20))
def test_the_task_check_finds_every_admission_number_in_free_text(short_name, year, n, before, after):
    number = format_admission_no(short_name, year, n)
    assert ADMISSION_NO_RE.search(f"{before}{number}{after}") is not None
    assert ADMISSION_NO_RE.fullmatch(number) is not None


@given(st.text(max_size=30))
def test_text_that_is_no_admission_number_parses_to_none(text):
    assume("准〔" not in text)
    assert parse_admission_no(text) is None


@pytest.mark.django_db
@DB
@given(st.lists(st.sampled_from([2025, 2026, 2027]), min_size=1, max_size=25))
def test_admission_numbers_are_gap_free_per_body_and_year(allocation_years):
    with transaction.atomic():
        body = ApprovalBodyFactory()
        issued: dict[int, list[int]] = {}
        for year in allocation_years:
            short_name, got_year, n = parse_admission_no(admission_number_next(body=body, year=year))
            assert (short_name, got_year) == (body.short_name, year)
            issued.setdefault(year, []).append(n)
        transaction.set_rollback(True)
    for numbers in issued.values():
        assert numbers == list(range(1, len(numbers) + 1))
