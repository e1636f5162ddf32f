"""Admission numbers: gap-free allocation per approval body and year, and their format."""

from __future__ import annotations

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


def format_admission_no(short_name: str, year: int, n: int) -> str:
    return f"{short_name}准〔{year}〕{n}号"
