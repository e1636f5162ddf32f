"""Burden figures (减负成效) by SQL aggregation, and the registers as documents.

Every figure is one ``GROUP BY`` over the records it counts: grouped by the child unit of the chosen node
(the prefix of the community's org path, ``Substr(path, 1, n)``) and by month. The number of queries of a
dashboard level is therefore fixed — it does not grow with the number of communities — and rows are never
looped over in Python: Python only adds up the grouped sums (at most children × months numbers).

The scope of a report or a dashboard is an org node the user covers (:func:`report_scope`); records are
counted when their community lies at or below that node.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Concat, Substr, TruncMonth
from django.http import Http404

from portal.choices import OrgLevel, Role
from portal.models import OrgUnit
from portal.scope import covers
from reports.metrics import BY_KEY, METRICS, NOT_ADDITIVE
from reports.periods import Period

#: Who reads figures and orders reports: the civil-affairs officials and the street above its communities.
REPORT_ROLES = {Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL, Role.STREET_STAFF}

CHILD_LEVEL = {
    OrgLevel.CITY: OrgLevel.DISTRICT,
    OrgLevel.DISTRICT: OrgLevel.STREET,
    OrgLevel.STREET: OrgLevel.COMMUNITY,
}


def report_scope(*, user, code: str | None) -> OrgUnit:
    """The org node whose figures ``user`` may read: their own (highest) node by default, any node below it
    on request. A node outside their scope "does not exist" (404, audited like any refused access)."""
    from portal.scope import grants_for

    if not code:
        grants = sorted(grants_for(user, REPORT_ROLES), key=lambda g: len(g.org_path))
        if grants:
            code = grants[0].org_code
        elif getattr(user, "is_superuser", False):
            code = OrgUnit.objects.filter(level=OrgLevel.CITY).values_list("code", flat=True).first()
    org = _report_node(code or "")
    if org is None:
        raise Http404("未找到该单位。")
    if not covers(user, org, roles=REPORT_ROLES):
        from portal.audit import audit_denied

        audit_denied(obj=org, action="reports.view", actor=user)
        raise Http404("未找到该单位，或您无权查看。")
    return org


def _report_node(code: str) -> OrgUnit | None:
    """The node of a report by its code, read once per process until an org changes (generation ``orgs``)."""
    from portal.caching import local_cached

    def read() -> OrgUnit | None:
        levels = list(CHILD_LEVEL) + [OrgLevel.COMMUNITY]
        return OrgUnit.objects.filter(code=code, level__in=levels).first()

    return local_cached("orgs", f"reports-node:{code}", read)


def public_scope(*, code: str | None) -> OrgUnit:
    """The city or a district (the public summary pages)."""
    org = OrgUnit.objects.filter(code=code or "", level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]).first()
    if org is None:
        raise Http404("未找到该区。")
    return org


# ── grouping helpers ───────────────────────────────────────────────────────────────────────


@dataclass
class Grouping:
    """How records are grouped under ``org``: by the prefix of their community path that names the child."""

    org: OrgUnit
    children: list[OrgUnit]
    key_length: int  # length of the child's path; for a community: its own path

    def key(self, path_field: str):
        return Substr(path_field, 1, self.key_length, output_field=CharField())

    def child_of(self, key: str) -> str | None:
        return key if key in self.child_paths else None

    def attribute(self, key: str | None) -> str:
        """The child a grouped row belongs to, or :data:`UNATTRIBUTED` when its record names no unit at the
        child level (a bureau's own document, a complaint naming no community, a redirect with no known
        community)."""
        if not self.children:
            return key if key == self.org.path else UNATTRIBUTED
        return key if key in self.child_paths else UNATTRIBUTED

    @property
    def child_paths(self) -> set[str]:
        return {c.path for c in self.children}


def grouping_for(org: OrgUnit) -> Grouping:
    """One query: the children of ``org`` (none for a community)."""
    level = CHILD_LEVEL.get(org.level)
    if level is None:
        return Grouping(org=org, children=[], key_length=len(org.path))
    children = list(OrgUnit.objects.filter(parent=org, level=level).order_by("code"))
    lengths = {len(c.path) for c in children}
    # GB/T 2260 codes have one length per level, so one prefix length names every child.
    length = lengths.pop() if len(lengths) == 1 else len(org.path)
    return Grouping(org=org, children=children, key_length=length)


#: The row of figures counted for the node itself and not for any of its children.
UNATTRIBUTED = ""


def _month_key(value) -> date:
    return value.date() if hasattr(value, "date") else value


class _Acc:
    """Grouped sums by child path and by month."""

    def __init__(self):
        self.by_child: dict[str, dict[str, Decimal | int]] = defaultdict(lambda: defaultdict(int))
        self.by_month: dict[date, dict[str, Decimal | int]] = defaultdict(lambda: defaultdict(int))
        self.total: dict[str, Decimal | int] = defaultdict(int)

    def state(self) -> tuple[dict, dict, dict]:
        """The sums as plain dicts (picklable: what the cache keeps)."""
        return (
            {k: dict(v) for k, v in self.by_child.items()},
            {k: dict(v) for k, v in self.by_month.items()},
            dict(self.total),
        )

    @classmethod
    def from_state(cls, state: tuple[dict, dict, dict]) -> _Acc:
        acc = cls()
        by_child, by_month, total = state
        for child, values in by_child.items():
            acc.by_child[child].update(values)
        for month, values in by_month.items():
            acc.by_month[month].update(values)
        acc.total.update(total)
        return acc

    def merge(self, state: tuple[dict, dict, dict]) -> None:
        """Add the sums of another accumulator (of other metrics)."""
        by_child, by_month, total = state
        for child, values in by_child.items():
            for metric, value in values.items():
                self.add(metric, value, child=child, total=False)
        for month, values in by_month.items():
            for metric, value in values.items():
                self.add(metric, value, month=month, total=False)
        for metric, value in total.items():
            self.add(metric, value)

    def add(self, metric: str, value, *, child: str | None = None, month: date | None = None, total=True):
        value = value or 0
        if child is not None:
            self.by_child[child][metric] += value
        if month is not None:
            self.by_month[month][metric] += value
        if total:
            self.total[metric] += value


# ── the figures ────────────────────────────────────────────────────────────────────────────


def _communities(g: Grouping, acc: _Acc) -> dict[str, dict[str, int]]:
    """Communities per child and per district prefix (the list in force differs by district)."""
    rows = (
        OrgUnit.objects.filter(level=OrgLevel.COMMUNITY, path__startswith=g.org.path)
        .annotate(k=g.key("path"), d=Substr("path", 1, 14, output_field=CharField()))
        .values("k", "d")
        .annotate(n=Count("id"))
    )
    per_district: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        acc.add("communities", r["n"], child=r["k"])
        per_district[r["d"]][r["k"]] = r["n"]
    return per_district


def _listed(g: Grouping, period: Period, acc: _Acc, per_district: dict[str, dict[str, int]]) -> None:
    """Items of the city's and each district's list version in force at the end of the period (2 queries)."""
    from checklists import selectors as checklists

    last_day = period.end
    city_path = g.org.path[:7]
    versions = list(
        checklists.published_versions_before(day=last_day)
        .filter(
            Q(org__path=city_path) | Q(org__path__in=list(per_district)) | Q(org__path__startswith=g.org.path)
        )
        .order_by("org_id", "-number")
        .values("id", "org__path")
    )
    in_force: dict[str, int] = {}
    for v in versions:  # newest first per org: a handful of version rows, not records
        in_force.setdefault(v["org__path"], v["id"])
    counts = dict(
        checklists.items_of_versions(list(in_force.values()))
        .values_list("version_id")
        .annotate(n=Count("id"))
    )
    city_items = counts.get(in_force.get(city_path), 0)
    for district_path, per_child in per_district.items():
        items = city_items + counts.get(in_force.get(district_path), 0)
        for child, n in per_child.items():
            acc.add("tasks_listed", items * n, child=child)


def _admitted(g: Grouping, period: Period, acc: _Acc) -> None:
    """Admitted tasks valid during the period, per community, with their declared hours (1 query)."""
    from admission import selectors as admission

    def valid(start: date, end: date, start_at, end_at) -> Q:
        return Q(
            request__approved_at__lt=end_at, request__start_date__lt=end, request__end_date__gte=start
        ) & (Q(request__revoked_at__isnull=True) | Q(request__revoked_at__gte=start_at))

    months = period.month_starts()
    aggregates = {
        "n": Count("id", filter=valid(period.start, period.end, period.start_at, period.end_at)),
        "h": Coalesce(
            Sum(
                "request__workload_hours_per_month",
                filter=valid(period.start, period.end, period.start_at, period.end_at),
            ),
            Decimal(0),
        ),
    }
    for i, m in enumerate(months):
        sub = Period("month", m.year, m.month)
        q = valid(sub.start, sub.end, sub.start_at, sub.end_at)
        aggregates[f"n{i}"] = Count("id", filter=q)
        aggregates[f"h{i}"] = Coalesce(Sum("request__workload_hours_per_month", filter=q), Decimal(0))
    rows = (
        admission.admitted_targets_under(path=g.org.path)
        .annotate(k=g.key("community__path"))
        .values("k")
        .annotate(**aggregates)
    )
    for r in rows:
        acc.add("tasks_admitted", r["n"], child=r["k"])
        acc.add("workload_hours", r["h"], child=r["k"])
        for i, m in enumerate(months):
            acc.add("tasks_admitted", r[f"n{i}"], month=m, total=False)
            acc.add("workload_hours", r[f"h{i}"], month=m, total=False)


ADMISSION_ACTIONS = {
    "adm_submitted": ["submit"],
    "adm_refused_on_submit": ["reject_on_submit"],
    "adm_rejected": ["reject", "review_reject"],
    "adm_approved": ["approve"],
}


def _admission(g: Grouping, period: Period, acc: _Acc) -> None:
    """Requests by what happened to them in the period, from their history (3 queries: per child, per month,
    for the whole scope — a request sent to two streets counts once for the district)."""
    from admission import selectors as admission

    base = admission.history_under(path=g.org.path, start_at=period.start_at, end_at=period.end_at)
    funded = Q(action="approve", request__funding_amount__gt=0) & ~Q(request__working_conditions="")
    aggregates = {
        key: Count("request_id", distinct=True, filter=Q(action__in=actions))
        for key, actions in ADMISSION_ACTIONS.items()
    }
    aggregates["adm_funded"] = Count("request_id", distinct=True, filter=funded)
    aggregates["adm_purchase"] = Count(
        "request_id", distinct=True, filter=Q(action="approve", request__purchase_service=True)
    )
    for r in base.annotate(k=g.key("request__targets__community__path")).values("k").annotate(**aggregates):
        for key in aggregates:
            acc.add(key, r[key], child=r["k"], total=False)
    for r in base.annotate(m=TruncMonth("at")).values("m").annotate(**aggregates):
        for key in aggregates:
            acc.add(key, r[key], month=_month_key(r["m"]), total=False)
    totals = base.aggregate(**aggregates)
    for key in aggregates:
        acc.add(key, totals[key])


def _refusals(g: Grouping, period: Period, acc: _Acc) -> list[dict]:
    """Refusals by child, month and verdict (1 query) and by department (1 query)."""
    from taskcheck import selectors as taskcheck
    from taskcheck.choices import Verdict

    base = taskcheck.refusals_under(path=g.org.path, start_at=period.start_at, end_at=period.end_at)
    rows = (
        base.annotate(k=g.key("community__path"), m=TruncMonth("created_at"))
        .values("k", "m", "verdict")
        .annotate(n=Count("id"))
    )
    for r in rows:
        month = _month_key(r["m"])
        acc.add("refusals", r["n"], child=r["k"], month=month)
        acc.add("seal_uses", r["n"], child=r["k"], month=month)
        if r["verdict"] == Verdict.PROHIBITED:
            acc.add("refusals_prohibited", r["n"], child=r["k"], month=month)
        elif r["verdict"] == Verdict.NOT_ADMITTED:
            acc.add("refusals_not_admitted", r["n"], child=r["k"], month=month)
    return list(
        base.values("department")
        .annotate(
            n=Count("id"),
            prohibited=Count("id", filter=Q(verdict=Verdict.PROHIBITED)),
            not_admitted=Count("id", filter=Q(verdict=Verdict.NOT_ADMITTED)),
        )
        .order_by("-n", "department")[:15]
    )


def _certificates(g: Grouping, period: Period, acc: _Acc) -> None:
    """Certificates issued and on time, and the seals they used (2 queries)."""
    from certificates import selectors as certificates

    rows = (
        certificates.certificates_issued_under(
            path=g.org.path, start_at=period.start_at, end_at=period.end_at
        )
        .annotate(k=g.key("community__path"), m=TruncMonth("issued_at"))
        .values("k", "m")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(application__decided_at__lte=F("application__due_at"))),
        )
    )
    for r in rows:
        month = _month_key(r["m"])
        acc.add("certificates", r["n"], child=r["k"], month=month)
        acc.add("certificates_on_time", r["on_time"], child=r["k"], month=month)
    seals = (
        certificates.seal_uses_under(path=g.org.path, start_at=period.start_at, end_at=period.end_at)
        .annotate(k=g.key("community__path"), m=TruncMonth("used_at"))
        .values("k", "m")
        .annotate(n=Count("id"))
    )
    for r in seals:
        acc.add("seal_uses", r["n"], child=r["k"], month=_month_key(r["m"]))


def _approval_seals(g: Grouping, period: Period, acc: _Acc) -> None:
    """Admission notices sealed by the approval body of a level at or below the node (1 query)."""
    from admission import selectors as admission

    rows = (
        admission.sealed_notices_under(path=g.org.path, start_at=period.start_at, end_at=period.end_at)
        .annotate(k=g.key("approval_body__org__path"), m=TruncMonth("approved_at"))
        .values("k", "m")
        .annotate(n=Count("id"))
    )
    for r in rows:
        acc.add("seal_uses", r["n"], child=g.attribute(r["k"]), month=_month_key(r["m"]))


def _barred(g: Grouping, period: Period, acc: _Acc) -> None:
    """Redirects by the community they were asked from and by month (1 query). A redirect whose community
    is unknown (nobody logged in, no community page) counts for the city only, on the "not attributed" row."""
    from certificates import selectors as certificates

    rows = (
        certificates.barred_redirects_under(
            path=g.org.path,
            start_at=period.start_at,
            end_at=period.end_at,
            unattributed=g.org.level == OrgLevel.CITY,
        )
        .annotate(k=g.key("community__path"), m=TruncMonth("at"))
        .values("k", "m")
        .annotate(n=Count("id"))
    )
    acc.add("barred_redirects", 0)
    for r in rows:
        acc.add("barred_redirects", r["n"], child=g.attribute(r["k"]), month=_month_key(r["m"]))


def _ledgers(g: Grouping, acc: _Acc) -> None:
    """The district catalogues and baselines (2 queries); a street or community shows its district's."""
    from checklists import selectors as checklists
    from reports.models import LedgerBaseline

    district_path = g.org.path[:14] if g.org.level != OrgLevel.CITY else g.org.path
    rows = (
        checklists.ledger_entries_under(path=district_path)
        .values("district__path")
        .annotate(n=Count("id"), merged=Count("id", filter=~Q(merged_from="")))
    )
    baselines = dict(
        LedgerBaseline.objects.filter(district__path__startswith=district_path).values_list(
            "district__path", "count"
        )
    )
    per_district = {r["district__path"]: r for r in rows}
    for path in set(per_district) | set(baselines):
        r = per_district.get(path, {"n": 0, "merged": 0})
        child = path if g.org.level == OrgLevel.CITY else None
        acc.add("ledgers", r["n"], child=child)
        acc.add("ledgers_merged", r["merged"], child=child)
        if path in baselines:
            acc.add("ledgers_baseline", baselines[path], child=child)
    if "ledgers_baseline" not in acc.total:
        acc.total["ledgers_baseline"] = None


def _plaques(g: Grouping, period: Period, acc: _Acc) -> None:
    """Communities with a plaque outside the standard now (1 query), plaques taken down in the period
    (1 query over the audit log)."""
    from checklists import selectors as checklists
    from checklists.choices import PlaqueKind
    from portal.models import AuditEntry

    rows = (
        checklists.noncompliant_plaques_under(path=g.org.path)
        .annotate(k=g.key("community__path"))
        .values("k")
        .annotate(n=Count("community_id", distinct=True))
    )
    for r in rows:
        acc.add("plaques_noncompliant", r["n"], child=r["k"])
    fixed = (
        AuditEntry.objects.filter(
            action="checklists.plaque_remove",
            before__kind=PlaqueKind.OTHER,
            org_path__startswith=g.org.path,
            at__gte=period.start_at,
            at__lt=period.end_at,
        )
        .annotate(k=g.key("org_path"), m=TruncMonth("at"))
        .values("k", "m")
        .annotate(n=Count("id"))
    )
    for r in fixed:
        acc.add("plaques_fixed", r["n"], child=r["k"], month=_month_key(r["m"]))


def _stars(g: Grouping, period: Period, acc: _Acc) -> int | None:
    """The latest published star rating up to the period's year, by child and star (2 queries)."""
    from evaluations import selectors as evaluations

    year = evaluations.latest_published_year(up_to=period.start.year)
    if year is None:
        return None
    rows = (
        evaluations.published_assessments_under(year=year, path=g.org.path)
        .annotate(k=g.key("community__path"))
        .values("k", "stars")
        .annotate(n=Count("id"))
    )
    for r in rows:
        acc.add(f"stars_{r['stars']}", r["n"], child=r["k"])
        acc.add("stars_rated", r["n"], child=r["k"])
        acc.add("_stars_sum", r["n"] * r["stars"], child=r["k"])
    return year


#: Supervision figures and the field of the supervision selector's rows they are read from.
SUPERVISION_FIELDS = [
    ("complaints", "complaints", "total"),
    ("complaints_substantiated", "complaints", "substantiated"),
    ("rectifications_on_time", "rectifications", "timely"),
    ("appeals", "appeals", "total"),
    ("appeals_answered", "appeals", "answered"),
]


def _supervision(g: Grouping, period: Period, acc: _Acc) -> None:
    """Complaints, rectifications and residents' appeals per child unit and month, read through the
    supervision app's selector (3 ``GROUP BY`` and 3 median queries), and the criticisms sealed by the
    bureau (1 query)."""
    from supervision import selectors as supervision

    counts = supervision.counts_by_unit_month(
        org_path=g.org.path, unit_length=g.key_length, start_at=period.start_at, end_at=period.end_at
    )
    for metric, family, column in SUPERVISION_FIELDS:
        acc.add(metric, 0)  # a figure even when nothing was filed
        for r in getattr(counts, family):
            acc.add(metric, r[column], child=g.attribute(r["unit"]), month=r["month"])
    medians = counts.median_hours
    for unit, hours in medians["by_unit"].items():
        acc.by_child[g.attribute(unit)]["appeals_median_hours"] = hours
    for month, hours in medians["by_month"].items():
        acc.by_month[month]["appeals_median_hours"] = hours
    acc.total["appeals_median_hours"] = medians["total"]
    criticisms = (
        supervision.published_criticisms()
        .filter(
            org__path__startswith=g.org.path,
            published_at__gte=period.start_at,
            published_at__lt=period.end_at,
        )
        .annotate(k=g.key("org__path"), m=TruncMonth("published_at"))
        .values("k", "m")
        .annotate(n=Count("id"))
    )
    for r in criticisms:  # sealed by the bureau: counted for its district or the city, like admission notices
        acc.add("seal_uses", r["n"], child=g.attribute(r["k"]), month=_month_key(r["m"]))


def _finish(values: dict) -> dict:
    out = {m.key: values.get(m.key, 0) for m in METRICS}
    for m in METRICS:
        if m.pending:
            out[m.key] = None
    out["appeals_median_hours"] = values.get("appeals_median_hours")
    rated = values.get("stars_rated") or 0
    out["stars_avg"] = round(values.get("_stars_sum", 0) / rated, 2) if rated else None
    if "ledgers_baseline" in values:
        out["ledgers_baseline"] = values["ledgers_baseline"]
    for key, value in out.items():
        if isinstance(value, Decimal):
            out[key] = float(value)
    return out


def _unattributed(values: dict) -> dict | None:
    """The figures counted for the node itself: only those actually recorded there, none that cannot be
    added up (``None`` when there is nothing, so the row is not shown)."""
    kept = {k: v for k, v in values.items() if k in BY_KEY and k not in NOT_ADDITIVE and v}
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in kept.items()} or None


@dataclass
class BurdenFigures:
    """The figures of one node and period: the whole scope, each child unit and each month."""

    org: OrgUnit
    period: Period
    total: dict
    children: list[dict] = field(default_factory=list)  # {"org", "values"}
    months: list[dict] = field(default_factory=list)  # {"month", "values"}
    departments: list[dict] = field(default_factory=list)
    stars_year: int | None = None
    #: figures of the node itself, not of any child (bureau documents, complaints and redirects naming no
    #: unit below it); ``None`` when there are none
    unattributed: dict | None = None


#: The generations (``portal.caching``) the figures are cached under: "reports" moves with every record they
#: count but the redirects to the issuing agencies, which a public search writes and which go under their own
#: "reports-redirects" (so that a resident's search recomputes one query, not all of them).
FIGURES_GENERATION = "reports"
REDIRECTS_GENERATION = "reports-redirects"


def figure_models() -> tuple[list, list]:
    """The models the figures are counted from (``reports.apps`` bumps the generations when one changes):
    ``(models of "reports", models of "reports-redirects")``."""
    from admission import selectors as admission
    from certificates import selectors as certificates
    from checklists import selectors as checklists
    from evaluations import selectors as evaluations
    from reports.models import LedgerBaseline
    from supervision import selectors as supervision
    from taskcheck import selectors as taskcheck

    counted = [OrgUnit, LedgerBaseline]
    for app in (checklists, admission, taskcheck, certificates, evaluations, supervision):
        counted += app.counted_models()
    return counted, [OrgUnit, *certificates.redirect_models()]


def _counted(org: OrgUnit, period: Period) -> dict:
    """Everything but the redirects, as plain data (what the cache keeps)."""
    g = grouping_for(org)
    acc = _Acc()
    per_district = _communities(g, acc)
    _listed(g, period, acc, per_district)
    _admitted(g, period, acc)
    _admission(g, period, acc)
    departments = _refusals(g, period, acc)
    _certificates(g, period, acc)
    _approval_seals(g, period, acc)
    _ledgers(g, acc)
    _plaques(g, period, acc)
    stars_year = _stars(g, period, acc)
    _supervision(g, period, acc)
    return {
        "children": g.children,
        "key_length": g.key_length,
        "acc": acc.state(),
        "departments": departments,
        "stars_year": stars_year,
    }


def _redirects(g: Grouping, period: Period) -> tuple:
    acc = _Acc()
    _barred(g, period, acc)
    return acc.state()


def burden_figures(*, org: OrgUnit, period: Period) -> BurdenFigures:
    """Every figure of ``org`` in ``period``: a fixed number of aggregate queries whatever the size of the
    scope (the test counts them), cached until a record they count changes (``portal.caching``: none on a
    hit)."""
    from portal.caching import cached

    parts = f"figures|{org.pk}|{org.path}|{org.level}|{period.code}"
    counted = cached(FIGURES_GENERATION, parts, lambda: _counted(org, period))
    g = Grouping(org=org, children=counted["children"], key_length=counted["key_length"])
    acc = _Acc.from_state(counted["acc"])
    acc.merge(cached(REDIRECTS_GENERATION, parts, lambda: _redirects(g, period)))
    departments, stars_year = counted["departments"], counted["stars_year"]
    total = dict(acc.total)
    total["plaques_compliant"] = total.get("communities", 0) - total.get("plaques_noncompliant", 0)
    # admitted-task monthly series are not additive over months: the period figure is its own aggregate.
    children = []
    for child in g.children or [org]:
        values = dict(acc.by_child.get(child.path, {}))
        values["plaques_compliant"] = values.get("communities", 0) - values.get("plaques_noncompliant", 0)
        if g.org.level != OrgLevel.CITY and "ledgers" in total:
            values.setdefault("ledgers", None)
        children.append({"org": child, "values": _finish(values)})
    months = [{"month": m, "values": _finish(dict(acc.by_month.get(m, {})))} for m in period.month_starts()]
    return BurdenFigures(
        org=org,
        period=period,
        total=_finish(total),
        children=children,
        months=months,
        departments=departments,
        stars_year=stars_year,
        unattributed=_unattributed(dict(acc.by_child.get(UNATTRIBUTED, {}))) if g.children else None,
    )


def compare(current: BurdenFigures, previous: BurdenFigures) -> dict[str, dict]:
    """Per metric: this period, the previous one and the change."""
    out = {}
    for m in METRICS:
        now, before = current.total.get(m.key), previous.total.get(m.key)
        delta = None
        if isinstance(now, (int, float)) and isinstance(before, (int, float)):
            delta = round(now - before, 2)
        out[m.key] = {"now": now, "before": before, "delta": delta}
    return out


def breadcrumbs(org: OrgUnit) -> list[OrgUnit]:
    return org.ancestors(include_self=True)


# ── registers as documents ─────────────────────────────────────────────────────────────────

REGISTERS = {
    "admission": "准入事项登记簿",
    "certificate": "社区证明出具登记簿",
    "refusal": "拒绝承接登记簿",
    "seal": "用印登记簿",
}

REGISTER_COLUMNS = {
    "admission": [
        ("admission_no", "准入编号"),
        ("title", "事项名称"),
        ("department", "申请部门"),
        ("approved", "批准时间"),
        ("valid", "工作期间"),
        ("targets", "适用社区数"),
        ("hours", "工作量（小时/社区/月）"),
        ("funding", "经费（元）"),
        ("purchase", "购买服务"),
        ("status", "状态"),
    ],
    "certificate": [
        ("number", "证明编号"),
        ("type", "证明类型"),
        ("community", "出具社区"),
        ("issued", "出具时间"),
        ("on_time", "按时办结"),
        ("revoked", "撤销"),
    ],
    "refusal": [
        ("notice_no", "告知书编号"),
        ("community", "社区"),
        ("title", "任务名称"),
        ("department", "交办部门"),
        ("verdict", "核查结论"),
        ("clause", "政策依据"),
        ("at", "登记时间"),
    ],
    "seal": [
        ("kind", "文件类别"),
        ("number", "文件编号"),
        ("title", "文件名称"),
        ("issuer", "用印单位"),
        ("seal", "印章"),
        ("at", "用印时间"),
    ],
}


def register_rows(*, kind: str, org: OrgUnit, period: Period, limit: int | None = None) -> list[dict]:
    """The rows of one register for ``org`` in ``period`` (one query; no personal data)."""
    fn = {
        "admission": _admission_register,
        "certificate": _certificate_register,
        "refusal": _refusal_register,
        "seal": _seal_register,
    }[kind]
    qs = fn(org, period)
    rows = list(qs[:limit] if limit else qs)
    return [_register_row(kind, r) for r in rows]


def _admission_register(org: OrgUnit, period: Period) -> QuerySet:
    from admission import selectors as admission

    return (
        admission.admitted_requests_for(path=org.path, start_at=period.start_at, end_at=period.end_at)
        .values(
            "admission_no",
            "title",
            "department__name",
            "approved_at",
            "start_date",
            "end_date",
            "workload_hours_per_month",
            "funding_amount",
            "purchase_service",
            "status",
        )
        .annotate(targets=Count("targets", distinct=True))
        .order_by("approved_at", "admission_no")
    )


def _certificate_register(org: OrgUnit, period: Period) -> QuerySet:
    from certificates import selectors as certificates

    return (
        certificates.certificates_issued_under(path=org.path, start_at=period.start_at, end_at=period.end_at)
        .values(
            "number",
            "type__name",
            "community__name",
            "issued_at",
            "revoked_at",
            "application__decided_at",
            "application__due_at",
        )
        .order_by("issued_at", "number")
    )


def _refusal_register(org: OrgUnit, period: Period) -> QuerySet:
    from taskcheck import selectors as taskcheck

    return (
        taskcheck.refusals_under(path=org.path, start_at=period.start_at, end_at=period.end_at)
        .values("notice_no", "community__name", "title", "department", "verdict", "clause", "created_at")
        .order_by("created_at", "id")
    )


def _seal_register(org: OrgUnit, period: Period) -> QuerySet:
    """Every sealed document the portal issued, in one ``UNION ALL``: certificates (the community's seal use
    record), refusal notices (the community's seal), admission notices (the approval body's seal) and
    circulated criticisms (the civil-affairs bureau's seal)."""
    from admission import selectors as admission
    from certificates import selectors as certificates
    from taskcheck import selectors as taskcheck

    def cols(kind, number, title, issuer, seal, at):
        return {
            "r_kind": Value(kind, output_field=CharField()),
            "r_number": number,
            "r_title": title,
            "r_issuer": issuer,
            "r_seal": seal,
            "r_at": at,
        }

    names = ["r_kind", "r_number", "r_title", "r_issuer", "r_seal", "r_at"]
    window = {"path": org.path, "start_at": period.start_at, "end_at": period.end_at}
    seal_uses = (
        certificates.seal_uses_under(**window)
        .annotate(
            **cols(
                "社区证明",
                F("certificate__number"),
                F("document"),
                F("community__name"),
                F("seal_name"),
                F("used_at"),
            )
        )
        .values(*names)
    )
    refusals = (
        taskcheck.refusals_under(**window)
        .annotate(
            **cols(
                "拒绝承接告知书",
                F("notice_no"),
                F("title"),
                F("community__name"),
                F("community__name"),
                F("created_at"),
            )
        )
        .values(*names)
    )
    approvals = (
        admission.sealed_notices_under(**window)
        .annotate(
            **cols(
                "准入通知书",
                F("admission_no"),
                F("title"),
                F("approval_body__org__name"),
                F("approval_body__name"),
                F("approved_at"),
            )
        )
        .values(*names)
    )
    from supervision.selectors import published_criticisms

    criticisms = (
        published_criticisms()
        .filter(
            org__path__startswith=org.path, published_at__gte=period.start_at, published_at__lt=period.end_at
        )
        .order_by()
        .annotate(
            **cols(
                "通报批评",
                F("number"),
                F("title"),
                F("org__name"),
                Concat(F("org__name"), Value("民政局"), output_field=CharField()),
                F("published_at"),
            )
        )
        .values(*names)
    )
    return seal_uses.union(refusals, approvals, criticisms, all=True).order_by("r_at", "r_number")


def _fmt_dt(value) -> str:
    from django.utils import timezone

    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _register_row(kind: str, r: dict) -> dict:
    from admission.choices import Status
    from taskcheck.choices import Verdict

    if kind == "admission":
        return {
            "admission_no": r["admission_no"],
            "title": r["title"],
            "department": r["department__name"],
            "approved": _fmt_dt(r["approved_at"]),
            "valid": f"{r['start_date']:%Y-%m-%d} 至 {r['end_date']:%Y-%m-%d}",
            "targets": r["targets"],
            "hours": float(r["workload_hours_per_month"]),
            "funding": float(r["funding_amount"] or 0),
            "purchase": "是" if r["purchase_service"] else "否",
            "status": Status(r["status"]).label if r["status"] in Status.values else r["status"],
        }
    if kind == "certificate":
        decided, due = r["application__decided_at"], r["application__due_at"]
        return {
            "number": r["number"],
            "type": r["type__name"],
            "community": r["community__name"],
            "issued": _fmt_dt(r["issued_at"]),
            "on_time": "是" if decided and due and decided <= due else "否",
            "revoked": _fmt_dt(r["revoked_at"]) or "—",
        }
    if kind == "refusal":
        return {
            "notice_no": r["notice_no"],
            "community": r["community__name"],
            "title": r["title"],
            "department": r["department"],
            "verdict": Verdict(r["verdict"]).label if r["verdict"] in Verdict.values else r["verdict"],
            "clause": r["clause"],
            "at": _fmt_dt(r["created_at"]),
        }
    return {
        "kind": r["r_kind"],
        "number": r["r_number"],
        "title": r["r_title"],
        "issuer": r["r_issuer"],
        "seal": r["r_seal"],
        "at": _fmt_dt(r["r_at"]),
    }


def register_count_types() -> list[tuple[str, str]]:
    return list(REGISTERS.items())


def dashboard_panel(*, user) -> dict:
    """The workbench panel: the user's highest node (no figures computed here, the page does that)."""
    from portal.scope import grants_for

    grants = sorted(grants_for(user, REPORT_ROLES), key=lambda g: len(g.org_path))
    return {"org": {"name": grants[0].org_name} if grants else {"name": "全市"}}
