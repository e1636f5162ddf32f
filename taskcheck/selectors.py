"""Read side of the task check: the refusal register and the figures the burden reports count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, QuerySet
from django.utils import timezone

from portal.choices import OrgLevel, Role
from portal.scope import grants_for
from taskcheck.choices import Verdict
from taskcheck.models import Refusal


def _bounds(date_from: date | None, date_to: date | None) -> dict:
    tz = timezone.get_current_timezone()
    lookup = {}
    if date_from:
        lookup["created_at__gte"] = timezone.make_aware(datetime.combine(date_from, time.min), tz)
    if date_to:
        lookup["created_at__lte"] = timezone.make_aware(datetime.combine(date_to, time.max), tz)
    return lookup


def refusal_counts(*, org, date_from: date | None = None, date_to: date | None = None) -> dict:
    """Refusals of communities at or below ``org`` in the period (inclusive dates), for the burden figures:
    ``{"total", "prohibited", "not_admitted", "by_category": {category: n}}`` (two queries)."""
    qs = Refusal.objects.filter(community__path__startswith=org.path, **_bounds(date_from, date_to))
    by_verdict = dict(qs.values_list("verdict").annotate(n=Count("id")).values_list("verdict", "n"))
    by_category = dict(
        qs.values_list("complaint_category").annotate(n=Count("id")).values_list("complaint_category", "n")
    )
    return {
        "total": sum(by_verdict.values()),
        "prohibited": by_verdict.get(Verdict.PROHIBITED, 0),
        "not_admitted": by_verdict.get(Verdict.NOT_ADMITTED, 0),
        "by_category": by_category,
    }


def refusals_for_user(*, user, q: str = "", verdict: str = ""):
    """The refusals the user may see, newest first, with the community loaded."""
    qs = Refusal.objects.for_user(user, "view").select_related("community")
    if q:
        qs = qs.filter(title__icontains=q[:100]) | qs.filter(department__icontains=q[:100])
    if verdict in (Verdict.PROHIBITED, Verdict.NOT_ADMITTED):
        qs = qs.filter(verdict=verdict)
    return qs.order_by("-created_at", "-id")


def recent_duplicate_refusal(*, community, title: str, hours: int = 24) -> Refusal | None:
    """The latest refusal of the same task (same title, spaces ignored) by the same community within a day."""
    from datetime import timedelta

    from django.utils import timezone

    key = "".join((title or "").split())
    if not key or community is None:
        return None
    since = timezone.now() - timedelta(hours=hours)
    for refusal in Refusal.objects.filter(community=community, created_at__gte=since).order_by("-created_at")[
        :50
    ]:
        if "".join(refusal.title.split()) == key:
            return refusal
    return None


def refusal_by_verify_code(*, code: str) -> Refusal | None:
    """Public verification of a refusal notice."""
    if not code or len(code) > 32:
        return None
    return Refusal.objects.select_related("community").filter(verify_code=code).first()


@dataclass(frozen=True)
class RefusalForComplaint:
    """A refusal notice as a complaint about the department behind it is filed from (one click from the notice):
    what supervision needs, without the task check's models."""

    pk: int
    notice_no: str
    title: str
    department: str
    complaint_category: str
    community_id: int
    community_code: str
    #: the prepared complaint text (API.md ``POST /api/v1/complaints``)
    complaint_text: str


def refusal_for_complaint(*, user, pk: object) -> RefusalForComplaint | None:
    """The refusal ``pk`` if ``user`` may see it (``for_user(user, "view")``: the community's staff and those above
    it), as the record a complaint refers to; None for anyone else, an anonymous filer or a malformed id."""
    from taskcheck.services import complaint_text

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        refusal = Refusal.objects.for_user(user, "view").select_related("community").filter(pk=pk).first()
    except (TypeError, ValueError):
        return None
    if refusal is None:
        return None
    return RefusalForComplaint(
        pk=refusal.pk,
        notice_no=refusal.notice_no,
        title=refusal.title,
        department=refusal.department,
        complaint_category=refusal.complaint_category,
        community_id=refusal.community_id,
        community_code=refusal.community.code,
        complaint_text=complaint_text(refusal),
    )


def default_community_for(user):
    """The community a logged-in community worker checks for (preselected on the check page)."""
    from portal.models import OrgUnit

    for grant in grants_for(user, {Role.COMMUNITY_STAFF, Role.RESIDENT}):
        if grant.org_level == OrgLevel.COMMUNITY:
            return OrgUnit.objects.filter(pk=grant.org_id).first()
    return None


def districts() -> list[tuple[str, str]]:
    """``[(code, name)]`` of the districts (cached until an org changes: ``portal.caching`` "orgs")."""
    from portal.caching import cached
    from portal.models import OrgUnit

    return cached(
        "orgs",
        "taskcheck:districts",
        lambda: list(
            OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").values_list("code", "name")
        ),
    )


def district_for_form(*, requested: str = "", community_code: str = "", user=None) -> str:
    """Which district's communities the check form lists: the one asked for, the community's, the user's own."""
    codes = {c for c, _ in districts()}
    if requested in codes:
        return requested
    if community_code and community_code[:6] in codes:
        return community_code[:6]
    own = default_community_for(user) if user is not None else None
    if own is not None:
        parts = [p for p in own.path.split("/") if p]
        if len(parts) > 1:
            return parts[1]
    return "120103" if "120103" in codes else (min(codes) if codes else "")


def community_choices(*, district_code: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The communities of one district grouped by street (a district has at most a few hundred; cached until an
    org changes: ``portal.caching`` "orgs")."""
    from portal.caching import cached

    return cached("orgs", f"taskcheck:communities:{district_code}", lambda: _community_choices(district_code))


def community_options_html(*, district_code: str, selected: str = "") -> str:
    """The ``<optgroup>``/``<option>`` markup of :func:`community_choices` with ``selected`` marked: a district
    has hundreds of communities, and the template loop over them was most of the check page's time. The
    markup is built once per change of the orgs (``portal.caching`` "orgs"); only the mark is added here."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from portal.caching import cached

    def build() -> str:
        return "".join(
            f'<optgroup label="{escape(street)}" lang="zh-CN">'
            + "".join(f'<option value="{escape(code)}">{escape(name)}</option>' for code, name in rows)
            + "</optgroup>"
            for street, rows in community_choices(district_code=district_code)
        )

    html = cached("orgs", f"taskcheck:options:{district_code}", build)
    if selected and selected.isdigit():
        html = html.replace(f'<option value="{selected}">', f'<option value="{selected}" selected>', 1)
    return mark_safe(html)  # every value escaped above


def _community_choices(district_code: str) -> list[tuple[str, list[tuple[str, str]]]]:
    from portal.models import OrgUnit

    district = OrgUnit.objects.filter(code=district_code, level=OrgLevel.DISTRICT).only("path").first()
    if district is None:
        return []
    rows = (
        OrgUnit.objects.filter(level=OrgLevel.COMMUNITY, path__startswith=district.path)
        .order_by("code")
        .values_list("code", "name", "parent__name")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, street in rows:
        groups.setdefault(street or "", []).append((code, name))
    return list(groups.items())


POLICY_MD = "docs/policy.md"


def policy_rows() -> list[dict]:
    """The rows of the policy traceability table (docs/policy.md), for the public page 政策落实对照."""
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.BASE_DIR) / POLICY_MD
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    if "<!-- policy-table:start -->" not in text:
        return []
    body = text.split("<!-- policy-table:start -->", 1)[1].split("<!-- policy-table:end -->", 1)[0]
    rows = []
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5:
            clause, requirement, status, does, where = cells
            rows.append(
                {"clause": clause, "requirement": requirement, "status": status, "does": does, "where": where}
            )
    return rows


# ── read by the burden figures and registers (reports) ─────────────────────────────────────────


def counted_models() -> list[type]:
    """The models whose rows the figures count: a change to one of them makes cached figures stale."""
    return [Refusal]


def refusals_under(*, path: str, start_at: datetime, end_at: datetime) -> QuerySet[Refusal]:
    """Refusals registered in ``[start_at, end_at)`` by a community under ``path``."""
    return Refusal.objects.filter(
        community__path__startswith=path, created_at__gte=start_at, created_at__lt=end_at
    )
