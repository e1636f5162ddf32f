"""Report endpoints of API.md: order a report (202) and follow it until its PDF can be downloaded."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from ninja import Router, Schema, Status

from portal.api.kit import AUTH, ERRORS
from portal.models import Job
from portal.scope import get_scoped_or_404
from reports.services import JOB_PREFIX, report_order

router = Router(tags=["减负成效报告"])


class ReportIn(Schema):
    kind: str
    org: str
    period: str


class ReportAccepted(Schema):
    id: str
    status: str


class ReportOut(Schema):
    id: str
    kind: str
    org: str | None
    period: str | None
    title: str
    status: str
    progress: int
    message: str
    download_url: str | None


def _report(user, report_id: str) -> Job:
    return get_scoped_or_404(Job, user, "view", pk=report_id, kind__startswith=JOB_PREFIX)


def report_out(job: Job) -> dict:
    done = job.status == Job.Status.DONE and bool(job.file)
    return {
        "id": str(job.id),
        "kind": job.params.get("kind", job.kind.removeprefix(JOB_PREFIX)),
        "org": job.params.get("org"),
        "period": job.params.get("period"),
        "title": job.title,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "download_url": reverse("api:report_download", args=[job.id]) if done else None,
    }


@router.post(
    "/reports",
    response={202: ReportAccepted, **ERRORS},
    auth=AUTH,
    summary="订购报告（后台生成 PDF）",
    description="`kind`：burden（减负成效）、register_admission、register_certificate、register_refusal、"
    "register_seal、stars；`org`：单位代码（120000 为全市）；`period`：YYYY、YYYY-MM 或 YYYY-Qn。",
)
def report_create(request, payload: ReportIn):
    job = report_order(actor=request.auth, kind=payload.kind, org_code=payload.org, period=payload.period)
    return Status(202, {"id": str(job.id), "status": job.status})


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, auth=AUTH, summary="报告进度")
def report_detail(request, report_id: str):
    return report_out(_report(request.auth, report_id))


@router.get(
    "/reports/{report_id}/download",
    auth=AUTH,
    response={404: ERRORS[404]},
    url_name="report_download",
    summary="下载报告 PDF",
)
def report_download(request, report_id: str):
    job = _report(request.auth, report_id)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=(job.file.name or "").rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
