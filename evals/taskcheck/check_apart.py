#!/usr/bin/env python3
"""Check that the held-apart sets written since round 3 are apart: no row of ``eval_set_4.py`` whose normalised text
equals, or is within a small edit distance of, a row of sets 1–3 or a tuning phrasing of ``tests/taskcheck/``;
none of ``eval_set_5.py`` close to a row of sets 1–4 or a tuning phrasing; none of ``eval_set_6.py`` close to a
row of sets 1–5 or a tuning phrasing; none of ``eval_set_7.py`` close to a row of sets 1–6 or a tuning phrasing;
and none of ``eval_set_8.py`` close to a row of sets 1–7 or a tuning phrasing.

Normalised: punctuation, quotes, spaces, digits and ASCII letters dropped (dates and counts do not make a row new).
Near: Levenshtein distance ≤ 3, or ≤ 25% of the longer text. Compared are the titles and the full texts (title +
description). Tuning phrasings are every string literal of three or more Chinese characters in the test files.
Runs without Django: ``python evals/taskcheck/check_apart.py`` (exit 1 and the pairs when a row is too close).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from evals.taskcheck import eval_set as E1  # noqa: E402
from evals.taskcheck import eval_set_2 as E2  # noqa: E402
from evals.taskcheck import eval_set_3 as E3  # noqa: E402
from evals.taskcheck import eval_set_4 as E4  # noqa: E402
from evals.taskcheck import eval_set_5 as E5  # noqa: E402
from evals.taskcheck import eval_set_6 as E6  # noqa: E402
from evals.taskcheck import eval_set_7 as E7  # noqa: E402
from evals.taskcheck import eval_set_8 as E8  # noqa: E402

#: Each set checked, with the sets it must stay apart from (and the tuning phrasings, always).
CHECKED = (
    (E4, (E1, E2, E3)),
    (E5, (E1, E2, E3, E4)),
    (E6, (E1, E2, E3, E4, E5)),
    (E7, (E1, E2, E3, E4, E5, E6)),
    (E8, (E1, E2, E3, E4, E5, E6, E7)),
)

HAN = re.compile(r"[\u4e00-\u9fff]")


def norm(text: str) -> str:
    return "".join(HAN.findall(text))


def distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance, stopping early once every cell exceeds ``cap``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > cap:
            return cap + 1
        prev = cur
    return prev[-1]


def near(a: str, b: str) -> bool:
    if not a or not b:
        return False
    cap = max(3, int(0.25 * max(len(a), len(b))))
    return distance(a, b, cap) <= cap


def _texts(case) -> set[str]:
    return {norm(case.title), norm(case.title + case.description)} - {""}


def tuning_phrasings() -> set[str]:
    out: set[str] = set()
    for path in sorted((ROOT / "tests" / "taskcheck").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = norm(node.value)
                if len(text) >= 3:
                    out.add(text)
    return out


def check(newest, earlier_sets, tuning: set[str]) -> int:
    """Print the rows of ``newest`` too close to an earlier row or a tuning phrasing; the number of problems."""
    earlier = {
        t: f"{m.__name__.rsplit('.', 1)[-1]}: {c.title}"
        for m in earlier_sets
        for c in m.CASES
        for t in _texts(c)
    }
    earlier.update({t: f"tuning: {t}" for t in tuning if t not in earlier})
    name = newest.__name__.rsplit(".", 1)[-1]
    problems = []
    seen: dict[str, str] = {}
    for case in newest.CASES:
        for text in _texts(case):
            for other, where in earlier.items():
                if text == other or near(text, other):
                    problems.append(f"{case.title}  ~  {where}")
            if text in seen and seen[text] != case.title:
                problems.append(f"{case.title}  ~  {name}: {seen[text]}")
            seen[text] = case.title
    counts = {cls: sum(c.cls == cls for c in newest.CASES) for cls in newest.CLASSES}
    print(
        f"{name}.py: {len(newest.CASES)} rows {counts}; compared with {len(earlier)} earlier rows and tuning phrasings"
    )
    for p in sorted(set(problems)):
        print("  too close:", p)
    return len(problems)


def main() -> int:
    tuning = tuning_phrasings()
    problems = sum(check(newest, earlier_sets, tuning) for newest, earlier_sets in CHECKED)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
