"""Caching until the data changes (portal.caching): a bump makes every cached value unreachable, and a
cache that does not answer only means computing again."""

from unittest import mock

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
