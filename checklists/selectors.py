"""Read side of the lists (CONTRACT shared with taskcheck, admission and evaluations — keep signatures).

One selector serves the page, the API and the PDF, in a fixed number of SQL queries whatever the number of items.

Signatures (all keyword-only):

- ``community_checklist(*, community) -> list[ChecklistItem]`` — city base lists + the district's additions +
  ``admission.selectors.admitted_tasks_for_community(community=...)`` (as items, see ``admitted_item``);
  ``community`` is an ``OrgUnit``.
- ``district_checklist(*, district) -> list[ChecklistItem]`` — city base lists + the district's additions.
- ``negative_list() -> list[NegativeItem]`` — the responsibilities an RC may never carry (no query).
- ``ledger_catalogue(*, district) -> list[LedgerRow]`` — the district's 台账目录清单.
- ``organisation_register(*, district) -> list[OrganisationRow]`` — city-wide + district organisations a community
  may be asked to set up or join, each with its mandate.
- ``plaque_standard() -> list[PlaqueStandard]`` — the three plaques + the police-room sign (no query).
- ``plaque_inventory(*, community) -> PlaqueInventory`` — a community's plaques with the compliance flag.
- ``district_plaque_overview(*, district) -> list[PlaqueInventory]`` — every community of a district.

``district`` may be a district ``OrgUnit``, any ``OrgUnit`` below it (a street, a community) or a district code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from checklists.choices import (
    ADMITTED,
    CATEGORY_ORDER,
    LIST_TYPE_LABELS,
    STANDARD_PLAQUES,
    Category,
    LegalLevel,
    ListType,
    PlaqueKind,
    Requirement,
    VersionStatus,
)
from portal.choices import OrgLevel

if TYPE_CHECKING:
    from checklists.models import ListVersion


@dataclass(frozen=True)
class LegalRef:
    """One legal basis in structured form (the ``legal_basis`` strings are built from these)."""

    law: str
    article: str
    level: str
    level_label: str


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a community's current lists, whatever its source."""

    id: str  # stable id: "A-3" style for list items, "adm-<pk>" for admitted tasks
    list_type: str  # "autonomy" | "assistance" | "admitted"
    category: str  # Tianjin category name (e.g. "统计和普查"); admitted tasks: "经准入的工作事项"
    title: str
    content: str = ""
    legal_basis: tuple[str, ...] = ()  # human-readable, e.g. "《全国人口普查条例》第三条第四款（行政法规）"
    department: str = ""  # the department assisted / requesting department
    admission_no: str = ""  # admitted tasks only
    valid_until: date | None = None
    keywords: tuple[str, ...] = field(default=())  # curated synonyms for the task check
    bases: tuple[LegalRef, ...] = ()  # the same legal bases, structured
    source: str = ""  # "city" | "district" | "admission"
    source_name: str = ""  # 天津市 / 河西区 / the approving body
    category_code: str = ""  # checklists.choices.Category value ("" for admitted tasks)
    version: int | None = None  # number of the list version the item belongs to


@dataclass(frozen=True)
class NegativeItem:
    """One responsibility a residents' committee may never carry (policy 三(一))."""

    code: str
    title: str  # e.g. "行政执法"
    reason: str  # plain explanation
    clause: str  # e.g. "津民发〔2019〕35号 三（一）"
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class LedgerRow:
    id: int
    name: str
    legal_basis: str
    merged_from: str
    retention: str
    department: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    requirement: str  # "mandatory" | "optional"
    requirement_label: str
    mandate: str
    legal_basis: str
    issued_by: str  # 天津市 (city-wide) or the district's name
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaqueStandard:
    kind: str
    title: str
    note: str


@dataclass(frozen=True)
class PlaqueRow:
    id: int
    kind: str
    kind_label: str
    text: str
    requested_by: str
    is_standard: bool


@dataclass(frozen=True)
class PlaqueInventory:
    community_code: str
    community_name: str
    plaques: tuple[PlaqueRow, ...]
    compliant: bool  # nothing hangs beyond the standard
    extra: tuple[PlaqueRow, ...]  # the plaques that should come down
    missing: tuple[str, ...]  # standard plaques not recorded (labels)
    recorded: bool  # whether the community recorded its plaques at all


# ── The lists ──────────────────────────────────────────────────────────────────────────────


def _codes_from_path(path: str) -> list[str]:
    return [c for c in path.split("/") if c]


#: The generation (``portal.caching``) of the versions in force: bumped when a list version or an org changes
#: (``checklists.apps``).
VERSIONS_GENERATION = "checklists-versions"


def current_versions(*, org_codes: list[str], on: date | None = None) -> dict[str, ListVersion]:
    """The published version in force for each org code, kept in the process until a version or an org
    changes (one query on a miss): every community list, checklist answer and task check asks for them. The
    versions are shared between requests: read them only."""
    from portal.caching import local_cached

    on = on or timezone.localdate()
    return dict(
        local_cached(
            VERSIONS_GENERATION,
            repr(("current", tuple(org_codes), on.isoformat())),
            lambda: _current_versions(org_codes, on),
        )
    )


def _current_versions(org_codes: list[str], on: date) -> dict[str, ListVersion]:
    from checklists.models import ListVersion

    found: dict[str, ListVersion] = {}
    rows = (
        ListVersion.objects.filter(
            org__code__in=org_codes, status=VersionStatus.PUBLISHED, effective_from__lte=on
        )
        .select_related("org")
        .order_by("org_id", "-number")
    )
    for v in rows:
        found.setdefault(v.org.code, v)
    return found


def _items_of_versions(versions: list) -> list[ChecklistItem]:
    """Items of the given versions with their legal bases, in display order.

    A published version never changes, so the items of a set of versions are cached under their ids
    (two queries on a miss, none on a hit).
    """
    from django.core.cache import cache

    if not versions:
        return []
    key = "checklists:items:" + "-".join(str(v.pk) for v in sorted(versions, key=lambda v: v.pk))
    items = cache.get(key)
    if items is None:
        items = _load_items_of_versions(versions)
        cache.set(key, items, 3600)
    return items


def _load_items_of_versions(versions: list) -> list[ChecklistItem]:
    from checklists.models import ListItem, legal_basis_text

    by_id = {v.pk: v for v in versions}
    rows = ListItem.objects.filter(version_id__in=list(by_id)).prefetch_related("bases")
    out = []
    for it in rows:
        v = by_id[it.version_id]
        is_city = v.org.level == "city"
        refs = tuple(
            LegalRef(
                b.law,
                b.article,
                b.level,
                LegalLevel(b.level).label if b.level in LegalLevel.values else b.level,
            )
            for b in it.bases.all()
        )
        out.append(
            ChecklistItem(
                id=it.code,
                list_type=it.list_type,
                category=Category(it.category).label if it.category in Category.values else it.category,
                title=it.title,
                content=it.content,
                legal_basis=tuple(legal_basis_text(r.law, r.article, r.level) for r in refs),
                department=it.department,
                keywords=tuple(it.keywords or ()),
                bases=refs,
                source="city" if is_city else "district",
                source_name=v.org.name,
                category_code=it.category,
                version=v.number,
            )
        )
    order = {ListType.AUTONOMY.value: 0, ListType.ASSISTANCE.value: 1}
    positions = {it.code: it.position for it in rows}
    out.sort(
        key=lambda i: (
            order.get(i.list_type, 2),
            CATEGORY_ORDER.get(i.category_code, 99),
            i.source != "city",
            positions.get(i.id, 0),
            i.id,
        )
    )
    return out


def district_checklist(*, district) -> list[ChecklistItem]:
    """City base lists + the district's additions (three queries)."""
    codes = _codes_from_path(_org_path(district))[:2]
    versions = current_versions(org_codes=codes)
    return _items_of_versions(list(versions.values()))


def admitted_item(task) -> ChecklistItem:
    """An admitted task (``admission.selectors.AdmittedTask``) as an item of the community's lists."""
    if isinstance(task, ChecklistItem):
        return task
    return ChecklistItem(
        id=task.id,
        list_type="admitted",
        category=task.category,
        title=task.title,
        content=task.content,
        legal_basis=tuple(task.legal_basis),
        department=task.department,
        admission_no=task.admission_no,
        valid_until=task.valid_until,
    )


def community_checklist(*, community) -> list[ChecklistItem]:
    """City base lists + the district's additions + tasks admitted for this community."""
    from admission.selectors import admitted_tasks_for_community

    items = district_checklist(district=community)
    admitted = [admitted_item(t) for t in admitted_tasks_for_community(community=community) or []]
    return items + admitted


def community_checklist_rendered(*, community, name: str, render):
    """``render(items)`` of the community's current lists (``community_checklist``), cached until its list
    versions change (new version in force, withdrawal, the day it takes effect) or any admission changes
    (``portal.caching`` generation "admission"), one per language. No query on a hit, whatever the number of
    admitted tasks."""
    from django.utils import translation

    from portal.caching import cached

    today = timezone.localdate()
    versions = current_versions(org_codes=_codes_from_path(_org_path(community))[:2], on=today)
    version_key = "-".join(str(v.pk) for v in sorted(versions.values(), key=lambda v: v.pk))
    return cached(
        "admission",
        f"checklist:{name}:{translation.get_language()}:{community.pk}:{community.code}:{community.name}:"
        f"{version_key}:{today.isoformat()}",
        lambda: render(community_checklist(community=community)),
    )


def _org_path(org) -> str:
    if isinstance(org, str):
        from portal.models import OrgUnit

        node = OrgUnit.objects.filter(code=org).only("path").first()
        return node.path if node else ""
    return org.path


def group_items(items: list[ChecklistItem]) -> list[dict]:
    """``[{"list_type", "label", "count", "categories": [{"name", "items"}]}]`` for pages and the PDF."""
    lists: dict[str, dict] = {}
    for it in items:
        block = lists.setdefault(
            it.list_type,
            {
                "list_type": it.list_type,
                "label": LIST_TYPE_LABELS.get(it.list_type, it.list_type),
                "count": 0,
                "categories": {},
            },
        )
        block["count"] += 1
        block["categories"].setdefault(it.category, []).append(it)
    order = [ListType.AUTONOMY.value, ListType.ASSISTANCE.value, ADMITTED]
    out = []
    for lt in sorted(lists, key=lambda k: order.index(k) if k in order else 9):
        block = lists[lt]
        block["categories"] = [{"name": name, "items": rows} for name, rows in block["categories"].items()]
        out.append(block)
    return out


def search_items(items: list[ChecklistItem], q: str) -> list[ChecklistItem]:
    """Items whose title, content, category, department, legal bases or keywords contain every word of ``q``."""
    words = [w for w in (q or "").replace("，", " ").replace(",", " ").split() if w][:8]
    if not words:
        return items

    def hay(it: ChecklistItem) -> str:
        return " ".join(
            [
                it.id,
                it.title,
                it.content,
                it.category,
                it.department,
                it.admission_no,
                *it.legal_basis,
                *it.keywords,
            ]
        ).lower()

    return [it for it in items if all(w.lower() in hay(it) for w in words)]


def items_fingerprint(*, org, items: list[ChecklistItem]) -> str:
    """A hash of what a document of these lists shows (changes when any item, basis or admission changes)."""
    h = hashlib.sha256(f"{org.code}|{org.name}".encode())
    for it in items:
        h.update(
            "|".join(
                [
                    it.id,
                    it.list_type,
                    it.category,
                    it.title,
                    it.content,
                    it.department,
                    it.admission_no,
                    str(it.valid_until or ""),
                    str(it.version or ""),
                    *it.legal_basis,
                ]
            ).encode()
        )
    return h.hexdigest()


def lists_summary(items: list[ChecklistItem]) -> dict:
    """Counts per list type: ``{"autonomy": 16, "assistance": 35, "admitted": 0, "total": 51}``."""
    counts = {ListType.AUTONOMY.value: 0, ListType.ASSISTANCE.value: 0, ADMITTED: 0}
    for it in items:
        counts[it.list_type] = counts.get(it.list_type, 0) + 1
    counts["total"] = len(items)
    return counts


@lru_cache(maxsize=1)
def _negative_items() -> tuple[NegativeItem, ...]:
    from checklists.data import NEGATIVE_CLAUSE, NEGATIVE_ITEMS

    return tuple(
        NegativeItem(
            code=n["code"],
            title=n["title"],
            reason=n["reason"],
            clause=NEGATIVE_CLAUSE,
            keywords=tuple(n["keywords"]),
        )
        for n in NEGATIVE_ITEMS
    )


def negative_list() -> list[NegativeItem]:
    """The negative list of policy 三(一). Fixed policy text: no query."""
    return list(_negative_items())


# ── Versions and editing ───────────────────────────────────────────────────────────────────


def version_history(*, org) -> list:
    """Published versions of an org's lists, newest first."""
    from checklists.models import ListVersion

    return list(
        ListVersion.objects.filter(org=org, status=VersionStatus.PUBLISHED)
        .select_related("published_by", "org")
        .order_by("-number")
    )


def version_items(*, version) -> list:
    """The items of one version (any state) with their bases, in display order."""
    from checklists.models import ListItem

    order = {ListType.AUTONOMY.value: 0, ListType.ASSISTANCE.value: 1}
    rows = list(ListItem.objects.filter(version=version).prefetch_related("bases"))
    rows.sort(
        key=lambda i: (order.get(i.list_type, 2), CATEGORY_ORDER.get(i.category, 99), i.position, i.code)
    )
    return rows


def editable_orgs(*, user) -> list:
    """The city and/or districts whose lists ``user`` may edit."""
    from portal.selectors.orgs import orgs_for

    from .models import EDIT_LISTS

    return list(orgs_for(user, EDIT_LISTS, levels=["city", "district"]))


def published_version(*, user, org, number: int):
    """One published version of an org's lists (public, like every published version), or None."""
    from checklists.models import ListVersion

    return (
        ListVersion.objects.for_user(user, "view")
        .filter(org=org, number=number, status=VersionStatus.PUBLISHED)
        .first()
    )


def versions_to_edit(*, user, org) -> tuple:
    """``(draft, current)`` of an org's lists as its editor ``user`` sees them: the open draft and the newest
    published version (each None when there is none; both None outside the user's right to edit)."""
    from checklists.models import ListVersion

    mine = ListVersion.objects.for_user(user, "change").filter(org=org)
    draft = mine.filter(status=VersionStatus.DRAFT).first()
    current = mine.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    return draft, current


def ledgers_to_edit(*, user, district):
    """The ledger entries of a district ``user`` may change, in entry order."""
    from checklists.models import LedgerEntry

    return LedgerEntry.objects.for_user(user, "change").filter(district=district).order_by("id")


def organisations_to_edit(*, user, org):
    """The organisation entries of the city or a district that ``user`` may change, in entry order."""
    from checklists.models import OrganisationEntry

    return OrganisationEntry.objects.for_user(user, "change").filter(org=org).order_by("id")


PLAQUE_SEARCH_MAX = 50


@dataclass(frozen=True)
class PlaqueFinder:
    """The plaque home's filter: the districts and streets to pick from (those where ``user`` records plaques),
    the communities found (a queryset, paginated by the page) and the refusal of a bad choice (Chinese)."""

    districts: list
    streets: list
    communities: Any
    district: str
    street: str
    q: str
    error: str = ""


def plaque_communities(*, user, district: str = "", street: str = "", q: str = "") -> PlaqueFinder:
    """The communities whose plaques ``user`` may record, in code order — at city scale some 5,600, so narrowed
    by ``district`` and ``street`` (codes of nodes where the user holds the right) and a name or code search
    ``q``. All through the scope (``orgs_for``); a district or street outside it is refused, nothing found."""
    from portal.selectors.orgs import orgs_for

    from .models import RECORD_PLAQUES

    district, street, q = (district or "").strip(), (street or "").strip(), (q or "").strip()
    districts = list(orgs_for(user, RECORD_PLAQUES, levels=["district"]))
    communities = orgs_for(user, RECORD_PLAQUES, levels=["community"]).select_related("parent")
    streets: list = []
    error = ""
    if len(q) > PLAQUE_SEARCH_MAX:
        error = f"搜索内容不能超过 {PLAQUE_SEARCH_MAX} 个字。"
    if district:
        if district not in {d.code for d in districts}:
            error = error or "所选区（县）不在您的挂牌登记范围内。"
        else:
            communities = communities.filter(path__contains=f"/{district}/")
            streets = list(
                orgs_for(user, RECORD_PLAQUES, levels=["street"]).filter(path__contains=f"/{district}/")
            )
    elif len(districts) <= 1:  # a district official (or a street's): their own streets
        streets = list(orgs_for(user, RECORD_PLAQUES, levels=["street"]))
    if street and not error:
        chosen = orgs_for(user, RECORD_PLAQUES, levels=["street"]).filter(code=street)
        if district:
            chosen = chosen.filter(path__contains=f"/{district}/")
        if not chosen.exists():
            error = "所选街道（乡镇）不在您的挂牌登记范围内。"
        else:
            communities = communities.filter(path__contains=f"/{street}/")
    if q and not error:
        communities = communities.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if error:
        communities = communities.none()
    return PlaqueFinder(
        districts=districts,
        streets=streets,
        communities=communities,
        district=district,
        street=street,
        q=q,
        error=error,
    )


def own_plaque_community(*, user) -> str | None:
    """The code of the one community whose plaques ``user`` records when that is all they record (a
    community's staff member with a single plaque role there), else ``None``; read from the roles in memory,
    without a query."""
    from portal.scope import grants_for

    from .models import PLAQUE_ROLES

    grants = grants_for(user, PLAQUE_ROLES)
    if len(grants) == 1 and grants[0].org_level == "community":
        return grants[0].org_code
    return None


# ── Registers ──────────────────────────────────────────────────────────────────────────────


def _district_node(district):
    """The district OrgUnit for a district, anything below it, or a district code."""
    from portal.models import OrgUnit

    if isinstance(district, OrgUnit) and district.level == "district":
        return district
    path = _org_path(district)
    codes = _codes_from_path(path)
    if len(codes) < 2:
        return None
    return OrgUnit.objects.filter(code=codes[1], level="district").first()


def ledger_catalogue(*, district) -> list[LedgerRow]:
    """The district's ledger catalogue (台账目录清单). A ledger not listed here is a burden the community may refuse."""
    from checklists.models import LedgerEntry

    node = _district_node(district)
    if node is None:
        return []
    return [
        LedgerRow(
            id=e.pk,
            name=e.name,
            legal_basis=e.legal_basis,
            merged_from=e.merged_from,
            retention=e.retention,
            department=e.department,
            keywords=tuple(e.keywords or ()),
        )
        for e in LedgerEntry.objects.filter(district=node).order_by("id")
    ]


def organisation_register(*, district) -> list[OrganisationRow]:
    """Organisations a community of ``district`` may be asked to set up or join: city-wide entries and the district's."""
    from checklists.models import OrganisationEntry

    node = _district_node(district)
    codes = _codes_from_path(node.path) if node is not None else []
    if not codes:
        return []
    rows = (
        OrganisationEntry.objects.filter(org__code__in=codes[:2])
        .select_related("org")
        .order_by("org__code", "id")
    )
    return [
        OrganisationRow(
            id=e.pk,
            name=e.name,
            requirement=e.requirement,
            requirement_label=Requirement(e.requirement).label,
            mandate=e.mandate,
            legal_basis=e.legal_basis,
            issued_by=e.org.name,
            keywords=tuple(e.keywords or ()),
        )
        for e in rows
    ]


_PLAQUE_NOTES = {
    PlaqueKind.PARTY: "社区党组织的牌子",
    PlaqueKind.COMMITTEE: "社区居民委员会的牌子",
    PlaqueKind.WORKSTATION: "社区工作站的牌子",
    PlaqueKind.POLICE: "社区警务室标识",
}


def plaque_standard() -> list[PlaqueStandard]:
    """社区党群服务中心场所外只悬挂社区党组织、居民委员会、社区工作站三块牌子和警务室标识（三(三)）。"""
    return [PlaqueStandard(kind=k.value, title=k.label, note=_PLAQUE_NOTES[k]) for k in STANDARD_PLAQUES]


def _inventory(community, records) -> PlaqueInventory:
    rows = tuple(
        PlaqueRow(
            id=r.pk,
            kind=r.kind,
            kind_label=PlaqueKind(r.kind).label,
            text=r.text,
            requested_by=r.requested_by,
            is_standard=r.kind != PlaqueKind.OTHER,
        )
        for r in records
    )
    kinds = {r.kind for r in rows}
    extra = tuple(r for r in rows if not r.is_standard)
    return PlaqueInventory(
        community_code=community.code,
        community_name=community.name,
        plaques=rows,
        compliant=not extra,
        extra=extra,
        missing=tuple(k.label for k in STANDARD_PLAQUES if k.value not in kinds),
        recorded=bool(rows),
    )


def plaque_inventory(*, community) -> PlaqueInventory:
    from checklists.models import PlaqueRecord

    return _inventory(community, list(PlaqueRecord.objects.filter(community=community).order_by("id")))


def district_plaque_overview(*, district) -> list[PlaqueInventory]:
    """Every community of the district with its plaques (two queries)."""
    from checklists.models import PlaqueRecord
    from portal.models import OrgUnit

    node = _district_node(district)
    if node is None:
        return []
    communities = list(OrgUnit.objects.filter(path__startswith=node.path, level="community").order_by("code"))
    by_community: dict[int, list] = {c.pk: [] for c in communities}
    for r in PlaqueRecord.objects.filter(community__path__startswith=node.path).order_by("id"):
        by_community.setdefault(r.community_id, []).append(r)
    return [_inventory(c, by_community[c.pk]) for c in communities]


def communities_of(*, org, q: str = "", limit: int = 500) -> list:
    """Communities under ``org`` (optionally filtered by name or code), with their street for grouping."""
    from portal.models import OrgUnit

    qs = OrgUnit.objects.filter(path__startswith=org.path, level="community").select_related("parent")
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(name__icontains=q[:50]) | Q(code__startswith=q[:16]))
    return list(qs.order_by("code")[:limit])


# ── read by the burden figures (reports) ──────────────────────────────────────────────────────


def counted_models() -> list[type]:
    """The models whose rows the figures count: a change to one of them makes cached figures stale."""
    from .models import LedgerEntry, ListItem, ListVersion, PlaqueRecord

    return [ListVersion, ListItem, LedgerEntry, PlaqueRecord]


def published_versions_before(*, day: date) -> QuerySet:
    """The published list versions of the city and the districts in force before ``day`` (all of them, every
    org: the caller narrows to the orgs it counts and keeps the newest of each)."""
    from .models import ListVersion

    return ListVersion.objects.filter(
        status=VersionStatus.PUBLISHED,
        effective_from__lt=day,
        org__level__in=[OrgLevel.CITY, OrgLevel.DISTRICT],
    )


def items_of_versions(version_ids: list[int]) -> QuerySet:
    """The items of the given list versions."""
    from .models import ListItem

    return ListItem.objects.filter(version_id__in=version_ids)


def ledger_entries_under(*, path: str) -> QuerySet:
    """The ledger catalogue entries of the districts under (or at) ``path``."""
    from .models import LedgerEntry

    return LedgerEntry.objects.filter(district__path__startswith=path)


def noncompliant_plaques_under(*, path: str) -> QuerySet:
    """Plaques outside the standard set hanging at a community under ``path`` now."""
    from .models import PlaqueRecord

    return PlaqueRecord.objects.filter(community__path__startswith=path, kind=PlaqueKind.OTHER)
