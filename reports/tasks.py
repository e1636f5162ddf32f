"""Background work of the reports: rendering ordered reports and the monthly/quarterly schedule (beat)."""

from celery import shared_task

from portal.tasks import TASK_DEFAULTS


@shared_task(name="reports.tasks.render_report", **TASK_DEFAULTS)
def render_report(job_id: str) -> None:
    from reports.pdf import report_run

    report_run(job_id=job_id)


@shared_task(name="reports.tasks.schedule_reports", **TASK_DEFAULTS)
def schedule_reports(granularity: str) -> int:
    """Order the burden reports of the last finished month or quarter for the city and each district."""
    from reports.services import reports_schedule

    return reports_schedule(granularity=granularity)
