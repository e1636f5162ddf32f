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
    # Creation (outside the table) and the opinions (steps that keep the state) are in the same history.
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


def test_an_opinion_is_a_workflow_step_with_its_history_row_and_audit_entry(flow, users):
    """Who answered, for which community, when, what — in the history and the audit log; the request row
    itself is not written (its place in the lists, ordered by last change, stays)."""
    import pytest

    from admission.models import TaskRequest
    from portal.errors import ConflictError
    from portal.models import OrgUnit

    req = flow.submitted(target_orgs=["120103001001", "120103001002"])
    changed = TaskRequest.objects.get(pk=req.pk).updated_at
    services.task_request_opinion(
        actor=users["community_staff2"], request_id=req.pk, opinion="disagree", comment="人手不足"
    )
    row = HistoryEntry.objects.get(request=req, action="opinion")
    assert (row.actor, row.actor_name, row.role, row.org_name) == (
        users["community_staff2"],
        users["community_staff2"].display_name,
        "community_staff",
        OrgUnit.objects.get(code="120103001002").name,
    )
    assert (row.from_status, row.to_status, row.comment) == (
        "consultation",
        "consultation",
        "不同意：人手不足",
    )
    assert row.at is not None
    entry = AuditEntry.objects.get(action="admission.opinion", object_id=str(req.pk))
    assert entry.actor == users["community_staff2"] and entry.detail == "不同意：人手不足"
    assert entry.before["status"] == entry.after["status"] == "consultation"
    assert (entry.after["org"], entry.after["opinion"], entry.after["comment"]) == (
        "120103001002",
        "disagree",
        "人手不足",
    )
    assert TaskRequest.objects.get(pk=req.pk).updated_at == changed
    # Answering twice is refused and leaves no second row.
    with pytest.raises(ConflictError):
        services.task_request_opinion(actor=users["community_staff2"], request_id=req.pk, opinion="agree")
    assert HistoryEntry.objects.filter(request=req, action="opinion").count() == 1
    assert AuditEntry.objects.filter(action="admission.opinion", object_id=str(req.pk)).count() == 1


def test_staff_of_two_consulted_communities_answer_for_the_one_they_name(flow, users):
    from portal.models import OrgUnit, RoleAssignment

    req = flow.submitted(target_orgs=["120103001001", "120103001002"])
    second = OrgUnit.objects.get(code="120103001002")
    RoleAssignment.objects.create(user=users["community_staff"], role="community_staff", org=second)
    services.task_request_opinion(
        actor=users["community_staff"], request_id=req.pk, opinion="agree", org_code="120103001002"
    )
    services.task_request_opinion(actor=users["community_staff"], request_id=req.pk, opinion="agree")
    assert list(
        HistoryEntry.objects.filter(request=req, action="opinion")
        .order_by("id")
        .values_list("org_name", flat=True)
    ) == [second.name, OrgUnit.objects.get(code="120103001001").name]
    assert services.tally(req) == {"total": 3, "agree": 2, "disagree": 0, "pending": 1}  # the street's


def test_an_edit_is_a_workflow_step_with_its_history_row_and_before_and_after(flow, users):
    from tests.admission.conftest import request_input

    req = flow.create()
    services.task_request_update(
        actor=users["hexi_health"], request_id=req.pk, data=request_input(title="社区老年人健康随访信息复核")
    )
    row = HistoryEntry.objects.get(request=req, action="edit")
    assert (row.actor, row.role, row.org_name, row.from_status, row.to_status) == (
        users["hexi_health"],
        "department_staff",
        req.department.name,
        "draft",
        "draft",
    )
    entry = AuditEntry.objects.get(action="admission.edit", object_id=str(req.pk))
    assert entry.actor == users["hexi_health"]
    assert (entry.before["title"], entry.after["title"]) == (
        "社区老年人健康随访信息核对",
        "社区老年人健康随访信息复核",
    )
    assert entry.before["funding_source"] == entry.after["funding_source"] == "区级财政专项资金"
    req.refresh_from_db()
    assert req.title == "社区老年人健康随访信息复核"


def test_the_history_rows_of_the_tables_actions_are_written_only_by_the_workflow_step():
    """A service writes a history row itself only for what the table does not hold (creation); edits, opinions,
    the sweep's escalation and every transition are ``WORKFLOW.step``'s."""
    import ast
    from pathlib import Path

    import admission
    from admission.choices import WORKFLOW, Action

    table = set(WORKFLOW.actions())
    by_hand = []
    for path in (Path(admission.__file__).parent / "services").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "HistoryEntry"
            ):
                continue
            action = next(k.value for k in node.keywords if k.arg == "action")
            assert isinstance(action, ast.Attribute), ast.unparse(action)
            by_hand.append(str(getattr(Action, action.attr)))
    assert sorted(by_hand) == ["create"]
    assert not table & set(by_hand)
