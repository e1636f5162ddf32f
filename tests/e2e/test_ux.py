"""What people meet, in a real browser at desktop and phone width: error pages, the verification page,
self-updating job pages, the elder-friendly mode, tap targets, and axe-core on public and resident pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

PUBLIC_PAGES = [
    "/",
    "/lists/",
    "/lists/negative/",
    "/check/",
    "/certificates/",
    "/verify/",
    "/admission/verify/",
    "/evaluations/results/",
    "/accounts/login/",
]
RESIDENT_PAGES = ["/dashboard/", "/certificates/my/", "/certificates/apply/?type=residence"]


def _axe_serious(pg) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(pg)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in bad
    ]


def _small_targets(pg) -> list[str]:
    """Buttons, form controls and menu links smaller than 44×44 px (links inside running text excepted)."""
    return pg.evaluate(
        """() => {
      const out = [];
      const sel = 'button, .btn, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, .main-nav a, .header-tools a';
      document.querySelectorAll(sel).forEach(el => {
        const r = el.getBoundingClientRect();
        const st = getComputedStyle(el);
        if (!r.width || !r.height || st.visibility === 'hidden' || el.closest('[hidden]')) return;
        if (el.closest('.main-nav ul') && !el.closest('.main-nav ul').offsetParent) return;
        if (r.height < 43.5 || r.width < 43.5) out.push(`${el.tagName}.${el.className} "${(el.textContent||el.name||'').trim().slice(0,20)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      });
      return out;
    }"""
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_error_pages_in_the_portal_layout(request, live_demo, width, login, shot):
    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    response = pg.goto("/lists/no-such-page/")
    assert response.status == 404
    assert pg.get_by_test_id("error-page").is_visible()
    assert "页面不存在" in pg.inner_text("h1")
    assert pg.locator(".site-header").is_visible()
    shot(pg, f"ux-error-404-{width}")
    login(pg, "community_staff")
    response = pg.goto("/certificates/apply/")
    assert response.status == 403
    assert pg.get_by_test_id("error-reason").inner_text() == "只有居民可以在线申请证明。"
    pg.get_by_test_id("error-section").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/certificates/")
    pg.goto("/certificates/apply/")
    shot(pg, f"ux-error-403-{width}")
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_verification_page_takes_a_typed_code(request, live_demo, width, shot):
    from certificates.models import Certificate

    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    pg.goto("/certificates/verify/")
    shot(pg, f"ux-verify-form-{width}")
    pg.fill("input[name=code]", "R7-ZZZZZZ")
    pg.click("[data-testid=verify-form] button[type=submit]")
    pg.wait_for_load_state()
    assert pg.get_by_test_id("verify-error").is_visible()
    assert pg.input_value("input[name=code]") == "R7-ZZZZZZ"
    shot(pg, f"ux-verify-error-{width}")
    cert = Certificate.objects.first()
    pg.fill("input[name=code]", cert.verify_code.lower())
    pg.click("[data-testid=verify-form] button[type=submit]")
    pg.wait_for_load_state()
    assert f"/certificates/verify/{cert.verify_code}/" in pg.url
    assert pg.get_by_test_id("verify-result").is_visible()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_job_page_moves_by_itself_and_says_done(request, live_demo, width, login, shot):
    from portal.jobs import job_create, job_finish, job_progress, job_start
    from portal.models import User

    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    login(pg, "hexi_official")
    job = job_create(
        kind="export", title="批量生成评星定级表", requested_by=User.objects.get(username="hexi_official")
    )
    job_start(job_id=job.pk)
    job_progress(job_id=job.pk, progress=10, message="正在生成第 1 份")
    pg.goto(f"/jobs/{job.pk}/")
    assert pg.get_by_test_id("job-percent").inner_text() == "10%"
    job_progress(job_id=job.pk, progress=60, message="正在生成第 6 份")
    expect(pg.get_by_test_id("job-percent")).to_have_text("60%")
    assert "正在生成第 6 份" in pg.get_by_test_id("job-message").inner_text()
    shot(pg, f"ux-job-running-{width}")
    job_finish(job_id=job.pk, file_name="sheets.zip", content=b"PK")
    expect(pg.get_by_test_id("job-state")).to_have_text("已完成")
    assert pg.get_by_test_id("job-download").is_visible()
    assert "正在生成" not in pg.inner_text("main")
    shot(pg, f"ux-job-done-{width}")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_elder_mode_is_switchable_and_remembered(request, live_demo, width, shot):
    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    pg.goto("/certificates/")
    base = pg.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    pg.get_by_test_id("elder-toggle").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/certificates/")
    assert pg.evaluate("document.documentElement.classList.contains('elder')")
    big = pg.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert big >= base * 1.2
    shot(pg, f"ux-elder-{width}")
    pg.goto("/lists/")  # remembered on the next page
    assert pg.evaluate("document.documentElement.classList.contains('elder')")
    pg.get_by_test_id("elder-toggle").click()
    pg.wait_for_load_state()
    assert not pg.evaluate("document.documentElement.classList.contains('elder')")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_public_and_resident_pages_pass_axe_and_have_big_tap_targets(request, live_demo, width, login):
    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    problems = {}
    for url in PUBLIC_PAGES:
        pg.goto(url)
        found = _axe_serious(pg) + (_small_targets(pg) if width == "phone" else [])
        if found:
            problems[url] = found
    login(pg, "resident")
    for url in RESIDENT_PAGES:
        pg.goto(url)
        found = _axe_serious(pg) + (_small_targets(pg) if width == "phone" else [])
        if found:
            problems[url] = found
    assert not problems, problems


def test_sticky_submit_never_covers_the_focused_field(phone_page, login, shot):
    pg = phone_page
    login(pg, "resident")
    pg.goto("/certificates/apply/?type=residence")
    for name in ("id_number", "purpose", "reason"):
        field = pg.locator(f"[name={name}]")
        field.focus()
        pg.wait_for_timeout(150)
        covered = pg.evaluate(
            """(name) => {
          const f = document.querySelector(`[name=${name}]`).getBoundingClientRect();
          return [...document.querySelectorAll('.apply-form .btn-block, .sticky-submit, .sticky-actions')].some(b => {
            const r = b.getBoundingClientRect();
            return r.height && r.top < f.bottom && r.bottom > f.top;
          });
        }""",
            name,
        )
        assert not covered, name
    shot(pg, "ux-apply-focus-phone")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_charts_are_readable_and_have_their_data(request, live_demo, width, shot):
    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    pg.goto("/evaluations/results/")
    smallest = pg.evaluate(
        """() => {
      let min = 1000, n = 0, where = "";
      document.querySelectorAll('.chart svg').forEach(svg => {
        if (!svg.getBoundingClientRect().width) return;  // the layout for the other width
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        svg.querySelectorAll('text').forEach(t => {
          n++;
          const px = parseFloat(t.getAttribute('font-size')) * scale;
          if (px < min) { min = px; where = `${t.textContent} in ${svg.getAttribute('aria-labelledby')} at ${svg.getBoundingClientRect().width}/${svg.viewBox.baseVal.width}, window ${window.innerWidth}`; }
        });
      });
      return [min, n, where];
    }"""
    )
    assert smallest[1] > 10, "the charts have labels"
    assert smallest[0] >= 11, f"smallest chart label {smallest[0]:.1f}px: {smallest[2]}"
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for chart in ("chart-distribution", "chart-trend"):
        assert pg.locator(f"[data-testid={chart}] svg desc").first.text_content()
        pg.get_by_test_id(f"{chart}-data").locator("summary").click()
        assert pg.get_by_test_id(f"{chart}-data").locator("tbody tr").count() >= 1
    shot(pg, f"ux-charts-{width}")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_refused_application_keeps_what_was_typed(request, live_demo, width, login, shot, tmp_path):
    from certificates.personal import id_check_char
    from tests.certificates.conftest import pdf_bytes, png_bytes

    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    front, hukou = tmp_path / "身份证正面.png", tmp_path / "户口本.pdf"
    front.write_bytes(png_bytes((400, 250)))
    hukou.write_bytes(pdf_bytes())
    number = "12010319900315402" + id_check_char("12010319900315402")
    login(pg, "resident")
    pg.goto("/certificates/apply/?type=residence")
    pg.fill("input[name=id_number]", number)
    pg.fill("textarea[name=reason]", "在本社区居住五年，孩子上学需要居住证明。")
    pg.set_input_files("input[name=id_front]", str(front))
    pg.set_input_files("input[name=household_register]", str(hukou))
    pg.check("input[name=pledge]")
    pg.click("form[data-testid=apply-form] .btn-block")  # the purpose is missing
    pg.wait_for_load_state()
    assert pg.get_by_test_id("error-summary").is_visible()
    assert pg.input_value("textarea[name=reason]") == "在本社区居住五年，孩子上学需要居住证明。"
    assert pg.get_by_test_id("pending-file").count() == 2
    assert pg.get_by_test_id("id-kept").is_visible() and number not in pg.content()
    shot(pg, f"ux-apply-kept-{width}")
    pg.get_by_test_id("error-summary").locator("a").first.click()
    assert pg.evaluate("document.activeElement.name") == "purpose" or pg.url.endswith("#id_purpose")
    pg.fill("input[name=purpose]", "办理子女小学入学")
    pg.click("form[data-testid=apply-form] .btn-block")
    pg.wait_for_load_state()
    assert "/certificates/applications/" in pg.url, pg.content()[:2000]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_duplicate_refusal_asks_first_and_the_notice_has_a_chinese_name(
    request, live_demo, width, login, shot
):
    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    login(pg, "community_staff")
    pg.goto("/check/?community=120103001001&title=请各社区完成本季度招商引资任务&department=河西区商务局")
    pg.once("dialog", lambda d: d.accept())
    pg.get_by_test_id("refuse").click()
    pg.wait_for_load_state()
    assert "/check/refusals/" in pg.url
    with pg.expect_download() as info:
        pg.locator("a[href$='notice.pdf']").first.click()
    assert info.value.suggested_filename.startswith("拒绝承接告知书-")
    pg.goto("/check/?community=120103001001&title=请各社区完成本季度招商引资任务&department=河西区商务局")
    assert pg.get_by_test_id("duplicate-warning").is_visible()
    shot(pg, f"ux-refusal-duplicate-{width}")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_public_words_and_english_on_public_pages(request, live_demo, width, shot):
    pg = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    pg.goto("/certificates/")
    assert "法规依据待核实" not in pg.content()
    assert pg.get_by_test_id("review-time").first.is_visible()
    pg.goto("/")
    pg.get_by_test_id("lang-en").click()  # the language switch
    pg.wait_for_load_state()
    assert pg.evaluate("document.documentElement.lang") == "en"
    assert "Check a task" in pg.inner_text("main") and "政策要点" not in pg.inner_text("main")
    shot(pg, f"ux-home-english-{width}")


def test_stacked_tables_on_the_phone_label_only_labelled_cells(phone_page, login, shot):
    """On a phone a table's rows stack and each cell is led by its column's name and a colon; a cell with no
    column name (the to-do list's 办理 button) shows no lone colon before it."""
    pg = phone_page
    login(pg, "community_staff")
    pg.goto("/dashboard/")
    cells = pg.evaluate(
        """() => [...document.querySelectorAll('table.data.stack td')].map(td => ({
          label: td.getAttribute('data-label') || '',
          before: getComputedStyle(td, '::before').content,
          text: td.innerText.trim(),
        }))"""
    )
    actions = [c for c in cells if c["text"] == "办理"]
    assert actions, "the community's demo to-dos are listed with their 办理 button"
    assert all(c["before"] in ("none", "normal") for c in actions), actions
    labelled = [c for c in cells if c["label"]]
    assert labelled and all(c["before"] == f'"{c["label"]}："' for c in labelled), labelled
    shot(pg, "ux-dashboard-todos-phone")
