"""The benchmark harness: statistics, endpoint discovery, the bare view, the query counter, the load generator.

No timing thresholds here: only that the numbers are computed right and the pieces fit together.
"""

import json
import threading
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.http import Http404, HttpResponse

from bench import discovery, load, stats, views
from bench.middleware import QueryCountMiddleware

# ------------------------------------------------------------------------------------------- statistics


def test_median_odd_even_and_empty():
    assert stats.median([3, 1, 2]) == 2
    assert stats.median([4, 1, 3, 2]) == 2.5
    assert stats.median([7]) == 7
    assert stats.median([]) is None


def test_p95_is_nearest_rank():
    values = list(range(1, 101))  # 1..100
    assert stats.p95(values) == 95
    assert stats.percentile(values, 50) == 50
    assert stats.percentile(values, 100) == 100
    assert stats.p95([5]) == 5
    assert stats.p95(list(range(1, 21))) == 19  # ceil(0.95 * 20) = 19th value
    assert stats.p95(list(reversed(range(1, 21)))) == 19  # order does not matter
    assert stats.p95([]) is None
    with pytest.raises(ValueError):
        stats.percentile([1], 0)


def test_ratio():
    assert stats.ratio(10, 4) == 2.5
    assert stats.ratio(None, 4) is None
    assert stats.ratio(3, None) is None
    assert stats.ratio(3, 0) is None


def test_summarize_counts_statuses_and_queries():
    s = stats.summarize([10, 20, 30, 40], 2.0, statuses=[200, 200, 200, 429], queries=[5, 5, 5, 7])
    assert s["n"] == 4
    assert s["median_ms"] == 25
    assert s["p95_ms"] == 40
    assert s["rps"] == 2.0
    assert s["statuses"] == {"200": 3, "429": 1}
    assert (s["queries"], s["queries_max"]) == (5, 7)
    empty = stats.summarize([], 1.0)
    assert (
        empty["n"] == 0 and empty["median_ms"] is None and empty["rps"] is None and empty["queries"] is None
    )


def test_format_table_has_a_row_per_endpoint_with_the_ratio():
    run = stats.summarize([10.0, 10.0, 30.0], 1.0, [200, 200, 200], [4, 4, 6])
    bare = stats.summarize([2.0, 2.0, 2.0], 1.0, [200, 200, 200], [0, 0, 0])
    text = stats.format_table(
        [
            {"name": "orgs", "method": "GET", "path": "/api/v1/orgs", "run": run, "bare": bare},
            {"name": "missing", "method": "POST", "path": "/x", "run": None, "bare": None},
        ]
    )
    lines = text.splitlines()
    assert lines[0].startswith("endpoint") and "x bare" in lines[0]
    assert len(lines) == 4
    orgs = lines[2].split()
    assert orgs[0] == "orgs" and orgs[-1] == "5.00"  # median 10 / bare median 2
    assert "4(≤6)" in lines[2]
    assert lines[3].split()[-1] == "-"


# ------------------------------------------------------------------------------------------- discovery


def test_core_endpoints_are_always_there():
    found = discovery.discover({})
    names = [e.name for e in found.endpoints]
    assert "orgs_districts" in names and "home" in names and "dashboard_community_staff" in names
    paths = {e.path for e in found.endpoints}
    assert "/api/v1/orgs?level=district" in paths
    assert "/api/v1/orgs?level=community&parent=120103001000" in paths
    me = next(e for e in found.endpoints if e.path == "/api/v1/me")
    assert me.user == "community_staff" and me.is_api
    assert not found.problems


def test_app_endpoints_are_discovered_validated_and_named():
    good = types.SimpleNamespace(
        ENDPOINTS=[
            dict(name="list", method="GET", path="/api/v1/communities/120103001001/checklist"),
            dict(
                name="check",
                method="post",
                path="/api/v1/task-check",
                user="community_staff",
                json={"title": "x"},
            ),
            dict(name="list", method="GET", path="/lists/120103001001/"),  # same name: still a distinct slug
            dict(name="bad method", method="TRACE", path="/x"),
            dict(name="bad path", path="http://example.com/"),
            dict(method="GET", path="/no-name"),
            dict(name="typo", path="/x", jsn={}),
        ]
    )
    no_list = types.SimpleNamespace()  # a bench.py without ENDPOINTS (only extra hooks) is fine
    found = discovery.discover({"checklists": good, "certificates": no_list}, include_core=False)
    assert [(e.name, e.method, e.app) for e in found.endpoints] == [
        ("checklists:list", "GET", "checklists"),
        ("checklists:check", "POST", "checklists"),
        ("checklists:list", "GET", "checklists"),
    ]
    slugs = [e.slug for e in found.endpoints]
    assert len(set(slugs)) == 3 and all(views.NAME_RE.match(s) for s in slugs)
    named = discovery.discover(
        {"checklists": types.SimpleNamespace(ENDPOINTS=[dict(name="checklists: page", path="/")])}
    )
    assert named.endpoints[-1].name == "checklists: page"
    assert found.endpoints[1].json == {"title": "x"} and found.endpoints[1].user == "community_staff"
    assert len(found.problems) == 4
    assert set(found.modules) == {"checklists", "certificates"}


def test_import_bench_modules_skips_apps_without_bench_py():
    modules, problems = discovery.import_bench_modules(apps=("no_such_app_xyz",))
    assert modules == {} and problems == []


# ------------------------------------------------------------------------------------------- server side


def test_bare_view_returns_the_captured_bytes(tmp_path, monkeypatch, rf):
    monkeypatch.setenv("JIANFU_BENCH_BODIES", str(tmp_path))
    monkeypatch.setattr(views, "_cache", {})
    body = '{"results": ["河西区"]}'.encode()
    (tmp_path / "portal.orgs.body").write_bytes(body)
    (tmp_path / "portal.orgs.json").write_text(
        json.dumps({"status": 200, "content_type": "application/json"})
    )
    response = views.bare(rf.get("/__bench__/bare/portal.orgs"), name="portal.orgs")
    assert response.status_code == 200 and response.content == body
    assert response["Content-Type"] == "application/json"
    for name in ("../secret", "missing", ".hidden", "a/b"):
        with pytest.raises(Http404):
            views.bare(rf.get("/"), name=name)


@pytest.mark.django_db
def test_query_count_header_counts_real_queries(rf):
    from portal.models import OrgUnit

    def view(request):
        list(OrgUnit.objects.all())
        OrgUnit.objects.count()
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(rf.get("/"))
    assert response["X-Query-Count"] == "2"
    assert QueryCountMiddleware(lambda r: HttpResponse("ok"))(rf.get("/"))["X-Query-Count"] == "0"


# ------------------------------------------------------------------------------------------- load generator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"hello"
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Query-Count", "3")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_load_generator_is_bounded_by_count_and_reads_the_query_header(local_server):
    job = {"key": "ok", "method": "GET", "path": "/ok", "headers": {}}
    result = load.run_job(
        "127.0.0.1", local_server, job, concurrency=3, duration=30, max_requests=25, warmup=2
    )
    assert result["n"] == 25
    assert result["statuses"] == {"200": 25}
    assert result["queries"] == 3
    assert result["median_ms"] is not None and result["p95_ms"] >= result["median_ms"]
    missing = load.run_job(
        "127.0.0.1", local_server, dict(job, path="/nope"), concurrency=1, duration=30, max_requests=3
    )
    assert missing["statuses"] == {"404": 3}


def test_load_generator_is_bounded_by_time(local_server):
    job = {"key": "ok", "method": "GET", "path": "/ok", "headers": {}}
    result = load.run_job("127.0.0.1", local_server, job, concurrency=2, duration=0.3, max_requests=10**9)
    assert 0 < result["n"] < 10**9 and result["wall_s"] < 30


def test_load_generator_refuses_remote_hosts():
    with pytest.raises(ValueError):
        load.run_job(
            "example.com", 80, {"method": "GET", "path": "/"}, concurrency=1, duration=1, max_requests=1
        )


def _result(name, med, p95=None, bare=1.0, q=3):
    return {
        "name": name,
        "method": "GET",
        "path": "/x",
        "run": {"median_ms": med, "p95_ms": p95 or med, "queries_max": q, "statuses": {"200": 1}, "n": 1},
        "bare": {"median_ms": bare},
    }


def test_scale_rows_ratio_of_large_to_small_and_the_limit():
    rows = stats.scale_rows(
        [_result("a", 13.0), _result("b", 20.0)], [_result("a", 10.0), _result("b", 10.0)]
    )
    assert [(r["name"], round(r["ratio"], 2), r["ok"]) for r in rows] == [("a", 1.3, True), ("b", 2.0, False)]
    assert "over" in stats.format_scale_table(rows).splitlines()[-1]


def test_mixed_table_reports_the_highest_step_under_300_ms_without_errors():
    steps = {
        "4": {"n": 100, "rps": 40.0, "median_ms": 50.0, "p95_ms": 120.0, "errors_n": 0},
        "8": {"n": 100, "rps": 60.0, "median_ms": 90.0, "p95_ms": 280.0, "errors_n": 0},
        "16": {"n": 100, "rps": 62.0, "median_ms": 200.0, "p95_ms": 290.0, "errors_n": 2},
        "32": {"n": 100, "rps": 61.0, "median_ms": 400.0, "p95_ms": 900.0, "errors_n": 0},
    }
    table, best = stats.format_mixed_table(steps)
    assert best == 8 and table.count("over") == 2


def test_compare_and_slowest():
    old = [_result("a", 100.0, bare=2.0), _result("b", 10.0, bare=2.0)]
    new = [_result("a", 20.0, bare=2.0), _result("b", 10.0, bare=2.0)]
    rows = stats.compare_rows(old, new)
    assert rows[0][:4] == ("a", "100.0", "20.0", "0.20")
    assert "new/old" in stats.format_compare_table(old, new)
    assert [r["name"] for r in stats.slowest(old, 1)] == ["a"]


def test_mixed_load_is_bounded_in_time_and_counts_error_answers(local_server):
    port = local_server
    jobs = [
        {"key": "ok", "method": "GET", "path": "/ok", "weight": 3},
        {"key": "missing", "method": "GET", "path": "/missing", "weight": 1},
    ]
    r = load.run_mixed("127.0.0.1", port, jobs, concurrency=2, duration=0.5)
    assert r["n"] > 0 and set(r["by_job"]) <= {"ok", "missing"}
    assert r["errors_n"] == sum(1 for ms in r["by_job"].get("missing", []))
