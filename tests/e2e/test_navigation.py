"""The city official's menu: one row of groups on a desktop, opened with the keyboard or a tap, and a menu
button on a phone; no page has to be found in two rows of twenty links."""

from __future__ import annotations


def test_desktop_menu_is_one_row_of_groups_and_works_with_the_keyboard(page, login, shot):
    login(page, "city_admin")
    page.goto("/dashboard/")
    bar = page.get_by_test_id("nav")
    assert bar.bounding_box()["height"] < 60  # one row
    certificates = page.get_by_test_id("nav-group-certificates")
    summary = certificates.locator("summary")
    assert not certificates.get_by_role("link", name="证明目录维护").is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert certificates.get_by_role("link", name="证明目录维护").is_visible()
    shot(page, "nav-desktop-open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "社区证明"
    page.keyboard.press("Escape")
    assert not certificates.get_by_role("link", name="证明目录维护").is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # One group open at a time; a click elsewhere closes it.
    page.get_by_test_id("nav-group-reports").locator("summary").click()
    page.get_by_test_id("nav-group-system").locator("summary").click()
    assert not page.get_by_role("link", name="减负成效公示").is_visible()
    assert page.get_by_role("link", name="审计日志").is_visible()
    page.locator("main h1").click(position={"x": 5, "y": 5})  # beside the open list
    assert not page.get_by_role("link", name="审计日志").is_visible()
    # A menu link takes the official there, and the group says where they are.
    page.get_by_test_id("nav-group-reports").locator("summary").click()
    page.get_by_role("link", name="减负成效", exact=True).click()
    page.wait_for_url("**/reports/**")
    assert "is-current" in page.locator(
        ".nav-group", has=page.get_by_test_id("nav-group-reports")
    ).get_attribute("class")
    shot(page, "nav-desktop-current")


def test_phone_menu_opens_from_the_menu_button(phone_page, login, shot):
    login(phone_page, "city_admin")
    phone_page.goto("/dashboard/")
    assert not phone_page.get_by_test_id("nav").is_visible()
    phone_page.get_by_role("button", name="菜单").tap()
    assert phone_page.get_by_test_id("nav").is_visible()
    phone_page.get_by_test_id("nav-group-supervision").locator("summary").tap()
    assert phone_page.get_by_role("link", name="投诉办理").is_visible()
    shot(phone_page, "nav-phone-open")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone_page.get_by_role("link", name="投诉办理").tap()
    phone_page.wait_for_url("**/supervision/**")
