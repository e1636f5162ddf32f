"""Reference data of the evaluations app: the appraisal whitelist (missing entries only)."""

from __future__ import annotations

from evaluations.models import AppraisalEntry
from evaluations.whitelist import seed_whitelist
from portal.services.reference import SeedResult


def seed() -> list[SeedResult]:
    created = seed_whitelist()
    return [SeedResult("评比达标表彰白名单", created, AppraisalEntry.objects.count())]
