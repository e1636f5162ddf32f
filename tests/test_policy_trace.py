"""docs/policy.md is the traceability table: every enforced clause has a test, every marker names a real clause."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POLICY_MD = ROOT / "docs" / "policy.md"
ENFORCED = "强制"
STATUSES = {ENFORCED, "记录", "软件之外"}
#: A policy marker in a test module (also inside a pytestmark list), naming its clause.
MARKER_RE = re.compile(r"pytest\.mark\." + r"policy\(\s*[\"']([^\"']+)[\"']\s*\)")


def policy_table(text: str) -> dict[str, dict]:
    """The rows of the table between the policy-table comments: 编号 → {status, requirement, does, where}."""
    body = text.split("<!-- policy-table:start -->", 1)[1].split("<!-- policy-table:end -->", 1)[0]
    rows = {}
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5:
            clause, requirement, status, does, where = cells
            rows[clause] = {"status": status, "requirement": requirement, "does": does, "where": where}
    return rows


def test_markers() -> dict[str, list[str]]:
    """clause → the test modules that carry its marker."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for clause in MARKER_RE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(clause, []).append(str(path.relative_to(ROOT)))
    return found


test_markers.__test__ = False  # a helper, not a test


def problems(rows: dict[str, dict], markers: dict[str, list[str]]) -> list[str]:
    out = []
    for clause, row in rows.items():
        if row["status"] not in STATUSES:
            out.append(f"{clause}: 落实方式“{row['status']}”不是 {'/'.join(sorted(STATUSES))} 之一")
        if row["status"] == ENFORCED and clause not in markers:
            out.append(f'{clause}: 标为强制，但没有带 policy("{clause}") 标记的测试')
    for clause, files in markers.items():
        if clause not in rows:
            out.append(f'标记 policy("{clause}")（{", ".join(files)}）不是 docs/policy.md 中的条款')
    return out


def test_every_enforced_clause_has_a_test_and_every_marker_a_clause():
    rows = policy_table(POLICY_MD.read_text(encoding="utf-8"))
    assert problems(rows, test_markers()) == []


def test_every_test_module_the_document_names_exists():
    """The rounds of the task check's principles (and any other module docs/policy.md names) are real files."""
    named = re.findall(r"`(tests/[\w/]+\.py)`", POLICY_MD.read_text(encoding="utf-8"))
    assert "tests/taskcheck/test_round6_principles.py" in named
    assert [n for n in named if not (ROOT / n).is_file()] == []


def test_the_table_covers_every_clause_of_the_opinion():
    rows = policy_table(POLICY_MD.read_text(encoding="utf-8"))
    heads = {c.split("-")[0] for c in rows}
    assert {"一", "二", "三（一）", "三（二）", "三（三）", "三（四）", "三（五）", "三（六）", "四"} <= heads
    # the negative list sub-clause names the five fields the opinion names
    neg = rows["三（一）-3"]["requirement"]
    for field in ("行政执法", "拆迁拆违", "环境整治", "城市管理", "招商引资"):
        assert field in neg


def test_the_check_fails_on_a_missing_test_and_on_an_unknown_marker():
    rows = {"三（一）-3": {"status": ENFORCED}, "一": {"status": "软件之外"}, "二": {"status": "随便"}}
    found = problems(rows, {"三（九）": ["tests/x/test_y.py"]})
    assert any(p.startswith("三（一）-3: 标为强制") for p in found)
    assert any("三（九）" in p and "不是 docs/policy.md 中的条款" in p for p in found)
    assert any(p.startswith("二: 落实方式") for p in found)
    assert not any(p.startswith("一:") for p in found)


@pytest.mark.django_db
def test_the_public_page_shows_the_same_table_and_the_footer_links_it(client):
    rows = policy_table(POLICY_MD.read_text(encoding="utf-8"))
    r = client.get("/check/policy/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "政策落实对照" in html
    for clause, row in rows.items():
        assert clause in html and row["status"] in html
    home = client.get("/lists/").content.decode()
    assert 'href="/check/policy/"' in home
