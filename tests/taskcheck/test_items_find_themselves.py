"""Every item's own words find it (issue 9.4): each shipped item's title, and each of its keywords alone and in a
short sentence, gives that item — walked over every item and keyword of the shipped lists."""

from __future__ import annotations

import pytest

from checklists import data
from taskcheck.engine import ON_LIST, evaluate_task

pytestmark = [pytest.mark.django_db, pytest.mark.policy("三（一）-1")]

HOME = "120103001001"
ITEMS = list(data.BASE_ITEMS) + list(data.DEMO_DISTRICT_ITEMS.get("120103", []))


def _owners() -> dict[str, set[str]]:
    """keyword → the items that list it (a keyword two items share may give either)."""
    out: dict[str, set[str]] = {}
    for item in ITEMS:
        for k in item.get("keywords") or ():
            out.setdefault(k, set()).add(item["code"])
    return out


def _phrasings():
    for item in ITEMS:
        yield item["code"], item["title"]
        for k in item.get("keywords") or ():
            yield item["code"], k
            yield item["code"], f"请社区做好{k}相关工作"


@pytest.fixture
def home(demo_full):
    from portal.models import OrgUnit
    from taskcheck import matching, sources

    sources.clear_cache()
    matching.clear_caches()
    return OrgUnit.objects.get(code=HOME)


def _item_code(v) -> str:
    got = (v.matched_item or {}).get("id", "")
    return str(got).split(":")[-1]


def test_every_title_and_keyword_finds_its_item(home):
    owners = _owners()
    misses = []
    for code, text in _phrasings():
        v = evaluate_task(title=text, community=home)
        accepted = {code} | set().union(*(owners[k] for k in owners if k in text and len(k) >= 2))
        found = _item_code(v)
        ok = v.verdict == ON_LIST and (
            any(found == c or found.endswith(c) for c in accepted) or v.rule in ("appraisal", "organisation")
        )
        if not ok:
            misses.append(f"{code} 「{text}」 → {v.verdict}/{v.rule} {found}")
    total = sum(1 for _ in _phrasings())
    assert not misses, f"{len(misses)} of {total}:\n" + "\n".join(misses)


def test_the_issue_examples(home):
    v = evaluate_task(title="独居老人", community=home)
    assert v.verdict == ON_LIST and _item_code(v).endswith("B-20")
    v = evaluate_task(title="做好所属范围内的残疾人工作", community=home)
    assert v.verdict == ON_LIST and _item_code(v).endswith("B-3")
