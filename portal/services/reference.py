"""Reference data shipped with the portal, loaded into a real installation (not the demo).

Each app that ships reference data has a module ``<app>/reference.py`` with ``seed() -> list[SeedResult]``;
``reference_data_seed`` runs them in app order. A seeder only creates what is missing and never changes a row
that exists, so a second run changes nothing and what the city admin edited stays as edited. The demo data
(``load_demo``) is separate and refuses to run in production; this runs anywhere.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from portal.audit import audit
from portal.errors import DomainError


@dataclass(frozen=True)
class SeedResult:
    label: str  # what was loaded, in Chinese (e.g. "证明事项目录")
    created: int  # rows created by this run
    total: int  # rows present after it


def seeders() -> list[tuple[str, Callable[[], list[SeedResult]]]]:
    found = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.reference")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reference":
                raise
            continue
        found.append((config.label, module.seed))
    return found


def reference_data_seed() -> list[SeedResult]:
    from portal.models import OrgUnit

    if not OrgUnit.objects.filter(level="city").exists():
        raise DomainError("尚未导入组织树：请先用 manage.py import_orgs 导入市级组织，再载入基础数据。")
    results: list[SeedResult] = []
    with transaction.atomic():
        for _label, seed in seeders():
            results.extend(seed())
        created = {r.label: r.created for r in results if r.created}
        if created:
            audit("portal.reference_data_seed", after=created)
    return results
