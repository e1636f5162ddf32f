"""Star rating in the browser: the community self-assesses, the street adjusts a score with a reason, the
district reviews, the city confirms and publishes; the public page shows stars and charts, and the
rectification list shows the communities without a star."""

import re

from evaluations.models import Assessment


def _logout(page):
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()


def _act(page, action):
    page.get_by_test_id(f"action-{action}").click()
    page.wait_for_load_state()


def test_star_rating_journey(page, login, shot):
    mine = Assessment.objects.get(cycle__year=2026, community__code="120103001001")
    url = f"/evaluations/assessments/{mine.pk}/"

    # 1. The community self-assesses every indicator and submits.
    login(page, "community_staff")
    page.goto("/evaluations/")
    page.get_by_test_id("open-120103001001").click()
    page.wait_for_load_state()
    assert "社区自评" in page.get_by_test_id("stage-label").inner_text()
    inputs = page.locator("input[name^=score_]")
    for i in range(inputs.count()):
        box = inputs.nth(i)
        box.fill(str(round(float(box.get_attribute("max")) * 0.94, 1)))
    page.fill("#summary", "本年度按清单履职，诉求按时答复，台账已按目录清单精简。")
    page.get_by_test_id("save-scores").click()
    page.wait_for_load_state()
    assert "得分已保存" in page.content()
    shot(page, "evaluations-self-assessment")
    _act(page, "submit")
    assert "街道审核" in page.get_by_test_id("stage-label").inner_text()
    _logout(page)

    # 2. The street adjusts one score — a reason is required — and approves.
    login(page, "street_staff")
    page.goto(url)
    first = page.get_by_test_id("score-1-1")
    first.fill("20")
    page.get_by_test_id("save-scores").click()
    page.wait_for_load_state()
    assert "调整得分须说明理由" in page.content()
    page.get_by_test_id("score-1-1").fill("20")
    page.get_by_test_id("reason-1-1").fill("换届材料不全，按评分指引扣分")
    page.get_by_test_id("save-scores").click()
    page.wait_for_load_state()
    history = page.get_by_test_id("history").inner_text()
    assert "换届材料不全" in history and "吴秀兰" in history and re.search(r"28\.2\s*→\s*20\.0", history)
    shot(page, "evaluations-street-adjusts")
    _act(page, "street_approve")
    assert "区级复核" in page.get_by_test_id("stage-label").inner_text()
    _logout(page)

    # 3. The district reviews.
    login(page, "hexi_official")
    page.goto(url)
    _act(page, "district_approve")
    assert "市级确认" in page.get_by_test_id("stage-label").inner_text()
    _logout(page)

    # 4. The city confirms and publishes the year.
    login(page, "city_admin")
    page.goto(url)
    _act(page, "city_confirm")
    assert "已确认待发布" in page.get_by_test_id("stage-label").inner_text()
    page.goto("/evaluations/?year=2026")
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("publish-cycle").click()
    page.wait_for_load_state()
    assert "/evaluations/results/" in page.url
    _logout(page)

    # 5. Anyone sees the stars, the charts and the rectification list.
    page.goto("/evaluations/results/")
    assert "2026年度" in page.locator("h1").inner_text()
    table = page.get_by_test_id("results-table").inner_text()
    assert "新华南路社区" in table and "★" in table
    assert page.locator("[data-testid=chart-distribution] svg rect").count() > 3
    assert page.locator("[data-testid=chart-trend] svg rect").count() > 3
    rect = page.get_by_test_id("rectification-public").inner_text()
    assert "北海里社区" in rect
    shot(page, "evaluations-results-public")
    page.goto("/evaluations/results/?year=2025&district=120103")
    assert "桃园村社区" in page.get_by_test_id("rectification-public").inner_text()

    # 6. Staff see the rectification list with the communities without a star.
    login(page, "hexi_official")
    page.goto("/evaluations/rectification/")
    listing = page.get_by_test_id("rectification-list").inner_text()
    assert "北海里社区" in listing and "桃园村社区" in listing
    shot(page, "evaluations-rectification-list")


def test_results_page_on_a_phone(phone_page, shot):
    phone_page.goto("/evaluations/results/?year=2025")
    # One chart shown, in its phone layout (the desktop layout is hidden at this width).
    assert phone_page.locator("[data-testid=chart-distribution] svg:visible").count() == 1
    assert phone_page.locator("[data-testid=chart-distribution] .chart-narrow svg").is_visible()
    shot(phone_page, "evaluations-results-phone")
