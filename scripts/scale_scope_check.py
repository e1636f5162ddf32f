"""How many rows does each scoped listing of one district's official read? (docs/scale.md, "Checked by simulation")

Run against a database filled by the scale generator, e.g. at twice Tianjin's size:

    manage.py generate_scale_data --streets 600 --communities 11200
    DJANGO_SETTINGS_MODULE=portal.settings.base .venv/bin/python scripts/scale_scope_check.py 120110

For every scoped model with at least 2,000 rows whose listing is restricted for a district official, the
``for_user(official, "view")`` query runs under ``EXPLAIN (ANALYZE, FORMAT JSON)`` with sequential scans
disabled (the planner's best index plan); the script prints the rows each scan of that model's table read
(returned + filtered out + rechecked, times loops) next to the rows the official may see and the rows of the
district (its ``district_code``), and exits 1 when a query reads more than that district's rows. The same check
runs in CI on a smaller dataset of the same shape: ``tests/portal/test_scope_scale.py``
(``portal.scale.scope_reads``). Nothing is kept: the official is created inside a transaction that
is rolled back.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from portal.choices import Role  # noqa: E402
from portal.models import OrgUnit, RoleAssignment, User  # noqa: E402
from portal.scale import scope_reads  # noqa: E402

MIN_ROWS = 2_000


def main(district_code: str) -> int:
    with transaction.atomic():
        district = OrgUnit.objects.get(code=district_code)
        official = User.objects.create(username="scale_scope_check_official")
        RoleAssignment.objects.create(user=official, role=Role.DISTRICT_OFFICIAL, org=district)
        reads = scope_reads(official, district_code, min_rows=MIN_ROWS)
        transaction.set_rollback(True)
    print(f"{'model':<36} {'rows':>9} {'visible':>9} {'district':>9} {'read':>9}")
    for r in reads:
        flag = "" if r.within_district else "  ← reads other districts"
        print(f"{r.label:<36} {r.total:>9} {r.visible:>9} {r.district_rows:>9} {r.read:>9}{flag}")
    return 0 if all(r.within_district for r in reads) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "120110"))
