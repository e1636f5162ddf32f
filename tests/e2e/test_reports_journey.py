"""Burden figures in the browser: the 河西区 official opens the dashboard, drills down to a community, orders
the quarterly report, watches the progress bar finish and downloads a PDF whose figures match the dashboard;
the city admin does the same for the city."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from reports.periods import current_quarter
from tests.e2e.conftest import SHOTS
from tests.reports.conftest import add_refusal


def _activity():
    now = timezone.now()
    q = current_quarter()
    for code, verdict, dept in [
        ("120103001001", "not_admitted", "区城管委"),
        ("120103001001", "prohibited", "区城管委"),
        ("120103001002", "not_admitted", "区卫健委"),
        ("120103002001", "prohibited", "区应急局"),
        ("120104001001", "not_admitted", "南开区城管委"),
    ]:
        add_refusal(
            code, max(now - timezone.timedelta(hours=1), q.start_at), verdict=verdict, department=dept
        )
    return q


def _now(page, key: str) -> str:
    return page.get_by_test_id(f"now-{key}").inner_text().strip()


def _order_and_download(page, shot, name: str, tmp_path: Path) -> str:
    page.set_default_timeout(120000)  # figures of two periods are computed while the page loads
    page.select_option("#o-kind", "burden")
    page.get_by_test_id("order-button").click()
    page.wait_for_load_state()
    assert "/jobs/" in page.url
    # the real worker renders it; the page polls by itself until the download appears
    link = page.get_by_test_id("job-download")
    link.wait_for(state="visible", timeout=180000)
    assert page.evaluate("document.querySelector('progress').value") == 100
    assert page.get_by_test_id("job-percent").inner_text() == "100%"
    shot(page, f"{name}-job-done")
    with page.expect_download() as info:
        link.click()
    pdf = tmp_path / f"{name}.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(SHOTS / f"{name}-pdf")],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", " ", text)


def test_district_official_drills_down_and_downloads_the_quarterly_report(
    page, phone_page, login, shot, tmp_path
):
    q = _activity()
    login(page, "hexi_official")
    page.goto("/reports/")
    assert page.get_by_test_id("dashboard-title").inner_text() == "河西区社区减负成效"
    assert _now(page, "refusals") == "4"
    district = {
        k: _now(page, k) for k in ("refusals", "communities", "adm_approved", "certificates", "seal_uses")
    }
    shot(page, "reports-district-dashboard")
    page.get_by_test_id("drill-120103001000").click()
    page.wait_for_load_state()
    assert "大营门街道" in page.get_by_test_id("crumbs").inner_text() and _now(page, "refusals") == "3"
    page.get_by_test_id("drill-120103001001").click()
    page.wait_for_load_state()
    assert (
        page.get_by_test_id("dashboard-title").inner_text().startswith("新华南路社区")
        or _now(page, "refusals") == "2"
    )
    assert _now(page, "refusals") == "2"
    shot(page, "reports-community-dashboard")
    page.goto("/reports/")
    text = _order_and_download(page, shot, "reports-district", tmp_path)
    assert f"河西区{q.label}社区减负成效报告" in text.replace(" ", "")
    for key, label, unit in [
        ("refusals", "拒绝承接登记", "件"),
        ("communities", "社区（村）数", "个"),
        ("adm_approved", "批准准入", "件"),
        ("certificates", "出具证明", "份"),
        ("seal_uses", "用印", "次"),
    ]:
        assert f"{label} {unit} {district[key]} " in text, (label, district[key])

    login(phone_page, "hexi_official")
    phone_page.goto("/reports/")
    assert phone_page.get_by_test_id("chart-trend").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # nothing wider than the phone
    shot(phone_page, "reports-district-phone")


@pytest.mark.celery_worker
def test_city_admin_orders_the_city_report(
    page, login, shot, tmp_path, broker_on_redis, celery_worker_process
):
    q = _activity()
    login(page, "city_admin")
    page.goto("/reports/")
    assert page.get_by_test_id("dashboard-title").inner_text() == "天津市社区减负成效"
    city_refusals = _now(page, "refusals")
    assert city_refusals == "5"
    shot(page, "reports-city-dashboard")
    page.get_by_test_id("drill-120103").click()
    page.wait_for_load_state()
    assert _now(page, "refusals") == "4"
    page.goto("/reports/")
    text = _order_and_download(page, shot, "reports-city", tmp_path)
    assert f"{q.label}社区减负成效汇总报告" in text.replace(" ", "")
    assert f"拒绝承接登记 件 {city_refusals} " in text and "南开区" in text and "和平区" in text
