"""Where the task check reads its data: the checklists and admission selectors (read-only, never their models).

Everything other apps provide is read through this module, so that the rules only see plain values:
``ChecklistItem``/``NegativeItem`` dataclasses and :class:`RegisterEntry` rows.
"""

from __future__ import annotations

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


def split_items(community) -> tuple[tuple, tuple]:
    """(base items, admitted tasks) of the community's current lists; with no community, the city base lists."""
    sel = _checklists()
    if community is None:
        base_fn = getattr(sel, "base_checklist", None) or getattr(sel, "city_base_checklist", None)
        items = list(base_fn()) if base_fn else []
        return tuple(i for i in items if i.list_type != "admitted"), ()
    items = list(sel.community_checklist(community=community))
    base = tuple(i for i in items if i.list_type != "admitted")
    admitted = tuple(i for i in items if i.list_type == "admitted")
    if not admitted:
        from admission import selectors as admission_selectors

        admitted = tuple(admission_selectors.admitted_tasks_for_community(community=community))
    return base, admitted


def list_version():
    """The lists' version stamp if the checklists app offers one (else the items' own hash is used)."""
    fn = getattr(_checklists(), "lists_version", None) or getattr(_checklists(), "list_version", None)
    try:
        return fn() if fn else None
    except Exception:  # a stamp is an optimisation; never fail a check over it
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
        note = get("mandate") or get("merged") or get("note") or get("description") or ""
        if name:
            out.append(RegisterEntry(kind, str(name), tuple(basis), tuple(keywords), str(note)))
    return out


def _call(names: tuple[str, ...], **kwargs):
    sel = _checklists()
    for name in names:
        fn = getattr(sel, name, None)
        if fn is None:
            continue
        try:
            return fn(**kwargs)
        except TypeError:
            return fn()
    return None


def ledger_catalogue(community) -> list[RegisterEntry] | None:
    """The district ledger catalogue (台账目录清单) for the community; None if the checklists app has none yet."""
    rows = _call(
        ("ledger_catalogue", "ledger_catalogue_for_community", "district_ledger_catalogue"),
        community=community,
    )
    return None if rows is None else _rows("ledger", rows)


def organisation_register(community) -> list[RegisterEntry] | None:
    rows = _call(
        ("organisation_register", "organization_register", "permitted_organisations"), community=community
    )
    return None if rows is None else _rows("organisation", rows)


def plaque_standard() -> list[RegisterEntry] | None:
    rows = _call(("plaque_standard", "standard_plaques"))
    return None if rows is None else _rows("plaque", rows)
