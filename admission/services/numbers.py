"""Admission numbers: gap-free allocation per approval body and year, and their format."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from admission.models import (
    AdmissionCounter,
)
from portal.models import ApprovalBody


def admission_number_next(*, body: ApprovalBody, year: int) -> str:
    """The next admission number of ``body`` in ``year``: the counter row is locked, so numbers are unique and,
    since it is bumped in the approving transaction, gap-free (a rolled-back approval gives its number back)."""
    counter = AdmissionCounter.objects.select_for_update().filter(body=body, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                AdmissionCounter.objects.create(body=body, year=year, last=0)
        except IntegrityError:
            pass  # created by a concurrent approval: lock that row instead
        counter = AdmissionCounter.objects.select_for_update().get(body=body, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_admission_no(body.short_name, year, counter.last)


ADMISSION_NO = re.compile(
    r"(?P<short_name>津[\u4e00-\u9fff]{0,5}?)准〔(?P<year>[0-9]{4})〕(?P<n>[1-9][0-9]{0,4})号"
)


def format_admission_no(short_name: str, year: int, n: int) -> str:
    """``津河西准〔2026〕7号``: the body's short name, 准, the year in 〔〕 and the running number."""
    return f"{short_name}准〔{year}〕{n}号"


def parse_admission_no(text: str) -> tuple[str, int, int] | None:
    """(short name, year, running number) of an admission number as :func:`format_admission_no` writes it, or
    None when ``text`` is not one."""
    m = ADMISSION_NO.fullmatch((text or "").strip())
    if m is None:
        return None
    return m["short_name"], int(m["year"]), int(m["n"])
