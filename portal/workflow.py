"""The one workflow mechanism: every app declares its states and transitions the same way.

A :class:`Workflow` is a table of :class:`Transition` rows — action, the states it may start from, the state it
leads to (or none: the object stays where it is), the label a page shows, and the roles who take it. Services
lock the row (``select_for_update``, :meth:`Workflow.lock`), then :meth:`Workflow.check` (a 409
:class:`~portal.errors.ConflictError` with a Chinese message when the table does not allow the action) or
:meth:`Workflow.apply` (check and set the state field), or — the usual way — :meth:`Workflow.step`: check,
set, save, write the audit entry and the app's own step row (:meth:`Workflow.records`) in one call, inside the
caller's transaction and row lock; notifications and side effects stay with the service. Each row names the
right it needs (``right``: a scope action, ``for_user(user, right)``; the action itself unless it says), so
pages ask :meth:`Workflow.offered` (or :meth:`Workflow.available` with their own ``may``) which actions to offer,
and there is never a second, hand-written table of "what may happen now" or of who may take it.

Usage::

    WORKFLOW = Workflow(
        "complaint",
        states=Status,
        transitions=[
            Transition(Action.ACCEPT, sources=[Status.RECEIVED], target=Status.HANDLING, roles={Role.STREET_STAFF}),
            Transition(Action.CLOSE, sources=[Status.HANDLING], target=Status.CLOSED),
        ],
    )

    with transaction.atomic():
        obj = WORKFLOW.lock(Complaint.objects, pk=pk)
        from_state, to_state = WORKFLOW.step(obj, Action.ACCEPT, actor=actor, comment=comment)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from portal.errors import ConflictError, NotFoundError

DEFAULT_CONFLICT = "{noun}当前状态为“{status}”，不能{action}。"

#: The writer of an app's own step rows (:meth:`Workflow.records`): called as
#: ``record(obj, action=…, from_state=…, to_state=…, actor=…, comment=…, **context)``.
Recorder = Callable[..., object]

#: Every declared workflow, by name (docs and tests walk them).
REGISTRY: dict[str, Workflow] = {}


@dataclass(frozen=True)
class Transition:
    """One row of a workflow's table."""

    action: str
    sources: frozenset[str]
    target: str | None = None  # None: the object stays in its state (e.g. editing a draft)
    label: str = ""
    roles: frozenset[str] = field(
        default_factory=frozenset
    )  # who takes it (org-tree roles), if the table says
    needs_reason: bool = False
    refusal: str = ""  # the 409 message when the table does not allow it (else the workflow's)
    right: str = ""  # the scope action that holds the right to take it (``for_user(user, right)``)
    # taken by whoever holds a per-object grant of ``right`` (an assigned reviewer, ``portal.services.assignments``)
    # though no org-tree role names it: offered to them, never to the system
    granted: bool = False

    def __init__(
        self,
        action: str,
        *,
        sources: Iterable[str],
        target: str | None = None,
        label: str = "",
        roles: Iterable[str] = (),
        needs_reason: bool = False,
        refusal: str = "",
        right: str = "",
        granted: bool = False,
    ):
        object.__setattr__(self, "action", str(action))
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", None if target is None else str(target))
        object.__setattr__(self, "label", label or getattr(action, "label", "") or str(action))
        object.__setattr__(self, "roles", frozenset(str(r) for r in roles))
        object.__setattr__(self, "needs_reason", needs_reason)
        object.__setattr__(self, "refusal", refusal)
        # Several rows may share one right (review_pass/review_return/review_reject are all "review").
        object.__setattr__(self, "right", str(right) if right else str(action))
        object.__setattr__(self, "granted", granted)

    @property
    def taken_by_users(self) -> bool:
        """Whether users take this row (roles name it, or per-object grants do); else the system does."""
        return bool(self.roles) or self.granted

    def leads_from(self, state: str) -> str:
        return state if self.target is None else self.target


class Workflow:
    """A state machine over one field of one model, declared as a table."""

    def __init__(
        self,
        name: str,
        *,
        states: type[models.TextChoices],
        transitions: Iterable[Transition],
        field: str = "status",
        noun: str = "该记录",
        conflict_message: str = DEFAULT_CONFLICT,
        audit_prefix: str | None = None,
        audit_fields: Iterable[str] = (),
    ):
        self.name = name
        #: the audit action of a step is ``audit_prefix + action``
        self.audit_prefix = f"{name}." if audit_prefix is None else audit_prefix
        #: the fields the audit entry shows before and after (the state field always)
        self.audit_fields = [field, *(f for f in audit_fields if f != field)]
        self.states = states
        self.field = field
        self.noun = noun
        self.conflict_message = conflict_message
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        #: the app's own step rows (a history table), declared by the app with :meth:`records`
        self.record: Recorder | None = None
        valid = set(states.values)
        self._by_action: dict[str, list[Transition]] = {}
        for t in self.transitions:
            unknown = (t.sources | ({t.target} if t.target else set())) - valid
            if unknown:
                raise ValueError(f"workflow {name}: unknown states {sorted(unknown)} in {t.action}")
            for other in self._by_action.get(t.action, []):
                if other.sources & t.sources:
                    raise ValueError(
                        f"workflow {name}: {t.action} twice from {sorted(other.sources & t.sources)}"
                    )
            self._by_action.setdefault(t.action, []).append(t)
        REGISTRY[name] = self

    # --- reading the table -------------------------------------------------------------------------------

    def _row(self, state: str, action: str) -> Transition | None:
        for t in self._by_action.get(str(action), []):
            if str(state) in t.sources:
                return t
        return None

    def transition(self, action: str) -> Transition:
        """The (first) row of ``action``; KeyError when the table has none."""
        return self._by_action[str(action)][0]

    def actions(self) -> list[str]:
        return list(self._by_action)

    def roles_of(self, action: str) -> frozenset[str]:
        """The roles the table names for ``action`` (every row of it); empty when it names none."""
        return frozenset().union(*(t.roles for t in self._by_action.get(str(action), [])))

    def rights_q(self, user: Any, action: str, field: str, **org_q_kwargs: Any) -> Any:
        """The scope of ``action`` as a right (``Model.scope_q(user, action)``): rows whose org (``field``) lies
        at or below a node where ``user`` holds one of the roles the table names for it — whatever the
        state, which :meth:`check` decides (409) apart from the right (403). Services read it through
        ``portal.scope.require_right``, pages through ``portal.scope.allows``."""
        from portal.scope import org_q

        return org_q(user, field, roles=self.roles_of(action), **org_q_kwargs)

    def target(self, state: str, action: str) -> str | None:
        """The state ``action`` leads to from ``state``, or None when the table does not allow it."""
        row = self._row(state, action)
        return None if row is None else row.leads_from(str(state))

    def allows(self, state: str, action: str) -> bool:
        return self._row(state, action) is not None

    def from_state(self, state: str) -> list[Transition]:
        """The rows that may start from ``state``, in table order."""
        return [t for t in self.transitions if str(state) in t.sources]

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def available(
        self, obj: Any, user: Any = None, *, may: Callable[[Any, Any, Transition], bool] | None = None
    ) -> list[Transition]:
        """The actions a page offers on ``obj``: the table's rows from its state that ``may`` lets the user take."""
        rows = self.from_state(self.state_of(obj))
        return [t for t in rows if may is None or may(user, obj, t)]

    def offered(
        self, obj: Any, user: Any, *, holds: Callable[[Any, str, Any], bool] | None = None
    ) -> list[Transition]:
        """The actions a page offers ``user`` on ``obj``: the rows from its state whose right the user holds,
        each right asked once — ``holds(user, right, obj)``, by default ``for_user(user, right)`` asked about
        ``obj`` (:func:`portal.scope.allows`); an app whose services also need the grant acted under passes
        the question its services ask. A row naming no roles is taken by the system (a job, the last opinion
        closing a consultation) and is never offered, as :meth:`rights_q` gives it to nobody — unless it is
        ``granted``: then whoever holds a per-object grant of its right takes it (``for_user`` reads the grant)."""
        from portal.scope import allows

        ask: Callable[[Any, str, Any], bool] = holds or allows
        held: dict[str, bool] = {}

        def may(user: Any, obj: Any, t: Transition) -> bool:
            if not t.taken_by_users:
                return False
            if t.right not in held:
                held[t.right] = ask(user, t.right, obj)
            return held[t.right]

        return self.available(obj, user, may=may)

    def pairs(self) -> dict[tuple[str, str], str]:
        """The table as ``{(from state, action): to state}`` (the shape older callers read)."""
        return {(s, t.action): t.leads_from(s) for t in self.transitions for s in sorted(t.sources)}

    def mermaid(self) -> str:
        """The table as a Mermaid state diagram (for docs/architecture.md)."""
        labels = dict(self.states.choices)
        lines = ["stateDiagram-v2"]
        for t in self.transitions:
            for s in sorted(t.sources):
                to = t.leads_from(s)
                lines.append(f"    {s} --> {to}: {t.label}")
        lines += [f"    {value}: {label}" for value, label in labels.items()]
        return "\n".join(lines)

    # --- changing state ----------------------------------------------------------------------------------

    def records(self, writer: Recorder) -> Recorder:
        """Declare ``writer`` the app's own step rows (its history table, e.g. the one a request's page shows):
        :meth:`step` calls it after the save and the audit entry, in the same transaction, as
        ``writer(obj, action=…, from_state=…, to_state=…, actor=…, comment=…, **context)`` — ``context`` being
        what the caller passed to ``step`` (the role and org the actor acted under). The app writes its other
        rows (creation, events outside the table) through the same writer, so they are written in one place.
        Declared once, by the module of the history model (the table is declared before the models exist);
        usable as a decorator."""
        if self.record is not None and self.record != writer:
            raise ValueError(f"workflow {self.name}: its step rows are already written by {self.record!r}")
        self.record = writer
        return writer

    def audited(self, also: Iterable[str] = ()) -> list[str]:
        """The fields a step's audit entry shows before and after: the workflow's, then ``also`` (a step's own)."""
        return list(dict.fromkeys([*self.audit_fields, *also]))

    def stored(self, obj: models.Model, also: Iterable[str] = ()) -> dict[str, Any]:
        """The audit fields of ``obj`` (and ``also``) as its row holds them, for a step's "before": a service
        sets the fields a step saves (decided_by, admission_no, an edited title…) on the locked object before
        calling :meth:`step`, so the object in memory no longer says what was there. Read from the row the
        caller locked (one query); an object not saved yet has no "before" but its own values."""
        from portal.audit import snapshot

        fields = self.audited(also)
        if obj.pk is None:
            return snapshot(obj, fields)
        attnames = [obj._meta.get_field(f).attname for f in fields]  # type: ignore[union-attr]
        row = type(obj)._base_manager.filter(pk=obj.pk).only(*attnames).first()
        return snapshot(row if row is not None else obj, fields)

    def conflict(self, obj: Any, action: str) -> ConflictError:
        state = self.state_of(obj)
        labels = dict(self.states.choices)
        rows = self._by_action.get(str(action))
        action_label = rows[0].label if rows else str(action)
        message = (rows[0].refusal if rows else "") or self.conflict_message
        return ConflictError(
            message.format(noun=self.noun, status=labels.get(state, state), action=action_label)
        )

    def check(self, obj: Any, action: str) -> str:
        """The state ``action`` leads ``obj`` to; a ConflictError (409) when the table does not allow it."""
        to = self.target(self.state_of(obj), action)
        if to is None:
            raise self.conflict(obj, action)
        return to

    def apply(self, obj: Any, action: str) -> tuple[str, str]:
        """Check ``action`` and set the state field (the caller saves, inside its transaction and lock)."""
        from_state = self.state_of(obj)
        to = self.check(obj, action)
        setattr(obj, self.field, to)
        return from_state, to

    def step(
        self,
        obj: models.Model,
        action: str,
        *,
        actor: Any,
        fields: Iterable[str] = (),
        comment: str = "",
        recheck: str | None = None,
        context: dict[str, Any] | None = None,
        audit_fields: Iterable[str] = (),
        audit_after: dict[str, Any] | None = None,
        save: bool = True,
    ) -> tuple[str, str]:
        """Take ``action`` on a locked ``obj``: check it against the table (409 when not allowed), set the
        state, save the state with ``fields`` (and the model's ``auto_now`` fields), write the audit entry
        ``audit_prefix + action`` with the audit fields before and after, and the app's step row through its
        :meth:`records` writer (given ``context``, e.g. the role acted under); with ``recheck`` (a scope action),
        re-read the saved object through ``for_user(actor, recheck)`` and undo everything with a 403 when it
        fell out of the actor's scope (:func:`portal.scope.recheck`). Must run inside the transaction that
        holds the row lock (:meth:`lock`); returns ``(from state, to state)``.

        ``audit_fields``: this step's own fields the audit entry shows besides the workflow's (an edit's
        title and dates), their "before" read from the locked row (:meth:`stored`). ``audit_after``: what the
        event adds to the entry's "after" that is no field of ``obj`` (which community answered, and how).
        ``save=False``: a step that leaves ``obj`` as it is (an opinion is stored on its invitation, not on the
        request) is checked, audited and recorded, but the row is not written — its ``auto_now`` time and
        its history stay as they were."""
        from django.db import transaction

        from portal.audit import audit, snapshot

        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"workflow {self.name}: step outside the transaction holding the row lock")
        if context and self.record is None:
            raise RuntimeError(f"workflow {self.name}: a step context but no step rows (Workflow.records)")
        audit_fields = list(audit_fields)
        before = self.stored(obj, audit_fields)
        from_state, to = self.apply(obj, action)
        if not save and (to != from_state or fields):
            raise RuntimeError(f"workflow {self.name}: {action} changes the row but save=False")
        if save:
            auto_now = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
            obj.save(update_fields=list(dict.fromkeys([self.field, *auto_now, *fields])))
        audit(
            f"{self.audit_prefix}{action}",
            obj=obj,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            before=before,
            after={**snapshot(obj, self.audited(audit_fields)), **(audit_after or {})},
            detail=comment[:500],
        )
        if self.record is not None:
            self.record(
                obj,
                action=str(action),
                from_state=from_state,
                to_state=to,
                actor=actor,
                comment=comment,
                **(context or {}),
            )
        if recheck is not None:
            from portal.scope import recheck as recheck_scope

            recheck_scope(obj, actor, recheck, noun=self.noun)
        return from_state, to

    @staticmethod
    def lock(queryset: Any, *, not_found: str = "未找到该记录。", **lookup: Any) -> Any:
        """The row matching ``lookup``, locked until the transaction ends (``select_for_update``); 404 if none."""
        qs = queryset.all() if hasattr(queryset, "all") else queryset._default_manager.all()
        obj = qs.select_for_update().filter(**lookup).first()
        if obj is None:
            raise NotFoundError(not_found)
        return obj
