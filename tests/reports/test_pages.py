"""Dashboard with drill-down, public summaries, registers and Excel; the report says what the dashboard says."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from openpyxl import load_workbook

from portal.models import Job
from reports.metrics import METRICS
from tests.reports.conftest import add_refusal, at


def figures_on_page(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="now-([a-z_0-9]+)">([^<]*)<', html))


def test_dashboard_drills_down_from_district_to_community(hexi_activity, page_client):
    client = page_client("hexi_official")
    html = client.get("/reports/?period=2026-Q2").content.decode()
    assert "河西区社区减负成效" in html and figures_on_page(html)["refusals"] == "4"
    assert "<svg" in html and "<title" in html  # server-rendered charts with a text alternative
    assert "统计口径" in html and "不在清单内" not in html
    assert 'href="/reports/?org=120103001000&amp;period=2026-Q2"' in html
    street = client.get("/reports/?org=120103001000&period=2026-Q2").content.decode()
    assert figures_on_page(street)["refusals"] == "3" and "120103001001" in street
    community = client.get("/reports/?org=120103001001&period=2026-Q2").content.decode()
    assert figures_on_page(community)["refusals"] == "2"
    previous = figures_on_page(client.get("/reports/?period=2026-Q1").content.decode())
    assert previous["refusals"] == "1"


def test_scope_of_pages(hexi_activity, page_client):
    assert page_client("hexi_official").get("/reports/?org=120104").status_code == 404
    assert page_client("hexi_official").get("/reports/?org=120000").status_code == 404
    assert page_client("street_staff").get("/reports/?org=120103002000").status_code == 404
    assert page_client("street_staff").get("/reports/").status_code == 200
    assert page_client("community_staff").get("/reports/").status_code == 404
    assert page_client().get("/reports/").status_code == 302  # to the login page
    assert page_client("nankai_official").get("/reports/registers/refusal/?org=120103").status_code == 404


def test_bad_period_on_the_page_shows_a_message_and_the_current_quarter(hexi_activity, page_client):
    r = page_client("hexi_official").get("/reports/?period=2026-Q9", follow=True)
    assert r.status_code == 200 and "统计期间格式不正确" in r.content.decode()


def test_public_summary_per_district_and_city_without_login(hexi_activity, page_client):
    html = page_client().get("/reports/public/120103/?period=2026-Q2").content.decode()
    assert "河西区社区减负成效公示" in html and figures_on_page(html)["refusals"] == "4"
    city = page_client().get("/reports/public/?period=2026-Q2").content.decode()
    assert figures_on_page(city)["refusals"] == "5"
    assert (
        page_client().get("/reports/public/120103001001/").status_code == 404
    )  # districts and the city only


def test_excel_has_the_dashboard_tables_with_formulas_escaped(hexi_activity, page_client):
    add_refusal("120103001001", at(2026, 5, 6), title='=HYPERLINK("http://evil")', department="+cmd")
    r = page_client("hexi_official").get("/reports/export.xlsx?period=2026-Q2")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == [
        "减负成效汇总",
        "下级单位",
        "下级单位·投诉与诉求",
        "逐月",
        "逐月·投诉与诉求",
        "拒绝承接按交办部门",
    ]
    summary = {
        row[1]: row[3] for row in wb["减负成效汇总"].iter_rows(values_only=True) if row and len(row) > 3
    }
    assert summary["拒绝承接登记"] == "5"
    departments = [row[0] for row in wb["拒绝承接按交办部门"].iter_rows(values_only=True)]
    assert "'+cmd" in departments
    reg = page_client("hexi_official").get("/reports/registers/refusal/?period=2026-Q2&format=xlsx")
    cells = [
        c for row in load_workbook(io.BytesIO(reg.content)).active.iter_rows(values_only=True) for c in row
    ]
    assert '\'=HYPERLINK("http://evil")' in cells and not any(str(c).startswith("=") for c in cells if c)


def test_registers_as_pages(hexi_activity, page_client):
    client = page_client("hexi_official")
    html = client.get("/reports/registers/seal/?period=2026-Q2").content.decode()
    assert html.count("拒绝承接告知书") >= 4 and "用印登记簿" in html
    assert "上报辖区违建台账" in client.get("/reports/registers/refusal/?period=2026-Q2").content.decode()
    assert client.get("/reports/registers/nothing/").status_code == 404


def test_pages_show_a_new_record_at_once(hexi_activity, page_client):
    """The figures and register rows are rendered once and cached; a new refusal shows on the next request."""
    client = page_client("hexi_official")
    register = "/reports/registers/refusal/?period=2026-Q2"
    dashboard = "/reports/?org=120103&period=2026-Q2"
    public = "/reports/public/120103/?period=2026-Q2"
    before = figures_on_page(client.get(dashboard).content.decode())["refusals"]
    assert figures_on_page(client.get(public).content.decode())["refusals"] == before
    assert "组织企业招商推介" not in client.get(register).content.decode()
    add_refusal("120103001002", at(2026, 6, 2), title="组织企业招商推介")
    assert "组织企业招商推介" in client.get(register).content.decode()
    after = str(int(before) + 1)
    assert figures_on_page(client.get(dashboard).content.decode())["refusals"] == after
    assert figures_on_page(client.get(public).content.decode())["refusals"] == after


def table_on_page(html: str, testid: str) -> list[list[str]]:
    """The body rows of the table in the section ``testid``: the unit's name, then each cell as shown."""
    section = html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_report_figures_equal_the_dashboard_for_the_same_scope_and_period(
    supervision_activity, page_client, django_capture_on_commit_callbacks, tmp_path
):
    from tests.reports.conftest import complaint

    complaint(None, at(2026, 6, 3), "closed", handling="120103")  # on the district's own row
    client = page_client("hexi_official")
    html = client.get("/reports/?period=2026-Q2").content.decode()
    dashboard = figures_on_page(html)
    tables = {t: table_on_page(html, t) for t in ("service-children-table", "service-months-table")}
    assert ["河西区本级及未指明街道", "—", "1", "1", "—", "—", "—", "—"] in tables["service-children-table"]
    assert ["2026-04", "0", "0", "0", "0", "3", "3", "5"] in tables["service-months-table"]
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/reports/order/", {"kind": "burden", "org": "120103", "period": "2026-Q2"})
    assert r.status_code == 302 and "/jobs/" in r["Location"]
    job = Job.objects.get(kind="reports.burden")
    assert job.status == "done", job.error
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(job.file.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    checked = 0
    for m in METRICS:
        row = next((line for line in lines if line.startswith(m.label + " ")), None)
        assert row is not None, m.label
        unit, now = row[len(m.label) :].split()[:2]  # columns: label, unit, this period, previous, change
        assert (unit, now) == (m.unit, dashboard[m.key]), (m.label, row)
        checked += 1
    assert checked == len(METRICS) and dashboard["refusals"] == "4" and dashboard["complaints"] == "3"
    pdf_rows = [line.split() for line in lines]
    for rows in tables.values():  # every row of the per-unit and per-month tables, cell for cell
        for row in rows:
            assert row in pdf_rows, row
    workbook = load_workbook(
        io.BytesIO(client.get("/reports/export.xlsx?period=2026-Q2").content), read_only=True
    )
    for sheet, testid in (
        ("下级单位·投诉与诉求", "service-children-table"),
        ("逐月·投诉与诉求", "service-months-table"),
    ):
        excel_rows = [[str(c) for c in row] for row in workbook[sheet].iter_rows(values_only=True)]
        for row in tables[testid]:
            assert row in excel_rows, (sheet, row)


@pytest.mark.parametrize("granularity,period", [("month", "2026-05"), ("quarter", "2026-Q2")])
def test_scheduled_reports_once_per_scope_and_period(
    demo, granularity, period, django_capture_on_commit_callbacks
):
    from datetime import date

    from reports.services import reports_schedule

    today = date(2026, 6, 1) if granularity == "month" else date(2026, 7, 1)
    with django_capture_on_commit_callbacks(execute=False):
        created = reports_schedule(granularity=granularity, today=today)
        assert reports_schedule(granularity=granularity, today=today) == 0
    assert created == 17  # the city and 16 districts
    assert set(Job.objects.values_list("params__period", flat=True)) == {period}


def test_beat_schedules_monthly_and_quarterly_reports(settings):
    entries = {
        v["task"]: v for v in settings.CELERY_BEAT_SCHEDULE.values() if v["task"].startswith("reports.")
    }
    assert entries and {
        e["args"][0]
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "reports.tasks.schedule_reports"
    } == {"month", "quarter"}


def test_the_district_records_its_missing_ledger_baseline(demo_full, page_client):
    from portal.models import AuditEntry
    from reports.models import LedgerBaseline

    LedgerBaseline.objects.filter(district__code="120103").delete()
    client = page_client("hexi_official")
    assert "尚未登记本区清理前的台账" in client.get("/reports/").content.decode()
    r = client.post("/reports/baseline/", {"district": "120103", "count": "abc"}, follow=True)
    assert (
        "应为整数" in r.content.decode()
        and not LedgerBaseline.objects.filter(district__code="120103").exists()
    )
    client.post("/reports/baseline/", {"district": "120103", "count": "48", "as_of": "2019-06-30"})
    assert LedgerBaseline.objects.get(district__code="120103").count == 48
    assert AuditEntry.objects.filter(action="reports.ledger_baseline").exists()
    html = client.get("/reports/").content.decode()
    assert 'data-testid="now-ledgers_baseline">48<' in html
    # another district's baseline is out of scope
    assert (
        page_client("hexi_official")
        .post("/reports/baseline/", {"district": "120104", "count": "1"})
        .status_code
        == 404
    )
