"""Report documents through the portal's one renderer: the burden report (a district, or the city with its
16 districts), the registers and the star-rating summary. Run by :func:`report_run` in a worker."""

from __future__ import annotations

from django.utils import timezone

from portal import jobs
from portal.choices import OrgLevel
from portal.models import OrgUnit
from portal.pdf import render_pdf, svg_data_uri
from reports import selectors, tables
from reports.periods import Period, period_parse


def burden_context(*, org: OrgUnit, period: Period, progress=None) -> dict:
    """Figures of the period and the previous one, with tables and charts (the dashboard's own)."""
    current = selectors.burden_figures(org=org, period=period)
    if progress:
        progress(40, "正在汇总上期数据…")
    previous = selectors.burden_figures(org=org, period=period.previous())
    if progress:
        progress(60, "正在绘制图表…")
    return {
        "org": org,
        "period": period,
        "previous_period": period.previous(),
        "figures": current,
        "summary": tables.summary_rows(current, previous),
        "children": tables.child_table(current),
        "months": tables.month_table(current),
        "service_children": tables.service_child_table(current),
        "service_months": tables.service_month_table(current),
        "charts": tables.charts(current, previous),
        "departments": current.departments,
        "stars_year": current.stars_year,
        "child_level": tables.CHILD_LEVEL_NAMES[org.level],
    }


def burden_pdf(*, org: OrgUnit, period: Period, progress=None) -> bytes:
    ctx = burden_context(org=org, period=period, progress=progress)
    ctx["chart_srcs"] = {k: svg_data_uri(str(v)) for k, v in ctx.pop("charts").items()}
    ctx["child_tables"] = [ctx["children"], ctx["service_children"]]
    ctx["month_tables"] = [ctx["months"], ctx["service_months"]]
    ctx["printed_at"] = timezone.localtime()
    if progress:
        progress(75, "正在生成 PDF…")
    from reports.services import report_title

    public = org.level in (OrgLevel.CITY, OrgLevel.DISTRICT)
    return render_pdf(
        template="reports/pdf/burden.html",
        context=ctx,
        title=report_title(kind="burden", org=org, period=period),
        qr_url=f"/reports/public/{org.code}/?period={period.code}" if public else None,
        qr_caption="扫码查看公开的减负成效",
        qr_note="扫描二维码或访问以下地址查看本地区公开的减负成效数据：",
    )


def register_pdf(*, kind: str, org: OrgUnit, period: Period) -> bytes:
    rows = selectors.register_rows(kind=kind, org=org, period=period)
    from reports.services import report_title

    return render_pdf(
        template="reports/pdf/register.html",
        context={
            "org": org,
            "period": period,
            "title": selectors.REGISTERS[kind],
            "columns": selectors.REGISTER_COLUMNS[kind],
            "rows": [[r[k] for k, _ in selectors.REGISTER_COLUMNS[kind]] for r in rows],
            "count": len(rows),
            "printed_at": timezone.localtime(),
        },
        title=report_title(kind=f"register_{kind}", org=org, period=period),
    )


def report_run(*, job_id: str) -> None:
    """Render the report a job asks for (idempotent: a finished job is left alone)."""
    job = jobs.job_start(job_id=job_id)
    if job is None:
        return

    def progress(value: int, message: str) -> None:
        jobs.job_progress(job_id=job_id, progress=value, message=message)

    try:
        kind = job.params["kind"]
        org = OrgUnit.objects.get(code=job.params["org"])
        period = period_parse(job.params["period"])
        progress(10, "正在汇总本期数据…")
        if kind == "burden":
            data = burden_pdf(org=org, period=period, progress=progress)
        elif kind.startswith("register_"):
            data = register_pdf(kind=kind.removeprefix("register_"), org=org, period=period)
        else:
            from evaluations.pdf import summary_pdf

            data = summary_pdf(district_code=org.code, year=period.start.year)
        progress(95, "正在保存…")
        jobs.job_finish(
            job_id=job_id,
            result={"kind": kind, "org": org.code, "period": period.code},
            file_name=f"report-{kind}-{org.code}-{period.code}.pdf",
            content=data,
        )
    except Exception as exc:
        # A rendering error is deterministic: record it on the job instead of retrying.
        jobs.job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
