"""A request's history: every step of the workflow writes its row (who, in which role and org, from which state
to which, why) together with its audit entry — one call, WORKFLOW.step — and the history page shows them."""

from django.db.models import F

from admission import services
from admission.models import HistoryEntry
from portal.models import AuditEntry


def test_every_status_step_leaves_one_history_row_and_its_audit_entry(flow, users, page_client):
    req = flow.approved(target_orgs=["120103001001"])
    services.task_request_revoke(actor=users["hexi_approver"], request_id=req.pk, reason="不再需要")
    steps = list(
        HistoryEntry.objects.filter(request=req)
        .exclude(from_status=F("to_status"))
        .exclude(action="create")
        .order_by("at", "id")
        .values_list("action", "from_status", "to_status", "actor__username", "role", "org_name")
    )
    department = req.department.name
    assert steps == [
        ("submit", "draft", "consultation", "hexi_health", "department_staff", department),
        ("close_consultation", "consultation", "review", None, "system", ""),
        ("review_pass", "review", "decision", "hexi_official", "district_official", "河西区"),
        ("approve", "decision", "approved", "hexi_approver", "district_approver", "河西区"),
        ("revoke", "approved", "revoked", "hexi_approver", "district_approver", "河西区"),
    ]
    audited = AuditEntry.objects.filter(
        object_id=str(req.pk), action__in=[f"admission.{s[0]}" for s in steps]
    )
    assert [(a.action, a.before["status"], a.after["status"]) for a in audited.order_by("id")] == [
        (f"admission.{action}", before, after) for action, before, after, *_ in steps
    ]
    # The rows outside the table (creation, opinions) stay in the same history.
    assert list(
        HistoryEntry.objects.filter(request=req, action__in=["create", "opinion"]).values_list(
            "action", "role"
        )
    ) == [("create", "department_staff"), ("opinion", "street_staff"), ("opinion", "community_staff")]
    page = page_client("hexi_health").get(f"/admission/{req.pk}/").content.decode()
    for text in ("提交申请", "征求意见结束", "审查通过", "批准准入", "撤销准入", "不再需要", "系统"):
        assert text in page, text


def test_a_decisions_audit_entry_shows_who_decided_only_after(flow, users):
    req = flow.approved()
    entry = AuditEntry.objects.get(action="admission.approve", object_id=str(req.pk))
    approver = users["hexi_approver"]
    assert entry.before["decided_by"] is None and entry.before["admission_no"] is None
    assert entry.after["decided_by"] == approver.pk and entry.after["admission_no"] == req.admission_no
    review = AuditEntry.objects.get(action="admission.review_pass", object_id=str(req.pk))
    assert review.before["reviewed_by"] is None and review.before["review_legality"] == ""
    assert (
        review.after["reviewed_by"] == users["hexi_official"].pk and review.after["review_legality"] == "pass"
    )


def test_a_refused_step_writes_no_history_row(flow, users):
    import pytest

    from portal.errors import ConflictError

    req = flow.approved()
    before = HistoryEntry.objects.filter(request=req).count()
    with pytest.raises(ConflictError):
        services.task_request_decide(actor=users["hexi_approver"], request_id=req.pk, decision="approve")
    assert HistoryEntry.objects.filter(request=req).count() == before


def test_history_rows_are_written_in_one_place():
    """HistoryEntry.record writes every row (WORKFLOW.step calls it); no module writes one by hand — except the
    scale data generator, which bulk-inserts a synthetic year of rows for the benchmark."""
    from pathlib import Path

    import admission

    root = Path(admission.__file__).parent
    by_hand = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and path.name not in ("models.py", "scale.py")
        and ("HistoryEntry.objects.create" in path.read_text() or "HistoryEntry(" in path.read_text())
    ]
    assert by_hand == []
