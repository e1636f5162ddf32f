"""Caching until the data changes (portal.caching): a bump makes every cached value unreachable, and a
cache that does not answer only means computing again."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction

from portal import caching
from portal.models import OrgUnit
from tests.factories import CommunityFactory, DistrictFactory, StreetFactory


def test_cached_value_is_kept_until_the_generation_is_bumped(db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert caching.cached("things", "a", compute) == 1
    assert caching.cached("things", "a", compute) == 1  # from the cache
    assert caching.cached("things", "b", compute) == 2  # other parts, other value
    caching.bump("things")
    assert caching.cached("things", "a", compute) == 3
    caching.bump("other")
    assert caching.cached("things", "a", compute) == 3  # another generation does not matter


def test_bump_again_on_commit(transactional_db):
    before = caching.generation("things")
    with transaction.atomic():
        caching.bump("things")
        inside = caching.generation("things")
    assert inside > before
    assert caching.generation("things") > inside  # a reader between change and commit cannot keep its value


def test_generation_lost_from_the_cache_restarts_above_readers(db):
    caching.generation("things")
    cache.delete("generation:things")
    caching.bump("things")
    assert caching.generation("things") >= 2


def test_listing_counts_and_pages_from_cache_until_bumped(db, django_assert_num_queries):
    street = StreetFactory()
    CommunityFactory.create_batch(4, parent=street)
    qs = OrgUnit.objects.filter(level="community").order_by("code")
    listing = caching.CachedListing(qs, "orgs-test")
    n = listing.count()
    first = [o.code for o in listing[0:3]]
    assert n == qs.count() and first == [o.code for o in qs[:3]]
    with django_assert_num_queries(1):  # the count and the ids come from the cache; one query for the rows
        assert listing.count() == n
        assert [o.code for o in listing[0:3]] == first
    CommunityFactory(parent=street)
    assert caching.CachedListing(qs, "orgs-test").count() == n  # not bumped: still the cached count
    caching.bump("orgs-test")
    assert caching.CachedListing(qs, "orgs-test").count() == n + 1


def test_a_cache_that_does_not_answer_only_means_computing_again(db):
    DistrictFactory.create_batch(2)
    qs = OrgUnit.objects.filter(level="district")
    with (
        mock.patch.object(cache, "get", side_effect=ConnectionError("redis down")),
        mock.patch.object(cache, "add", side_effect=ConnectionError("redis down")),
        mock.patch.object(cache, "incr", side_effect=ConnectionError("redis down")),
    ):
        assert caching.cached("things", "a", lambda: 42) == 42
        assert caching.CachedListing(qs, "things").count() == qs.count()
        caching.bump("things")


def test_org_listing_shows_a_new_org_at_once(demo, client):
    url = "/api/v1/orgs?level=community&parent=120103001000"
    before = client.get(url).json()
    parent = OrgUnit.objects.get(code="120103001000")
    OrgUnit.objects.create(code="120103001098", name="新建社区", level="community", parent=parent)
    after = client.get(url).json()
    assert after["count"] == before["count"] + 1
    assert "新建社区" in {r["name"] for r in after["results"]}


def test_a_value_read_from_several_generations_goes_when_any_of_them_is_bumped(db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert caching.cached(("things", "others"), "a", compute) == 1
    assert caching.cached(("things", "others"), "a", compute) == 1
    caching.bump("others")
    assert caching.cached(("things", "others"), "a", compute) == 2
    caching.bump("things")
    assert caching.cached(("things", "others"), "a", compute) == 3
    caching.bump("unrelated")
    assert caching.cached(("things", "others"), "a", compute) == 3


def test_bulk_writes_through_history_bump_the_generations_watching_the_model(db):
    from portal import history
    from portal.models import CalendarDay

    caching.bump_on_change("calendar-test", CalendarDay)
    listing = lambda: caching.CachedListing(CalendarDay.objects.order_by("date"), "calendar-test")  # noqa: E731
    assert listing().count() == 0
    history.bulk_create(CalendarDay, [CalendarDay(date="2026-10-08", is_workday=True, name="调休")])
    assert listing().count() == 1
    day = CalendarDay.objects.get()
    day.name = "国庆调休上班"
    before = caching.generation("calendar-test")
    history.bulk_update(CalendarDay, [day], ["name"])
    assert caching.generation("calendar-test") > before


def test_keyed_listing_is_built_only_when_the_cache_misses(db, django_assert_num_queries):
    street = StreetFactory()
    CommunityFactory.create_batch(3, parent=street)
    built = []

    def build():
        built.append(1)
        return OrgUnit.objects.filter(level="community", parent=street).order_by("code")

    def listing():
        return caching.CachedListing(build, "orgs-test", key=f"communities-of-{street.pk}")

    def codes(page):
        return page.paginator.count, [o.code for o in page]

    first = listing().page(1, 2, codes)
    assert first[0] == 3 and len(first[1]) == 2 and built
    built.clear()
    with django_assert_num_queries(0):  # count, ids and the rendering all from the cache
        assert listing().page(1, 2, codes) == first
    assert not built
    assert listing().page("x", 2, codes) == first  # not a number: the first page, as Paginator.get_page
    CommunityFactory(parent=street)
    assert listing().page(1, 2, codes) == first  # not bumped yet
    caching.bump("orgs-test")
    assert listing().page(1, 2, codes)[0] == 4 and built


def test_a_page_rendered_differently_is_cached_apart(db):
    StreetFactory.create_batch(2)
    listing = caching.CachedListing(OrgUnit.objects.filter(level="street").order_by("code"), "orgs-test")
    names = listing.page(1, 10, lambda page: [o.name for o in page], vary="names")
    codes = listing.page(1, 10, lambda page: [o.code for o in page], vary="codes")
    assert names != codes and len(names) == len(codes) == 2


class _Counting:
    """The cache, counting the reads asked of it (a local-memory cache's get_many calls its own get)."""

    def __init__(self, real):
        self.real, self.asked, self.round_trips = real, [], 0

    def get(self, key, *args, **kwargs):
        self.asked.append(key)
        self.round_trips += 1
        return self.real.get(key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        self.asked.extend(keys)
        self.round_trips += 1
        return self.real.get_many(keys, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_request_reads_each_generation_once_until_it_bumps_it(db):
    from portal import context

    caching.generation("things")  # exists already
    ctx = context.RequestContext(in_request=True)
    token = context.set_context(ctx)
    try:
        with mock.patch.object(caching, "cache", _Counting(cache)) as counted:
            first = caching.generation("things")
            assert caching.generation("things") == first and caching.generation("things") == first
            assert counted.asked.count("generation:things") == 1
            caching.bump("things")  # the request's own change: read again
            assert caching.generation("things") > first
    finally:
        context.reset_context(token)
    assert "things" in ctx.generations


def test_a_request_reads_every_watched_generation_in_one_round_trip(db):
    """A page that shows the roles, the to-dos and three apps' figures asks the cache for their generations
    once, not once each."""
    from portal import context

    caching.generations(sorted(caching._known_names()))  # they exist (a page was served before)
    ctx = context.RequestContext(in_request=True)
    token = context.set_context(ctx)
    try:
        with mock.patch.object(caching, "cache", _Counting(cache)) as counted:
            numbers = [caching.generation(n) for n in ("principals", "todos", "admission", "supervision")]
            assert all(isinstance(n, int) for n in numbers)
            assert counted.round_trips == 1
            assert {"principals", "todos", "admission", "supervision", "certificates"} <= set(ctx.generations)
            caching.bump("admission")  # a change by the request itself is read again, alone
            assert (
                caching.generation("admission") > numbers[2]
                and counted.asked.count("generation:admission") == 2
            )
    finally:
        context.reset_context(token)


@pytest.mark.redis
def test_the_redis_cache_reuses_one_client_per_connection_pool():
    """Django builds a redis.Redis per operation (a table of ~170 callbacks each time); ours keeps one."""
    from portal.cache import ResilientRedisCache
    from tests.support.services import redis_url

    backend = ResilientRedisCache(redis_url(), {})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client and backend._cache.get_client(write=True) is client
    backend.set("jianfu-test:reuse", {"a": 1}, 30)
    assert backend.get("jianfu-test:reuse") == {"a": 1}
    backend.delete("jianfu-test:reuse")


def test_outside_a_request_every_read_asks_the_cache(db):
    first = caching.generation("things")
    cache.incr("generation:things")  # another process bumps it
    assert caching.generation("things") == first + 1


def test_rendered_page_follows_the_query_string_and_changes(db, rf):
    street = StreetFactory()
    CommunityFactory.create_batch(3, parent=street)
    listing = caching.CachedListing(
        OrgUnit.objects.filter(level="community", parent=street).order_by("code"), "orgs-test"
    )
    one = caching.rendered_page(listing, rf.get("/x/", {"q": "a"}), "portal/_pagination.html", per_page=2)
    other = caching.rendered_page(listing, rf.get("/x/", {"q": "b"}), "portal/_pagination.html", per_page=2)
    assert "q=a&amp;page=2" in one and "q=b&amp;page=2" in other  # the links repeat each query string
    assert "共 3 条" in one
    CommunityFactory(parent=street)
    caching.bump("orgs-test")
    again = caching.rendered_page(listing, rf.get("/x/", {"q": "a"}), "portal/_pagination.html", per_page=2)
    assert "共 4 条" in again


def test_api_page_cached_with_its_listing_until_bumped(db):
    from portal.api.kit import PageParams, paginate

    street = StreetFactory()
    CommunityFactory.create_batch(2, parent=street)
    qs = OrgUnit.objects.filter(level="community", parent=street).order_by("code")

    def row(o):
        return {"code": o.code}

    params = PageParams(page=1, page_size=10)
    before = paginate(caching.CachedListing(qs, "orgs-test"), params, row, vary="")
    CommunityFactory(parent=street)
    assert paginate(caching.CachedListing(qs, "orgs-test"), params, row, vary="") == before
    assert paginate(caching.CachedListing(qs, "orgs-test"), params, row)["count"] == 2  # count still cached
    caching.bump("orgs-test")
    after = paginate(caching.CachedListing(qs, "orgs-test"), params, row, vary="")
    assert after["count"] == 3 and len(after["results"]) == 3


def test_a_full_name_follows_a_renamed_street_at_once(db, django_assert_num_queries):
    district = DistrictFactory(code="120199", name="测试区")
    street = StreetFactory(code="120199001000", name="老街道", parent=district)
    community = CommunityFactory(code="120199001001", name="一号社区", parent=street)
    assert OrgUnit.objects.get(pk=community.pk).full_name == "测试区老街道一号社区"
    again = OrgUnit.objects.get(pk=community.pk)
    with django_assert_num_queries(0):  # cached: no query for the ancestors
        assert again.full_name == "测试区老街道一号社区"
    street.name = "新街道"
    street.save()
    assert OrgUnit.objects.get(pk=community.pk).full_name == "测试区新街道一号社区"


def test_local_value_is_kept_in_process_until_the_generation_is_bumped(db):
    calls = []

    def compute():
        calls.append(1)
        return (len(calls),)

    first = caching.local_cached("things", "a", compute)
    assert caching.local_cached("things", "a", compute) is first  # the same object, nothing fetched
    caching.bump("things")
    assert caching.local_cached("things", "a", compute) == (2,)


def test_a_flushed_cache_never_repeats_a_generation_a_process_holds_values_under(db):
    kept = caching.local_cached("things", "a", lambda: "old rows")
    cache.clear()  # Redis flushed or restarted: the generation starts again, from the clock
    assert caching.local_cached("things", "a", lambda: "new rows") == "new rows"
    assert kept == "old rows"


def test_public_districts_follow_a_new_or_renamed_district_at_once(db):
    from portal.selectors.orgs import public_districts

    district = DistrictFactory(code="120101", name="和平区")
    assert [d.name for d in public_districts()] == ["和平区"]
    district.name = "和平新区"
    district.save()
    DistrictFactory(code="120102", name="河东区", parent=district.parent)
    assert [d.name for d in public_districts()] == ["和平新区", "河东区"]
