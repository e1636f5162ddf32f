"""Statistics and the result table of the benchmark (standard library only)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence


def median(values: Sequence[float]) -> float | None:
    data = sorted(values)
    n = len(data)
    if n == 0:
        return None
    mid = n // 2
    return float(data[mid]) if n % 2 else (data[mid - 1] + data[mid]) / 2


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``pct`` % of the values at or below it."""
    if not 0 < pct <= 100:
        raise ValueError("pct must be in (0, 100]")
    data = sorted(values)
    if not data:
        return None
    rank = max(1, math.ceil(pct / 100 * len(data)))
    return float(data[rank - 1])


def p95(values: Sequence[float]) -> float | None:
    return percentile(values, 95)


def ratio(value: float | None, baseline: float | None) -> float | None:
    """``value / baseline``, or None when either is missing or the baseline is zero."""
    if value is None or baseline is None or baseline <= 0:
        return None
    return value / baseline


def summarize(
    latencies_ms: Sequence[float],
    wall_seconds: float,
    statuses: Iterable[int] = (),
    queries: Iterable[int] = (),
) -> dict:
    """One load run: count, median, p95, requests per second, status counts and the usual query count."""
    statuses = Counter(statuses)
    query_counts = Counter(queries)
    n = len(latencies_ms)
    return {
        "n": n,
        "median_ms": median(latencies_ms),
        "p95_ms": p95(latencies_ms),
        "rps": (n / wall_seconds) if wall_seconds > 0 and n else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "queries": query_counts.most_common(1)[0][0] if query_counts else None,
        "queries_max": max(query_counts) if query_counts else None,
    }


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _status(statuses: dict) -> str:
    return ",".join(f"{k}" if len(statuses) == 1 else f"{k}×{v}" for k, v in statuses.items()) or "-"


def _queries(row: dict) -> str:
    q, q_max = row.get("queries"), row.get("queries_max")
    if q is None:
        return "-"
    return str(q) if q_max in (None, q) else f"{q}(≤{q_max})"


COLUMNS = (
    "endpoint",
    "method path",
    "status",
    "n",
    "med ms",
    "p95 ms",
    "req/s",
    "SQL/req",
    "bare med",
    "bare req/s",
    "x bare",
)


def table_rows(results: list[dict]) -> list[tuple[str, ...]]:
    """Rows of text: one per endpoint, from ``{"name", "method", "path", "run": summary, "bare": summary}``."""
    rows = []
    for r in results:
        run, bare = r.get("run") or {}, r.get("bare") or {}
        path = r["path"] if len(r["path"]) <= 48 else r["path"][:45] + "..."
        rows.append(
            (
                r["name"],
                f"{r['method']} {path}",
                _status(run.get("statuses", {})),
                _fmt(run.get("n")),
                _fmt(run.get("median_ms")),
                _fmt(run.get("p95_ms")),
                _fmt(run.get("rps"), 0),
                _queries(run),
                _fmt(bare.get("median_ms")),
                _fmt(bare.get("rps"), 0),
                _fmt(ratio(run.get("median_ms"), bare.get("median_ms")), 2),
            )
        )
    return rows


def format_table(results: list[dict]) -> str:
    rows = [COLUMNS, *table_rows(results)]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(COLUMNS))]
    numeric = set(range(3, len(COLUMNS)))

    def line(row):
        return "  ".join(
            str(cell).rjust(widths[i]) if i in numeric else str(cell).ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()

    out = [line(rows[0]), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in rows[1:])
    return "\n".join(out)


def _text_table(columns: Sequence[str], rows: list[Sequence], numeric_from: int = 1) -> str:
    rows = [tuple(columns), *[tuple(str(c) for c in r) for r in rows]]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(columns))]

    def line(row):
        return "  ".join(
            str(cell).rjust(widths[i]) if i >= numeric_from else str(cell).ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()

    return "\n".join([line(rows[0]), "  ".join("-" * w for w in widths), *(line(r) for r in rows[1:])])


def scale_rows(large: list[dict], small: list[dict], *, limit: float = 1.3) -> list[dict]:
    """Per endpoint present in both runs: both medians, their ratio (large / small) and both query counts."""
    by_name = {r["name"]: r for r in small}
    rows = []
    for r in large:
        s = by_name.get(r["name"])
        if s is None:
            continue
        big_run, small_run = r.get("run") or {}, s.get("run") or {}
        value = ratio(big_run.get("median_ms"), small_run.get("median_ms"))
        rows.append(
            {
                "name": r["name"],
                "large_ms": big_run.get("median_ms"),
                "small_ms": small_run.get("median_ms"),
                "ratio": value,
                "large_sql": big_run.get("queries_max"),
                "small_sql": small_run.get("queries_max"),
                "ok": value is not None and value <= limit,
            }
        )
    return rows


def format_scale_table(rows: list[dict]) -> str:
    return _text_table(
        ("endpoint", "Tianjin med", "small med", "ratio", "SQL Tianjin", "SQL small", ""),
        [
            (
                r["name"],
                _fmt(r["large_ms"]),
                _fmt(r["small_ms"]),
                _fmt(r["ratio"], 2),
                _fmt(r["large_sql"]),
                _fmt(r["small_sql"]),
                "" if r["ok"] else "over",
            )
            for r in rows
        ],
    )


def format_mixed_table(steps: dict[str, dict], *, p95_limit: float = 300.0) -> tuple[str, int | None]:
    """The mixed scenario per concurrency step, and the highest step with p95 under ``p95_limit`` and no error."""
    best = None
    rows = []
    for key in sorted(steps, key=int):
        r = steps[key]
        ok = r.get("p95_ms") is not None and r["p95_ms"] < p95_limit and not r.get("errors_n")
        if ok:
            best = int(key)
        rows.append(
            (
                key,
                _fmt(r.get("n")),
                _fmt(r.get("rps"), 1),
                _fmt(r.get("median_ms")),
                _fmt(r.get("p95_ms")),
                _fmt(r.get("errors_n")),
                "" if ok else "over",
            )
        )
    table = _text_table(("clients", "requests", "req/s", "med ms", "p95 ms", "errors", ""), rows)
    return table, best


def compare_rows(old: list[dict], new: list[dict]) -> list[tuple]:
    """Per endpoint in both runs: old and new median, p95 and ratio to the bare view; new / old median."""
    by_name = {r["name"]: r for r in old}
    rows = []
    for r in new:
        o = by_name.get(r["name"])
        if o is None:
            continue
        o_run, n_run = o.get("run") or {}, r.get("run") or {}
        rows.append(
            (
                r["name"],
                _fmt(o_run.get("median_ms")),
                _fmt(n_run.get("median_ms")),
                _fmt(ratio(n_run.get("median_ms"), o_run.get("median_ms")), 2),
                _fmt(o_run.get("p95_ms")),
                _fmt(n_run.get("p95_ms")),
                _fmt(ratio(o_run.get("median_ms"), (o.get("bare") or {}).get("median_ms")), 1),
                _fmt(ratio(n_run.get("median_ms"), (r.get("bare") or {}).get("median_ms")), 1),
                _fmt(o_run.get("queries_max")),
                _fmt(n_run.get("queries_max")),
            )
        )
    return rows


def format_compare_table(old: list[dict], new: list[dict]) -> str:
    return _text_table(
        (
            "endpoint",
            "old med",
            "new med",
            "new/old",
            "old p95",
            "new p95",
            "old x bare",
            "new x bare",
            "old SQL",
            "new SQL",
        ),
        compare_rows(old, new),
    )


def slowest(results: list[dict], n: int = 10) -> list[dict]:
    """The ``n`` endpoints with the highest median / bare median."""

    def key(r):
        value = ratio((r.get("run") or {}).get("median_ms"), (r.get("bare") or {}).get("median_ms"))
        return -(value or 0)

    return sorted(results, key=key)[:n]
