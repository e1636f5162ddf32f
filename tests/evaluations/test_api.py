"""GET /api/v1/evaluations/results: the public contract, validation in Chinese, bounded queries."""

import pytest

from evaluations.models import Assessment

URL = "/api/v1/evaluations/results"


def test_rows_follow_the_contract(eval_demo, api):
    r = api().get(URL, {"year": 2025, "district": "120103"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 11 and body["year"] == 2025
    row = body["results"][0]
    assert {"community", "community_name", "street", "score", "stars"} <= set(row)
    assert row["community"] == "120103001001" and row["community_name"] == "新华南路社区"
    assert row["street"] == "大营门街道" and row["stars"] == 5 and isinstance(row["score"], float)
    stars = [x["stars"] for x in body["results"]]
    assert 0 in stars and all(0 <= s <= 5 for s in stars)
    scores = [x["score"] for x in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_default_year_is_the_latest_published_and_city_wide(eval_demo, api):
    body = api().get(URL).json()
    assert body["year"] == 2025 and body["count"] == 13


def test_pagination(eval_demo, api):
    body = api().get(URL, {"year": 2025, "page": 2, "page_size": 5}).json()
    assert body["count"] == 13 and len(body["results"]) == 5
    assert api().get(URL, {"page_size": 500}).status_code == 400


def test_unpublished_years_show_nothing(eval_demo, api):
    # 2026 is in progress: confirmed scores are not public before the city publishes them.
    body = api().get(URL, {"year": 2026}).json()
    assert body["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "1800"}, "year"),
        ({"district": "河西"}, "district"),
        ({"district": "999999"}, "district"),
        ({"district": "120103001000"}, "district"),
    ],
)
def test_bad_filters_answer_400_in_chinese(eval_demo, api, params, field):
    r = api().get(URL, params)
    assert r.status_code == 400
    err = r.json()["error"]
    assert field in err["fields"] and any("\u4e00" <= ch <= "\u9fff" for ch in err["message"])


def test_whitelist_endpoint(eval_demo, api):
    rows = api().get("/api/v1/evaluations/whitelist").json()
    names = [r["name"] for r in rows]
    assert {"文明社区", "平安社区", "美丽社区", "卫生社区"} <= set(names) and len(rows) == 10
    green = next(r for r in rows if r["name"] == "绿色社区")
    assert green["document_no"] == "建城〔2020〕68号"
    assert next(r for r in rows if r["name"] == "文明社区")["document_no"] == "文号待核实"


def _more_results(n: int):
    """Add ``n`` published results in new communities (to show the query count does not grow)."""
    from portal.models import OrgUnit

    cycle = Assessment.objects.filter(cycle__year=2025).first().cycle
    street = OrgUnit.objects.get(code="120103001000")
    for i in range(n):
        c = OrgUnit.objects.create(
            code=f"1201030019{i:02d}", name=f"测试{i}社区", level="community", parent=street
        )
        Assessment.objects.create(
            cycle=cycle,
            community=c,
            street=street,
            district=street.parent,
            stage="published",
            total_score=300 + i,
            stars=2,
        )


def test_api_query_count_is_bounded(eval_demo, api, django_assert_max_num_queries):
    client = api()
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"year": 2025, "district": "120103"}).status_code == 200
    _more_results(30)
    with django_assert_max_num_queries(6):
        body = client.get(URL, {"year": 2025, "district": "120103", "page_size": 200}).json()
    assert body["count"] == 41


def test_page_query_count_is_bounded(eval_demo, page_client, django_assert_max_num_queries):
    client = page_client()
    with django_assert_max_num_queries(14) as before:
        assert client.get("/evaluations/results/", {"year": 2025, "district": "120103"}).status_code == 200
    _more_results(30)
    with django_assert_max_num_queries(len(before.captured_queries)):
        r = client.get("/evaluations/results/", {"year": 2025, "district": "120103"})
    assert r.status_code == 200


def test_bench_endpoints_answer(eval_demo, page_client):
    from evaluations.bench import ENDPOINTS

    client = page_client()
    for e in ENDPOINTS:
        assert e["method"] == "GET" and e["user"] is None
        assert client.get(e["path"]).status_code == 200, e["name"]
