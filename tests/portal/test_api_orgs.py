"""GET /api/v1/orgs: the public org tree, its filters and its errors."""


def test_sixteen_districts_with_their_codes(api):
    r = api().get("/api/v1/orgs", {"level": "district"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 16
    codes = {row["code"]: row["name"] for row in body["results"]}
    assert codes["120000"[:0] + "120103"] == "河西区"
    assert codes["120116"] == "滨海新区"
    assert all(row["parent"] == "120000" and row["level"] == "district" for row in body["results"])


def test_communities_of_a_street(api):
    r = api().get("/api/v1/orgs", {"level": "community", "parent": "120103001000"})
    assert r.status_code == 200
    names = [row["name"] for row in r.json()["results"]]
    assert len(names) >= 3 and "新华南路社区" in names


def test_malformed_level_is_a_chinese_400(api):
    r = api().get("/api/v1/orgs", {"level": "planet"})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid" and "层级" in err["message"] and "level" in err["fields"]


def test_malformed_page_size_is_400_not_500(api):
    r = api().get("/api/v1/orgs", {"page_size": "abc"})
    assert r.status_code == 400
    assert "page_size" in r.json()["error"]["fields"]
    r = api().get("/api/v1/orgs", {"page_size": 201})
    assert r.status_code == 400


def test_unknown_parent_is_404_and_malformed_parent_400(api):
    assert api().get("/api/v1/orgs", {"parent": "999999999999"}).status_code == 404
    assert api().get("/api/v1/orgs", {"parent": "河西"}).status_code == 400


def test_pagination(api):
    r = api().get("/api/v1/orgs", {"level": "district", "page": 2, "page_size": 10})
    body = r.json()
    assert body["count"] == 16 and len(body["results"]) == 6


def test_a_renamed_or_new_community_shows_at_once(api):
    """The answer is cached until an org changes: a rename and a new community show on the next call."""
    from portal.models import OrgUnit

    query = {"level": "community", "parent": "120103001000"}
    before = api().get("/api/v1/orgs", query).json()
    assert api().get("/api/v1/orgs", query).json() == before  # from the cache
    community = OrgUnit.objects.get(code="120103001001")
    community.name = "新华南路第一社区"
    community.save()
    OrgUnit.objects.create(code="120103001097", name="新设社区", level="community", parent=community.parent)
    after = api().get("/api/v1/orgs", query).json()
    names = [row["name"] for row in after["results"]]
    assert "新华南路第一社区" in names and "新华南路社区" not in names and "新设社区" in names
    assert after["count"] == before["count"] + 1
