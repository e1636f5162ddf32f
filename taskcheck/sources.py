"""Where the task check reads its data: the checklists and admission selectors (read-only, never their models).

Everything other apps provide is read through this module, so that the rules only see plain values:
``ChecklistItem``/``NegativeItem`` dataclasses and :class:`RegisterEntry` rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class RegisterEntry:
    """One row of a register of 三（三）: a catalogued ledger, a permitted organisation, a standard plaque."""

    kind: str  # "ledger" | "organisation" | "plaque"
    name: str
    legal_basis: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    note: str = ""  # what it merged / its mandate


def _checklists():
    from checklists import selectors

    return selectors


CITY_CODE = "120000"
_BASE_CACHE: OrderedDict = OrderedDict()
_BASE_LOCK = threading.Lock()


def split_items(community) -> tuple[tuple, tuple]:
    """(base items, admitted tasks) of the community's current lists; with no community, the city base lists.

    The base lists (city + district) are read once per published version: one query finds the versions in
    force, and their items are kept in process under that stamp. Only the community's own admitted tasks are
    queried on every check.
    """
    sel = _checklists()
    if community is None:
        return _base_items(sel, CITY_CODE, (CITY_CODE,)), ()
    codes = tuple(c for c in community.path.split("/") if c)[:2]
    base = _base_items(sel, community, codes)
    return base, _admitted_items(community)


def _admitted_items(community) -> tuple:
    """The community's admitted tasks as list items, kept in process memory until any admission changes
    (``portal.caching`` generation "admission") or the day ends: a community carrying a thousand of them
    costs one small cache read per check, not fetching, unpickling and converting a thousand rows. The same
    tuple object comes back each time, so the matcher's index of it is found without hashing it."""
    from django.utils import timezone

    from admission import selectors as admission_selectors
    from portal.caching import local_cached

    def load() -> tuple:
        tasks = admission_selectors.admitted_tasks_for_community(community=community) or ()
        return tuple(_admitted_item(t) for t in tasks)

    today = timezone.localdate().isoformat()
    return local_cached("admission", f"taskcheck:admitted:{community.pk}:{community.code}:{today}", load)


def _admitted_item(task):
    """An admitted task as a list item (the lists' own conversion; kept as is when it already is one)."""
    from checklists.selectors import admitted_item

    return admitted_item(task)


def _base_items(sel, district, codes) -> tuple:
    stamp = None
    versions_fn = getattr(sel, "current_versions", None)
    if versions_fn is not None:
        try:
            versions = versions_fn(org_codes=list(codes))
            stamp = tuple(sorted((code, v.pk, getattr(v, "number", None)) for code, v in versions.items()))
        except Exception:  # a stamp is an optimisation; read the lists directly instead
            stamp = None
    if stamp is not None:
        with _BASE_LOCK:
            cached = _BASE_CACHE.get(stamp)
            if cached is not None:
                _BASE_CACHE.move_to_end(stamp)
                return cached
    if hasattr(sel, "district_checklist"):
        items = sel.district_checklist(district=district)
    else:
        items = sel.community_checklist(community=district)
    base = tuple(i for i in items if i.list_type != "admitted")
    if stamp is not None:
        with _BASE_LOCK:
            _BASE_CACHE[stamp] = base
            while len(_BASE_CACHE) > 64:
                _BASE_CACHE.popitem(last=False)
    return base


def clear_cache() -> None:
    with _BASE_LOCK:
        _BASE_CACHE.clear()


def list_version():
    """No separate stamp: the base items are cached per published version (see :func:`split_items`)."""
    return None


def negative_items() -> list:
    return list(_checklists().negative_list())


def admission_valid(*, admission_no: str, community) -> dict | None:
    from admission import selectors

    return selectors.admission_valid_for_community(admission_no=admission_no, community=community)


def admission_lookup(*, admission_no: str) -> dict | None:
    from admission import selectors

    return selectors.admission_lookup(admission_no=admission_no)


def _rows(kind: str, rows) -> list[RegisterEntry]:
    out = []
    for row in rows or ():
        if isinstance(row, RegisterEntry):
            out.append(row)
            continue
        get = row.get if isinstance(row, dict) else (lambda k, d=None, r=row: getattr(r, k, d))
        name = get("name") or get("title") or ""
        basis = get("legal_basis") or ()
        if isinstance(basis, str):
            basis = (basis,) if basis else ()
        keywords = get("keywords") or ()
        if isinstance(keywords, str):
            keywords = tuple(k for k in keywords.replace("，", ",").split(",") if k)
        note = (
            get("mandate") or get("merged_from") or get("merged") or get("note") or get("description") or ""
        )
        if name:
            out.append(RegisterEntry(kind, str(name), tuple(basis), tuple(keywords), str(note)))
    return out


def _call(names: tuple[str, ...], **kwargs):
    sel = _checklists()
    for name in names:
        fn = getattr(sel, name, None)
        if fn is not None:
            return fn(**kwargs)
    return None


def ledger_catalogue(community) -> list[RegisterEntry] | None:
    """The district ledger catalogue (台账目录清单) for the community; None when there is no community."""
    if community is None:
        return None
    rows = _call(("ledger_catalogue",), district=community)
    return None if rows is None else _rows("ledger", rows)


def organisation_register(community) -> list[RegisterEntry] | None:
    """Organisations a community may be asked to set up or join (city-wide and the district's)."""
    if community is None:
        return None
    rows = _call(("organisation_register",), district=community)
    return None if rows is None else _rows("organisation", rows)


def plaque_standard() -> list[RegisterEntry] | None:
    rows = _call(("plaque_standard",))
    return None if rows is None else _rows("plaque", rows)


def admission_item(*, admission_no: str, found: dict | None = None):
    """The task of an admission number (title, content, keywords) as a list item, or None when unknown."""
    from admission import selectors

    fn = getattr(selectors, "admission_item", None)
    if fn is not None:
        task = fn(admission_no=admission_no)
        return None if task is None else _admitted_item(task)
    return None


@dataclass(frozen=True)
class BarredKind:
    """A kind of certificate the community does not issue, as the catalogue table has it."""

    name: str
    agency: str
    source_label: str
    terms: tuple[str, ...]


def barred_certificates() -> tuple[BarredKind, ...]:
    """The active rows of the barred-certificate catalogue (the table the city admin edits): one source for the
    task check and the admission submission check. Short generic words (两个字以下) are not used on their own."""
    from certificates import selectors

    out = []
    for row in selectors.barred_search(query=""):
        terms = tuple(dict.fromkeys(t for t in row.search_terms if len(t) >= 2))
        label = row.get_source_display() if hasattr(row, "get_source_display") else str(row.source)
        out.append(BarredKind(row.name, row.agency, label, terms))
    return tuple(out)
