"""English that is whole on the public pages (issue 14.9), in a real browser at desktop and phone width.

The visitor switches to English with the header button; every public page then reads in English apart from the
proper names marked ``lang="zh-CN"``. Screenshots go to var/shots/ (looked at by a person)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.e2e.test_ux import _axe_serious, _small_targets

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "shots"
COMMUNITY = "120103001001"
PAGES = {
    "lists": "/lists/",
    "community": f"/lists/community/{COMMUNITY}/",
    "negative": "/lists/negative/",
    "check": "/check/?"
    + urlencode(
        {"community": COMMUNITY, "title": "社区负责辖区违法建设拆除", "description": "限期完成拆违任务"}
    ),
    "policy": "/check/policy/",
    "certificates": "/certificates/",
    "barred": "/certificates/barred/?q=无犯罪记录证明",
    "results": "/evaluations/results/",
}

#: The text a reader sees, without proper names (lang="zh-CN"), what they typed and form controls' contents.
VISIBLE_CHINESE = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang^="zh"], [data-user-text], textarea, select, script, style, svg').forEach(e => e.remove());
  const text = body.innerText || body.textContent;
  const m = text.match(/[\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef]+/g);
  return m ? m.slice(0, 10) : [];
}"""


def _shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_switching_to_english_makes_the_public_pages_english(request, live_demo, width):
    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    pg.goto(PAGES["lists"])
    assert pg.evaluate("document.documentElement.lang") == "zh-CN"
    pg.get_by_test_id("lang-en").click()  # the language switch in the header
    pg.wait_for_load_state()
    problems = {}
    for name, url in PAGES.items():
        pg.goto(url)
        assert pg.evaluate("document.documentElement.lang") == "en", url
        assert pg.get_by_test_id("chinese-only").count() == 0, url
        found = pg.evaluate(VISIBLE_CHINESE)
        if found:
            problems[url] = found
        _shot(pg, f"english-{name}-{width}")
    assert not problems, problems
    pg.goto(PAGES["check"])
    assert pg.get_by_test_id("verdict").get_attribute("data-verdict") == "prohibited"
    assert "may not be made the responsible party" in pg.get_by_test_id("reason").inner_text()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_english_pages_pass_axe_also_in_elder_mode(request, live_demo, width):
    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    pg.goto("/lists/")
    pg.get_by_test_id("lang-en").click()
    pg.wait_for_load_state()
    problems = {}
    for elder in (False, True):
        if elder:
            pg.get_by_test_id("elder-toggle").click()
            pg.wait_for_load_state()
            assert pg.evaluate("document.documentElement.classList.contains('elder')")
        for url in PAGES.values():
            pg.goto(url)
            found = _axe_serious(pg) + (_small_targets(pg) if width == "phone" else [])
            if found:
                problems[f"{url} elder={elder}"] = found
        if elder:
            _shot(pg, f"english-results-elder-{width}")
    assert not problems, problems
