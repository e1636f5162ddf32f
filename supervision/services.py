"""Write side of supervision: every rule of a complaint's, a criticism's, a rectification's and an
appeal's life — one implementation for pages, API and jobs.

Transitions lock the row (``select_for_update``), check the transition table in ``choices.py`` and the
actor's right to take that step (``Model.objects.for_user(actor, <the step>)``: the roles the table names for
it; appeals' ``answer`` and ``rate`` say more in ``Appeal.scope_q``), write an append-only step and the audit
log, and schedule side effects on commit.

Identity protection: nothing a department can reach — the complaint row, its steps, notifications sent to
the department, the criticism and its PDF — carries the complainant's name or contact. Those live in
:class:`ComplainantIdentity`, which only the handling bureau may read through :func:`complaint_identity_reveal`
(audited like an ID number).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from certificates import personal
from portal import uploads, workdays
from portal.audit import audit
from portal.choices import OrgLevel, Role
from portal.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from portal.jobs import enqueue
from portal.models import ApprovalBody, Department, OrgUnit, RoleAssignment, User
from portal.scope import Grant, grants_for, require_right
from portal.services import assignments
from portal.services.notifications import notify, todos_done
from supervision.assignments import VERIFYING
from supervision.choices import (
    ACCEPT_WORKDAYS,
    APPEAL_WORKDAYS,
    APPEAL_WORKFLOW,
    COMPLAINT_WORKFLOW,
    CRITICISM_WORKFLOW,
    DUPLICATE_DAYS,
    EVIDENCE_MAX_COUNT,
    FINISHED,
    RECTIFICATION_WORKFLOW,
    REOPEN_DAYS,
    Action,
    AppealAction,
    AppealCategory,
    AppealStatus,
    Category,
    CriticismAction,
    RectificationAction,
    RectificationStatus,
    Status,
)
from supervision.models import (
    HANDLER_ROLES,
    Appeal,
    AppealEvent,
    AppealPhoto,
    ComplainantIdentity,
    Complaint,
    ComplaintEvent,
    Criticism,
    CriticismCounter,
    Evidence,
    Rectification,
)
from supervision.schemas import (
    AcceptInput,
    AnswerInput,
    AppealInput,
    ComplaintInput,
    CriticismDecisionInput,
    CriticismInput,
    DeclineInput,
    MergeInput,
    NoteInput,
    RatingInput,
    RectificationReportInput,
    ReopenInput,
    StatementInput,
    StatementRequestInput,
    VerdictInput,
    VerifyInput,
)
from taskcheck import selectors as taskcheck_selectors

MAX_TEXT = 5000
#: accepting a complaint needs no comment
NO_COMMENT = AcceptInput()


# --------------------------------------------------------------------------------------------- helpers


def _today() -> date:
    return timezone.localdate()


def users_with(role: str, org_ids: Iterable[int]) -> list[User]:
    """Active users holding ``role`` exactly at one of ``org_ids``."""
    ids = RoleAssignment.objects.filter(role=role, org_id__in=list(org_ids)).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _role_of(actor, roles) -> str:
    grants = grants_for(actor, roles)
    if grants:
        return grants[0].role
    return "superuser" if getattr(actor, "is_superuser", False) else ""


def handlers_of(complaint: Complaint) -> list[User]:
    """The officials who handle a complaint: the district bureau, or the city bureau for city departments."""
    role = Role.CITY_ADMIN if complaint.handling_org.level == OrgLevel.CITY else Role.DISTRICT_OFFICIAL
    return users_with(role, [complaint.handling_org_id])


def department_staff(department_id: int | None) -> list[User]:
    if not department_id:
        return []
    ids = RoleAssignment.objects.filter(role=Role.DEPARTMENT_STAFF, department_id=department_id).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def approvers_of(org: OrgUnit) -> list[User]:
    role = Role.CITY_APPROVER if org.level == OrgLevel.CITY else Role.DISTRICT_APPROVER
    return users_with(role, [org.pk])


def complaint_url(c: Complaint) -> str:
    return reverse("supervision:detail", args=[c.pk])


def track_url(c: Complaint) -> str:
    return reverse("supervision:track", args=[c.tracking_code])


def _lock(complaint_id) -> Complaint:
    c = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if c is None:
        raise NotFoundError("未找到该投诉。")
    # Related rows are read after the lock (select_related with FOR UPDATE would lock them too).
    c.handling_org = OrgUnit.objects.get(pk=c.handling_org_id)
    return c


def _require(actor, complaint_id: int, action: str) -> None:
    """The actor may take ``action`` (a step of the complaint's table, or ``handle``) on this complaint."""
    require_right(Complaint, actor, complaint_id, action, "该投诉", denied="您无权办理该投诉。")


def _event(
    c: Complaint,
    *,
    actor,
    role: str,
    action: str,
    from_status: str,
    comment: str = "",
    public_note: str = "",
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=c,
        actor=actor,
        actor_name="投诉人"
        if role == "complainant"
        else (actor.display_name if actor is not None else "系统"),
        role=role,
        action=action,
        from_status=from_status,
        to_status=c.status,
        comment=comment[:MAX_TEXT],
        public_note=public_note[:MAX_TEXT],
    )


def _transition(
    c: Complaint,
    *,
    actor,
    role: str,
    action: str,
    comment: str = "",
    public_note: str = "",
    fields: Iterable[str] = (),
) -> None:
    """Apply one transition of the table to a locked complaint (saved and audited by the workflow) and
    write its step row."""
    from_status, _ = COMPLAINT_WORKFLOW.step(c, action, actor=actor, fields=fields, comment=comment)
    if c.status not in VERIFYING:
        # Closed, declined, merged …: the on-site verification ends with it, and its grants with it.
        assignments.end_all(obj=c, actor=actor, reason=f"投诉{c.get_status_display()}，核查指派结束")
    _event(
        c,
        actor=actor,
        role=role,
        action=action,
        from_status=from_status,
        comment=comment,
        public_note=public_note,
    )


def _tell_complainant(c: Complaint, title: str) -> None:
    """Inbox entry for a logged-in complainant (anonymous ones follow by tracking code)."""
    identity = ComplainantIdentity.objects.filter(complaint=c).select_related("user").first()
    if identity is not None and identity.user is not None:
        notify(users=[identity.user], kind="complaint_progress", title=title, url=track_url(c), source=c)


def _deadline(day: date | None):
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))


# --------------------------------------------------------------------------------------------- filing


def resolve_department(value: str) -> tuple[Department | None, str]:
    """A department given by code or exact name, or the typed text when it is not one of ours."""
    value = (value or "").strip()
    if not value:
        return None, ""
    dept = Department.objects.filter(Q(code=value) | Q(name=value)).select_related("org").first()
    if dept is not None:
        return dept, ""
    return None, value[:100]


def handling_org_for(*, department: Department | None, community: OrgUnit | None) -> OrgUnit:
    """The city bureau handles complaints about city departments; the district bureau everything else in
    its district (district departments, streets, unknown departments reported from its communities)."""
    if department is not None:
        if department.org.level == OrgLevel.CITY:
            return department.org
        return department.org.ancestor_at(OrgLevel.DISTRICT) or department.org
    if community is not None:
        district = community.ancestor_at(OrgLevel.DISTRICT)
        if district is not None:
            return district
    return OrgUnit.objects.get(level=OrgLevel.CITY, parent__isnull=True)


def _check_files(files, label: str, limit: int) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > limit:
        raise DomainError(f"{label}最多 {limit} 个文件。", fields={"evidence": f"最多 {limit} 个文件。"})
    return [uploads.check_upload(f, kind="evidence", label=label, field="evidence") for f in files]


def _store_evidence(c: Complaint, checked: list, *, by_bureau: bool) -> list[Evidence]:
    rows = []
    for cf in checked:
        stored = uploads.store(cf, area="supervision")
        rows.append(
            Evidence.objects.create(
                complaint=c,
                stored_name=stored,
                name=cf.original_name,
                size=len(cf.content),
                content_type=cf.content_type,
                sha256=cf.sha256,
                by_bureau=by_bureau,
            )
        )
    return rows


def complaint_file(*, actor: User | None, data: ComplaintInput, files: Iterable = ()) -> Complaint:
    """File a complaint (anyone; anonymous allowed). Answers the complaint with its tracking code and tells
    the handling bureau at once. The input was checked by ``ComplaintSchema``; what only the database can
    say (the referenced refusal, the community) is checked here. Bad input raises DomainError and stores
    nothing."""
    errors: dict[str, str] = {}
    category, description, task_title = data.category, data.description, data.task_title
    contact, name, anonymous, happened_on = data.contact, data.name, data.anonymous, data.happened_on
    department, department_text = resolve_department(data.target_department)
    if department is None and not department_text:
        errors["target_department"] = "请选择或填写被投诉的部门。"
    org = None
    if data.community:
        org = OrgUnit.objects.filter(code=data.community, level=OrgLevel.COMMUNITY).first()
        if org is None:
            errors["community"] = "未找到该社区代码。"
    refusal = None
    if data.refusal_id:
        refusal = taskcheck_selectors.refusal_for_complaint(user=actor, pk=data.refusal_id)
        if refusal is None:
            errors["refusal"] = "未找到该拒绝承接登记，或您无权引用。"
    if errors:
        raise DomainError(
            "投诉未提交：" + "；".join(dict.fromkeys(m.rstrip("。") for m in errors.values())) + "。",
            fields=errors,
        )
    checked = _check_files(files, "证据材料", EVIDENCE_MAX_COUNT)

    logged_in = actor is not None and getattr(actor, "is_authenticated", False)
    anonymous = anonymous or not logged_in
    if org is None and refusal is not None:
        org = OrgUnit.objects.get(pk=refusal.community_id)
    with transaction.atomic():
        handling = handling_org_for(department=department, community=org)
        c = Complaint.objects.create(
            tracking_code=personal.verify_code_new(),
            category=category,
            department=department,
            department_text=department_text,
            community=org,
            handling_org=handling,
            description=description,
            happened_on=happened_on,
            task_title=task_title or (refusal.title if refusal else ""),
            refusal_id=refusal.pk if refusal else None,
            anonymous=anonymous,
            accept_due=workdays.add_workdays(_today(), ACCEPT_WORKDAYS),
        )
        grants = grants_for(actor) if logged_in else []
        ComplainantIdentity.objects.create(
            complaint=c,
            user=actor if logged_in else None,
            name="" if anonymous or actor is None else (name or actor.real_name or actor.username),
            org_name="" if anonymous else (grants[0].department_name or grants[0].org_name if grants else ""),
            contact_encrypted=personal.encrypt(contact) if contact else "",
        )
        _store_evidence(c, checked, by_bureau=False)
        _event(
            c,
            actor=None,
            role="complainant",
            action=Action.FILE,
            from_status="",
            public_note="投诉已提交，等待受理。",
        )
        # The audit row names the filing account only for logged-in filers; anonymous filings carry none.
        audit(
            "supervision.file",
            obj=c,
            actor=actor if logged_in else None,
            after={"category": category, "department": c.department_name, "anonymous": anonymous},
        )
        notify(
            users=handlers_of(c),
            kind="complaint_new",
            title=f"新的减负投诉：{c.department_name}（{Category(category).label}）",
            body=f"请于 {c.accept_due} 前决定是否受理。",
            url=complaint_url(c),
            deadline=_deadline(c.accept_due),
            todo=True,
            source=c,
        )
    return c


def complaint_find(*, tracking_code: str) -> Complaint:
    """The complaint a tracking code names (the code is its secret); a malformed or unknown code → 404."""
    code = (tracking_code or "").strip().upper()
    if not personal.verify_code_well_formed(code):
        raise NotFoundError("查询码不正确，未找到该投诉。")
    c = Complaint.objects.filter(tracking_code=code).select_related("handling_org").first()
    if c is None:
        raise NotFoundError("查询码不正确，未找到该投诉。")
    return c


# --------------------------------------------------------------------------------------------- handling


def complaint_accept(*, actor: User, complaint_id: int, data: AcceptInput = NO_COMMENT) -> Complaint:
    _require(actor, complaint_id, Action.ACCEPT)
    comment = data.comment
    with transaction.atomic():
        c = _lock(complaint_id)
        _transition(
            c,
            actor=actor,
            role=_role_of(actor, HANDLER_ROLES),
            action=Action.ACCEPT,
            comment=comment,
            public_note=f"{c.handling_org.name}民政局已受理，正在调查核实。",
        )
        todos_done(source=c, kind="complaint_new")
        _tell_complainant(c, "您的减负投诉已受理")
    return c


def complaint_decline(*, actor: User, complaint_id: int, data: DeclineInput) -> Complaint:
    _require(actor, complaint_id, Action.DECLINE)
    reason = data.reason
    with transaction.atomic():
        c = _lock(complaint_id)
        c.decline_reason = reason
        c.finished_at = timezone.now()
        _transition(
            c,
            actor=actor,
            role=_role_of(actor, HANDLER_ROLES),
            action=Action.DECLINE,
            comment=reason,
            public_note=f"不予受理。理由：{reason}",
            fields=["decline_reason", "finished_at"],
        )
        todos_done(source=c, kind="complaint_new")
        _tell_complainant(c, "您的减负投诉不予受理（可查看理由）")
    return c


def complaint_note(*, actor: User, complaint_id: int, data: NoteInput, files: Iterable = ()) -> Complaint:
    """An investigation note of the bureau (with evidence it collected)."""
    _require(actor, complaint_id, Action.NOTE)
    comment = data.comment
    checked = _check_files(files, "调查材料", EVIDENCE_MAX_COUNT)
    with transaction.atomic():
        c = _lock(complaint_id)
        # An assigned verifier (a per-object grant) holds no handler role: their row says so.
        role = _role_of(actor, HANDLER_ROLES) or "verifier"
        _transition(c, actor=actor, role=role, action=Action.NOTE, comment=comment)
        _store_evidence(c, checked, by_bureau=True)
    return c


def complaint_request_statement(*, actor: User, complaint_id: int, data: StatementRequestInput) -> Complaint:
    """Ask the department complained about for a written statement within a working-day deadline. The
    department sees the bureau's summary of the matter, never the complaint's own words or its author."""
    _require(actor, complaint_id, Action.REQUEST_STATEMENT)
    summary, workdays_allowed = data.summary, data.workdays
    with transaction.atomic():
        c = _lock(complaint_id)
        if not c.department_id:
            raise DomainError(
                "被投诉部门不是平台登记的部门，无法在线要求说明；请线下联系后记录调查情况。",
                fields={"summary": "被投诉部门未在平台登记。"},
            )
        c.statement_summary = summary
        c.statement_due = workdays.add_workdays(_today(), workdays_allowed)
        c.statement_text = ""
        c.statement_at = None
        _transition(
            c,
            actor=actor,
            role=_role_of(actor, HANDLER_ROLES),
            action=Action.REQUEST_STATEMENT,
            comment=f"期限 {c.statement_due}。{summary}",
            public_note="已要求被投诉部门作出书面说明。",
            fields=["statement_summary", "statement_due", "statement_text", "statement_at"],
        )
        notify(
            users=department_staff(c.department_id),
            kind="complaint_statement",
            title=f"【书面说明】区民政局要求就减负投诉作出说明（{Category(c.category).label}）",
            body=f"请于 {c.statement_due} 前提交书面说明。",
            url=reverse("supervision:respond", args=[c.pk]),
            deadline=_deadline(c.statement_due),
            todo=True,
            source=c,
        )
    return c


def complaint_statement(*, actor: User, complaint_id: int, data: StatementInput) -> Complaint:
    """The department's written statement."""
    _require(actor, complaint_id, Action.STATEMENT)
    text = data.text
    with transaction.atomic():
        c = _lock(complaint_id)
        if not c.statement_due or c.statement_at:
            raise ConflictError("当前没有待提交的书面说明。")
        c.statement_text = text
        c.statement_at = timezone.now()
        late = _today() > c.statement_due
        _transition(
            c,
            actor=actor,
            role=Role.DEPARTMENT_STAFF,
            action=Action.STATEMENT,
            comment=("（逾期提交）" if late else "") + text,
            public_note="被投诉部门已提交书面说明。",
            fields=["statement_text", "statement_at"],
        )
        todos_done(source=c, kind="complaint_statement")
        notify(
            users=handlers_of(c),
            kind="complaint_statement_in",
            title=f"{c.department_name}已就投诉提交书面说明",
            url=complaint_url(c),
            source=c,
        )
    return c


def _criticism_number(org: OrgUnit, year: int) -> str:
    counter = CriticismCounter.objects.select_for_update().filter(org=org, year=year).first()
    if counter is None:
        CriticismCounter.objects.get_or_create(org=org, year=year)
        counter = CriticismCounter.objects.select_for_update().get(org=org, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    body = ApprovalBody.objects.filter(org=org).order_by("kind").first()
    short = body.short_name if body else org.name
    return f"{short}减负通〔{year}〕{counter.last}号"


def complaint_verdict(*, actor: User, complaint_id: int, data: VerdictInput) -> Complaint:
    """The verdict. Substantiated: a rectification order goes to the department with a working-day deadline
    and a circulated criticism is drafted for the bureau to complete and send for approval."""
    _require(actor, complaint_id, Action.SUBSTANTIATE if data.substantiated else Action.UNSUBSTANTIATE)
    substantiated, reason, requirements = data.substantiated, data.reason, data.requirements
    with transaction.atomic():
        c = _lock(complaint_id)
        c.verdict_reason = reason
        c.verdict_at = timezone.now()
        role = _role_of(actor, HANDLER_ROLES)
        if not substantiated:
            c.finished_at = timezone.now()
            _transition(
                c,
                actor=actor,
                role=role,
                action=Action.UNSUBSTANTIATE,
                comment=reason,
                public_note=f"经调查核实，投诉事项不属实。理由：{reason}",
                fields=["verdict_reason", "verdict_at", "finished_at"],
            )
            _tell_complainant(c, "您的减负投诉已有调查结论")
            return c
        _transition(
            c,
            actor=actor,
            role=role,
            action=Action.SUBSTANTIATE,
            comment=reason,
            public_note=f"经调查核实，投诉事项属实。{reason}",
            fields=["verdict_reason", "verdict_at"],
        )
        due = workdays.add_workdays(_today(), data.workdays)
        r = Rectification.objects.create(
            complaint=c,
            department=c.department,
            department_name=c.department_name,
            org=c.handling_org,
            requirements=requirements,
            due_date=due,
        )
        Criticism.objects.create(
            complaint=c,
            department=c.department,
            department_name=c.department_name,
            org=c.handling_org,
            title=f"关于{c.department_name}违反社区减负规定问题的通报",
            body=(
                f"经调查核实，{c.department_name}存在“{Category(c.category).label}”问题，"
                f"违反《关于进一步开展社区减负工作依法厘清居民委员会职责提升为民服务效能的意见》"
                f"（津民发〔2019〕35号）的规定。\n{reason}\n现予通报批评，责令于 {due:%Y年%m月%d日} 前整改到位。"
            ),
            public_code=personal.verify_code_new(),
            drafted_by=actor,
        )
        audit(
            "supervision.rectification_order",
            obj=r,
            actor=actor,
            after={"due_date": due, "department": c.department_name},
        )
        notify(
            users=department_staff(c.department_id),
            kind="rectification_order",
            title=f"【督促整改】请于 {due} 前完成整改并报告",
            body=requirements,
            url=reverse("supervision:rectification", args=[r.pk]),
            deadline=_deadline(due),
            todo=True,
            source=r,
        )
        _tell_complainant(c, "您的减负投诉经查属实，已督促整改")
    return c


def complaint_merge(*, actor: User, complaint_id: int, data: MergeInput) -> Complaint:
    """Merge a likely duplicate into another complaint handled by the same bureau (never silently: the
    handler chooses, both keep their steps, the complainant follows the merged case)."""
    into_id, comment = data.into, data.comment
    if complaint_id == into_id:
        raise DomainError("不能并入自身。", fields={"into": "请选择另一件投诉。"})
    _require(actor, complaint_id, Action.MERGE)
    _require(actor, into_id, "handle")
    with transaction.atomic():
        c = _lock(complaint_id)
        into = Complaint.objects.get(pk=into_id)
        if into.status == Status.MERGED or into.status in FINISHED:
            raise ConflictError("目标投诉已办结或已并案，不能再并入。")
        c.merged_into = into
        c.finished_at = timezone.now()
        _transition(
            c,
            actor=actor,
            role=_role_of(actor, HANDLER_ROLES),
            action=Action.MERGE,
            comment=comment,
            public_note="与同一部门、同一事项的投诉合并办理，结果相同。",
            fields=["merged_into", "finished_at"],
        )
        todos_done(source=c)
        _tell_complainant(c, "您的减负投诉已与同一事项合并办理")
    return c


# --------------------------------------------------------------------------------------------- identity


def complaint_identity_reveal(*, actor: User, complaint_id: int) -> dict:
    """Who filed the complaint, for the handling bureau only; each reveal is written to the audit log."""
    identity = (
        ComplainantIdentity.objects.for_user(actor, "reveal").filter(complaint_id=complaint_id).first()
        if actor is not None
        else None
    )
    if identity is None:
        raise NotFoundError("未找到该投诉，或您无权查看投诉人信息。")
    c = identity.complaint
    audit("supervision.reveal_identity", obj=c, actor=actor, detail="查看投诉人身份信息")
    if c.anonymous:
        return {"anonymous": True, "name": "", "org_name": "", "contact": ""}
    return {
        "anonymous": False,
        "name": identity.name,
        "org_name": identity.org_name,
        "contact": personal.decrypt(identity.contact_encrypted) if identity.contact_encrypted else "",
    }


# --------------------------------------------------------------------------------------------- criticism


def _lock_criticism(criticism_id) -> Criticism:
    cr = Criticism.objects.select_for_update().filter(pk=criticism_id).first()
    if cr is None:
        raise NotFoundError("未找到该通报。")
    cr.org = OrgUnit.objects.get(pk=cr.org_id)
    return cr


def _criticism_require(actor, criticism_id: int, action: str) -> None:
    require_right(Criticism, actor, criticism_id, action, "该通报")


def criticism_update(*, actor: User, criticism_id: int, data: CriticismInput) -> Criticism:
    _criticism_require(actor, criticism_id, CriticismAction.DRAFT)
    title, body = data.title, data.body
    with transaction.atomic():
        cr = _lock_criticism(criticism_id)
        cr.title, cr.body = title, body
        CRITICISM_WORKFLOW.step(cr, actor=actor, action=CriticismAction.DRAFT, fields=["title", "body"])
    return cr


def criticism_submit(*, actor: User, criticism_id: int) -> Criticism:
    _criticism_require(actor, criticism_id, CriticismAction.SUBMIT)
    with transaction.atomic():
        cr = _lock_criticism(criticism_id)
        CRITICISM_WORKFLOW.step(cr, actor=actor, action=CriticismAction.SUBMIT)
        notify(
            users=approvers_of(cr.org),
            kind="criticism_approval",
            title=f"【待审批】{cr.title}",
            url=reverse("supervision:criticism", args=[cr.pk]),
            todo=True,
            source=cr,
        )
    return cr


def criticism_decide(*, actor: User, criticism_id: int, data: CriticismDecisionInput) -> Criticism:
    """The bureau's approver approves (number assigned, published, PDF rendered by a worker) or returns."""
    _criticism_require(
        actor, criticism_id, CriticismAction.APPROVE if data.approve else CriticismAction.RETURN
    )
    approve, comment = data.approve, data.comment
    with transaction.atomic():
        cr = _lock_criticism(criticism_id)
        todos_done(source=cr, kind="criticism_approval")
        if not approve:
            cr.return_comment = comment
            CRITICISM_WORKFLOW.step(
                cr, actor=actor, action=CriticismAction.RETURN, comment=comment, fields=["return_comment"]
            )
            notify(
                users=users_with(
                    Role.CITY_ADMIN if cr.org.level == OrgLevel.CITY else Role.DISTRICT_OFFICIAL, [cr.org_id]
                ),
                kind="criticism_returned",
                title=f"通报被退回修改：{cr.title}",
                body=comment,
                url=reverse("supervision:criticism", args=[cr.pk]),
                source=cr,
            )
            return cr
        if cr.number is None:
            cr.number = _criticism_number(cr.org, _today().year)
        cr.approved_by = actor
        cr.published_at = timezone.now()
        CRITICISM_WORKFLOW.step(
            cr,
            actor=actor,
            action=CriticismAction.APPROVE,
            comment=comment,
            fields=["number", "approved_by", "published_at"],
        )
        c = Complaint.objects.select_for_update().get(pk=cr.complaint_id)
        c.handling_org = cr.org
        _transition(
            c,
            actor=actor,
            role=_role_of(actor, {Role.DISTRICT_APPROVER, Role.CITY_APPROVER}),
            action=Action.CRITICISM_PUBLISH,
            comment=cr.number,
            public_note=f"已发布通报批评（{cr.number}）。",
        )
        enqueue("supervision.tasks.render_criticism", args=[cr.pk])
        notify(
            users=department_staff(cr.department_id),
            kind="criticism_published",
            title=f"通报批评：{cr.title}",
            url=reverse("supervision:notice", args=[cr.public_code]),
            source=cr,
        )
        _tell_complainant(c, "您投诉的事项已通报批评")
    return cr


# --------------------------------------------------------------------------------------------- rectification


def _lock_rect(rect_id) -> Rectification:
    r = Rectification.objects.select_for_update().filter(pk=rect_id).first()
    if r is None:
        raise NotFoundError("未找到该整改通知。")
    r.org = OrgUnit.objects.get(pk=r.org_id)
    return r


def _rect_require(actor, rect_id: int, action: str) -> None:
    require_right(Rectification, actor, rect_id, action, "该整改通知")


def rectification_report(
    *, actor: User, rectification_id: int, data: RectificationReportInput
) -> Rectification:
    """The department reports what it changed (withdrew the task, removed the plaque, dropped the ledger)."""
    _rect_require(actor, rectification_id, RectificationAction.REPORT)
    report = data.report
    with transaction.atomic():
        r = _lock_rect(rectification_id)
        r.report = report
        r.reported_at = timezone.now()
        RECTIFICATION_WORKFLOW.step(
            r, actor=actor, action=RectificationAction.REPORT, fields=["report", "reported_at"]
        )
        c = _lock(r.complaint_id)
        _transition(
            c,
            actor=actor,
            role=Role.DEPARTMENT_STAFF,
            action=Action.RECTIFICATION_REPORT,
            comment=report,
            public_note="被投诉部门已报告整改情况，待核验。",
        )
        todos_done(source=r, kind="rectification_order")
        notify(
            users=handlers_of(c),
            kind="rectification_reported",
            title=f"{r.department_name}已报告整改情况，请核验",
            url=complaint_url(c),
            todo=True,
            source=r,
        )
    return r


def rectification_verify(*, actor: User, rectification_id: int, data: VerifyInput) -> Rectification:
    """The bureau verifies the report: closes the rectification and the complaint, or returns it."""
    _rect_require(
        actor, rectification_id, RectificationAction.VERIFY if data.accept else RectificationAction.RETURN
    )
    accept, comment = data.accept, data.comment
    with transaction.atomic():
        r = _lock_rect(rectification_id)
        c = _lock(r.complaint_id)
        todos_done(source=r, kind="rectification_reported")
        if not accept:
            r.return_comment = comment
            RECTIFICATION_WORKFLOW.step(
                r, actor=actor, action=RectificationAction.RETURN, comment=comment, fields=["return_comment"]
            )
            _transition(
                c,
                actor=actor,
                role=_role_of(actor, HANDLER_ROLES),
                action=Action.RECTIFICATION_RETURN,
                comment=comment,
                public_note="整改情况未通过核验，已要求继续整改。",
            )
            notify(
                users=department_staff(r.department_id),
                kind="rectification_order",
                title=f"【督促整改】整改未通过核验，请于 {r.due_date} 前继续整改",
                body=comment,
                url=reverse("supervision:rectification", args=[r.pk]),
                deadline=_deadline(r.due_date),
                todo=True,
                source=r,
            )
            return r
        r.closed_at = timezone.now()
        r.on_time = bool(r.reported_at and timezone.localdate(r.reported_at) <= r.due_date)
        RECTIFICATION_WORKFLOW.step(
            r,
            actor=actor,
            action=RectificationAction.VERIFY,
            comment=comment,
            fields=["closed_at", "on_time"],
        )
        c.finished_at = timezone.now()
        _transition(
            c,
            actor=actor,
            role=_role_of(actor, HANDLER_ROLES),
            action=Action.CLOSE,
            comment=comment,
            public_note="整改已核验通过，投诉办结。" + ("（按期整改）" if r.on_time else "（逾期整改）"),
            fields=["finished_at"],
        )
        _tell_complainant(c, "您的减负投诉已办结，欢迎评价")
    return r


def _remind_rectification(*, rect_id: int, today: date) -> str:
    with transaction.atomic():
        r = _lock_rect(rect_id)
        if r.status != RectificationStatus.ORDERED or r.due_date >= today:
            return ""
        done = ""
        if r.reminded_on != today:
            notify(
                users=department_staff(r.department_id),
                kind="rectification_overdue",
                title=f"【逾期】督促整改已超过期限 {r.due_date}，请立即整改并报告",
                url=reverse("supervision:rectification", args=[r.pk]),
                source=r,
            )
            r.reminded_on = today
            r.save(update_fields=["reminded_on"])
            done = "reminded"
        if r.escalated_at is None:
            r.escalated_at = timezone.now()
            RECTIFICATION_WORKFLOW.step(
                r,
                actor=None,
                action=RectificationAction.ESCALATE,
                comment="整改逾期",
                fields=["escalated_at"],
            )
            c = _lock(r.complaint_id)
            _transition(
                c,
                actor=None,
                role="system",
                action=Action.ESCALATE,
                comment=f"整改期限 {r.due_date} 已过，未报告整改情况。",
                public_note="整改逾期，已报上级督办。",
            )
            above = approvers_of(r.org) + handlers_of(c)
            if r.org.level != OrgLevel.CITY:
                city = OrgUnit.objects.filter(level=OrgLevel.CITY).values_list("pk", flat=True)
                above += users_with(Role.CITY_ADMIN, city)
            notify(
                users=above,
                kind="rectification_escalation",
                title=f"【督办】{r.department_name}逾期未完成整改（期限 {r.due_date}）",
                url=complaint_url(c),
                todo=True,
                source=r,
            )
            done = "escalated"
        return done


def _remind_statement(*, complaint_id: int, today: date) -> bool:
    with transaction.atomic():
        c = _lock(complaint_id)
        if (
            c.status != Status.INVESTIGATING
            or not c.statement_due
            or c.statement_at
            or c.statement_due >= today
            or c.statement_reminded_on == today
        ):
            return False
        c.statement_reminded_on = today
        _transition(
            c,
            actor=None,
            role="system",
            action=Action.STATEMENT_OVERDUE,
            comment=f"书面说明期限 {c.statement_due} 已过。",
            fields=["statement_reminded_on"],
        )
        notify(
            users=department_staff(c.department_id),
            kind="complaint_statement_overdue",
            title=f"【逾期】书面说明已超过期限 {c.statement_due}，请尽快提交",
            url=reverse("supervision:respond", args=[c.pk]),
            source=c,
        )
        notify(
            users=handlers_of(c),
            kind="complaint_statement_overdue",
            title=f"{c.department_name}逾期未提交书面说明",
            url=complaint_url(c),
            source=c,
        )
        return True


def supervision_sweep(*, today: date | None = None) -> dict:
    """Daily: remind and escalate overdue rectifications, chase overdue statements, escalate overdue appeals.
    Idempotent (reminders once a day, escalation once)."""
    today = today or _today()
    result = {"reminded": 0, "escalated": 0, "statements": 0, "appeals": 0}
    ids = Rectification.objects.filter(status=RectificationStatus.ORDERED, due_date__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(ids):
        done = _remind_rectification(rect_id=pk, today=today)
        if done == "escalated":
            result["escalated"] += 1
        elif done == "reminded":
            result["reminded"] += 1
    ids = Complaint.objects.filter(
        status=Status.INVESTIGATING, statement_due__lt=today, statement_at__isnull=True
    ).values_list("pk", flat=True)
    result["statements"] = sum(1 for pk in list(ids) if _remind_statement(complaint_id=pk, today=today))
    ids = Appeal.objects.filter(status=AppealStatus.OPEN, due_date__lt=today).values_list("pk", flat=True)
    result["appeals"] = sum(1 for pk in list(ids) if appeal_escalate(appeal_id=pk, today=today))
    return result


# --------------------------------------------------------------------------------------------- feedback


def complaint_rate(*, tracking_code: str, data: RatingInput) -> Complaint:
    """The complainant rates the handling once it is finished (1–5)."""
    c = complaint_find(tracking_code=tracking_code)
    score, comment = data.score, data.comment
    with transaction.atomic():
        c = _lock(c.pk)
        if c.rated_at is not None:
            raise ConflictError("该投诉已评价过。")
        c.rating, c.rating_comment, c.rated_at = score, comment, timezone.now()
        _transition(
            c,
            actor=None,
            role="complainant",
            action=Action.RATE,
            comment=comment,
            public_note=f"投诉人评价：{score} 分。",
            fields=["rating", "rating_comment", "rated_at"],
        )
    return c


def complaint_reopen(*, tracking_code: str, data: ReopenInput) -> Complaint:
    """The complainant asks once, within 15 days of the outcome, for the case to be handled again."""
    c = complaint_find(tracking_code=tracking_code)
    reason = data.reason
    with transaction.atomic():
        c = _lock(c.pk)
        if c.reopened_at is not None:
            raise ConflictError("每件投诉只能申请重新办理一次。")
        if c.status not in FINISHED or c.finished_at is None:
            raise ConflictError("投诉尚未办结，无需申请重新办理。")
        if timezone.now() - c.finished_at > timedelta(days=REOPEN_DAYS):
            raise ConflictError(f"办结已超过 {REOPEN_DAYS} 日，不能再申请重新办理。")
        c.reopened_at = timezone.now()
        c.reopen_reason = reason
        c.finished_at = None
        _transition(
            c,
            actor=None,
            role="complainant",
            action=Action.REOPEN,
            comment=reason,
            public_note="投诉人申请重新办理，已重新进入调查核实。",
            fields=["reopened_at", "reopen_reason", "finished_at"],
        )
        notify(
            users=handlers_of(c),
            kind="complaint_reopened",
            title=f"投诉人申请重新办理：{c.department_name}（{Category(c.category).label}）",
            body=reason,
            url=complaint_url(c),
            todo=True,
            source=c,
        )
    return c


# --------------------------------------------------------------------------------------------- appeals


def _appeal_step(a: Appeal, *, actor, action: str, comment: str = "", fields=()) -> None:
    """One transition of a locked appeal (saved and audited by the workflow) and its step row."""
    from_status, to = APPEAL_WORKFLOW.step(a, action, actor=actor, fields=fields)
    AppealEvent.objects.create(
        appeal=a,
        actor=actor,
        actor_name=actor.display_name if actor is not None else "系统",
        action=action,
        from_status=from_status,
        to_status=to,
        comment=comment[:MAX_TEXT],
    )


def appeal_submitter(actor: User | None) -> Grant:
    """The right to send an appeal: a resident registered in a community (with a verified contact), answered
    by the resident's grant there. Anyone else is refused (403) — before their input is read, so the API
    asks this first, as the pages' guard does."""
    grant = next(iter(grants_for(actor, {Role.RESIDENT})), None) if actor is not None else None
    if grant is None:
        raise PermissionDeniedError("只有已登记所在社区的居民可以提交诉求。")
    from portal.services.accounts import require_verified_contact

    require_verified_contact(actor)
    return grant


def appeal_submit(*, actor: User, data: AppealInput, photos: Iterable = ()) -> Appeal:
    """A resident sends an appeal or suggestion to their own community; staff are told with a deadline."""
    grant = appeal_submitter(actor)
    category, text, location = data.category, data.text, data.location
    checked = _check_files(photos, "照片", 6)
    with transaction.atomic():
        a = Appeal.objects.create(
            community_id=grant.org_id,
            resident=actor,
            category=category,
            text=text,
            location=location,
            due_date=workdays.add_workdays(_today(), APPEAL_WORKDAYS),
        )
        for cf in checked:
            AppealPhoto.objects.create(
                appeal=a,
                stored_name=uploads.store(cf, area="supervision"),
                name=cf.original_name,
                size=len(cf.content),
                content_type=cf.content_type,
            )
        AppealEvent.objects.create(
            appeal=a,
            actor=actor,
            actor_name=actor.display_name,
            action=AppealAction.SUBMIT,
            to_status=a.status,
        )
        audit("supervision.appeal_submit", obj=a, actor=actor, after={"category": category})
        notify(
            users=users_with(Role.COMMUNITY_STAFF, [grant.org_id]),
            kind="appeal_new",
            title=f"居民诉求（{AppealCategory(category).label}），请于 {a.due_date} 前答复",
            url=reverse("supervision:appeal", args=[a.pk]),
            deadline=_deadline(a.due_date),
            todo=True,
            source=a,
        )
    return a


def _appeal_require(actor, appeal_id: int, action: str) -> None:
    require_right(Appeal, actor, appeal_id, action, "该诉求")


def appeal_answer(*, actor: User, appeal_id: int, data: AnswerInput) -> Appeal:
    _appeal_require(actor, appeal_id, "answer")
    answer = data.answer
    with transaction.atomic():
        a = Appeal.objects.select_for_update().get(pk=appeal_id)
        grants = grants_for(actor, {Role.COMMUNITY_STAFF, Role.STREET_STAFF})
        a.answer = answer
        a.answered_by = actor
        a.answered_by_org = grants[0].org_name if grants else ""
        a.answered_at = timezone.now()
        _appeal_step(
            a,
            actor=actor,
            action=AppealAction.ANSWER,
            comment=answer,
            fields=["answer", "answered_by", "answered_by_org", "answered_at"],
        )
        todos_done(source=a)
        notify(
            users=[a.resident],
            kind="appeal_answered",
            title="您的诉求已答复，欢迎评价",
            url=reverse("supervision:appeal", args=[a.pk]),
            source=a,
        )
    return a


def appeal_rate(*, actor: User, appeal_id: int, data: RatingInput) -> Appeal:
    _appeal_require(actor, appeal_id, "rate")
    score, comment = data.score, data.comment
    with transaction.atomic():
        a = Appeal.objects.select_for_update().get(pk=appeal_id)
        a.rating, a.rating_comment, a.rated_at = score, comment, timezone.now()
        _appeal_step(
            a,
            actor=actor,
            action=AppealAction.RATE,
            comment=comment,
            fields=["rating", "rating_comment", "rated_at"],
        )
    return a


def appeal_escalate(*, appeal_id: int, today: date | None = None) -> bool:
    """An appeal left unanswered past its deadline goes to the street above (once)."""
    today = today or _today()
    with transaction.atomic():
        a = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
        if a is None or a.status != AppealStatus.OPEN or a.due_date >= today:
            return False
        a.escalated_at = timezone.now()
        _appeal_step(
            a,
            actor=None,
            action=AppealAction.ESCALATE,
            comment=f"答复期限 {a.due_date} 已过。",
            fields=["escalated_at"],
        )
        community = OrgUnit.objects.get(pk=a.community_id)
        street = community.parent
        notify(
            users=users_with(Role.STREET_STAFF, [street.pk]) if street else [],
            kind="appeal_escalated",
            title=f"【督办】{community.name}居民诉求逾期未答复，请街道办理",
            url=reverse("supervision:appeal", args=[a.pk]),
            todo=True,
            source=a,
        )
        return True


def complaint_duplicates_window() -> timedelta:
    return timedelta(days=DUPLICATE_DAYS)
