"""The engine's contract: rule order, the community-less check, caching per list version, speed."""

from __future__ import annotations

import pytest

from taskcheck import engine
from taskcheck.engine import ADMITTED, NOT_ADMITTED, ON_LIST, PROHIBITED, TaskVerdict, evaluate_task
from tests.taskcheck.conftest import community

pytestmark = pytest.mark.django_db


def test_builtin_rules_run_in_the_documented_order():
    names = [(order, name) for order, name, _ in engine.rules()]
    # structure first (round 6): the task's structure is read before any rule matches anything
    assert names[0] == (0, "structure")
    assert ("10", "negative_list") == (str(names[1][0]), names[1][1])
    order = {name: o for o, name in names}
    assert order["negative_list"] < order["registers"] < order["admission_no"] < order["list_item"]
    assert order.get("appraisal", 30) == 30


def test_register_rule_is_idempotent_and_a_rule_can_decide(reference_lists):
    calls = []

    def rule(query):
        calls.append(query.title)
        return TaskVerdict(PROHIBITED, "测试规则", rule="test") if "测试" in query.title else None

    before = len(engine.rules())
    engine.register_rule("test_rule", rule, order=35)
    engine.register_rule("test_rule", rule, order=35)
    try:
        assert len(engine.rules()) == before + 1
        assert evaluate_task(title="测试任务", community=community()).rule == "test"
        assert evaluate_task(title="协助开展人口普查入户登记", community=community()).verdict == ON_LIST
    finally:
        engine._RULES[:] = [r for r in engine._RULES if r[1] != "test_rule"]


def test_negative_list_wins_over_a_valid_admission_number(reference_lists):
    v = evaluate_task(
        title="由社区负责辖区违建拆除", community=community(), admission_no="津河西准〔2026〕3号"
    )
    assert v.verdict == PROHIBITED


def test_without_a_community_the_city_lists_decide(reference_lists):
    assert evaluate_task(title="由社区负责辖区违建拆除").verdict == PROHIBITED
    assert evaluate_task(title="协助开展人口普查入户登记").matched_item["id"] == "B-33"
    assert evaluate_task(title="开展经济普查入户登记").verdict == NOT_ADMITTED
    assert evaluate_task(title="城乡居民医保参保动员", admission_no="津河西准〔2026〕5号").verdict == ADMITTED
    assert evaluate_task(title="随便", admission_no="津河西准〔2026〕5号").verdict == NOT_ADMITTED


def test_the_base_lists_are_read_once_per_version(reference_lists, monkeypatch):
    from types import SimpleNamespace

    from checklists import selectors as cl

    reads = []
    monkeypatch.setattr(
        cl, "district_checklist", lambda *, district: reads.append(1) or list(reference_lists.BASE_ITEMS)
    )
    stamp = {"v": 1}
    monkeypatch.setattr(
        cl,
        "current_versions",
        lambda *, org_codes, on=None: {"120000": SimpleNamespace(pk=stamp["v"], number=stamp["v"])},
    )
    for _ in range(3):
        evaluate_task(title="协助开展人口普查入户登记", community=community())
    assert len(reads) == 1
    stamp["v"] = 2
    evaluate_task(title="协助开展人口普查入户登记", community=community())
    assert len(reads) == 2


def test_a_changed_item_changes_the_answer(reference_lists, monkeypatch):
    from types import SimpleNamespace

    from checklists import selectors as cl

    items = [i for i in reference_lists.BASE_ITEMS if i.id != "B-33"]
    monkeypatch.setattr(cl, "district_checklist", lambda *, district: items)
    monkeypatch.setattr(
        cl, "current_versions", lambda *, org_codes, on=None: {"120000": SimpleNamespace(pk=9, number=9)}
    )
    assert evaluate_task(title="协助开展人口普查入户登记", community=community()).verdict == NOT_ADMITTED
