"""Reading the org tree for pages and the API.

The tree is public information (``OrgUnit.scope_q`` opens ``"view"`` to everyone, signed in or not), so the
``public_*`` selectors serve public pages; a right over a node (edit its lists, read its figures) is read with
:func:`orgs_for` — ``OrgUnit.objects.for_user(user, right)`` — or the guard. Views never query ``OrgUnit`` by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from portal.choices import OrgLevel
from portal.models import OrgUnit
from portal.scope import ScopedQuerySet


def public_orgs() -> ScopedQuerySet:
    """Every node of the tree — public, like every ``public_*`` selector here."""
    return OrgUnit.objects.for_user(None, "view")


def public_org(*, code: str, levels: Iterable[str] = ()) -> OrgUnit | None:
    """The node with this code (at one of ``levels``, if given), or None. Public."""
    qs = public_orgs().filter(code=code)
    levels = list(levels)
    if levels:
        qs = qs.filter(level__in=levels)
    return qs.first()


def public_city() -> OrgUnit | None:
    """The city, the root of the tree. Public."""
    return public_orgs().filter(level=OrgLevel.CITY).first()


def public_districts() -> list[OrgUnit]:
    """The districts in code order. Public. Kept in the process until the tree changes (generation "orgs"):
    the public pages list them on every request. The units are shared between requests: read them only."""
    from portal.caching import local_cached

    return list(
        local_cached(
            "orgs",
            "public_districts",
            lambda: tuple(public_orgs().filter(level=OrgLevel.DISTRICT).order_by("code")),
        )
    )


def orgs_for(user, right: str, *, levels: Iterable[str] = ()) -> ScopedQuerySet:
    """The nodes on which ``user`` holds ``right`` (a right declared with ``portal.scope.org_right``), at one
    of ``levels`` if given, in code order."""
    qs = OrgUnit.objects.for_user(user, right)
    levels = list(levels)
    if levels:
        qs = qs.filter(level__in=levels)
    return qs.order_by("code")
