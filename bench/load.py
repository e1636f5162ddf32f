"""The load generator: a separate process that drives one local server with threads and http.client.

    python -m bench.load < spec.json > results.json

``spec``: ``{"host": "127.0.0.1", "port": 8123, "concurrency": 4, "duration": 3.0, "max_requests": 400,
"warmup": 10, "jobs": [{"key", "method", "path", "headers", "body"}]}``. Jobs run one after another; each is
bounded by ``max_requests`` and ``duration`` seconds (a job may set its own), whichever comes first. Only loopback hosts are accepted.
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
    return summary


def main() -> int:
    spec = json.load(sys.stdin)
    results = {}
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
