"""How many rows does each scoped listing of one district's official read? (docs/scale.md, "Checked by simulation")

Run against a database filled by the scale generator, e.g. at twice Tianjin's size:

    manage.py generate_scale_data --streets 600 --communities 11200
    DJANGO_SETTINGS_MODULE=portal.settings.base .venv/bin/python scripts/scale_scope_check.py 120110

For every scoped model with at least 2,000 rows whose listing is restricted for a district official, the
``for_user(official, "view")`` query runs under ``EXPLAIN (ANALYZE, FORMAT JSON)`` with sequential scans
disabled (the planner's best index plan); the script prints the rows each scan of that model's table read
(returned + filtered out + rechecked, times loops) next to the rows the official may see, and exits 1 when a
query reads more than that district's rows. Nothing is kept: the official is created inside a transaction that
is rolled back.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from portal.choices import Role  # noqa: E402
from portal.models import OrgUnit, RoleAssignment, User  # noqa: E402

MIN_ROWS = 2_000


def touched(plan: dict, table: str) -> int:
    rows = 0
    if plan.get("Relation Name") == table:
        per_loop = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
        per_loop += plan.get("Rows Removed by Index Recheck", 0)
        rows += per_loop * plan.get("Actual Loops", 1)
    return rows + sum(touched(child, table) for child in plan.get("Plans", []))


def main(district_code: str) -> int:
    failures = 0
    with transaction.atomic():
        district = OrgUnit.objects.get(code=district_code)
        official = User.objects.create(username="scale_scope_check_official")
        RoleAssignment.objects.create(user=official, role=Role.DISTRICT_OFFICIAL, org=district)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        print(f"{'model':<36} {'rows':>9} {'visible':>9} {'read':>9}")
        for model in apps.get_models():
            if not (hasattr(model, "scope_q") and hasattr(model.objects, "for_user")) or model._meta.proxy:
                continue
            total = model._base_manager.count()
            if total < MIN_ROWS:
                continue
            queryset = model.objects.for_user(official, "view")
            visible = queryset.count()
            if visible == total:
                continue  # not restricted for viewing
            plan = json.loads(queryset.explain(format="json", analyze=True))
            plan = plan[0]["Plan"] if isinstance(plan, list) else plan["Plan"]
            read = touched(plan, model._meta.db_table)
            bad = read > max(visible * 1.1, visible + 200)
            failures += bad
            print(
                f"{model._meta.label:<36} {total:>9} {visible:>9} {read:>9}{'  ← reads other districts' if bad else ''}"
            )
        transaction.set_rollback(True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "120110"))
