"""Rules of the request's life, each with a test that fails without it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from admission import services
from admission.choices import TRANSITIONS, Status
from admission.models import ConsultationInvite, HistoryEntry, ImmutableError, TaskRequest, TaskTarget
from portal.errors import ConflictError, DomainError, PermissionDeniedError
from portal.models import AuditEntry, Notification
from taskcheck.engine import TaskVerdict
from tests.admission.conftest import request_input

pytestmark = [
    pytest.mark.policy("三（二）-1"),
    pytest.mark.policy("三（二）-2"),
    pytest.mark.policy("三（二）-4"),
]


def _verdict(monkeypatch, verdict: TaskVerdict):
    import taskcheck.engine

    monkeypatch.setattr(taskcheck.engine, "evaluate_task", lambda **kw: verdict)


# ------------------------------------------------------------------ creation and targets


def test_district_scope_resolves_to_every_community(flow, org):
    req = flow.create(target_orgs=["120103"])
    codes = set(TaskTarget.objects.filter(request=req).values_list("community__code", flat=True))
    assert codes == set(
        org("120103")
        .__class__.objects.filter(level="community", path__startswith="120000/120103/")
        .values_list("code", flat=True)
    )
    assert req.target_mode == "district"
    assert "120104001001" not in codes


def test_streets_and_communities_resolve(flow):
    req = flow.create(target_orgs=["120103001000", "120103002001"])
    codes = set(TaskTarget.objects.filter(request=req).values_list("community__code", flat=True))
    assert codes == {"120103001001", "120103001002", "120103001003", "120103002001"}
    assert req.target_mode == "mixed"
    assert req.funding_total == 2000 * 4


def test_district_department_cannot_target_another_district(flow):
    with pytest.raises(DomainError) as exc:
        flow.create(target_orgs=["120104001001"])
    assert "target_orgs" in exc.value.fields
    assert not TaskRequest.objects.exists()


def test_city_department_may_target_any_district(flow):
    req = flow.create("city_stats", target_orgs=["120104"])
    assert req.requester_org.code == "120000"
    assert TaskTarget.objects.filter(request=req).count() == 2


def test_unknown_code_and_bad_dates_are_clear_errors(flow):
    with pytest.raises(DomainError) as exc:
        flow.create(target_orgs=[], end_date="2020-01-01", workload_hours_per_month="x")
    assert exc.value.message == "申请内容不完整或有误，请检查标出的字段。"
    assert exc.value.fields == {
        "target_orgs": "请选择事项的实施范围（全区、街道或社区）。",
        "end_date": "结束日期不能早于开始日期。",
        "workload_hours_per_month": "工作量应为数字。",
    }
    with pytest.raises(DomainError) as exc:
        flow.create(target_orgs=["999999"])
    assert exc.value.fields == {"target_orgs": "未知的组织代码：999999。"}
    assert not TaskRequest.objects.exists()


def test_only_department_staff_create(users):
    for name in ("hexi_official", "community_staff", "resident"):
        with pytest.raises(PermissionDeniedError):
            services.task_request_create(actor=users[name], data=request_input())


# ------------------------------------------------------------------ submission checks


def test_negative_list_task_is_rejected_with_reason(flow, monkeypatch):
    _verdict(
        monkeypatch,
        TaskVerdict(
            verdict="prohibited",
            reason="居委会不得作为行政执法的责任主体。",
            clause="津民发〔2019〕35号 三（一）",
        ),
    )
    req = flow.submitted(title="社区负责违章建筑行政执法")
    assert req.status == Status.REJECTED
    assert "行政执法" in req.status_reason
    assert not ConsultationInvite.objects.filter(request=req).exists()
    assert HistoryEntry.objects.filter(
        request=req, to_status=Status.REJECTED, action="reject_on_submit"
    ).exists()


def test_on_list_task_points_to_item_and_changes_nothing(flow, monkeypatch):
    _verdict(
        monkeypatch,
        TaskVerdict(
            verdict="on_list",
            reason="清单内事项",
            matched_item={
                "id": "B-12",
                "list_type": "assistance",
                "category": "统计和普查",
                "title": "协助开展人口普查",
                "legal_basis": [],
            },
        ),
    )
    req = flow.create(title="协助开展人口普查")
    with pytest.raises(DomainError) as exc:
        services.task_request_submit(actor=req.created_by, request_id=req.pk)
    assert exc.value.code == "on_list"
    assert exc.value.fields["matched_item"] == "B-12"
    assert "协助开展人口普查" in exc.value.message
    assert TaskRequest.objects.get(pk=req.pk).status == Status.DRAFT


@pytest.mark.parametrize(
    "missing, field",
    [
        ({"funding_amount": None}, "funding_amount"),
        ({"funding_source": ""}, "funding_source"),
        ({"working_conditions": ""}, "working_conditions"),
        (
            {
                "purchase_service": True,
                "funding_amount": None,
                "funding_source": "",
                "service_provider": "某社工机构",
            },
            "service_budget",
        ),
        ({"purchase_service": True, "service_budget": "50000"}, "service_provider"),
    ],
)
def test_fee_follows_task_is_required(flow, missing, field):
    req = flow.create(**missing)
    with pytest.raises(DomainError) as exc:
        services.task_request_submit(actor=req.created_by, request_id=req.pk)
    assert exc.value.status == 400
    assert field in exc.value.fields
    assert "费随事转" in exc.value.message
    fresh = TaskRequest.objects.get(pk=req.pk)
    assert fresh.status == Status.DRAFT and fresh.submitted_at is None
    assert not HistoryEntry.objects.filter(request=req, action="submit").exists()


def test_purchase_of_service_with_budget_is_enough(flow):
    req = flow.submitted(
        purchase_service=True,
        funding_amount=None,
        funding_source="",
        service_provider="某社工机构",
        service_budget="80000",
    )
    assert req.status == Status.CONSULTATION


def test_apply_thirty_working_days_ahead(flow):
    soon = timezone.localdate() + timedelta(days=20)
    req = flow.create(start_date=soon.isoformat(), end_date=(soon + timedelta(days=30)).isoformat())
    with pytest.raises(DomainError) as exc:
        services.task_request_submit(actor=req.created_by, request_id=req.pk)
    assert exc.value.code == "lead_time"
    assert TaskRequest.objects.get(pk=req.pk).status == Status.DRAFT


def test_only_own_department_submits(flow, users):
    req = flow.create()
    for name in ("city_stats", "hexi_official"):
        with pytest.raises(PermissionDeniedError):
            services.task_request_submit(actor=users[name], request_id=req.pk)


# ------------------------------------------------------------------ consultation


def test_submit_asks_every_community_and_street_with_todos(flow, users):
    req = flow.submitted()
    orgs = set(ConsultationInvite.objects.filter(request=req).values_list("org__code", flat=True))
    assert orgs == {"120103001000", "120103001001", "120103001002", "120103001003"}
    for name in ("street_staff", "community_staff", "community_staff2"):
        todo = Notification.objects.get(user=users[name], is_todo=True, source_id=str(req.pk))
        assert todo.deadline is not None and todo.done_at is None
    assert req.consultation_due > timezone.localdate()


def test_opinions_close_consultation_when_all_answered(flow, users):
    req = flow.submitted(target_orgs=["120103001001", "120103001002"])
    services.task_request_opinion(actor=users["community_staff"], request_id=req.pk, opinion="agree")
    assert Notification.objects.get(user=users["community_staff"], source_id=str(req.pk)).done_at is not None
    services.task_request_opinion(
        actor=users["community_staff2"], request_id=req.pk, opinion="disagree", comment="人手不足"
    )
    assert TaskRequest.objects.get(pk=req.pk).status == Status.CONSULTATION  # the street still has to answer
    req = services.task_request_opinion(actor=users["street_staff"], request_id=req.pk, opinion="agree")
    assert req.status == Status.REVIEW
    assert services.tally(req) == {"total": 3, "agree": 2, "disagree": 1, "pending": 0}
    assert Notification.objects.filter(
        user=users["hexi_official"], kind="admission_review", is_todo=True
    ).exists()


def test_opinion_rules(flow, users):
    req = flow.submitted(target_orgs=["120103001001"])
    with pytest.raises(DomainError):
        services.task_request_opinion(actor=users["community_staff"], request_id=req.pk, opinion="maybe")
    with pytest.raises(DomainError):
        services.task_request_opinion(actor=users["community_staff"], request_id=req.pk, opinion="disagree")
    with pytest.raises(PermissionDeniedError):  # not consulted
        services.task_request_opinion(actor=users["community_staff2"], request_id=req.pk, opinion="agree")
    services.task_request_opinion(actor=users["community_staff"], request_id=req.pk, opinion="agree")
    with pytest.raises(ConflictError):
        services.task_request_opinion(actor=users["community_staff"], request_id=req.pk, opinion="agree")


def test_consultation_window_closes_on_schedule(flow):
    req = flow.submitted()
    assert services.consultation_close(request_id=req.pk) is False  # window still open
    later = req.consultation_due + timedelta(days=1)
    assert services.consultations_close_due(today=later) == 1
    req.refresh_from_db()
    assert req.status == Status.REVIEW
    assert "未反馈 4" in HistoryEntry.objects.get(request=req, action="close_consultation").comment
    assert services.consultations_close_due(today=later) == 0  # idempotent


def test_no_review_during_consultation(flow, users):
    req = flow.submitted()
    with pytest.raises(ConflictError):
        services.task_request_review(
            actor=users["hexi_official"], request_id=req.pk, legality="pass", reasonableness="pass"
        )


# ------------------------------------------------------------------ review


def test_review_pass_goes_to_decision(flow, users):
    req = flow.in_decision()
    assert req.status == Status.DECISION
    assert req.reviewed_by == users["hexi_official"]
    assert Notification.objects.filter(
        user=users["hexi_approver"], kind="admission_decision", is_todo=True
    ).exists()


def test_review_fail_returns_or_rejects(flow, users):
    req = flow.in_review()
    with pytest.raises(DomainError):  # a fail needs a reason
        services.task_request_review(
            actor=users["hexi_official"], request_id=req.pk, legality="pass", reasonableness="fail"
        )
    req = services.task_request_review(
        actor=users["hexi_official"],
        request_id=req.pk,
        legality="pass",
        reasonableness="fail",
        comment="工作量过大，请压缩频次。",
    )
    assert req.status == Status.RETURNED
    req = flow.in_review(title="另一事项")
    req = services.task_request_review(
        actor=users["hexi_official"],
        request_id=req.pk,
        legality="fail",
        reasonableness="pass",
        comment="无合法依据。",
    )
    assert req.status == Status.REJECTED and req.status_reason == "无合法依据。"


def test_returned_request_can_be_edited_and_resubmitted(flow, users):
    req = flow.in_review()
    services.task_request_review(
        actor=users["hexi_official"],
        request_id=req.pk,
        legality="pass",
        reasonableness="fail",
        comment="请补充",
        outcome="return",
    )
    services.task_request_update(
        actor=users["hexi_health"], request_id=req.pk, data=request_input(workload_hours_per_month="2")
    )
    req = services.task_request_submit(actor=users["hexi_health"], request_id=req.pk)
    assert req.status == Status.CONSULTATION
    assert not ConsultationInvite.objects.filter(request=req).exclude(opinion="").exists()


@pytest.mark.parametrize(
    "who", ["nankai_official", "city_admin", "hexi_approver", "hexi_health", "street_staff"]
)
def test_only_the_official_at_the_requesters_level_reviews(flow, users, who):
    req = flow.in_review()
    with pytest.raises(PermissionDeniedError):
        services.task_request_review(
            actor=users[who], request_id=req.pk, legality="pass", reasonableness="pass"
        )
    assert TaskRequest.objects.get(pk=req.pk).status == Status.REVIEW


def test_city_request_is_reviewed_by_city_admin(flow, users):
    req = flow.in_review("city_stats")
    with pytest.raises(PermissionDeniedError):
        services.task_request_review(
            actor=users["hexi_official"], request_id=req.pk, legality="pass", reasonableness="pass"
        )
    req = services.task_request_review(
        actor=users["city_admin"], request_id=req.pk, legality="pass", reasonableness="pass"
    )
    assert req.status == Status.DECISION


# ------------------------------------------------------------------ decision


def test_approval_assigns_number_validity_and_history(flow, users):
    req = flow.approved()
    year = timezone.localdate().year
    assert req.admission_no == f"津河西准〔{year}〕1号"
    assert req.valid_until == req.end_date
    assert req.approval_body.kind == "government"
    second = flow.approved(title="第二个事项")
    assert second.admission_no == f"津河西准〔{year}〕2号"
    city = flow.approved("city_stats", reviewer="city_admin", approver="city_approver", title="市级事项")
    assert city.admission_no == f"津准〔{year}〕1号"
    actions = list(HistoryEntry.objects.filter(request=req).values_list("action", flat=True))
    assert actions[0] == "create" and actions[-1] == "approve" and "review_pass" in actions
    assert AuditEntry.objects.filter(action="admission.approve", object_id=str(req.pk)).exists()


@pytest.mark.parametrize(
    "who", ["hexi_official", "city_approver", "hexi_health", "nankai_official", "city_admin"]
)
def test_only_the_approver_at_the_requesters_level_decides(flow, users, who):
    req = flow.in_decision()
    with pytest.raises(PermissionDeniedError):
        services.task_request_decide(actor=users[who], request_id=req.pk, decision="approve")
    assert TaskRequest.objects.get(pk=req.pk).status == Status.DECISION


def test_district_approver_cannot_decide_city_request(flow, users):
    req = flow.in_decision("city_stats", reviewer="city_admin")
    with pytest.raises(PermissionDeniedError):
        services.task_request_decide(actor=users["hexi_approver"], request_id=req.pk, decision="approve")
    req = services.task_request_decide(actor=users["city_approver"], request_id=req.pk, decision="approve")
    assert req.status == Status.APPROVED


def test_reviewer_does_not_decide_even_holding_approver_role(flow, users, org):
    from portal.models import RoleAssignment

    RoleAssignment.objects.create(user=users["hexi_official"], role="district_approver", org=org("120103"))
    req = flow.in_decision()
    with pytest.raises(PermissionDeniedError):
        services.task_request_decide(actor=users["hexi_official"], request_id=req.pk, decision="approve")


def test_department_never_decides_its_own_request(flow, users, org):
    from portal.models import RoleAssignment

    RoleAssignment.objects.create(user=users["hexi_health"], role="district_approver", org=org("120103"))
    RoleAssignment.objects.create(user=users["hexi_health"], role="district_official", org=org("120103"))
    req = flow.in_review()
    with pytest.raises(PermissionDeniedError):
        services.task_request_review(
            actor=users["hexi_health"], request_id=req.pk, legality="pass", reasonableness="pass"
        )
    req = services.task_request_review(
        actor=users["hexi_official"], request_id=req.pk, legality="pass", reasonableness="pass"
    )
    with pytest.raises(PermissionDeniedError):
        services.task_request_decide(actor=users["hexi_health"], request_id=req.pk, decision="approve")


def test_reject_and_return_need_reason(flow, users):
    req = flow.in_decision()
    with pytest.raises(DomainError):
        services.task_request_decide(actor=users["hexi_approver"], request_id=req.pk, decision="reject")
    req = services.task_request_decide(
        actor=users["hexi_approver"], request_id=req.pk, decision="return", comment="请补充经费明细"
    )
    assert req.status == Status.RETURNED and req.admission_no is None


def test_second_decision_conflicts(flow, users):
    req = flow.approved()
    with pytest.raises(ConflictError) as exc:
        services.task_request_decide(
            actor=users["hexi_approver"], request_id=req.pk, decision="reject", comment="x"
        )
    assert "已被他人处理" in exc.value.message
    assert TaskRequest.objects.get(pk=req.pk).status == Status.APPROVED


def test_withdraw(flow, users):
    req = flow.submitted()
    req = services.task_request_withdraw(actor=users["hexi_health"], request_id=req.pk)
    assert req.status == Status.WITHDRAWN
    assert not Notification.objects.filter(source_id=str(req.pk), is_todo=True, done_at__isnull=True).exists()
    with pytest.raises(ConflictError):
        services.task_request_submit(actor=users["hexi_health"], request_id=req.pk)


def test_revoke_by_approver_with_reason(flow, users):
    req = flow.approved()
    with pytest.raises(DomainError):
        services.task_request_revoke(actor=users["hexi_approver"], request_id=req.pk, reason="")
    for who in ("hexi_official", "hexi_health", "city_approver"):
        with pytest.raises(PermissionDeniedError):
            services.task_request_revoke(actor=users[who], request_id=req.pk, reason="x")
    req = services.task_request_revoke(
        actor=users["hexi_approver"], request_id=req.pk, reason="任务已由部门自行承担"
    )
    assert req.status == Status.REVOKED and req.revoked_at


def test_transition_table_is_enforced(flow, users):
    req = flow.create()
    assert (Status.DRAFT, "approve") not in TRANSITIONS
    TaskRequest.objects.filter(pk=req.pk).update(status=Status.DECISION)
    with pytest.raises(ConflictError):
        services.task_request_submit(actor=users["hexi_health"], request_id=req.pk)


def test_history_is_immutable(flow):
    req = flow.submitted()
    row = HistoryEntry.objects.filter(request=req).first()
    row.comment = "篡改"
    with pytest.raises(ImmutableError):
        row.save()
    with pytest.raises(ImmutableError):
        row.delete()


def test_attachment_rules(flow, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.files import pdf_bytes, png_bytes

    req = flow.create()
    att = services.attachment_add(
        actor=users["hexi_health"],
        request_id=req.pk,
        upload=SimpleUploadedFile("方案.pdf", pdf_bytes(), "application/pdf"),
    )
    assert att.content_type == "application/pdf"
    from django.conf import settings

    assert str(settings.MEDIA_ROOT) in att.file.path and "private" in att.file.path
    with pytest.raises(DomainError):
        services.attachment_add(
            actor=users["hexi_health"],
            request_id=req.pk,
            upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/pdf"),
        )
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf")
    with pytest.raises(DomainError) as exc:
        services.attachment_add(actor=users["hexi_health"], request_id=req.pk, upload=big)
    assert exc.value.status == 413
    with pytest.raises(PermissionDeniedError):
        services.attachment_add(
            actor=users["hexi_official"],
            request_id=req.pk,
            upload=SimpleUploadedFile("a.png", png_bytes(), "image/png"),
        )
