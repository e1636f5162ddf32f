"""The one workflow mechanism: a table of transitions, a 409 with a Chinese message, page actions from it."""

import pytest
from django.db import models

from portal.errors import ConflictError
from portal.models import AuditEntry, Job
from portal.workflow import REGISTRY, Transition, Workflow


class S(models.TextChoices):
    NEW = "new", "新建"
    OPEN = "open", "办理中"
    DONE = "done", "已办结"


class Thing:
    def __init__(self, status):
        self.status = status


FLOW = Workflow(
    "test.thing",
    states=S,
    noun="该事项",
    transitions=[
        Transition("edit", sources=[S.NEW], label="修改"),
        Transition("open", sources=[S.NEW], target=S.OPEN, label="受理", roles=["street_staff"]),
        Transition("close", sources=[S.OPEN], target=S.DONE, label="办结", needs_reason=True),
    ],
)


def test_the_table_decides_what_may_follow():
    assert FLOW.target(S.NEW, "open") == S.OPEN and FLOW.target(S.NEW, "edit") == S.NEW
    assert FLOW.target(S.DONE, "open") is None and not FLOW.allows(S.OPEN, "open")
    assert FLOW.pairs() == {("new", "edit"): "new", ("new", "open"): "open", ("open", "close"): "done"}
    t = Thing(S.NEW)
    assert FLOW.apply(t, "open") == ("new", "open") and t.status == "open"


def test_a_refused_transition_is_a_409_in_chinese_and_changes_nothing():
    t = Thing(S.DONE)
    with pytest.raises(ConflictError) as exc:
        FLOW.apply(t, "open")
    assert exc.value.status == 409 and exc.value.message == "该事项当前状态为“已办结”，不能受理。"
    assert t.status == S.DONE


def test_page_actions_come_from_the_table():
    only_street = lambda user, obj, t: not t.roles or user in t.roles  # noqa: E731
    assert [t.action for t in FLOW.available(Thing(S.NEW))] == ["edit", "open"]
    assert [t.action for t in FLOW.available(Thing(S.NEW), "resident", may=only_street)] == ["edit"]
    assert [t.action for t in FLOW.available(Thing(S.OPEN), "street_staff", may=only_street)] == ["close"]


def test_a_table_with_unknown_states_or_duplicate_rows_is_refused():
    with pytest.raises(ValueError):
        Workflow("bad", states=S, transitions=[Transition("x", sources=["nowhere"], target=S.DONE)])
    with pytest.raises(ValueError):
        Workflow(
            "bad2",
            states=S,
            transitions=[Transition("x", sources=[S.NEW], target=S.OPEN), Transition("x", sources=[S.NEW])],
        )


def test_the_apps_declare_their_workflows_here():
    import admission.choices  # noqa: F401
    import certificates.choices  # noqa: F401
    import checklists.choices  # noqa: F401
    import evaluations.choices  # noqa: F401

    assert {
        "admission.task_request",
        "certificates.application",
        "evaluations.assessment",
        "evaluations.rectification",
        "checklists.list_version",
    } <= set(REGISTRY)
    flow = REGISTRY["admission.task_request"]
    assert flow.target("draft", "submit") == "consultation"
    assert "draft --> consultation: 提交申请" in flow.mermaid()
    assert REGISTRY["certificates.application"].target("need_more", "supplement") == "submitted"
    assert REGISTRY["evaluations.rectification"].target("open", "close") is None


def test_the_architecture_document_shows_every_workflow_as_it_is():
    """docs/architecture.md carries one diagram per workflow, generated from the tables (Workflow.mermaid())."""
    from pathlib import Path

    import admission.choices  # noqa: F401
    import certificates.choices  # noqa: F401
    import checklists.choices  # noqa: F401
    import evaluations.choices  # noqa: F401

    doc = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name in [
        "admission.task_request",
        "certificates.application",
        "evaluations.assessment",
        "evaluations.rectification",
        "checklists.list_version",
    ]:
        diagram = REGISTRY[name].mermaid()
        assert diagram in doc, f"docs/architecture.md: paste the diagram of {name}:\n{diagram}"


JOB_FLOW = Workflow(
    "test.job",
    states=Job.Status,
    noun="该任务",
    audit_prefix="test.job_",
    audit_fields=["progress"],
    transitions=[
        Transition("start", sources=[Job.Status.QUEUED], target=Job.Status.RUNNING, label="开始"),
        Transition("finish", sources=[Job.Status.RUNNING], target=Job.Status.DONE, label="完成"),
    ],
)


def test_a_step_checks_sets_saves_and_audits_in_one_call(users):
    from django.db import transaction

    job = Job.objects.create(kind="x", title="报表", requested_by=users["hexi_official"])
    with transaction.atomic():
        locked = JOB_FLOW.lock(Job.objects, pk=job.pk)
        locked.title = "月度报表"
        assert JOB_FLOW.step(
            locked, "start", actor=users["hexi_official"], fields=["title"], comment="开始生成"
        ) == ("queued", "running")
    job.refresh_from_db()
    assert (job.status, job.title) == ("running", "月度报表")
    entry = AuditEntry.objects.get(action="test.job_start", object_id=str(job.pk))
    assert entry.actor == users["hexi_official"] and entry.detail == "开始生成"
    assert entry.before == {"status": "queued", "progress": 0}
    assert entry.after == {"status": "running", "progress": 0}


def test_a_steps_audit_before_shows_the_row_as_stored_not_the_fields_the_service_already_set(users):
    from django.db import transaction

    job = Job.objects.create(kind="x", title="报表", requested_by=users["hexi_official"])
    with transaction.atomic():
        locked = JOB_FLOW.lock(Job.objects, pk=job.pk)
        locked.progress = 40  # set by the service before the step, saved by it
        JOB_FLOW.step(locked, "start", actor=users["hexi_official"], fields=["progress"])
    entry = AuditEntry.objects.get(action="test.job_start", object_id=str(job.pk))
    assert entry.before == {"status": "queued", "progress": 0}
    assert entry.after == {"status": "running", "progress": 40}


def test_a_refused_step_saves_nothing_and_writes_no_audit(users):
    from django.db import transaction

    job = Job.objects.create(kind="x", title="报表", requested_by=users["hexi_official"])
    with pytest.raises(ConflictError, match="该任务当前状态为“排队中”，不能完成。"):
        with transaction.atomic():
            locked = JOB_FLOW.lock(Job.objects, pk=job.pk)
            locked.title = "改过的名称"
            JOB_FLOW.step(locked, "finish", actor=users["hexi_official"], fields=["title"])
    job.refresh_from_db()
    assert (job.status, job.title) == ("queued", "报表")
    assert not AuditEntry.objects.filter(action__startswith="test.job_", object_id=str(job.pk)).exists()


def test_a_step_that_leaves_the_actors_scope_is_rolled_back(users, org):
    from django.db import transaction

    from portal.errors import PermissionDeniedError

    job = Job.objects.create(kind="x", title="报表", org=org("120103"))
    with pytest.raises(PermissionDeniedError):
        with transaction.atomic():
            locked = JOB_FLOW.lock(Job.objects, pk=job.pk)
            locked.org = org("120104")
            JOB_FLOW.step(locked, "start", actor=users["hexi_official"], fields=["org"], recheck="view")
    job.refresh_from_db()
    assert (job.status, job.org.code) == ("queued", "120103")
    assert not AuditEntry.objects.filter(action="test.job_start", object_id=str(job.pk)).exists()


def test_an_action_of_the_table_is_a_right_of_the_roles_it_names(users):
    """rights_q turns a row's roles into the scope of the action (Model.scope_q), so services ask
    require_right and pages ask allows — the same table, never a second list of who may act."""
    from portal.models import OrgUnit

    def codes(q) -> set[str]:
        return set(OrgUnit.objects.filter(q).values_list("code", flat=True))

    assert FLOW.roles_of("open") == {"street_staff"} and FLOW.roles_of("edit") == frozenset()
    street = {"120103001000", "120103001001", "120103001002", "120103001003"}
    assert codes(FLOW.rights_q(users["street_staff"], "open", "")) == street
    assert codes(FLOW.rights_q(users["hexi_official"], "open", "")) == set()
    assert codes(FLOW.rights_q(users["street_staff"], "edit", "")) == set()  # a row naming no roles


RIGHTS_FLOW = Workflow(
    "test.rights",
    states=S,
    transitions=[
        Transition("edit", sources=[S.NEW], roles=["department_staff"]),
        Transition("open", sources=[S.NEW], target=S.OPEN, roles=["department_staff"], right="edit"),
        Transition("reject", sources=[S.NEW], target=S.DONE),  # the system's: names no roles
        Transition("close", sources=[S.OPEN], target=S.DONE, roles=["street_staff"], right="handle"),
        Transition("drop", sources=[S.OPEN], target=S.DONE, roles=["street_staff"], right="handle"),
    ],
)


def test_each_row_names_the_right_it_needs_the_action_itself_unless_it_says():
    assert [(t.action, t.right) for t in RIGHTS_FLOW.transitions] == [
        ("edit", "edit"),
        ("open", "edit"),
        ("reject", "reject"),
        ("close", "handle"),
        ("drop", "handle"),
    ]


def test_a_page_is_offered_the_rows_whose_right_the_user_holds_each_right_asked_once():
    asked: list[str] = []

    def holds(user, right, obj):
        asked.append(right)
        return right in user

    offered = RIGHTS_FLOW.offered(Thing(S.NEW), {"edit", "reject"}, holds=holds)
    # "reject" names no roles: the system takes it, no page offers it, whatever the user holds
    assert [t.action for t in offered] == ["edit", "open"] and asked == ["edit"]
    asked.clear()
    assert [t.action for t in RIGHTS_FLOW.offered(Thing(S.OPEN), {"edit"}, holds=holds)] == []
    assert asked == ["handle"]
    assert [t.action for t in RIGHTS_FLOW.offered(Thing(S.OPEN), {"handle"}, holds=holds)] == [
        "close",
        "drop",
    ]


GRANTED_FLOW = Workflow(
    "test.granted",
    states=S,
    transitions=[
        Transition("note", sources=[S.OPEN], right="verify", granted=True),  # a per-object grant's holders
        Transition("close", sources=[S.OPEN], target=S.DONE),  # the system's
    ],
)


def test_a_row_taken_under_a_per_object_grant_is_offered_to_its_holders_only():
    """No org-tree role names ``note``: it is offered to whoever holds a grant of ``verify`` on the object (an
    assigned verifier), to nobody else, and its right is nobody's through the org tree (``rights_q``)."""

    def holds(user, right, obj):
        return right in user

    assert [t.action for t in GRANTED_FLOW.offered(Thing(S.OPEN), {"verify"}, holds=holds)] == ["note"]
    assert GRANTED_FLOW.offered(Thing(S.OPEN), {"close"}, holds=holds) == []
    assert GRANTED_FLOW.offered(Thing(S.NEW), {"verify"}, holds=holds) == []


def test_by_default_a_page_asks_the_scope_mechanism(monkeypatch):
    import portal.scope

    asked = []
    monkeypatch.setattr(portal.scope, "allows", lambda user, right, obj: asked.append(right) or True)
    assert [t.action for t in RIGHTS_FLOW.offered(Thing(S.NEW), "anyone")] == ["edit", "open"]
    assert asked == ["edit"]


def test_a_step_writes_the_apps_step_row_with_its_context(users):
    from django.db import transaction

    rows: list[dict] = []
    flow = Workflow(
        "test.job_rows",
        states=Job.Status,
        noun="该任务",
        transitions=[Transition("start", sources=[Job.Status.QUEUED], target=Job.Status.RUNNING)],
    )

    @flow.records
    def write(obj, **row):
        rows.append({"pk": obj.pk, **row})

    job = Job.objects.create(kind="x", title="报表", requested_by=users["hexi_official"])
    actor = users["hexi_official"]
    with transaction.atomic():
        locked = flow.lock(Job.objects, pk=job.pk)
        flow.step(locked, "start", actor=actor, comment="开始", context={"role": "district_official"})
    assert rows == [
        {
            "pk": job.pk,
            "action": "start",
            "from_state": "queued",
            "to_state": "running",
            "actor": actor,
            "comment": "开始",
            "role": "district_official",
        }
    ]
    # A refused step writes no row.
    with pytest.raises(ConflictError), transaction.atomic():
        flow.step(flow.lock(Job.objects, pk=job.pk), "start", actor=actor)
    assert len(rows) == 1
    assert flow.records(write) is write  # declaring the same writer again is harmless
    with pytest.raises(ValueError):
        flow.records(lambda obj, **row: None)  # one writer of step rows per workflow


def test_a_step_context_without_step_rows_is_an_error(users):
    from django.db import transaction

    job = Job.objects.create(kind="x", title="报表", requested_by=users["hexi_official"])
    with pytest.raises(RuntimeError), transaction.atomic():
        JOB_FLOW.step(JOB_FLOW.lock(Job.objects, pk=job.pk), "start", actor=None, context={"role": "x"})
    job.refresh_from_db()
    assert job.status == "queued"


EDIT_FLOW = Workflow(
    "test.job_edit",
    states=Job.Status,
    noun="该任务",
    audit_prefix="test.job_",
    transitions=[
        Transition("rename", sources=[Job.Status.QUEUED], label="改名"),
        Transition("start", sources=[Job.Status.QUEUED], target=Job.Status.RUNNING, label="开始"),
    ],
)


def test_a_step_audits_its_own_fields_from_the_locked_row_and_what_the_event_adds(users):
    from django.db import transaction

    job = Job.objects.create(kind="x", title="报表", requested_by=users["hexi_official"])
    with transaction.atomic():
        locked = EDIT_FLOW.lock(Job.objects, pk=job.pk)
        locked.title = "月度报表"
        EDIT_FLOW.step(
            locked,
            "rename",
            actor=users["hexi_official"],
            fields=["title"],
            audit_fields=["title"],
            audit_after={"reason": "按月出具"},
        )
    entry = AuditEntry.objects.get(action="test.job_rename", object_id=str(job.pk))
    assert entry.before == {"status": "queued", "title": "报表"}
    assert entry.after == {"status": "queued", "title": "月度报表", "reason": "按月出具"}


def test_a_step_that_leaves_the_row_as_it_is_need_not_write_it(users):
    from django.db import transaction

    job = Job.objects.create(kind="x", title="报表", requested_by=users["hexi_official"])
    with transaction.atomic():
        locked = EDIT_FLOW.lock(Job.objects, pk=job.pk)
        locked.title = "不应保存"
        assert EDIT_FLOW.step(locked, "rename", actor=None, save=False) == ("queued", "queued")
    job.refresh_from_db()
    assert job.title == "报表"
    assert AuditEntry.objects.filter(action="test.job_rename", object_id=str(job.pk)).count() == 1
    # A step that changes the state, or names fields to save, must save: nothing is half done.
    with pytest.raises(RuntimeError), transaction.atomic():
        EDIT_FLOW.step(EDIT_FLOW.lock(Job.objects, pk=job.pk), "start", actor=None, save=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        EDIT_FLOW.step(
            EDIT_FLOW.lock(Job.objects, pk=job.pk), "rename", actor=None, fields=["title"], save=False
        )
    job.refresh_from_db()
    assert job.status == "queued"
