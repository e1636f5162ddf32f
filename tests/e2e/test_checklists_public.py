"""A newcomer finds a community's public lists — both lists with their legal bases — on desktop and phone."""


def _find_community(pg):
    pg.goto("/")
    pg.get_by_role("link", name="查看社区工作事项清单").click()
    pg.wait_for_load_state()
    pg.get_by_role("link", name="河西区").first.click()
    pg.wait_for_load_state()
    pg.get_by_role("link", name="新华南路社区").click()
    pg.wait_for_load_state()


def test_newcomer_finds_both_lists_with_legal_bases(page, shot):
    _find_community(page)
    assert page.url.endswith("/lists/community/120103001001/")
    autonomy = page.get_by_test_id("list-autonomy")
    assistance = page.get_by_test_id("list-assistance")
    assert "居委会群众自治工作职责清单" in autonomy.inner_text()
    assert "16 项" in autonomy.inner_text()
    assert "居委会依法协助政府工作事项清单" in assistance.inner_text()
    census = page.locator("#item-B-29")
    assert "协助开展人口普查" in census.inner_text()
    assert "《全国人口普查条例》第三条第四款（行政法规）" in census.inner_text()
    assert page.get_by_test_id("qr").locator("svg").is_visible()
    shot(page, "checklists-community-desktop")
    # Search narrows the page to the matching items.
    page.fill("#cl-q", "留置送达")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "派员见证留置送达" in text and "第一百三十条" in text and "协助开展人口普查" not in text
    # Print layout hides the navigation and the search.
    page.emulate_media(media="print")
    assert not page.locator(".cl-search").is_visible()
    page.emulate_media(media="screen")
    # The negative list is in the menu's group of lists.
    page.get_by_test_id("nav-group-lists").locator("summary").click()
    page.get_by_test_id("nav-group-lists").get_by_role("link", name="负面清单").click()
    page.wait_for_load_state()
    assert "招商引资" in page.locator("main").inner_text()


def test_phone_shows_the_lists(phone_page, shot):
    _find_community(phone_page)
    assert phone_page.get_by_test_id("list-assistance").is_visible()
    assert "《中华人民共和国国防教育法》第二十四条（法律）" in phone_page.locator("#item-B-34").inner_text()
    shot(phone_page, "checklists-community-phone")
