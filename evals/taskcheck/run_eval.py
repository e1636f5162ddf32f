"""`make eval`: the task check against the held-apart evaluation sets (``evals/taskcheck/eval_set.py``,
``evals/taskcheck/eval_set_2.py``, ``evals/taskcheck/eval_set_3.py``, ``evals/taskcheck/eval_set_4.py``,
``evals/taskcheck/eval_set_5.py``, ``evals/taskcheck/eval_set_6.py``, ``evals/taskcheck/eval_set_7.py`` and
``evals/taskcheck/eval_set_8.py``).

Runs under pytest-django on a throw-away test database loaded with the demo data (the shipped city lists, the
河西区 additions, the negative list, the certificate catalogue, the appraisal whitelist and the demo admissions),
checks every phrasing for 新华南路社区 through the one engine the page, the API and admission share, and prints,
set by set, the accuracy per class and every miss. Not part of the test suite (``testpaths`` is ``tests``); the
suite has its own tests. It fails when a class of any set is below the target, so that ``make eval`` says so.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from evals.taskcheck import eval_set as E
from evals.taskcheck import eval_set_2 as E2
from evals.taskcheck import eval_set_3 as E3
from evals.taskcheck import eval_set_4 as E4
from evals.taskcheck import eval_set_5 as E5
from evals.taskcheck import eval_set_6 as E6
from evals.taskcheck import eval_set_7 as E7
from evals.taskcheck import eval_set_8 as E8

TARGET = 0.98
COMMUNITY = "120103001001"
REPORT = Path(os.environ.get("JIANFU_EVAL_REPORT", "var/eval-taskcheck.txt"))
SETS = (
    ("evals/taskcheck/eval_set.py", E),
    ("evals/taskcheck/eval_set_2.py", E2),
    ("evals/taskcheck/eval_set_3.py", E3),
    ("evals/taskcheck/eval_set_4.py", E4),
    ("evals/taskcheck/eval_set_5.py", E5),
    ("evals/taskcheck/eval_set_6.py", E6),
    ("evals/taskcheck/eval_set_7.py", E7),
    ("evals/taskcheck/eval_set_8.py", E8),
)


def _label(case: E.Case) -> str:
    return case.title + (f"｜{case.description}" if case.description else "")


def _measure(name: str, module, community) -> tuple[list[str], list[str]]:
    """The report lines of one set, and the classes below the target."""
    from taskcheck.engine import evaluate_task

    right: Counter = Counter()
    total: Counter = Counter()
    misses: list[str] = []
    wrong_on_list = wrong_prohibited = 0
    for case in module.CASES:
        v = evaluate_task(title=case.title, description=case.description, community=community)
        total[case.cls] += 1
        if v.verdict in case.expected:
            right[case.cls] += 1
            continue
        wrong_on_list += v.verdict == E.ON
        wrong_prohibited += v.verdict == E.PRO
        item = (v.matched_item or {}).get("id") or (v.negative_item or {}).get("code") or ""
        misses.append(
            f"  [{case.cls}] {_label(case)}\n      expected {'/'.join(case.expected)}, got {v.verdict}"
            f" (rule {v.rule}{', ' + str(item) if item else ''}): {v.reason[:90]}"
        )
    lines = [f"Task-check evaluation: held-apart set {name}, {len(module.CASES)} phrasings"]
    lines.append(f"{'class':<12}{'right':>7}{'total':>7}{'accuracy':>10}")
    below = []
    for cls in module.CLASSES:
        acc = right[cls] / total[cls] if total[cls] else 0.0
        lines.append(f"{cls:<12}{right[cls]:>7}{total[cls]:>7}{acc:>9.1%}")
        if acc < TARGET:
            below.append(f"{name} {cls}")
    n_right, n_total = sum(right.values()), sum(total.values())
    lines.append(f"{'all':<12}{n_right:>7}{n_total:>7}{n_right / n_total:>9.1%}")
    lines.append(f"wrong on_list answers: {wrong_on_list}; wrong prohibited answers: {wrong_prohibited}")
    lines.append(f"misses ({len(misses)}):" if misses else "misses: none")
    lines.extend(misses)
    return lines, below


@pytest.mark.django_db
def test_eval_taskcheck():
    from portal.demo import load_demo
    from portal.models import OrgUnit
    from taskcheck import matching, sources

    load_demo()
    sources.clear_cache()
    matching.clear_caches()
    community = OrgUnit.objects.get(code=COMMUNITY)
    lines: list[str] = []
    below: list[str] = []
    for name, module in SETS:
        set_lines, set_below = _measure(name, module, community)
        lines.extend(set_lines + [""])
        below.extend(set_below)
    text = "\n".join(lines).rstrip()
    print("\n" + text)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text + "\n", encoding="utf-8")
    assert not below, f"below {TARGET:.0%}: {', '.join(below)}"
