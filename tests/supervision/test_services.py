"""Every transition of a complaint, a criticism, a rectification and an appeal: its step, its audit row,
the notifications it sends, the conflicts it refuses, and the deadlines and escalation of the daily sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from portal.models import AuditEntry, Notification
from supervision import schemas as sv
from supervision import services
from supervision.models import Complaint, ComplaintEvent, Criticism, Rectification

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.policy("四-2"),
    pytest.mark.policy("四-3"),
    pytest.mark.policy("三（六）"),
]


def audit_actions(obj):
    """The business events of ``obj`` (refused attempts are audited too, as ``denied:<action>``)."""
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk), result="ok")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_every_complaint_transition_writes_a_step_and_an_audit_row(users, substantiated):
    c = substantiated()
    steps = list(ComplaintEvent.objects.filter(complaint=c).values_list("action", "to_status"))
    assert steps == [
        ("file", "submitted"),
        ("accept", "investigating"),
        ("request_statement", "investigating"),
        ("statement", "investigating"),
        ("substantiate", "rectifying"),
    ]
    assert audit_actions(c) == [
        "supervision.file",
        "supervision.accept",
        "supervision.request_statement",
        "supervision.statement",
        "supervision.substantiate",
    ]
    row = AuditEntry.objects.get(action="supervision.substantiate")
    assert row.before["status"] == "investigating" and row.after["status"] == "rectifying"
    assert row.actor.username == "hexi_official"


def test_substantiated_complaint_runs_criticism_and_rectification_to_closure(users, substantiated):
    c = substantiated()
    cr = Criticism.objects.get(complaint=c)
    r = Rectification.objects.get(complaint=c)
    assert cr.status == "draft" and r.status == "ordered" and r.due_date > timezone.localdate()
    assert Notification.objects.filter(kind="rectification_order", user=users["hexi_health"]).exists()

    services.criticism_update(
        actor=users["hexi_official"],
        criticism_id=cr.pk,
        data=sv.CriticismSchema.parse({"title": cr.title, "body": cr.body + "\n特此通报。"}),
    )
    services.criticism_submit(actor=users["hexi_official"], criticism_id=cr.pk)
    assert Notification.objects.filter(kind="criticism_approval", user=users["hexi_approver"]).exists()
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        services.criticism_decide(
            actor=users["hexi_official"],
            criticism_id=cr.pk,
            data=sv.CriticismDecisionSchema.parse({"decision": "approve"}),
        )
    with pytest.raises(NotFoundError):
        services.criticism_decide(
            actor=users["city_approver"] if False else users["nankai_official"],
            criticism_id=cr.pk,
            data=sv.CriticismDecisionSchema.parse({"decision": "approve"}),
        )
    services.criticism_decide(
        actor=users["hexi_approver"],
        criticism_id=cr.pk,
        data=sv.CriticismDecisionSchema.parse({"decision": "approve"}),
    )
    cr.refresh_from_db()
    assert cr.status == "published" and cr.number.startswith("津河西减负通〔") and cr.published_at

    with pytest.raises(NotFoundError):  # another department cannot report
        services.rectification_report(
            actor=users["city_stats"],
            rectification_id=r.pk,
            data=sv.RectificationReportSchema.parse({"report": "x"}),
        )
    assert AuditEntry.objects.filter(
        action="denied:report", actor=users["city_stats"], object_id=str(r.pk)
    ).exists()
    services.rectification_report(
        actor=users["hexi_health"],
        rectification_id=r.pk,
        data=sv.RectificationReportSchema.parse({"report": "已撤回健康档案入户统计任务。"}),
    )
    with pytest.raises(ConflictError):
        services.rectification_report(
            actor=users["hexi_health"],
            rectification_id=r.pk,
            data=sv.RectificationReportSchema.parse({"report": "again"}),
        )
    with pytest.raises(DomainError):
        services.rectification_verify(
            actor=users["hexi_official"],
            rectification_id=r.pk,
            data=sv.VerifySchema.parse({"decision": "return", "comment": ""}),
        )
    services.rectification_verify(
        actor=users["hexi_official"],
        rectification_id=r.pk,
        data=sv.VerifySchema.parse({"decision": "accept"}),
    )
    r.refresh_from_db()
    c.refresh_from_db()
    assert r.status == "closed" and r.on_time is True
    assert c.status == "closed" and c.finished_at
    assert [a for a in audit_actions(r)] == [
        "supervision.rectification_order",
        "supervision.rectification_report",
        "supervision.rectification_verify",
    ]
    assert "supervision.criticism_approve" in audit_actions(cr)


def test_decline_and_unsubstantiated_finish_the_case(users, file_complaint):
    c = file_complaint()
    with pytest.raises(DomainError):
        services.complaint_decline(
            actor=users["hexi_official"], complaint_id=c.pk, data=sv.DeclineSchema.parse({"reason": "  "})
        )
    services.complaint_decline(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.DeclineSchema.parse({"reason": "不属于减负投诉范围。"}),
    )
    c.refresh_from_db()
    assert c.status == "declined" and c.finished_at
    with pytest.raises(ConflictError):
        services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)


def test_only_the_handling_bureau_acts(users, file_complaint):
    c = file_complaint()
    with pytest.raises(NotFoundError):
        services.complaint_accept(actor=users["nankai_official"], complaint_id=c.pk)
    with pytest.raises(NotFoundError):
        services.complaint_accept(actor=users["hexi_health"], complaint_id=c.pk)
    with pytest.raises(PermissionDeniedError):  # the complainant sees it but does not handle it
        services.complaint_accept(actor=users["community_staff"], complaint_id=c.pk)
    services.complaint_accept(actor=users["city_admin"], complaint_id=c.pk)  # the city bureau is above


def test_department_answers_only_when_asked(users, file_complaint):
    c = file_complaint()
    services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    with pytest.raises(NotFoundError):
        services.complaint_statement(
            actor=users["hexi_health"], complaint_id=c.pk, data=sv.StatementSchema.parse({"text": "x"})
        )
    services.complaint_request_statement(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.StatementRequestSchema.parse({"summary": "请说明。"}),
    )
    n = Notification.objects.get(kind="complaint_statement", user=users["hexi_health"])
    assert n.deadline is not None and n.is_todo
    services.complaint_statement(
        actor=users["hexi_health"], complaint_id=c.pk, data=sv.StatementSchema.parse({"text": "已说明。"})
    )
    with pytest.raises(ConflictError):
        services.complaint_statement(
            actor=users["hexi_health"], complaint_id=c.pk, data=sv.StatementSchema.parse({"text": "again"})
        )


def test_merge_is_offered_for_duplicates_and_never_automatic(users, file_complaint):
    from supervision import selectors

    first = file_complaint()
    second = file_complaint(
        actor="community_staff2", description="卫健委又要求社区入户统计健康档案，没有准入编号。"
    )
    other = file_complaint(
        category="extra_plaques", description="卫健委要求社区挂健康小屋牌子，不在挂牌标准内。"
    )
    dupes = selectors.duplicates(user=users["hexi_official"], complaint=second)
    assert [d.pk for d in dupes] == [first.pk]
    assert Complaint.objects.get(pk=second.pk).status == "submitted"  # nothing merged by itself
    services.complaint_merge(
        actor=users["hexi_official"], complaint_id=second.pk, data=sv.MergeSchema.parse({"into": first.pk})
    )
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into_id == first.pk
    assert other.pk not in [d.pk for d in selectors.duplicates(user=users["hexi_official"], complaint=first)]


def test_reopen_only_within_fifteen_days(users, file_complaint):
    c = file_complaint()
    services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    services.complaint_verdict(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.VerdictSchema.parse({"substantiated": "no", "reason": "不属实。"}),
    )
    Complaint.objects.filter(pk=c.pk).update(finished_at=timezone.now() - timedelta(days=16))
    with pytest.raises(ConflictError):
        services.complaint_reopen(
            tracking_code=c.tracking_code, data=sv.ReopenSchema.parse({"reason": "不服"})
        )
    Complaint.objects.filter(pk=c.pk).update(finished_at=timezone.now() - timedelta(days=14))
    services.complaint_reopen(tracking_code=c.tracking_code, data=sv.ReopenSchema.parse({"reason": "不服"}))
    c.refresh_from_db()
    assert c.status == "investigating" and c.reopened_at
    assert Notification.objects.filter(kind="complaint_reopened", user=users["hexi_official"]).exists()


def test_sweep_reminds_and_escalates_an_overdue_rectification_once(users, substantiated):
    c = substantiated()
    r = Rectification.objects.get(complaint=c)
    later = r.due_date + timedelta(days=3)
    first = services.supervision_sweep(today=later)
    assert first["escalated"] == 1
    r.refresh_from_db()
    assert r.escalated_at is not None and r.status == "ordered"
    told = set(
        Notification.objects.filter(kind="rectification_escalation").values_list("user__username", flat=True)
    )
    assert {"hexi_approver", "city_admin"} <= told
    assert Notification.objects.filter(kind="rectification_overdue", user=users["hexi_health"]).count() == 1
    again = services.supervision_sweep(today=later)
    assert again["escalated"] == 0 and again["reminded"] == 0
    assert ComplaintEvent.objects.filter(complaint=c, action="escalate").count() == 1
    assert "supervision.rectification_escalate" in audit_actions(r)
    # A late report still closes the case, marked as late.
    services.rectification_report(
        actor=users["hexi_health"],
        rectification_id=r.pk,
        data=sv.RectificationReportSchema.parse({"report": "已撤回。"}),
    )
    Rectification.objects.filter(pk=r.pk).update(reported_at=timezone.now() + timedelta(days=30))
    services.rectification_verify(
        actor=users["hexi_official"],
        rectification_id=r.pk,
        data=sv.VerifySchema.parse({"decision": "accept"}),
    )
    r.refresh_from_db()
    assert r.on_time is False


def test_sweep_chases_an_overdue_statement(users, file_complaint):
    c = file_complaint()
    services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    services.complaint_request_statement(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.StatementRequestSchema.parse({"summary": "请说明。"}),
    )
    c.refresh_from_db()
    assert services.supervision_sweep(today=c.statement_due + timedelta(days=1))["statements"] == 1
    assert Notification.objects.filter(kind="complaint_statement_overdue", user=users["hexi_health"]).exists()


def test_overdue_appeal_goes_to_the_street(users):
    a = services.appeal_submit(
        actor=users["resident"],
        data=sv.AppealSchema.parse({"category": "environment", "text": "垃圾桶满溢无人清理。"}),
    )
    assert Notification.objects.filter(kind="appeal_new", user=users["community_staff"]).exists()
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        services.appeal_answer(
            actor=users["street_staff"],
            appeal_id=a.pk,
            data=sv.AnswerSchema.parse({"answer": "街道已督办。"}),
        )
    assert services.supervision_sweep(today=a.due_date + timedelta(days=1))["appeals"] == 1
    a.refresh_from_db()
    assert a.status == "escalated"
    assert Notification.objects.filter(kind="appeal_escalated", user=users["street_staff"]).exists()
    services.appeal_answer(
        actor=users["street_staff"],
        appeal_id=a.pk,
        data=sv.AnswerSchema.parse({"answer": "街道已督办清运。"}),
    )
    a.refresh_from_db()
    assert a.status == "answered" and a.answered_by_org == "大营门街道"
    assert audit_actions(a) == [
        "supervision.appeal_submit",
        "supervision.appeal_escalate",
        "supervision.appeal_answer",
    ]


def test_bad_evidence_is_refused_and_nothing_is_stored(users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        services.complaint_file(
            actor=users["community_staff"],
            data=sv.ComplaintSchema.parse(
                {
                    "category": "other",
                    "target_department": "12010302",
                    "description": "要求社区出具无犯罪记录证明，属于禁止出具的证明。",
                }
            ),
            files=[fake],
        )
    assert "不是" in exc.value.message
    assert Complaint.objects.count() == 0


def test_a_bad_verdict_names_every_wrong_field_and_changes_nothing(users, file_complaint):
    """The verdict form of the bureau's page is refused as one message naming what to fix; the complaint
    stays where it was."""
    c = file_complaint()
    services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    with pytest.raises(DomainError) as exc:
        services.complaint_verdict(
            actor=users["hexi_official"],
            complaint_id=c.pk,
            data=sv.VerdictSchema.parse({"substantiated": "yes", "reason": " ", "workdays": "90"}),
        )
    assert set(exc.value.fields) == {"reason", "requirements", "workdays"}
    assert exc.value.message == (
        "请检查填写的内容：请填写查证结论及理由；整改期限应为 1 至 60 个工作日；请填写整改要求。"
    )
    c.refresh_from_db()
    assert c.status == "investigating" and not Rectification.objects.filter(complaint=c).exists()


def test_a_complaint_refers_only_to_a_refusal_its_author_may_see(users):
    """One click from a refusal notice: the complaint carries the notice, its community and its task; another
    community's staff, or an anonymous filer, cannot attach it and nothing is stored."""
    from taskcheck import services as taskcheck_services

    refusal = taskcheck_services.refusal_record(
        actor=users["community_staff"],
        data=taskcheck_services.check_input(
            community="120103001001",
            title="社区每月报送慢病随访台账",
            description="另建慢病随访台账，每月报送纸质版。",
            department="河西区卫生健康委员会",
            admission_no="",
        ),
    )
    data = sv.ComplaintSchema.parse(
        {
            "category": "extra_ledgers",
            "target_department": "12010302",
            "description": "区卫健委坚持要求社区另建慢病随访台账。",
            "refusal_id": refusal.pk,
        }
    )
    for actor in (users["community_staff2"], None):
        with pytest.raises(DomainError) as exc:
            services.complaint_file(actor=actor, data=data)
        assert exc.value.fields == {"refusal": "未找到该拒绝承接登记，或您无权引用。"}
    assert Complaint.objects.count() == 0
    c = services.complaint_file(actor=users["community_staff"], data=data)
    assert c.refusal_id == refusal.pk and c.community.code == "120103001001"
    assert c.task_title == "社区每月报送慢病随访台账" and c.handling_org.code == "120103"
