"""At twice Tianjin's size, every scoped listing of a district official reads one district's rows (EXPLAIN).

The scale generator fills 600 streets and 11,200 communities (32 districts' worth of communities spread over
Tianjin's 16 districts) with the apps' scale data on top. For each scoped model with a sizeable table, the
district official's ``for_user(user, "view")`` query runs under ``EXPLAIN (ANALYZE, FORMAT JSON)``; the rows
each scan of that model's table reads (returned, filtered out, rechecked — times loops) must stay within the
rows of that one district. A sequential scan over the whole country's table fails this. See docs/scale.md.
"""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.db import connection

from portal import scale
from portal.choices import Role
from portal.models import OrgUnit, RoleAssignment, User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

STREETS, COMMUNITIES = 2 * scale.DEFAULT_STREETS, 2 * scale.DEFAULT_COMMUNITIES
DISTRICT = "120110"  # 东丽区, one of the 16 districts the generator spreads streets over
MIN_ROWS = 2_000  # tables smaller than this are not "large"


def _touched(plan: dict, table: str) -> int:
    rows = 0
    if plan.get("Relation Name") == table:
        per_loop = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
        per_loop += plan.get("Rows Removed by Index Recheck", 0)
        rows += per_loop * plan.get("Actual Loops", 1)
    for child in plan.get("Plans", []):
        rows += _touched(child, table)
    return rows


def _scoped_models():
    for model in apps.get_models():
        if hasattr(model, "scope_q") and hasattr(model.objects, "for_user") and not model._meta.proxy:
            yield model


@pytest.fixture
def twice_tianjin():
    scale.generate(streets=STREETS, communities=COMMUNITIES, password=None, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    district = OrgUnit.objects.get(code=DISTRICT)
    official = User.objects.create(username="scale_district_official", real_name="区民政局测试")
    RoleAssignment.objects.create(user=official, role=Role.DISTRICT_OFFICIAL, org=district)
    return official, district


def test_every_scoped_query_reads_one_districts_rows(twice_tianjin):
    official, district = twice_tianjin
    assert OrgUnit.objects.filter(level="community").count() >= COMMUNITIES
    checked, failures = {}, []
    for model in _scoped_models():
        table = model._meta.db_table
        total = model._base_manager.count()
        if total < MIN_ROWS:
            continue
        queryset = model.objects.for_user(official, "view")
        visible = queryset.count()
        plan = json.loads(queryset.explain(format="json", analyze=True))
        plan = plan[0]["Plan"] if isinstance(plan, list) else plan["Plan"]
        touched = _touched(plan, table)
        checked[model._meta.label] = (total, visible, touched)
        # One district of 16 holds about 1/16 of the rows; reading more than that district's rows (with a
        # small slack) means the query scanned other districts too.
        if touched > max(visible * 1.1, visible + 200) or touched > total / 4:
            failures.append(f"{model._meta.label}: read {touched} of {total} rows to show {visible}")
    assert checked, "no scoped table reached the size of a large table"
    assert len(checked) >= 3, checked
    print("scoped tables at twice Tianjin (total, visible to one district, rows read):", checked)
    assert not failures, "\n".join(failures) + f"\nchecked: {checked}"
