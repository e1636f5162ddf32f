"""PDF documents of the star rating, through the portal's one renderer: a community's evaluation sheet and a
district's results summary (with the star-distribution chart embedded)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import override

from evaluations import charts, selectors
from evaluations.models import Assessment
from portal import jobs
from portal.models import OrgUnit
from portal.pdf import render_pdf, svg_data_uri


@override(settings.LANGUAGE_CODE)  # a Chinese document, whatever the language of the page that asked for it
def sheet_pdf(*, assessment_id: int, user=None) -> bytes:
    """The evaluation sheet of one community (所有指标、得分、调整记录、星级)."""
    a = Assessment.objects.select_related("community", "street", "district", "cycle__scheme").get(
        pk=assessment_id
    )
    ctx = selectors.assessment_detail(user=user, pk=a.pk) if user is not None else _detail_without_scope(a)
    ctx["stars_text"] = charts.stars_text(a.stars)
    ctx["printed_at"] = timezone.localtime()
    return render_pdf(
        template="evaluations/pdf/sheet.html",
        context=ctx,
        title=f"{a.cycle.year}年度社区评星定级测评表（{a.community.name}）",
        qr_url=f"/evaluations/results/?year={a.cycle.year}&district={a.district.code}",
        qr_caption="扫码查看公开结果",
    )


def _detail_without_scope(a: Assessment) -> dict:
    from portal.models import User

    admin = User.objects.filter(is_superuser=True).first() or User(is_superuser=True)
    return selectors.assessment_detail(user=admin, pk=a.pk)


@override(settings.LANGUAGE_CODE)  # a Chinese document, whatever the language of the page that asked for it
def summary_pdf(*, district_code: str, year: int) -> bytes:
    """A district's published results: distribution chart, table of communities with ranks, rectification list."""
    district = OrgUnit.objects.get(code=district_code)
    distribution = selectors.star_distribution(year=year, district=district)
    rows = [selectors.result_row(a) for a in selectors.results_queryset(year=year, district=district)]
    trend = selectors.star_trend(district=district)
    ctx = {
        "district": district,
        "year": year,
        "rows": rows,
        "totals": selectors.star_totals(distribution),
        "distribution_src": svg_data_uri(
            str(charts.distribution_svg(distribution, title=f"{year}年{district.name}星级分布"))
        ),
        "trend_src": svg_data_uri(str(charts.trend_svg(trend, title=f"{district.name}历年星级构成与平均分"))),
        "rectification": [
            r for r in selectors.public_rectification_list(year=year) if r["district"] == district.name
        ],
        "printed_at": timezone.localtime(),
    }
    return render_pdf(
        template="evaluations/pdf/summary.html",
        context=ctx,
        title=f"{district.name}{year}年度社区评星定级结果汇总",
        qr_url=f"/evaluations/results/?year={year}&district={district.code}",
        qr_caption="扫码查看公开结果",
    )


def report_run(*, job_id: str) -> None:
    """Render the PDF a job asks for (idempotent: a finished job is left alone)."""
    job = jobs.job_start(job_id=job_id)
    if job is None:
        return
    try:
        jobs.job_progress(job_id=job_id, progress=20, message="正在汇总数据…")
        if job.kind == "evaluations.sheet":
            data = sheet_pdf(assessment_id=job.params["assessment_id"], user=job.requested_by)
            name = f"evaluation-sheet-{job.params['assessment_id']}.pdf"
        else:
            data = summary_pdf(district_code=job.params["district"], year=int(job.params["year"]))
            name = f"evaluation-summary-{job.params['district']}-{job.params['year']}.pdf"
        jobs.job_progress(job_id=job_id, progress=90, message="正在生成 PDF…")
        jobs.job_finish(job_id=job_id, result={"pages": None}, file_name=name, content=data)
    except Exception as exc:
        # A rendering error is deterministic: record it on the job instead of retrying.
        jobs.job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
