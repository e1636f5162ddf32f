"""A real Celery worker on Redis renders the report PDF; its text carries the figures of the selectors."""

from __future__ import annotations

import re
import subprocess

import pytest

from portal.models import Job, OrgUnit, User
from reports.periods import period_parse
from reports.selectors import burden_figures
from reports.services import report_order
from tests.conftest import wait_for
from tests.reports.conftest import add_refusal, at


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.celery_worker
def test_a_real_worker_renders_the_district_report(users, broker_on_redis, celery_worker_process, tmp_path):
    add_refusal("120103001001", at(2026, 8, 3), verdict="prohibited")
    add_refusal("120103001002", at(2026, 9, 9))
    add_refusal("120103002001", at(2026, 9, 20))
    add_refusal("120104001001", at(2026, 9, 20))  # 南开区: not in 河西区's report
    job = report_order(
        actor=User.objects.get(username="hexi_official"), kind="burden", org_code="120103", period="2026-Q3"
    )
    wait_for(lambda: Job.objects.filter(pk=job.pk, status__in=["done", "failed"]).exists(), timeout=90)
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100, job.error
    assert "reports.tasks.render_report" in celery_worker_process.log.read_text()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(job.file.read())
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "河西区2026年第三季度社区减负成效报告" in flat.replace(" ", "")
    assert re.search(r"拒绝承接登记 件 3 0 \+3", flat), flat[:2000]
    assert re.search(r"其中禁止下派事项 件 1 0 \+1", flat)
    figures = burden_figures(org=OrgUnit.objects.get(code="120103"), period=period_parse("2026-Q3"))
    assert re.search(rf"社区（村）数 个 {figures.total['communities']} ", flat)
    assert "大营门街道" in flat and "南开区" not in flat.split("拒绝承接按交办部门")[0]
