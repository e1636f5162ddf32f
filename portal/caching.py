"""Caching until the data changes: one mechanism for the whole portal.

A *generation* is a counter in the cache, one per kind of data (``"admission"``, …). Whatever changes that
data bumps it (``bump(name)``, usually from a ``post_save``/``post_delete`` signal), and every value cached
under it is keyed by its current number, so a change makes all of them unreachable at once — nothing is
ever served stale, and nothing needs to know which keys to delete.

``bump`` increments immediately and again when the transaction commits, so a reader that cached the old
rows between the change and the commit cannot keep them.

``CachedListing(queryset, "admission")`` wraps a scoped, ordered queryset for ``Paginator`` and
``portal.api.kit.paginate``: its ``count()`` and the primary keys of each page are cached under the
generation and the SQL of the queryset (which carries the user's scope and filters), and the rows of a page
are fetched by primary key through the same queryset (so scope and annotations still apply). A listing of
thousands of visible rows then costs the same as a listing of ten.

``CachedListing(build, "admission", key=…)`` names the listing by a key instead (the user's scope from
``portal.scope.scope_key``, the filters, the date) and builds the queryset only when the cache misses: a cached
page then costs neither building nor compiling the query. ``listing.page(number, per_page, render)`` caches
what a page is turned into (the rows of an API answer), ``rendered_page(listing, request, template)`` the HTML
of a page's table, so a cached page does not even fetch its rows.

A request reads each generation from the cache once (kept in the request's ``portal.context``); a bump in the
request, or its commit, reads it again.

``local_cached(name, parts, compute)`` keeps a value in the process's memory instead, under the same
generation: for values too large to fetch and unpickle on every request (a community's thousand admitted
tasks). A generation starts from the clock, never from 1, so a flushed or restarted cache never hands out a
number that a process may still hold values under.

When the cache does not answer (Redis down), everything is computed directly: caching never breaks a page.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models, transaction

from portal import context

T = TypeVar("T")

logger = logging.getLogger(__name__)

TIMEOUT = 3600


def _key(name: str) -> str:
    return f"generation:{name}"


def _request_generations() -> dict[str, int] | None:
    """The generations already read by the request being served (None outside a request)."""
    ctx = context.active()
    return ctx.generations if ctx is not None and ctx.in_request else None


def _start() -> int:
    """Where a new (or lost) generation starts: the clock in microseconds, above any number used before."""
    return time.time_ns() // 1000


def generations(names: Sequence[str]) -> tuple[int, ...] | None:
    """The current generations of several names in one round trip (None when the cache does not answer);
    inside a request each is read once, like :func:`generation`."""
    seen = _request_generations()
    if seen is not None and all(n in seen for n in names):
        return tuple(seen[n] for n in names)
    keys = [_key(n) for n in names]
    try:
        found = cache.get_many(keys)
        missing = [n for n, k in zip(names, keys, strict=True) if found.get(k) is None]
        if missing:
            for n in missing:
                cache.add(_key(n), _start(), timeout=None)
            found.update(cache.get_many([_key(n) for n in missing]))
        values = [found.get(k) for k in keys]
        if any(v is None for v in values):
            return None
        numbers = tuple(int(v) for v in values)
    except Exception:
        logger.warning("cache unavailable: generations %s", names, exc_info=True)
        return None
    if seen is not None:
        seen.update(zip(names, numbers, strict=True))
    return numbers


def generation(name: str) -> int | None:
    """The current generation of ``name`` (None when the cache does not answer).

    Inside a request it is read once: every value the request reads is then of the same generation, as if
    it had read them all at its start (a bump by the request itself, or its commit, reads it again). The
    first one a request asks for is read together with every generation the apps watch (one round trip
    instead of one per kind of data a page shows)."""
    seen = _request_generations()
    if seen is not None:
        if name in seen:
            return seen[name]
        if not seen:
            names = [name, *sorted(_known_names() - {name})]
            numbers = generations(names)
            return None if numbers is None else numbers[0]
    try:
        value = cache.get(_key(name))
        if value is None:
            cache.add(_key(name), _start(), timeout=None)
            value = cache.get(_key(name))
    except Exception:  # the cache is an optimisation: a broken one only means computing again
        logger.warning("cache unavailable: generation %s", name, exc_info=True)
        return None
    if value is None:
        return None
    if seen is not None:
        seen[name] = int(value)
    return int(value)


def _known_names() -> set[str]:
    """Every generation a model change bumps (registered with :func:`bump_on_change`)."""
    return {n for names in _WATCHERS.values() for n in names}


def _incr(name: str) -> None:
    seen = _request_generations()
    if seen is not None:
        seen.pop(name, None)
    try:
        try:
            cache.incr(_key(name))
        except ValueError:  # not set yet (or evicted): start above any number a reader may have used
            cache.add(_key(name), _start(), timeout=None)
            cache.incr(_key(name))
    except Exception:
        logger.warning("cache unavailable: bump %s", name, exc_info=True)


def bump(name: str) -> None:
    """Make every value cached under ``name`` unreachable (now, and again once the transaction commits)."""
    _incr(name)
    transaction.on_commit(lambda: _incr(name))


#: model label → the generations ``bump_on_change`` watches it for (``bump_for`` bumps them all).
_WATCHERS: dict[str, set[str]] = {}


def bump_for(model) -> None:
    """Bump every generation that watches ``model`` (``portal.history.bulk_create``/``bulk_update`` call it:
    bulk writes send no signal)."""
    for name in sorted(_WATCHERS.get(model._meta.label, ())):
        bump(name)


def bump_on_change(name: str, *models) -> None:
    """Bump ``name`` whenever a row of one of ``models`` is saved or deleted (call from ``AppConfig.ready``).

    Bulk writes through ``portal.history.bulk_create``/``bulk_update`` bump it too. ``QuerySet.update()`` and a
    plain ``bulk_create`` send no signal: code that changes cached data that way calls ``bump(name)`` itself."""
    from django.db.models.signals import post_delete, post_save

    def changed(sender, **kwargs):
        bump(name)

    for model in models:
        label = model._meta.label
        _WATCHERS.setdefault(label, set()).add(name)
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"caching:{name}:{label}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"caching:{name}:{label}:delete")


def cached(name: str | Sequence[str], parts: str, compute: Callable, timeout: int = TIMEOUT):
    """``compute()``, cached under the current generation of ``name`` and ``parts``.

    ``name`` may be several generations (a value read from several kinds of data): a bump of any of them
    makes the value unreachable; their numbers are read in one round trip."""
    if isinstance(name, str):
        gen = generation(name)
        if gen is None:
            return compute()
        prefix = f"{name}:{gen}"
    else:
        gens = generations(list(name))
        if gens is None:
            return compute()
        prefix = "+".join(f"{n}:{g}" for n, g in zip(name, gens, strict=True))
    key = f"cached:{prefix}:" + hashlib.sha1(parts.encode()).hexdigest()
    try:
        value = cache.get(key)
    except Exception:
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            pass
    return value


#: Values kept in process memory by :func:`local_cached`: (name, generation, parts) → value, least recently
#: used dropped first.
LOCAL_SIZE = 256
_LOCAL: OrderedDict = OrderedDict()
_LOCAL_LOCK = threading.Lock()


def local_cached(name: str, parts: str, compute: Callable):
    """``compute()``, kept in this process's memory under the current generation of ``name`` and ``parts``
    (one small cache read per call, however large the value). The value is shared: treat it as immutable."""
    gen = generation(name)
    if gen is None:
        return compute()
    key = (name, gen, parts)
    with _LOCAL_LOCK:
        if key in _LOCAL:
            _LOCAL.move_to_end(key)
            return _LOCAL[key]
    value = compute()
    with _LOCAL_LOCK:
        _LOCAL[key] = value
        while len(_LOCAL) > LOCAL_SIZE:
            _LOCAL.popitem(last=False)
    return value


def clear_local() -> None:
    with _LOCAL_LOCK:
        _LOCAL.clear()


def query_key(queryset) -> str:
    """A text that identifies what ``queryset`` selects (its SQL and parameters: scope, filters, order)."""
    query = queryset.query
    try:
        sql, params = query.sql_with_params()
        return f"{queryset.model._meta.label}|{sql}|{params!r}"
    except Exception:  # EmptyResultSet (an empty IN ()) and the like
        return f"{queryset.model._meta.label}|{query.__class__.__name__}|{id(query)}|empty"


class CachedListing:
    """A queryset whose count and page contents are cached until the generation ``name`` changes.

    ``queryset`` is the scoped, ordered queryset, or a function building it. Without ``key`` the listing is
    known by its SQL (compiled on first use); with ``key`` — a text naming everything the rows depend on
    (``portal.scope.scope_key`` of the user, the filters, the date when the query uses it), unique among the
    listings cached under ``name`` — a function is only called when the cache misses, and must build an
    ordered queryset."""

    def __init__(self, queryset, name: str, timeout: int = TIMEOUT, *, key: str | None = None):
        self._source = queryset
        self.name = name
        self.timeout = timeout
        self._sql = None if key is None else f"key|{key}"

    @property
    def queryset(self):
        if not isinstance(self._source, models.QuerySet):
            self._source = self._source()
        return self._source

    def __getattr__(self, name):  # anything else (filter, exists, …) is the queryset's own, uncached
        if name.startswith("_") or name == "queryset":
            raise AttributeError(name)
        return getattr(self.queryset, name)

    @property
    def model(self):
        return self.queryset.model

    @property
    def ordered(self) -> bool:
        # A listing built on demand promises its order; asking would build it for nothing.
        return self._source.ordered if isinstance(self._source, models.QuerySet) else True

    def _parts(self, what: str) -> str:
        if self._sql is None:
            self._sql = query_key(self.queryset)
        return f"{self._sql}|{what}"

    def cached(self, what: str, compute: Callable[[], T]) -> T:
        """``compute()`` cached with this listing (``what`` names the value among the listing's)."""
        return cached(self.name, self._parts(what), compute, self.timeout)

    def count(self) -> int:
        return self.cached("count", lambda: self.queryset.count())

    def page(self, number, per_page: int, render: Callable[[Any], T], *, vary: str = "") -> T:
        """``render(page)`` of the Django ``Page`` ``number`` (``Paginator.get_page``'s rules: not a number is
        the first page, one beyond the end the last), cached with the listing. ``vary`` names whatever else
        the rendering depends on (the function, the template, the language, the date if the listing's key
        does not hold it)."""
        from django.core.paginator import Paginator

        try:
            n = max(1, int(number))
        except (TypeError, ValueError):
            n = 1
        return self.cached(
            f"page:{n}:{per_page}:{vary}", lambda: render(Paginator(self, per_page).get_page(n))
        )

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self.queryset)

    def __getitem__(self, k):
        if not isinstance(k, slice) or k.step not in (None, 1):
            return self.queryset[k]
        return _PageRows(self, k)


def rendered_page(listing: CachedListing, request, template: str, *, per_page: int = 30) -> str:
    """The HTML of ``template`` for the page of ``listing`` that ``request`` asks for (``?page=``), rendered with
    ``page`` and ``request`` only, and cached with the listing by template, language and query string (the
    page links repeat it). The template must show nothing about the user but the listing's rows."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    query = request.GET.copy()
    number = query.pop("page", [None])[-1]

    def render(page) -> str:
        return str(render_to_string(template, {"page": page, "request": request}))

    html = listing.page(number, per_page, render, vary=f"{template}|{get_language()}|{query.urlencode()}")
    return mark_safe(html)


def rendered_fragment(name: str | Sequence[str], parts: str, template: str, build: Callable[[], dict]) -> str:
    """The HTML of ``template`` rendered with ``build()``, cached under the generation(s) ``name`` by ``parts``,
    the template and the language — for a part of a page that is not a paginated listing (a department's
    cases and orders). ``parts`` must name everything the fragment shows (the user's scope from
    ``portal.scope.scope_key``, the date if it shows one); the template must show nothing else about the user."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    html = cached(
        name, f"{parts}|{template}|{get_language()}", lambda: str(render_to_string(template, build()))
    )
    return mark_safe(html)


class _PageRows(Sequence):
    """The rows of one page of a :class:`CachedListing`, fetched by primary key when first used (a page
    whose rendering is cached itself never fetches them)."""

    def __init__(self, listing: CachedListing, k: slice):
        self.listing = listing
        self.slice = k
        self._rows = None

    def _load(self) -> list:
        if self._rows is None:
            listing, k = self.listing, self.slice
            ids = listing.cached(
                f"ids:{k.start}:{k.stop}", lambda: list(listing.queryset[k].values_list("pk", flat=True))
            )
            rows = {obj.pk: obj for obj in listing.queryset.filter(pk__in=ids)} if ids else {}
            self._rows = [rows[pk] for pk in ids if pk in rows]
        return self._rows

    def __getitem__(self, i):
        return self._load()[i]

    def __len__(self) -> int:
        return len(self._load())

    def __iter__(self):
        return iter(self._load())

    def __eq__(self, other):
        return list(self) == list(other)
