"""The same phrasings against the lists, negative list and registers the checklists app ships (demo data).

Admissions stay the realistic fakes of ``conftest.py``; everything else is the real selectors. Item ids differ
from the reference copy, so only verdicts (and the deciding rule) are compared.
"""

from __future__ import annotations

import pytest

from taskcheck.engine import evaluate_task
from tests.taskcheck import phrasings as P

pytestmark = pytest.mark.django_db

#: Phrasings the shipped lists cannot answer as the reference lists do, because the shipped data has no
#: such item (reported to the checklists engineer). Everything else must agree.
KNOWN_GAPS = {
    "协助城管部门开展文明养犬宣传": "no city-management publicity item (组织法 art. 3(5))",
    "协助做好辖区占道经营劝导工作": "no city-management publicity item",
    "由城管部门负责执法，社区负责宣传劝导": "no city-management publicity item",
    "发现辖区私搭乱建及时劝阻并报告街道": "no item for finding and reporting illegal building",
    "社区不再承担拆违任务，仅负责违建发现报告": "no item for finding and reporting illegal building",
    "组织居民清理楼道杂物": "the public-affairs item has no 楼道 keyword",
    "请各社区报送出租房屋信息台账": "the ledger catalogue does not list the merged rental-housing ledger",
}


@pytest.fixture
def shipped(demo_full, monkeypatch):
    from admission import selectors as adm
    from tests.taskcheck import conftest as c

    monkeypatch.setattr(adm, "admission_lookup", c.fake_admission_lookup)
    monkeypatch.setattr(adm, "admission_valid_for_community", c.fake_admission_valid)
    monkeypatch.setattr(adm, "admitted_tasks_for_community", c.fake_admitted_tasks)
    from portal.models import OrgUnit

    return {o.code: o for o in OrgUnit.objects.filter(code__in=[P.HOME, P.NEIGHBOUR, P.OTHER_STREET])}


def test_shipped_lists_answer_the_phrasings(shipped):
    failures, counts = [], {}
    for p in P.ALL:
        if p.title in KNOWN_GAPS:
            continue
        v = evaluate_task(
            title=p.title,
            description=p.description,
            community=shipped[p.community],
            admission_no=p.admission_no,
        )
        ok = v.verdict == p.verdict and (
            not p.rule or v.rule == p.rule or p.rule in ("ledger", "organisation")
        )
        counts.setdefault(p.verdict, [0, 0])
        counts[p.verdict][1] += 1
        counts[p.verdict][0] += ok
        if not ok:
            failures.append(f"{p.label} → {v.verdict}/{v.rule} {(v.matched_item or {}).get('title', '')}")
    print("shipped lists:", counts)
    assert not failures, f"{len(failures)} phrasings answered differently:\n" + "\n".join(failures)
