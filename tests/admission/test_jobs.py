"""Scheduled work (consultation windows, expiry, reminders, escalation), the notice PDF and the command."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from admission import services, workdays
from admission.choices import Status
from admission.models import HistoryEntry, TaskRequest
from portal.models import AuditEntry, Notification
from portal.pdf import pdf_text


def test_overdue_reminder_then_escalation(flow, users):
    req = flow.in_review()
    due = req.stage_due
    day_after = workdays.add_workdays(due, 1)
    result = services.deadlines_remind_and_escalate(today=day_after)
    assert result == {"reminded": 1, "escalated": 0}
    assert Notification.objects.filter(user=users["hexi_official"], kind="admission_reminder").count() == 1
    assert services.deadlines_remind_and_escalate(today=day_after) == {
        "reminded": 0,
        "escalated": 0,
    }  # once a day
    late = workdays.add_workdays(due, 4)
    result = services.deadlines_remind_and_escalate(today=late)
    assert result["escalated"] == 1
    esc = Notification.objects.get(user=users["city_admin"], kind="admission_escalation")
    assert esc.is_todo and "督办" in esc.title
    row = HistoryEntry.objects.get(request=req, action="escalate")  # a step of the table (Workflow.step)
    assert (row.actor_name, row.role, row.from_status, row.to_status) == (
        "系统",
        "system",
        "review",
        "review",
    )
    assert "已报上级督办" in row.comment
    entry = AuditEntry.objects.get(action="admission.escalate", object_id=str(req.pk))
    assert entry.after["escalated_at"] and not entry.before["escalated_at"]
    req.refresh_from_db()
    assert req.status == "review" and req.escalated_at is not None
    assert services.deadlines_remind_and_escalate(today=late + timedelta(days=1))["escalated"] == 0
    assert not Notification.objects.filter(user=users["nankai_official"]).exists()


def test_consultation_reminder_goes_to_those_who_did_not_answer(flow, users):
    req = flow.submitted(target_orgs=["120103001001", "120103001002"])
    services.task_request_opinion(actor=users["community_staff"], request_id=req.pk, opinion="agree")
    # Window closed but still open status: the job closes it instead of reminding.
    TaskRequest.objects.filter(pk=req.pk).update(
        stage_due=timezone.localdate() - timedelta(days=1),
        consultation_due=timezone.localdate() + timedelta(days=1),
    )
    services.deadlines_remind_and_escalate()
    reminded = set(
        Notification.objects.filter(kind="admission_reminder").values_list("user__username", flat=True)
    )
    assert reminded == {"community_staff2", "street_staff"}


def test_sweep_command(flow):
    req = flow.submitted()
    later = (req.consultation_due + timedelta(days=1)).isoformat()
    call_command("admission_sweep", "--today", later)
    assert TaskRequest.objects.get(pk=req.pk).status == Status.REVIEW


def test_sweep_task_is_registered():
    from portal.celery import app

    app.loader.import_default_modules()  # what a worker does at start (autodiscovery)
    assert "admission.tasks.admission_sweep" in app.tasks
    assert "admission.tasks.render_notice" in app.tasks


def test_notice_pdf_is_rendered_with_qr_to_verification(flow, django_capture_on_commit_callbacks, tmp_path):
    with django_capture_on_commit_callbacks(execute=True):
        req = flow.approved()
    req.refresh_from_db()
    assert req.notice_pdf
    data = req.notice_pdf.read()
    text = pdf_text(data)
    from portal.verify import short_code

    compact = "".join(text.split())
    assert (
        req.admission_no in text and "准入通知书" in text and f"/verify/{short_code('A', req.pk)}/" in compact
    )
    assert "private" in req.notice_pdf.path
    from admission.pdf import notice_render_and_store

    assert notice_render_and_store(request_id=req.pk) is False  # idempotent
    (tmp_path / "notice.pdf").write_bytes(data)
