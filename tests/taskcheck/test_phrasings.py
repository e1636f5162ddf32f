"""The engine against realistic wordings: at least 60 per verdict, near misses included (reference lists)."""

from __future__ import annotations

import pytest

from taskcheck.engine import ADMITTED, NOT_ADMITTED, ON_LIST, PROHIBITED, evaluate_task
from tests.taskcheck import phrasings as P
from tests.taskcheck.conftest import community

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.policy("三（一）-3"),
    pytest.mark.policy("三（三）-2"),
    pytest.mark.policy("三（三）-3"),
]


def check(p: P.Phrasing):
    v = evaluate_task(
        title=p.title,
        description=p.description,
        community=community(p.community),
        admission_no=p.admission_no,
    )
    got = f"{v.verdict} via {v.rule} ({(v.matched_item or {}).get('id')}, {v.score}): {v.reason}"
    assert v.verdict == p.verdict, f"{p.label} → {got}"
    if p.items:
        assert (v.matched_item or {}).get("id") in p.items, f"{p.label}: expected item {p.items} → {got}"
    if p.rule:
        assert v.rule == p.rule, f"{p.label}: expected rule {p.rule} → {got}"
    assert v.reason and v.clause.startswith("津民发〔2019〕35号"), got
    if v.verdict == ON_LIST and v.rule == "list_item":
        assert v.matched_item["legal_basis"], "an on-list answer cites the item's legal basis"
    if v.verdict == ADMITTED:
        assert v.admission and v.admission["admission_no"].startswith("津河西准"), got
    if v.verdict in (PROHIBITED, NOT_ADMITTED):
        assert v.refusable and v.as_dict()["complaint_category"]
    return v


@pytest.mark.parametrize("p", P.ON_LIST, ids=lambda p: p.label)
def test_on_list(reference_lists, p):
    check(p)


@pytest.mark.parametrize("p", P.ADMITTED, ids=lambda p: p.label)
def test_admitted(reference_lists, p):
    check(p)


@pytest.mark.parametrize("p", P.PROHIBITED, ids=lambda p: p.label)
def test_prohibited(reference_lists, p):
    check(p)


@pytest.mark.parametrize("p", P.NOT_ADMITTED, ids=lambda p: p.label)
def test_not_admitted(reference_lists, p):
    check(p)


def test_corpus_has_sixty_per_verdict():
    for verdict, rows in (
        (ON_LIST, P.ON_LIST),
        (ADMITTED, P.ADMITTED),
        (PROHIBITED, P.PROHIBITED),
        (NOT_ADMITTED, P.NOT_ADMITTED),
    ):
        assert len(rows) >= 60, verdict
        assert all(p.verdict == verdict for p in rows)
    labels = [(p.title, p.description, p.admission_no, p.community) for p in P.ALL]
    assert len(labels) == len(set(labels)), "no duplicate phrasings"
