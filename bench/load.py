"""The load generator: a separate process that drives one local server with threads and http.client.

    python -m bench.load < spec.json > results.json

``spec``: ``{"host": "127.0.0.1", "port": 8123, "concurrency": 4, "duration": 3.0, "max_requests": 400,
"warmup": 10, "jobs": [{"key", "method", "path", "headers", "body"}]}``. Jobs run one after another; each is
bounded by ``max_requests`` and ``duration`` seconds (a job may set its own), whichever comes first. Each
result keeps its raw latencies (``latencies_ms``).

The mixed scenario: ``{"mixed": true, "steps": [4, 8, 16, 32], "duration": 10, "jobs": [{…, "weight"}]}``
runs all jobs at once, each client drawing its next request by weight, once per step of concurrency. Only loopback hosts are accepted.
Standard library only (plus ``bench.stats``): no Django in this process.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time

from bench.stats import summarize

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
QUERY_HEADER = "X-Query-Count"


def _one(conn: http.client.HTTPConnection, job: dict) -> tuple[int, int | None]:
    body = job.get("body")
    conn.request(
        job["method"],
        job["path"],
        body=body.encode() if isinstance(body, str) else body,
        headers=job.get("headers") or {},
    )
    resp = conn.getresponse()
    resp.read()
    queries = resp.getheader(QUERY_HEADER)
    if resp.will_close:
        conn.close()
    return resp.status, int(queries) if queries and queries.isdigit() else None


def run_job(
    host: str, port: int, job: dict, *, concurrency: int, duration: float, max_requests: int, warmup: int = 0
) -> dict:
    if host not in LOOPBACK:
        raise ValueError("the load generator only drives a local server")
    conn = http.client.HTTPConnection(host, port, timeout=30)
    for _ in range(warmup):
        try:
            _one(conn, job)
        except (OSError, http.client.HTTPException):
            conn.close()
    conn.close()

    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    statuses: list[int] = []
    queries: list[int] = []
    errors: list[str] = []
    start = time.perf_counter()
    deadline = start + duration

    def worker():
        nonlocal issued
        c = http.client.HTTPConnection(host, port, timeout=30)
        local_lat, local_status, local_q = [], [], []
        while True:
            with lock:
                if issued >= max_requests or time.perf_counter() >= deadline:
                    break
                issued += 1
            t0 = time.perf_counter()
            try:
                status, q = _one(c, job)
            except (OSError, http.client.HTTPException) as exc:
                c.close()
                local_status.append(0)
                if len(errors) < 5:
                    errors.append(repr(exc))
                continue
            local_lat.append((time.perf_counter() - t0) * 1000)
            local_status.append(status)
            if q is not None:
                local_q.append(q)
        c.close()
        with lock:
            latencies.extend(local_lat)
            statuses.extend(local_status)
            queries.extend(local_q)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, concurrency))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 60)
    wall = time.perf_counter() - start
    summary = summarize(latencies, wall, statuses, queries)
    summary["wall_s"] = wall
    summary["errors"] = errors
    summary["latencies_ms"] = [round(x, 3) for x in latencies]
    return summary


def run_mixed(
    host: str, port: int, jobs: list[dict], *, concurrency: int, duration: float, seed: int = 1
) -> dict:
    """A mixed scenario: each client picks its next request at random, weighted by ``job["weight"]``.

    Returns the overall summary (throughput in ``rps``, ``p95_ms``, ``errors_n`` = failed connections plus
    answers >= 400) and per-job latencies under ``by_job``."""
    import random

    if host not in LOOPBACK:
        raise ValueError("the load generator only drives a local server")
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: list[int] = []
    by_job: dict[str, list[float]] = {}
    errors: list[str] = []
    weights = [float(j.get("weight", 1)) for j in jobs]
    start = time.perf_counter()
    deadline = start + duration

    def worker(n: int):
        rng = random.Random(seed * 1000 + n)
        c = http.client.HTTPConnection(host, port, timeout=30)
        local_lat, local_status, local_jobs = [], [], []
        while time.perf_counter() < deadline:
            job = rng.choices(jobs, weights)[0]
            t0 = time.perf_counter()
            try:
                status, _ = _one(c, job)
            except (OSError, http.client.HTTPException) as exc:
                c.close()
                local_status.append(0)
                with lock:
                    if len(errors) < 5:
                        errors.append(f"{job['key']}: {exc!r}")
                continue
            ms = (time.perf_counter() - t0) * 1000
            local_lat.append(ms)
            local_status.append(status)
            local_jobs.append((job["key"], ms))
            if status >= 400:
                with lock:
                    if len(errors) < 5:
                        errors.append(f"{job['key']}: HTTP {status}")
        c.close()
        with lock:
            latencies.extend(local_lat)
            statuses.extend(local_status)
            for key, ms in local_jobs:
                by_job.setdefault(key, []).append(round(ms, 3))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(max(1, concurrency))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 60)
    wall = time.perf_counter() - start
    summary = summarize(latencies, wall, statuses)
    summary["wall_s"] = wall
    summary["concurrency"] = concurrency
    summary["errors"] = errors
    summary["errors_n"] = sum(1 for s in statuses if s == 0 or s >= 400)
    summary["by_job"] = by_job
    return summary


def main() -> int:
    spec = json.load(sys.stdin)
    results = {}
    if spec.get("mixed"):
        for step in spec["steps"]:
            r = run_mixed(
                spec.get("host", "127.0.0.1"),
                int(spec["port"]),
                spec["jobs"],
                concurrency=int(step),
                duration=float(spec.get("duration", 10.0)),
            )
            results[str(step)] = r
            p95 = f"{r['p95_ms']:.1f}" if r["p95_ms"] is not None else "-"
            print(f"  mixed × {step:<3} n={r['n']:<6} p95={p95} ms errors={r['errors_n']}", file=sys.stderr)
        json.dump(results, sys.stdout)
        return 0
    for job in spec["jobs"]:
        results[job["key"]] = run_job(
            spec.get("host", "127.0.0.1"),
            int(spec["port"]),
            job,
            concurrency=int(spec.get("concurrency", 4)),
            duration=float(job.get("duration") or spec.get("duration", 3.0)),
            max_requests=int(spec.get("max_requests", 400)),
            warmup=int(spec.get("warmup", 5)),
        )
        r = results[job["key"]]
        med = f"{r['median_ms']:.1f}" if r["median_ms"] is not None else "-"
        print(f"  {job['key']:<50} n={r['n']:<5} median={med} ms", file=sys.stderr, flush=True)
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
