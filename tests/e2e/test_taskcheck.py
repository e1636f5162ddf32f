"""Browser journey: community staff check a task, get the verdict and download a refusal notice."""

from __future__ import annotations

import subprocess
from pathlib import Path

from portal.pdf import pdf_text

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"


def test_community_staff_check_a_task_and_download_a_refusal_notice(page, login, shot, tmp_path):
    login(page, "community_staff")
    page.goto("/check/")
    assert page.locator("#tc-community").input_value() == "120103001001"
    page.fill("#tc-title", "由社区负责辖区违建拆除")
    page.fill("#tc-description", "请各社区于6月30日前完成辖区违法建设拆除，街道将进行验收。")
    page.fill("#tc-department", "河西区城市管理委员会")
    page.get_by_test_id("check").click()
    page.wait_for_load_state()
    verdict = page.get_by_test_id("verdict")
    assert verdict.get_attribute("data-verdict") == "prohibited"
    assert "拆迁拆违" in verdict.inner_text()
    shot(page, "taskcheck-prohibited")

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("refuse").click()
    page.wait_for_load_state()
    assert "/check/refusals/" in page.url
    assert (
        "unapproved_task" in page.get_by_test_id("complaint-text").input_value()
        or "未经准入" in page.content()
    )
    shot(page, "taskcheck-refusal")

    with page.expect_download() as info:
        page.get_by_test_id("notice-pdf").click()
    pdf_path = tmp_path / "notice.pdf"
    info.value.save_as(pdf_path)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "拒绝承接告知书" in text and "津民发〔2019〕35号" in text and "新华南路社区" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "2",
            str(pdf_path),
            str(SHOTS / "taskcheck-notice"),
        ],
        check=True,
    )


def test_anyone_checks_on_a_phone(phone_page, shot):
    pg = phone_page
    pg.goto("/check/?district=120103")
    pg.select_option("#tc-community", "120103001002")
    pg.fill("#tc-title", "协助开展人口普查入户登记")
    pg.get_by_test_id("check").click()
    pg.wait_for_load_state()
    verdict = pg.get_by_test_id("verdict")
    assert verdict.get_attribute("data-verdict") == "on_list"
    assert "全国人口普查条例" in verdict.inner_text()
    shot(pg, "taskcheck-phone-on-list")
    pg.fill("#tc-title", "请各社区于3月底前建立辖区养犬户登记台账")
    pg.get_by_test_id("check").click()
    pg.wait_for_load_state()
    assert pg.get_by_test_id("verdict").get_attribute("data-verdict") == "not_admitted"
    assert "台账目录清单外的台账" in pg.get_by_test_id("verdict").inner_text()
    shot(pg, "taskcheck-phone-ledger")
