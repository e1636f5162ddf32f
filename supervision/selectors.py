"""Read side of supervision: pages, API, PDFs and other apps read complaints, criticisms, rectifications
and appeals here, always starting from ``for_user``. Other apps (reports, evaluations, admission) use the
small plain-data functions at the end; they return dicts and dataclasses, never this app's models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Avg,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, Substr, TruncMonth
from django.utils import timezone

from portal.choices import OrgLevel
from portal.models import OrgUnit
from portal.scope import allowed
from portal.workflow import Workflow
from supervision.choices import (
    COMPLAINT_WORKFLOW,
    DUPLICATE_DAYS,
    FINISHED,
    OPEN,
    REOPEN_DAYS,
    Action,
    AppealStatus,
    Category,
    CriticismStatus,
    RectificationStatus,
    Status,
)
from supervision.models import (
    Appeal,
    Complaint,
    ComplaintEvent,
    Criticism,
    Evidence,
    Rectification,
    departments_of,
)

PUBLIC_STEP_ACTIONS = {
    Action.FILE,
    Action.ACCEPT,
    Action.DECLINE,
    Action.REQUEST_STATEMENT,
    Action.STATEMENT,
    Action.SUBSTANTIATE,
    Action.UNSUBSTANTIATE,
    Action.CRITICISM_PUBLISH,
    Action.RECTIFICATION_REPORT,
    Action.RECTIFICATION_RETURN,
    Action.CLOSE,
    Action.ESCALATE,
    Action.MERGE,
    Action.REOPEN,
    Action.RATE,
}


def _label(action: str) -> str:
    try:
        return Action(action).label
    except ValueError:
        return action


# --------------------------------------------------------------------------------------------- bureau


def complaint_list(*, user, status: str = "", q: str = "", action: str = "handle"):
    """The complaints ``user`` may ``action``: ``handle`` (the bureau's, the export) or ``inspect`` (the list page:
    the bureau's, and those assigned to the user for on-site verification)."""
    qs = Complaint.objects.for_user(user, action).select_related("department", "community", "handling_org")
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(department__name__icontains=q) | Q(department_text__icontains=q) | Q(task_title__icontains=q)
        )
    return qs


def complaint_for_handler(*, user, pk: int, action: str = "handle") -> Complaint:
    """The complaint on the bureau's page: ``handle`` for what only the bureau does (reveal, evidence),
    ``inspect`` for the page itself and its steps — the bureau's, and an assigned verifier's."""
    from portal.scope import get_scoped_or_404

    return get_scoped_or_404(
        Complaint.objects.select_related(
            "department__org", "community", "handling_org", "refusal", "rectification", "criticism"
        ),
        user,
        action,
        pk=pk,
        # Kept (with its related rows) until a complaint, an order or a criticism changes, and only ever served
        # within the scope it was found in (portal.scope.get_scoped_or_404).
        cached_as=(GENERATION, "complaint-for-handler"),
    )


def related_one(c: Complaint, name: str):
    """The complaint's rectification or criticism (``None`` when it has none), read from ``select_related``."""
    try:
        return getattr(c, name)
    except (Rectification.DoesNotExist, Criticism.DoesNotExist):
        return None


def offered_steps(
    workflow: Workflow, obj: Any, *, user, also: Iterable[str] = ()
) -> tuple[set[str], set[str]]:
    """The steps of ``workflow`` a page offers ``user`` on ``obj`` (:meth:`Workflow.offered`: the rows from its
    state whose right the user holds — the right the services ask), every right asked in one query
    (``portal.scope.allowed``); ``also``: further rights the page needs, read in the same query. Answers the
    steps offered and the rights held."""
    rows = workflow.from_state(workflow.state_of(obj))
    rights = allowed(user, [*(t.right for t in rows), *also], obj, cached_as=GENERATION)
    steps = {t.action for t in workflow.offered(obj, user, holds=lambda _user, right, _obj: right in rights)}
    return steps, rights


def complaint_actions(*, user, complaint: Complaint) -> set[str]:
    """The steps of its table ``user`` may take on ``complaint`` now (the bureau's buttons)."""
    return complaint_page_rights(user=user, complaint=complaint)[0]


def complaint_page_rights(*, user, complaint: Complaint) -> tuple[set[str], bool]:
    """The steps of its table ``user`` may take on ``complaint`` now (the page's buttons), and whether the user
    is its bureau (``handle``: the complainant, the evidence, the follow-ups and the assignment of verifiers) —
    not only an assigned verifier — in one query."""
    steps, rights = offered_steps(COMPLAINT_WORKFLOW, complaint, user=user, also=["handle"])
    return steps, "handle" in rights


def has_assigned_complaints(*, user) -> bool:
    """Whether ``user`` holds an on-site verification of some complaint (a per-object grant): their list page."""
    return Complaint.objects.for_user(user, "inspect").exists()


def duplicates(*, user, complaint: Complaint) -> list[Complaint]:
    """Likely duplicates: same department, category and community within 30 days, not yet merged or
    finished. Offered to the handler for merging; never merged without them."""
    if complaint.status not in OPEN:  # only an open complaint is merged: nothing to offer (and no query)
        return []
    window = timedelta(days=DUPLICATE_DAYS)
    qs = (
        Complaint.objects.for_user(user, "handle")
        .exclude(pk=complaint.pk)
        .filter(
            category=complaint.category,
            community_id=complaint.community_id,
            created_at__gte=complaint.created_at - window,
            created_at__lte=complaint.created_at + window,
            status__in=OPEN,
        )
    )
    if complaint.department_id:
        qs = qs.filter(department_id=complaint.department_id)
    else:
        qs = qs.filter(department__isnull=True, department_text=complaint.department_text)
    return list(qs.order_by("created_at")[:10])


def events(c: Complaint) -> list[ComplaintEvent]:
    return list(c.events.all())


def complaint_followups(
    *, user, complaint: Complaint, handled: bool = False
) -> tuple[Rectification | None, Criticism | None]:
    """The rectification order and the criticism of a complaint, as far as ``user`` may see them (the
    handling bureau sees both: they belong to the complaint's handling org). ``handled``: the complaint was
    read with :func:`complaint_for_handler` — guarded for its bureau, and both read with it (no query)."""
    if handled:
        return related_one(complaint, "rectification"), related_one(complaint, "criticism")
    rect = Rectification.objects.for_user(user, "view").filter(complaint=complaint).first()
    criticism = Criticism.objects.for_user(user, "view").filter(complaint=complaint).first()
    return rect, criticism


def complaint_evidence(*, complaint: Complaint, pk: int) -> Evidence | None:
    """One piece of evidence of ``complaint`` — a complaint the caller was guarded for (evidence has no scope
    of its own: it is the complaint's)."""
    return Evidence.objects.filter(pk=pk, complaint=complaint).first()


def bureau_criticisms(*, user):
    """The bureau's own drafts, pending approvals and notices (``bureau``: not every published notice, which
    ``view`` opens to everyone), drafts first; a paginated listing cached until a criticism changes."""
    from portal.caching import CachedListing
    from portal.scope import scope_key

    return CachedListing(
        lambda: Criticism.objects.for_user(user, "bureau").select_related("org").order_by("status", "-id"),
        GENERATION,
        key=repr(("criticisms", scope_key(user, Criticism, "bureau"))),
    )


def public_notice(*, user, code: str) -> Criticism | None:
    """A published criticism notice by its public code. Public: ``view`` opens every published notice."""
    return (
        Criticism.objects.for_user(user, "view")
        .filter(public_code=code, status=CriticismStatus.PUBLISHED)
        .select_related("org")
        .first()
    )


def public_notice_rectification(*, criticism: Criticism) -> Rectification | None:
    """Public: the rectification order a published notice announces (its status and deadline are shown on
    the notice page). ``criticism`` comes from :func:`public_notice`."""
    if criticism.status != CriticismStatus.PUBLISHED:
        return None
    return Rectification.objects.filter(complaint_id=criticism.complaint_id).first()


# --------------------------------------------------------------------------------------------- public status


@dataclass
class PublicStep:
    at: object
    action: str
    label: str
    note: str


@dataclass
class PublicStatus:
    """What anyone holding the tracking code sees: no name, no contact, no internal notes."""

    tracking_code: str
    status: str
    status_label: str
    category: str
    category_label: str
    department: str
    community: str
    created_at: object
    accept_due: object
    steps: list[PublicStep] = field(default_factory=list)
    outcome: dict = field(default_factory=dict)
    can_rate: bool = False
    can_reopen: bool = False
    rating: int | None = None


def public_status(*, complaint: Complaint) -> PublicStatus:
    c = complaint
    steps = [
        PublicStep(at=e.at, action=e.action, label=_label(e.action), note=e.public_note)
        for e in c.events.all()
        if e.action in PUBLIC_STEP_ACTIONS
    ]
    outcome: dict = {}
    if c.status == Status.DECLINED:
        outcome = {"verdict": "declined", "reason": c.decline_reason}
    elif c.status == Status.UNSUBSTANTIATED:
        outcome = {"verdict": "unsubstantiated", "reason": c.verdict_reason}
    elif c.status in (Status.RECTIFYING, Status.CLOSED) and c.verdict_at:
        outcome = {"verdict": "substantiated", "reason": c.verdict_reason}
        r = Rectification.objects.filter(complaint=c).first()
        if r is not None:
            outcome["rectification"] = {
                "status": r.status,
                "status_label": RectificationStatus(r.status).label,
                "due_date": r.due_date,
                "on_time": r.on_time,
            }
        cr = Criticism.objects.filter(complaint=c, status=CriticismStatus.PUBLISHED).first()
        if cr is not None:
            from django.urls import reverse

            outcome["criticism"] = {
                "number": cr.number,
                "url": reverse("supervision:notice", args=[cr.public_code]),
            }
    elif c.status == Status.MERGED and c.merged_into_id:
        outcome = {"verdict": "merged", "reason": "与同一事项的投诉合并办理。"}
    finished_recently = (
        c.status in FINISHED
        and c.finished_at is not None
        and timezone.now() - c.finished_at <= timedelta(days=REOPEN_DAYS)
    )
    return PublicStatus(
        tracking_code=c.tracking_code,
        status=c.status,
        status_label=Status(c.status).label,
        category=c.category,
        category_label=Category(c.category).label,
        department=c.department_name,
        community=c.community.name if c.community_id else "",
        created_at=c.created_at,
        accept_due=c.accept_due,
        steps=steps,
        outcome=outcome,
        # The complainant acts by tracking code: the table says when, the row whether it was done already.
        can_rate=COMPLAINT_WORKFLOW.allows(c.status, Action.RATE) and c.rated_at is None,
        can_reopen=COMPLAINT_WORKFLOW.allows(c.status, Action.REOPEN)
        and finished_recently
        and c.reopened_at is None,
        rating=c.rating,
    )


# --------------------------------------------------------------------------------------------- department


@dataclass
class DepartmentCase:
    """A complaint as the department complained about sees it: the bureau's summary of the matter, the
    deadline and its own statement. No complainant, no complaint text, no evidence."""

    pk: int
    category_label: str
    status_label: str
    summary: str
    statement_due: object
    statement_text: str
    statement_at: object
    can_respond: bool
    rectification_id: int | None


def department_cases(*, user) -> list[DepartmentCase]:
    qs = Complaint.objects.for_user(user, "respond").select_related("rectification").order_by("-created_at")
    return [department_case(c) for c in qs[:200]]


def own_community_code(*, user) -> str:
    """The code of the community a community staff member or a resident belongs to (the first such role), for
    prefilling the complaint form; empty for anyone else."""
    from portal.choices import Role
    from portal.scope import grants_for

    grant = next(iter(grants_for(user, {Role.COMMUNITY_STAFF, Role.RESIDENT})), None)
    return grant.org_code if grant is not None else ""


def department_page(*, user) -> str:
    """The department page's orders, cases and the records of the user's departments as HTML, cached until a
    complaint, a rectification or a criticism changes, keyed by the user's scope for answering complaints and
    reporting on orders."""
    from django.db.models import F

    from portal.caching import rendered_fragment
    from portal.scope import scope_key

    department_ids = departments_of(user)

    def build() -> dict:
        return {
            "cases": department_cases(user=user),
            "rectifications": list(
                rectifications_for(user=user, action="report").order_by(
                    F("closed_at").asc(nulls_first=True), "due_date", "-id"
                )[:200]
            ),
            "records": [department_record(department_id=i) for i in department_ids],
        }

    key = repr(
        (
            scope_key(user, Complaint, "respond"),
            scope_key(user, Rectification, "report"),
            sorted(department_ids),
        )
    )
    return rendered_fragment(GENERATION, key, "supervision/_department_body.html", build)


def department_case(c: Complaint) -> DepartmentCase:
    rect = getattr(c, "rectification", None) if hasattr(c, "rectification") else None
    return DepartmentCase(
        pk=c.pk,
        category_label=Category(c.category).label,
        status_label=Status(c.status).label,
        summary=c.statement_summary,
        statement_due=c.statement_due,
        statement_text=c.statement_text,
        statement_at=c.statement_at,
        can_respond=c.status == Status.INVESTIGATING and bool(c.statement_due) and not c.statement_at,
        rectification_id=rect.pk if rect is not None else None,
    )


def rectifications_for(*, user, action: str = "view"):
    return Rectification.objects.for_user(user, action).select_related("department", "org", "complaint")


def open_rectifications(*, department_id: int) -> list[dict]:
    """Open rectification orders of one department (shown on its dashboard and admission requests), cached
    until a rectification changes (generation :data:`GENERATION`) or the day turns (overdue)."""
    from portal.caching import cached

    today = timezone.localdate()
    return cached(
        GENERATION,
        f"open-rectifications|{department_id}|{today.isoformat()}",
        lambda: _open_rectifications(department_id, today),
    )


def _open_rectifications(department_id: int, today: date) -> list[dict]:
    return [
        {
            "id": r.pk,
            "due_date": r.due_date,
            "overdue": r.due_date < today and r.status == RectificationStatus.ORDERED,
            "status": r.status,
            "status_label": RectificationStatus(r.status).label,
            "requirements": r.requirements,
        }
        for r in Rectification.objects.filter(department_id=department_id).exclude(
            status=RectificationStatus.CLOSED
        )
    ]


def department_record(*, department_id: int) -> dict:
    """The department's record: complaints, substantiated ones, criticisms, rectifications on time."""
    c = Complaint.objects.filter(department_id=department_id).exclude(status=Status.MERGED)
    agg = c.aggregate(
        total=Count("id"),
        substantiated=Count("id", filter=Q(status__in=[Status.RECTIFYING, Status.CLOSED])),
        unsubstantiated=Count("id", filter=Q(status=Status.UNSUBSTANTIATED)),
        open=Count("id", filter=Q(status__in=OPEN)),
    )
    r = Rectification.objects.filter(department_id=department_id).aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status=RectificationStatus.CLOSED)),
        timely=Count("id", filter=Q(on_time=True)),
        late=Count("id", filter=Q(on_time=False)),
        escalated=Count("id", filter=Q(escalated_at__isnull=False)),
    )
    criticisms = Criticism.objects.filter(
        department_id=department_id, status=CriticismStatus.PUBLISHED
    ).count()
    return {"complaints": agg, "rectifications": r, "criticisms": criticisms}


# --------------------------------------------------------------------------------------------- dashboards


def dashboard_figures(*, user) -> dict:
    """The dashboard panel's figures: cached until a complaint, rectification, criticism or appeal changes,
    keyed by the user's scope for handling and answering complaints (and the day: overdue is by date)."""
    from portal.caching import cached
    from portal.scope import scope_key

    key = (
        "dashboard",
        scope_key(user, Complaint, "handle"),
        scope_key(user, Complaint, "respond"),
        timezone.localdate().isoformat(),
    )
    return cached(GENERATION, repr(key), lambda: _dashboard_figures(user))


def _dashboard_figures(user) -> dict:
    from portal.choices import Role
    from portal.scope import grants_for

    handled = Complaint.objects.for_user(user, "handle")
    figures = {
        "to_accept": handled.filter(status=Status.SUBMITTED).count(),
        "investigating": handled.filter(status=Status.INVESTIGATING).count(),
        "rectifying": handled.filter(status=Status.RECTIFYING).count(),
        "is_handler": handled.exists() or bool(grants_for(user, {"district_official", "city_admin"})),
    }
    dept_ids = [g.department_id for g in grants_for(user, {Role.DEPARTMENT_STAFF}) if g.department_id]
    figures["open_rectifications"] = [r for d in dept_ids for r in open_rectifications(department_id=d)]
    figures["rectifications_overdue"] = any(r["overdue"] for r in figures["open_rectifications"])
    figures["statements_due"] = (
        Complaint.objects.for_user(user, "respond")
        .filter(status=Status.INVESTIGATING, statement_due__isnull=False, statement_at__isnull=True)
        .count()
        if dept_ids
        else 0
    )
    figures["my_complaints"] = (
        Complaint.objects.filter(identity__user=user).count() if user.is_authenticated else 0
    )
    return figures


# --------------------------------------------------------------------------------------------- public


def published_criticisms(*, district: str = ""):
    qs = Criticism.objects.filter(status=CriticismStatus.PUBLISHED).select_related("org")
    if district:
        qs = qs.filter(org__code=district)
    return qs.order_by("-published_at")


def _counted():
    return Complaint.objects.exclude(status=Status.MERGED)


SUBSTANTIATED = Q(status__in=[Status.RECTIFYING, Status.CLOSED])


#: The generation (``portal.caching``) of what is cached here: bumped when a complaint, a rectification, a
#: criticism, an appeal, a department or an org changes (``supervision.apps``).
GENERATION = "supervision"


def complaint_listing(*, user, status: str = "", q: str = ""):
    """:func:`complaint_list` for a paginated page: its count, page ids and rendered pages cached until a
    complaint changes, keyed by the user's scope for handling complaints and the filters."""
    from portal.caching import CachedListing
    from portal.scope import scope_key

    return CachedListing(
        lambda: complaint_list(user=user, status=status, q=q, action="inspect"),
        GENERATION,
        key=repr(("complaints", scope_key(user, Complaint, "inspect"), status, q)),
    )


def public_statistics(*, year: int | None = None) -> dict:
    """Counts by district, department, category and month; share substantiated; rectifications on time.
    No personal data: only counts and published department names. Cached until a complaint, a rectification
    or a department changes (a few aggregates over every complaint otherwise)."""
    from portal.caching import cached

    return cached(GENERATION, f"public-statistics|{year}", lambda: _public_statistics(year))


def _public_statistics(year: int | None) -> dict:
    qs = _counted()
    if year:
        qs = qs.filter(created_at__year=year)
    total = qs.aggregate(
        total=Count("id"),
        substantiated=Count("id", filter=SUBSTANTIATED),
        decided=Count("id", filter=SUBSTANTIATED | Q(status=Status.UNSUBSTANTIATED)),
    )
    by_org = list(
        qs.values(name=F("handling_org__name"), code=F("handling_org__code"))
        .annotate(total=Count("id"), part=Count("id", filter=SUBSTANTIATED))
        .order_by("code")
    )
    by_category = [
        {"label": Category(r["category"]).label, "total": r["total"], "part": r["part"]}
        for r in qs.values("category")
        .annotate(total=Count("id"), part=Count("id", filter=SUBSTANTIATED))
        .order_by("-total")
    ]
    by_department = list(
        qs.filter(department__isnull=False, verdict_at__isnull=False)
        .values(label=F("department__name"))
        .annotate(total=Count("id"), part=Count("id", filter=SUBSTANTIATED))
        .order_by("-part", "-total")[:15]
    )
    by_month = [
        {"label": r["month"].strftime("%Y-%m"), "total": r["total"], "part": r["part"]}
        for r in qs.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(total=Count("id"), part=Count("id", filter=SUBSTANTIATED))
        .order_by("month")
        if r["month"] is not None
    ]
    rect = Rectification.objects.all()
    if year:
        rect = rect.filter(created_at__year=year)
    rect_figures = rect.aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status=RectificationStatus.CLOSED)),
        timely=Count("id", filter=Q(on_time=True)),
    )
    share = round(100 * total["substantiated"] / total["decided"]) if total["decided"] else None
    on_time_share = (
        round(100 * rect_figures["timely"] / rect_figures["closed"]) if rect_figures["closed"] else None
    )
    return {
        "total": total,
        "share_substantiated": share,
        "rectifications": rect_figures,
        "share_on_time": on_time_share,
        "by_org": [{"label": r["name"], **r} for r in by_org],
        "by_category": by_category,
        "by_department": by_department,
        "by_month": by_month,
    }


# --------------------------------------------------------------------------------------------- other apps


def complaint_counts_by_org_month(
    *, date_from: date, date_to: date, level: str = OrgLevel.DISTRICT
) -> list[dict]:
    """For reports: complaints by handling bureau and month (one SQL aggregation).

    Rows ``{"org": code, "month": "YYYY-MM", "total", "substantiated", "unsubstantiated", "declined",
    "open"}``; ``level`` is ``district`` (city-department complaints count under the city code ``120000``).
    """
    qs = _counted().filter(created_at__date__gte=date_from, created_at__date__lte=date_to)
    rows = (
        qs.annotate(month=TruncMonth("created_at"))
        .values("month", code=F("handling_org__code"))
        .annotate(
            total=Count("id"),
            substantiated=Count("id", filter=SUBSTANTIATED),
            unsubstantiated=Count("id", filter=Q(status=Status.UNSUBSTANTIATED)),
            declined=Count("id", filter=Q(status=Status.DECLINED)),
            open=Count("id", filter=Q(status__in=OPEN)),
        )
        .order_by("code", "month")
    )
    return [
        {
            "org": r["code"],
            "month": r["month"].strftime("%Y-%m"),
            "total": r["total"],
            "substantiated": r["substantiated"],
            "unsubstantiated": r["unsubstantiated"],
            "declined": r["declined"],
            "open": r["open"],
        }
        for r in rows
    ]


@dataclass(frozen=True)
class UnitMonthCounts:
    """Supervision figures for reports, grouped by unit and month: plain numbers, no models.

    ``unit`` is the first ``unit_length`` characters of the org path the record is counted under (so the
    caller chooses the level: district, street or community); ``month`` is the first day of the month
    (local time). Rows: ``complaints`` ``{"unit", "month", "total", "substantiated"}``, ``rectifications``
    ``{"unit", "month", "total", "timely"}``, ``appeals`` ``{"unit", "month", "total", "answered"}``.
    ``median_hours`` holds the median answering time (hours) of answered appeals ``"by_unit"``,
    ``"by_month"`` and ``"total"``.
    """

    complaints: list[dict]
    rectifications: list[dict]
    appeals: list[dict]
    median_hours: dict


def _unit(path_expression, unit_length: int):
    return Substr(path_expression, 1, unit_length, output_field=CharField())


def _month(value) -> date:
    return value.date() if hasattr(value, "date") else value


def counts_by_unit_month(*, org_path: str, unit_length: int, start_at, end_at) -> UnitMonthCounts:
    """For reports: complaints, rectifications and appeals at or below ``org_path`` created in
    ``[start_at, end_at)``, each grouped by unit and month in one SQL aggregation, plus the median answering
    time of appeals (3 queries with window functions). Six queries whatever the number of communities.

    A complaint counts under the community it names, or under its handling bureau (district or city) when it
    names none; a rectification under its complaint's community, or its bureau. Merged duplicates are not
    counted.
    """
    complaint_path = Coalesce("community__path", "handling_org__path", output_field=CharField())
    complaints = (
        _counted()
        .annotate(p=complaint_path)
        .filter(p__startswith=org_path, created_at__gte=start_at, created_at__lt=end_at)
        .annotate(unit=_unit("p", unit_length), m=TruncMonth("created_at"))
        .values("unit", "m")
        .annotate(total=Count("id"), substantiated=Count("id", filter=SUBSTANTIATED))
        .order_by()
    )
    rect_path = Coalesce("complaint__community__path", "org__path", output_field=CharField())
    rectifications = (
        Rectification.objects.annotate(p=rect_path)
        .filter(p__startswith=org_path, created_at__gte=start_at, created_at__lt=end_at)
        .annotate(unit=_unit("p", unit_length), m=TruncMonth("created_at"))
        .values("unit", "m")
        .annotate(total=Count("id"), timely=Count("id", filter=Q(on_time=True)))
        .order_by()
    )
    appeals_in = Appeal.objects.filter(
        community__path__startswith=org_path, created_at__gte=start_at, created_at__lt=end_at
    )
    appeals = (
        appeals_in.annotate(unit=_unit("community__path", unit_length), m=TruncMonth("created_at"))
        .values("unit", "m")
        .annotate(total=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
        .order_by()
    )

    def rows(qs, *keys) -> list[dict]:
        return [{"unit": r["unit"], "month": _month(r["m"]), **{k: r[k] for k in keys}} for r in qs]

    answered = appeals_in.filter(answered_at__isnull=False)
    return UnitMonthCounts(
        complaints=rows(complaints, "total", "substantiated"),
        rectifications=rows(rectifications, "total", "timely"),
        appeals=rows(appeals, "total", "answered"),
        median_hours={
            "by_unit": _median_hours(answered, _unit("community__path", unit_length)),
            "by_month": {_month(k): v for k, v in _median_hours(answered, TruncMonth("created_at")).items()},
            "total": _median_hours(answered, None).get(""),
        },
    )


def _median_hours(answered, group) -> dict:
    """Median hours from appeal to answer per group (``None``: all rows as one group). The lower middle row
    of each group ordered by the time taken — ``ROW_NUMBER`` against ``COUNT`` over the same window, so one
    row per group comes back and no appeal is loaded. The single group of ``None`` is keyed ``""``."""
    took = ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    partition = [group] if group is not None else None
    qs = (
        answered.annotate(g=group if group is not None else Value("", output_field=CharField()), took=took)
        .annotate(
            rn=Window(RowNumber(), partition_by=partition, order_by=[F("took").asc(), F("id").asc()]),
            n=Window(Count("id"), partition_by=partition),
        )
        .filter(rn=(F("n") + 1) / 2)
        .values_list("g", "took")
    )
    return {g: round(t.total_seconds() / 3600, 1) for g, t in qs}


def community_evidence(*, community: OrgUnit, year: int) -> dict:
    """For the star rating: substantiated burden complaints about the community and its appeal handling
    that year, pulled into the assessment without anyone typing them again."""
    c = _counted().filter(community=community, created_at__year=year)
    a = Appeal.objects.filter(community=community, created_at__year=year)
    appeals = a.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__date__lte=F("due_date"))),
        avg_rating=Avg("rating"),
    )
    return {
        "complaints": c.count(),
        "substantiated": c.filter(SUBSTANTIATED).count(),
        "appeals": appeals["total"],
        "appeals_answered": appeals["answered"],
        "appeals_on_time": appeals["on_time"],
        "appeals_rating": round(float(appeals["avg_rating"]), 1)
        if appeals["avg_rating"] is not None
        else None,
    }


# --------------------------------------------------------------------------------------------- appeals


def appeal_list(*, user, status: str = ""):
    """The appeals the user sees, newest first: count, page ids and pages cached until an appeal changes,
    keyed by the user's scope and the filter."""
    from portal.caching import CachedListing
    from portal.scope import scope_key

    def build():
        qs = Appeal.objects.for_user(user, "view").select_related("community", "resident")
        return qs.filter(status=status) if status else qs

    return CachedListing(build, GENERATION, key=repr(("appeals", scope_key(user, Appeal, "view"), status)))


def appeal_overdue(a: Appeal) -> bool:
    return a.status in (AppealStatus.OPEN, AppealStatus.ESCALATED) and a.due_date < timezone.localdate()


def counted_models() -> list[type]:
    """The models whose rows the burden figures count (``counts_by_unit_month``, ``published_criticisms``): a
    change to one of them makes cached figures stale."""
    return [Complaint, Rectification, Appeal, Criticism]
