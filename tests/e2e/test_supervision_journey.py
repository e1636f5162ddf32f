"""Browser journey: community staff refuse a task and file a complaint from the refusal; the 河西区 bureau
investigates, finds it substantiated, publishes the criticism and orders rectification; the department
reports; the bureau closes; the complainant follows every step by code and rates it. A resident's appeal is
answered and rated. Desktop and phone screenshots."""

from __future__ import annotations

import re


def _logout(page):
    page.context.clear_cookies()


def test_refusal_to_closed_complaint(page, login, shot):
    page.set_default_timeout(60000)  # the first task check warms the segmenter; the machine may be busy
    login(page, "community_staff")
    page.goto("/check/")
    page.fill("#tc-title", "社区每月报送慢病随访台账")
    page.fill("#tc-description", "请各社区每月5日前报送慢病患者随访台账纸质版，另建台账，无准入编号。")
    page.fill("#tc-department", "河西区卫生健康委员会")
    page.get_by_test_id("check").click()
    page.wait_for_load_state()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("refuse").click()
    page.wait_for_load_state()
    page.get_by_test_id("file-from-refusal").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("from-refusal").is_visible()
    assert page.locator("#id_community").input_value() == "120103001001"
    assert page.locator("#id_department option:checked").inner_text() == "河西区卫生健康委员会"
    shot(page, "supervision-file-from-refusal")
    page.get_by_test_id("file-complaint").click()
    page.wait_for_load_state()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{24}", code)
    shot(page, "supervision-filed")
    _logout(page)

    login(page, "hexi_official")
    page.goto("/supervision/complaints/?status=submitted")
    page.locator("[data-testid=complaints] a").first.click()
    page.wait_for_load_state()
    assert "张桂英" not in page.content()  # hidden until an audited reveal
    page.get_by_test_id("accept").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "已受理，调查核实中"
    page.fill("#id_summary", "有社区反映贵委要求另建慢病随访台账并每月报送纸质版，请说明依据。")
    page.get_by_test_id("request-statement").click()
    page.wait_for_load_state()
    detail_url = page.url
    shot(page, "supervision-bureau-investigating")
    _logout(page)

    login(page, "hexi_health")
    page.goto("/supervision/department/")
    assert "张桂英" not in page.content()
    page.get_by_role("link", name="提交说明").first.click()
    page.wait_for_load_state()
    page.fill("#id_text", "该台账系我委工作安排疏漏，未经准入，将立即纠正。")
    page.get_by_test_id("send-statement").click()
    page.wait_for_load_state()
    _logout(page)

    login(page, "hexi_official")
    page.goto(detail_url)
    page.check("input[name=substantiated][value=yes]")
    page.fill("#id_reason", "区卫健委未经准入要求社区另建慢病随访台账，违反台账目录管理规定。")
    page.fill("#id_requirements", "取消该台账，书面告知各社区。")
    page.get_by_test_id("verdict").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "查证属实，督促整改中"
    page.get_by_test_id("criticism-edit").click()
    page.wait_for_load_state()
    page.get_by_test_id("submit-criticism").click()
    page.wait_for_load_state()
    _logout(page)

    login(page, "hexi_approver")
    page.goto("/supervision/criticisms/")
    page.locator("[data-testid=criticisms] a").first.click()
    page.check("input[name=decision][value=approve]")
    page.get_by_test_id("decide").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("number").inner_text().startswith("津河西减负通")
    _logout(page)

    login(page, "hexi_health")
    page.goto("/dashboard/")
    assert page.get_by_test_id("sv-open-rectifications").is_visible()
    page.goto("/supervision/department/")
    page.locator("[data-testid=rectifications] a").first.click()
    page.fill("#id_report", "已取消慢病随访台账，并发文告知各社区。")
    page.get_by_test_id("send-report").click()
    page.wait_for_load_state()
    _logout(page)

    login(page, "hexi_official")
    page.goto(detail_url)
    page.check("input[name=decision][value=accept]")
    page.get_by_test_id("verify").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "已办结"
    shot(page, "supervision-bureau-closed")
    _logout(page)

    page.goto(f"/supervision/track/{code}/")
    steps = page.get_by_test_id("timeline").inner_text()
    for label in [
        "提交投诉",
        "受理",
        "查证属实",
        "发布通报批评",
        "被投诉部门报告整改情况",
        "整改核验通过，办结",
    ]:
        assert label in steps
    assert "张桂英" not in page.content()
    page.check("input[name=score][value='5']")
    page.get_by_test_id("send-rating").click()
    page.wait_for_load_state()
    assert "感谢您的评价" in page.content()
    shot(page, "supervision-track")
    page.get_by_test_id("criticism-link").click()
    page.wait_for_load_state()
    assert "通报" in page.get_by_test_id("notice").inner_text()
    shot(page, "supervision-notice")


def test_public_statistics_and_appeal_on_a_phone(phone_page, login, shot):
    pg = phone_page
    pg.set_default_timeout(60000)
    pg.goto("/supervision/")
    assert pg.get_by_test_id("chart-org").locator("svg").count() == 1
    assert pg.locator("[data-testid=published] a").count() >= 2
    shot(pg, "supervision-public-phone")
    login(pg, "resident")
    pg.goto("/supervision/appeals/new/")
    pg.select_option("#id_category", "facilities")
    pg.fill("#id_text", "小区东门路灯不亮，夜间出行不便。")
    pg.get_by_test_id("send-appeal").click()
    pg.wait_for_load_state()
    url = pg.url
    shot(pg, "supervision-appeal-phone")
    pg.context.clear_cookies()
    login(pg, "community_staff")
    pg.goto(url)
    pg.fill("#id_answer", "已报修，今晚修复。")
    pg.get_by_test_id("send-answer").click()
    pg.wait_for_load_state()
    pg.context.clear_cookies()
    login(pg, "resident")
    pg.goto(url)
    pg.check("input[name=score][value='5']")
    pg.get_by_test_id("send-rating").click()
    pg.wait_for_load_state()
    assert pg.get_by_test_id("rating").inner_text().startswith("5 分")
    shot(pg, "supervision-appeal-rated-phone")
