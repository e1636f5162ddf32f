"""Per-object grants (django-guardian), given and taken back here only.

An app declares once, per model, what an assignment of one of its objects means (:func:`register`): the
actions the assignee receives, the scope action the assigner must hold on the object, and the staff users it
may go to. :func:`assign` and :func:`unassign` then record an :class:`~portal.models.assignments.Assignment`
and give or take back the guardian grants (``portal.scope.grant_object`` / ``revoke_object``) that
``Model.objects.for_user`` reads — so the assignee sees the object and takes exactly the granted steps,
through the same guard and the same workflow table as everyone else.

A :class:`~portal.models.assignments.Delegation` lets a colleague act for someone on leave: while it runs, the
delegate receives the same grants as the absent colleague's live assignments (those open when it starts and
those made during it). Every grant made is an :class:`AssignmentGrant` row, so ending an assignment or a
delegation takes back exactly what it gave — and a guardian grant still given by another live row stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from portal import schemas
from portal.audit import audit
from portal.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from portal.models import User
from portal.models.assignments import Assignment, AssignmentGrant, Delegation
from portal.scope import grant_object, require_right, revoke_object
from portal.selectors.assignments import colleagues

MAX_REASON = 500


@dataclass(frozen=True)
class AssignmentRule:
    """What assigning one object of ``model`` means (declared by its app with :func:`register`)."""

    model: type[models.Model]
    #: the actions of the model's scope an assignee may receive (``for_user(assignee, action)``)
    actions: frozenset[str]
    #: the scope action the assigner holds on the object (``for_user(actor, assign_right)``)
    assign_right: str
    #: the active staff users the object may be assigned to
    candidates: Callable[[models.Model], models.QuerySet[User]]
    #: the object in messages (该投诉, 该申请)
    noun: str
    #: the refusal of an assignee outside ``candidates`` (Chinese)
    outside: str
    #: ``""`` when the object may get an assignee now, else why not (Chinese, a 409)
    accepts: Callable[[models.Model], str] = lambda obj: ""
    #: the scope action of those who see its assignees (who may open its page); ``""``: ``assign_right``
    read_right: str = ""


RULES: dict[str, AssignmentRule] = {}


def register(rule: AssignmentRule) -> AssignmentRule:
    """Declare the assignment rule of ``rule.model`` (one per model). Every action must be a permission of the
    model (``Meta.permissions`` or a default one), or ``for_user`` would never read the grant."""
    from portal.scope import _model_codenames

    codenames = _model_codenames(rule.model)
    name = rule.model._meta.model_name
    missing = sorted(a for a in rule.actions if f"{a}_{name}" not in codenames)
    if missing:
        raise ValueError(f"{rule.model._meta.label}: no permission for {missing} (Meta.permissions)")
    label = rule.model._meta.label
    if RULES.setdefault(label, rule) != rule:
        raise ValueError(f"{label}: an assignment rule is already declared")
    return rule


def rule_for(model: type[models.Model]) -> AssignmentRule:
    try:
        return RULES[model._meta.label]
    except KeyError:
        raise ValueError(
            f"{model._meta.label} has no assignment rule (portal.services.assignments.register)"
        ) from None


def _target_of(obj_or_assignment) -> models.Model:
    target = obj_or_assignment.target
    if target is None:
        raise NotFoundError("指派的对象已不存在。")
    return target


def _reason(reason: str, what: str = "说明") -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise DomainError(f"{what}不能超过 {MAX_REASON} 个字。", fields={"reason": f"{what}过长。"})
    return reason


def _user(value: User | int | None, *, field: str, missing: str) -> User:
    if isinstance(value, User):
        return value
    user = User.objects.filter(pk=value).first() if value else None
    if user is None:
        raise DomainError(missing, fields={field: missing})
    return user


# --- grants, given and taken back ----------------------------------------------------------------


def _give(assignment: Assignment, user: User, action: str, *, delegation: Delegation | None = None) -> None:
    AssignmentGrant.objects.create(assignment=assignment, delegation=delegation, user=user, action=action)
    grant_object(user, action, _target_of(assignment))


def _take_back(rows: Iterable[AssignmentGrant]) -> None:
    """Mark ``rows`` revoked, then remove each guardian grant no other live row still gives."""
    now = timezone.now()
    rows = list(rows)
    for row in rows:
        row.revoked_at = now
        row.save(update_fields=["revoked_at"])
    for row in rows:
        a = row.assignment
        still = AssignmentGrant.objects.filter(
            user_id=row.user_id,
            action=row.action,
            revoked_at__isnull=True,
            assignment__content_type_id=a.content_type_id,
            assignment__object_id=a.object_id,
        ).exists()
        if not still:
            revoke_object(row.user, row.action, _target_of(a))


def _live_rows(**lookup) -> models.QuerySet[AssignmentGrant]:
    return AssignmentGrant.objects.filter(revoked_at__isnull=True, **lookup).select_related(
        "assignment__content_type", "user"
    )


def _running_delegations(user_id: int) -> list[Delegation]:
    return list(
        Delegation.objects.filter(from_user_id=user_id, started_at__isnull=False, ended_at__isnull=True)
        .select_related("to_user")
        .order_by("id")
    )


def _snapshot(a: Assignment) -> dict:
    return {"assignee": a.assignee.display_name, "actions": list(a.actions), "ended": a.ended_at is not None}


# --- assignments ---------------------------------------------------------------------------------


def assign(
    *, actor: User, obj: models.Model, assignee: User | int | None, actions: Iterable[str], reason: str = ""
) -> Assignment:
    """Assign ``obj`` to ``assignee`` with ``actions`` (rights of the object's scope). The actor holds the
    rule's assigning right on ``obj`` (404/403 otherwise); the assignee is an active staff user among the
    rule's candidates, never the actor. Assigning again what is already given changes nothing (the live
    assignment is answered); new actions are added to it. Audited as ``portal.assignment_assign``; the
    assignee (and their delegates) receive the grants at once."""
    model = type(obj)
    rule = rule_for(model)
    wanted = list(dict.fromkeys(str(a) for a in actions))
    if not wanted or set(wanted) - rule.actions:
        raise DomainError("指派的权限无效。", fields={"actions": "指派的权限无效。"})
    require_right(model, actor, obj.pk, rule.assign_right, rule.noun, denied=f"您无权指派{rule.noun}。")
    reason = _reason(reason, "指派说明")
    person = _user(assignee, field="assignee", missing="请选择被指派人。")
    if person.pk == actor.pk:
        raise DomainError("不能指派给自己。", fields={"assignee": "不能指派给自己。"})
    if not person.is_active:
        raise DomainError("该用户已停用，不能指派。", fields={"assignee": "该用户已停用。"})
    ct = ContentType.objects.get_for_model(model)
    with transaction.atomic():
        # The object's row is locked so a closing step and an assignment never cross.
        locked = model._default_manager.select_for_update().filter(pk=obj.pk).first()
        if locked is None:
            raise NotFoundError(f"未找到{rule.noun}。")
        refusal = rule.accepts(locked)
        if refusal:
            raise ConflictError(refusal)
        if not rule.candidates(locked).filter(pk=person.pk, is_active=True).exists():
            raise DomainError(rule.outside, fields={"assignee": rule.outside})
        live = (
            Assignment.objects.select_for_update()
            .filter(content_type=ct, object_id=locked.pk, assignee=person, ended_at__isnull=True)
            .first()
        )
        if live is not None:
            added = [a for a in wanted if a not in live.actions]
            if not added:
                return live
            before = _snapshot(live)
            live.actions = [*live.actions, *added]
            live.save(update_fields=["actions"])
            assignment = live
        else:
            before = None
            added = wanted
            assignment = Assignment.objects.create(
                content_type=ct,
                object_id=locked.pk,
                assignee=person,
                actions=wanted,
                assigned_by=actor,
                reason=reason,
            )
        for action in added:
            _give(assignment, person, action)
            for d in _running_delegations(person.pk):
                _give(assignment, d.to_user, action, delegation=d)
        audit(
            "portal.assignment_assign",
            obj=locked,
            actor=actor,
            before=before,
            after=_snapshot(assignment),
            detail=reason or f"指派 {person.display_name}",
        )
    _tell(person, locked, assignment)
    return assignment


def assignable(*, actor: User, model: type[models.Model], pk: int) -> models.Model:
    """The object ``pk`` of ``model``, which ``actor`` may assign (the rule's assigning right): 404 when they
    cannot see it, 403 when they see it without the right — checked before its input is (the API)."""
    rule = rule_for(model)
    require_right(model, actor, pk, rule.assign_right, rule.noun, denied=f"您无权指派{rule.noun}。")
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise NotFoundError(f"未找到{rule.noun}。")
    return obj


def _tell(person: User, obj: models.Model, assignment: Assignment) -> None:
    from portal.services.notifications import notify

    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    notify(users=[person], kind="assignment", title=f"您被指派办理：{obj}", url=url, source=obj, email=False)


def unassign(
    *, actor: User, assignment: Assignment | int, reason: str = "", obj: models.Model | None = None
) -> Assignment:
    """End ``assignment`` (of ``obj``, when the page names it: another object's assignment is not found): the
    actor holds the assigning right on its object; the grants it gave (to the assignee and to their
    delegates) are taken back at once. Ending an ended assignment changes nothing."""
    a = assignment if isinstance(assignment, Assignment) else Assignment.objects.filter(pk=assignment).first()
    if a is not None and obj is not None:
        ct = ContentType.objects.get_for_model(type(obj))
        if (a.content_type_id, a.object_id) != (ct.pk, obj.pk):
            a = None
    if a is None:
        raise NotFoundError("未找到该指派。")
    target = _target_of(a)
    rule = rule_for(type(target))
    require_right(
        type(target), actor, target.pk, rule.assign_right, rule.noun, denied=f"您无权指派{rule.noun}。"
    )
    reason = _reason(reason, "撤销说明")
    with transaction.atomic():
        locked = Assignment.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=a.pk)
        if locked.ended_at is not None:
            return locked
        _end(locked, actor=actor, reason=reason)
    return locked


def _end(a: Assignment, *, actor: User | None, reason: str) -> None:
    before = _snapshot(a)
    a.ended_at = timezone.now()
    a.ended_by = actor
    a.end_reason = reason
    a.save(update_fields=["ended_at", "ended_by", "end_reason"])
    _take_back(_live_rows(assignment=a))
    audit(
        "portal.assignment_end",
        obj=_target_of(a),
        actor=actor,
        before=before,
        after=_snapshot(a),
        detail=reason or f"撤销指派 {a.assignee.display_name}",
    )


def end_all(*, obj: models.Model, actor: User | None, reason: str) -> int:
    """End every live assignment of ``obj`` — the object's own step did it (a complaint closed): called by
    that step's service inside its transaction, after its own right check. Returns how many ended."""
    ct = ContentType.objects.get_for_model(type(obj))
    live = list(
        Assignment.objects.select_for_update(of=("self",))  # the assignees' rows are not locked
        .filter(content_type=ct, object_id=obj.pk, ended_at__isnull=True)
        .select_related("assignee")
    )
    for a in live:
        _end(a, actor=actor, reason=reason)
    return len(live)


def delegation_start(
    *, actor: User, to_user: User | int | None, starts_on: date, ends_on: date, reason: str = ""
) -> Delegation:
    """``actor`` (staff) is away from ``starts_on`` to ``ends_on`` and ``to_user``, a colleague of the same org
    unit, acts for them: from the first day the delegate receives the grants of the actor's live assignments
    (today's at once, a later start by the daily sweep). One delegation at a time. Audited."""
    if not getattr(actor, "is_portal_staff", False):
        raise PermissionDeniedError("只有工作人员可以登记休假委托。")
    delegate = _user(to_user, field="to_user", missing="请选择代理人。")
    fields: dict[str, str] = {}
    if delegate.pk == actor.pk:
        fields["to_user"] = "不能委托给自己。"
    elif not delegate.is_active:
        fields["to_user"] = "该用户已停用，不能作为代理人。"
    elif not colleagues(actor).filter(pk=delegate.pk).exists():
        fields["to_user"] = "代理人须为您所在单位的工作人员。"
    today = timezone.localdate()
    if starts_on is None or ends_on is None:
        fields["starts_on"] = "请填写开始和结束日期。"
    elif ends_on < starts_on:
        fields["ends_on"] = "结束日期不能早于开始日期。"
    elif ends_on < today:
        fields["ends_on"] = "结束日期不能早于今天。"
    reason = _reason(reason, "委托事由")
    if fields:
        raise DomainError(next(iter(fields.values())), fields=fields)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one delegation at a time, even racing
        if Delegation.objects.filter(from_user=actor, ended_at__isnull=True).exists():
            raise ConflictError("您已有一项未结束的休假委托，请先结束它。")
        d = Delegation.objects.create(
            from_user=actor,
            to_user=delegate,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            created_by=actor,
        )
        audit(
            "portal.delegation_create",
            obj=d,
            actor=actor,
            after={"to": delegate.display_name, "starts_on": str(starts_on), "ends_on": str(ends_on)},
            detail=reason,
        )
        if starts_on <= today:
            _begin(d)
    return d


def _begin(d: Delegation) -> None:
    d.started_at = timezone.now()
    d.save(update_fields=["started_at"])
    live = Assignment.objects.filter(assignee_id=d.from_user_id, ended_at__isnull=True).order_by("id")
    for a in live:
        for action in a.actions:
            _give(a, d.to_user, action, delegation=d)
    audit("portal.delegation_begin", obj=d, actor=None, detail=f"{d.to_user.display_name} 开始代理")


def delegation_end(*, actor: User | None, delegation: Delegation | int, reason: str = "") -> Delegation:
    """End ``delegation`` early (its colleague on leave does: the right ``end``) or at its end (the sweep,
    ``actor`` None): every grant it gave is taken back. Ending an ended delegation changes nothing."""
    pk = delegation.pk if isinstance(delegation, Delegation) else delegation
    if actor is not None:
        require_right(Delegation, actor, pk, "end", "该委托", denied="只有委托人本人可以结束委托。")
    reason = _reason(reason, "结束说明")
    with transaction.atomic():
        d = Delegation.objects.select_for_update().filter(pk=pk).first()
        if d is None:
            raise NotFoundError("未找到该委托。")
        if d.ended_at is not None:
            return d
        d.to_user = User.objects.get(pk=d.to_user_id)
        d.ended_at = timezone.now()
        d.ended_by = actor
        d.save(update_fields=["ended_at", "ended_by"])
        _take_back(_live_rows(delegation=d))
        audit(
            "portal.delegation_end",
            obj=d,
            actor=actor,
            detail=reason or ("到期自动结束" if actor is None else "提前结束"),
        )
    return d


def delegations_sweep(*, today: date | None = None) -> dict[str, int]:
    """The daily job: start the delegations whose first day has come and end those whose last day has
    passed. Idempotent: run as often as wanted."""
    today = today or timezone.localdate()
    started = ended = 0
    due = Delegation.objects.filter(started_at__isnull=True, ended_at__isnull=True, starts_on__lte=today)
    for pk in due.filter(ends_on__gte=today).values_list("pk", flat=True):
        with transaction.atomic():
            d = (
                Delegation.objects.select_for_update()
                .filter(pk=pk, started_at__isnull=True, ended_at__isnull=True)
                .first()
            )
            if d is not None:
                d.to_user = User.objects.get(pk=d.to_user_id)
                _begin(d)
                started += 1
    for pk in Delegation.objects.filter(ended_at__isnull=True, ends_on__lt=today).values_list(
        "pk", flat=True
    ):
        delegation_end(actor=None, delegation=pk)
        ended += 1
    return {"started": started, "ended": ended}


# --- inputs (one schema each: the pages' forms and the services' typed values) ---------------------


@dataclass(frozen=True, kw_only=True)
class AssignInput:
    assignee: int
    reason: str


class AssignSchema(schemas.Schema[AssignInput]):
    assignee = schemas.integer("被指派人", required=True, messages={"required": "请选择被指派人。"})
    reason = schemas.text("指派说明", max_length=MAX_REASON)


@dataclass(frozen=True, kw_only=True)
class UnassignInput:
    assignment: int
    reason: str


class UnassignSchema(schemas.Schema[UnassignInput]):
    assignment = schemas.integer("指派", required=True, messages={"required": "请选择要撤销的指派。"})
    reason = schemas.text("撤销说明", max_length=MAX_REASON)


@dataclass(frozen=True, kw_only=True)
class DelegationInput:
    to_user: int
    starts_on: date
    ends_on: date
    reason: str


class DelegationSchema(schemas.Schema[DelegationInput]):
    to_user = schemas.integer("代理人", required=True, messages={"required": "请选择代理人。"})
    starts_on = schemas.day("开始日期")
    ends_on = schemas.day("结束日期")
    reason = schemas.text("委托事由", max_length=MAX_REASON)
