"""Writes of the reports app: ordering a report (a core job rendered by a worker), scheduling the monthly and
quarterly reports, recording a district's ledger baseline."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from portal import jobs
from portal.audit import audit
from portal.choices import OrgLevel
from portal.errors import DomainError
from portal.models import Job, OrgUnit
from portal.scope import allows
from reports.models import RECORD_BASELINE, LedgerBaseline
from reports.periods import Period, last_complete, period_parse
from reports.selectors import REGISTERS, report_scope

#: Report kinds of the API (``kind``) and their titles.
REPORT_KINDS = {
    "burden": "社区减负成效报告",
    **{f"register_{k}": v for k, v in REGISTERS.items()},
    "stars": "社区评星定级结果汇总",
}
JOB_PREFIX = "reports."


def report_title(*, kind: str, org: OrgUnit, period: Period) -> str:
    if kind == "burden" and org.level == OrgLevel.CITY:
        return f"{org.name}{period.label}社区减负成效汇总报告（各区）"
    return f"{org.name}{period.label}{REPORT_KINDS[kind]}"


def report_order(*, actor, kind: str, org_code: str, period: str) -> Job:
    """Accept a report: checked now (kind, period, scope), rendered by a worker after commit.

    An org outside the actor's scope answers 404 like any object they cannot see."""
    if kind not in REPORT_KINDS:
        raise DomainError(
            "报告类型不正确，可选：" + "、".join(REPORT_KINDS) + "。", fields={"kind": "取值不在允许范围内。"}
        )
    parsed = period_parse(period)
    org = report_scope(user=actor, code=(org_code or "").strip())
    if kind == "stars" and org.level != OrgLevel.DISTRICT:
        raise DomainError("评星定级结果汇总按区出具，请选择一个区。", fields={"org": "请选择区。"})
    return _report_create(kind=kind, org=org, period=parsed, actor=actor)


def _report_create(*, kind: str, org: OrgUnit, period: Period, actor=None, scheduled: bool = False) -> Job:
    with transaction.atomic():
        job = jobs.job_create(
            kind=JOB_PREFIX + kind,
            title=report_title(kind=kind, org=org, period=period),
            requested_by=actor,
            org=org,
            params={"kind": kind, "org": org.code, "period": period.code, "scheduled": scheduled},
        )
        audit(
            "reports.order",
            obj=job,
            actor=actor,
            after={"kind": kind, "org": org.code, "period": period.code, "scheduled": scheduled},
        )
        jobs.enqueue("reports.tasks.render_report", args=[str(job.id)])
    return job


def reports_schedule(*, granularity: str, today: date | None = None) -> int:
    """Beat: the burden report of the last finished month or quarter for the city and every district.

    Idempotent: a report already scheduled for the same scope and period is not ordered twice."""
    period = last_complete(granularity, today)
    created = 0
    for org in OrgUnit.objects.filter(level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]).order_by("code"):
        exists = Job.objects.filter(
            kind=JOB_PREFIX + "burden", org=org, params__period=period.code, params__scheduled=True
        ).exists()
        if not exists:
            _report_create(kind="burden", org=org, period=period, scheduled=True)
            created += 1
    return created


def ledger_baseline_record(
    *, actor, district_code: str, count: int, as_of: date, source: str = ""
) -> LedgerBaseline:
    """Record (or correct) how many ledgers and reports a district had before the clean-up."""
    district = OrgUnit.objects.filter(code=district_code, level=OrgLevel.DISTRICT).first()
    if district is None:
        raise DomainError("请选择一个区。", fields={"district": "未找到该区。"})
    if not allows(actor, RECORD_BASELINE, district):
        from django.http import Http404

        raise Http404
    if count is None or count < 0 or count > 100000:
        raise DomainError("台账基数应为 0 至 100000 之间的整数。", fields={"count": "数值不正确。"})
    with transaction.atomic():
        baseline = LedgerBaseline.objects.select_for_update().filter(district=district).first()
        before = {"count": baseline.count, "as_of": str(baseline.as_of)} if baseline else None
        if baseline is None:
            baseline = LedgerBaseline(district=district)
        baseline.count, baseline.as_of, baseline.source, baseline.recorded_by = (
            count,
            as_of,
            source[:200],
            actor,
        )
        baseline.save()
        audit(
            "reports.ledger_baseline",
            obj=baseline,
            actor=actor,
            before=before,
            after={"count": count, "as_of": str(as_of)},
        )
    return baseline
