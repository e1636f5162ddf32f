"""Report jobs: a community's evaluation sheet and a district's results summary as PDF."""

from __future__ import annotations

from django.db import transaction

from evaluations.choices import (
    CycleStatus,
)
from evaluations.models import SUMMARY_REPORTS, Assessment, Cycle
from portal.audit import audit
from portal.choices import OrgLevel
from portal.errors import DomainError, NotFoundError
from portal.models import OrgUnit
from portal.scope import allows


def evaluation_report_request(
    *, actor, kind: str, assessment_id: int | None = None, district_code: str = "", year: int | None = None
):
    """Queue a PDF: ``sheet`` (a community's evaluation sheet) or ``summary`` (a district's results summary)."""
    from portal.jobs import enqueue, job_create

    if kind == "sheet":
        a = (
            Assessment.objects.for_user(actor, "view")
            .select_related("community", "cycle")
            .filter(pk=assessment_id)
            .first()
        )
        if a is None:
            raise NotFoundError("未找到该评星记录，或您无权访问。")
        title, org, params = (
            f"{a.cycle.year}年度评星定级测评表：{a.community.name}",
            a.community,
            {"assessment_id": a.pk},
        )
    elif kind == "summary":
        district = OrgUnit.objects.filter(code=district_code, level=OrgLevel.DISTRICT).first()
        if district is None:
            raise DomainError("区代码不存在。", fields={"district": "区代码不存在。"})
        if not allows(actor, SUMMARY_REPORTS, district):
            raise NotFoundError("未找到该区，或您无权访问。")
        if year is None:
            raise DomainError("请选择年度。", fields={"year": "请选择年度。"})
        if not Cycle.objects.filter(year=year, status=CycleStatus.PUBLISHED).exists():
            raise DomainError(f"{year}年度结果尚未发布。", fields={"year": "该年度结果尚未发布。"})
        title, org, params = (
            f"{district.name}{year}年度评星定级结果汇总",
            district,
            {"district": district.code, "year": year},
        )
    else:
        raise DomainError("报告类型无效。", fields={"kind": "报告类型无效。"})
    with transaction.atomic():
        job = job_create(kind=f"evaluations.{kind}", title=title, requested_by=actor, org=org, params=params)
        enqueue("evaluations.tasks.render_report", args=[str(job.pk)])
        audit("evaluation.report_request", obj=org, after={"kind": kind, "job": str(job.pk), **params})
    return job
