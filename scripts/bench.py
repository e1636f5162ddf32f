#!/usr/bin/env python
"""``make bench``: the portal under gunicorn with production-like settings on PostgreSQL at Tianjin scale.

    .venv/bin/python scripts/bench.py [--duration 2.5] [--max-requests 300] [--concurrency 4] [--only NAME] …
    .venv/bin/python scripts/bench.py --compare var/bench/run-OLD.json var/bench/run-NEW.json

1. (Re)creates two PostgreSQL databases (127.0.0.1:5432, user postgres): ``--db`` / ``JIANFU_BENCH_DB`` (default
   ``jianfu_bench``) at Tianjin scale (``generate_scale_data --reset``: 16 districts, ~300 streets, 5,600
   communities, their staff, app data) and ``--small-db`` / ``JIANFU_BENCH_SMALL_DB`` (``jianfu_bench_small``)
   at ~1% of it (3 streets, 56 communities, proportionally fewer app rows), both with the demo (``load_demo``).
2. Tops one generated community up to 1,000 admitted tasks and one to 10 (``bench.density``).
3. Serves each database in turn with gunicorn (2 gthread workers) under ``bench.settings`` =
   ``portal.settings.production`` plus an ``X-Query-Count`` header and the bare baseline view, with its own Redis
   (``JIANFU_BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/14``; flushed before each server), DEBUG off.
4. Captures each endpoint's response once, then drives every endpoint and its bare twin (a Django view that
   returns the captured bytes, same server, same run) from a second process (``python -m bench.load``),
   bounded in requests and time, only on 127.0.0.1.
5. Prints per endpoint: median and p95 latency, requests per second, SQL queries per request and the ratio to
   the bare view; the slowest ten; the ratio Tianjin / small scale per endpoint; the density table; a mixed
   load (a working day's proportions) stepped from 4 to 32 clients; then the apps' extras
   (``<app>.bench.extra(report)``, ``certificates.bench.pdf_bench()``, the ``certificates_bench_batch`` command
   with a Celery worker). The load average is printed before and after each section, with a warning when the
   machine is busy. Output goes to ``var/bench/latest.txt``, raw timings to ``var/bench/run-<time>.json``.

Everything it starts (gunicorn, Celery workers) is stopped at the end, also on error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import discovery  # noqa: E402
from bench.stats import format_table  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(VENV_BIN / "gunicorn")
CELERY = str(VENV_BIN / "celery")
VAR = ROOT / "var" / "bench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
#: Redis of the bench (its own port/database so parallel work on the machine is not flushed): JIANFU_BENCH_REDIS_URL.
REDIS_URL = os.environ.get("JIANFU_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
REDIS_PORT = urlsplit(REDIS_URL).port or 6379
DEMO_PASSWORD = "jianfu-demo-2026"
HOST = "127.0.0.1"
# Environment that must not leak from the caller into the bench processes.
SCRUB = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "JIANFU_CELERY_EAGER",
    "JIANFU_DEBUG",
    "JIANFU_BENCH",
    "JIANFU_SECRET_KEY",
    "JIANFU_FIELD_KEY",
    "JIANFU_ALLOWED_HOSTS",
)


class Output:
    """Prints and keeps every line for ``var/bench/latest.txt``."""

    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.extend(str(text).splitlines() or [""])

    def write(self, text: str) -> None:  # file-like, for stdout= of the scale and extra hooks
        for line in text.rstrip("\n").splitlines():
            self(line)

    def flush(self) -> None:
        pass


out = Output()


class BenchReport:
    """Handed to ``<app>.bench.extra(report)``: where the server runs and a place for extra figures."""

    def __init__(self, *, base_url: str, serve_env: dict, load_env: dict, database_url: str, tokens: dict):
        self.base_url = base_url
        self.serve_env = serve_env
        self.load_env = load_env
        self.database_url = database_url
        self.redis_url = REDIS_URL
        self.tokens = tokens
        self.sections: list[tuple[str, object]] = []

    def add(self, title: str, value) -> None:
        self.sections.append((title, value))
        out(f"[{title}]")
        if isinstance(value, dict):
            for k, v in value.items():
                out(f"  {k:<40} {v:.3f}" if isinstance(v, float) else f"  {k:<40} {v}")
        else:
            out(f"  {value}")

    def line(self, text: str) -> None:
        out(text)


BUSY_FACTOR = 0.75  # a 1-minute load average above this share of the CPUs (before our own work) is "busy"


def load_note() -> str:
    """The load average, with a warning when the machine is busy (figures then read high and noisy)."""
    try:
        one = os.getloadavg()[0]
    except OSError:
        return "load average ?"
    cpus = os.cpu_count() or 1
    warning = (
        f" — WARNING: busy machine (> {BUSY_FACTOR:g} × {cpus} CPUs), figures read high"
        if one > BUSY_FACTOR * cpus
        else ""
    )
    return f"load average {loadavg()}{warning}"


class Step:
    """One section of the run: its load average before and after, its duration."""

    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        out(f"== {self.label}")
        out(f"   before: {load_note()}")
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.elapsed = time.perf_counter() - self.t0
        if exc[0] is None:
            out(f"   ({self.elapsed:.1f} s) after: {load_note()}")


# ---------------------------------------------------------------------------------------------- services


def port_open(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


def ensure_services() -> None:
    """PostgreSQL and Redis must answer; start them if installed but stopped (as ``make test`` does)."""
    if not port_open(5432) and Path("/etc/postgresql").is_dir():
        version = sorted(os.listdir("/etc/postgresql"))[0]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
        for _ in range(20):
            if port_open(5432):
                break
            time.sleep(0.5)
    if (
        not port_open(REDIS_PORT)
        and subprocess.run(["which", "redis-server"], capture_output=True).returncode == 0
    ):
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=False,
            capture_output=True,
        )
        for _ in range(20):
            if port_open(REDIS_PORT):
                break
            time.sleep(0.3)
    missing = [
        name
        for name, port in (
            ("PostgreSQL at 127.0.0.1:5432", 5432),
            (f"Redis at 127.0.0.1:{REDIS_PORT}", REDIS_PORT),
        )
        if not port_open(port)
    ]
    if missing:
        raise SystemExit("make bench needs " + " and ".join(missing) + " (see ../shared/MACHINE.md)")


def recreate_database(name: str) -> None:
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(dbname="postgres", **PG)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def database_exists(name: str) -> bool:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", **PG)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cur.fetchone() is not None
    finally:
        conn.close()


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()


def loadavg() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def manage(args: list[str], env: dict, *, timeout: int = 600, echo: bool = False) -> str:
    proc = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if echo or proc.returncode:
        out.write(proc.stdout)
    if proc.returncode:
        out.write(proc.stderr[-6000:])
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({proc.returncode})")
    return proc.stdout


class Processes:
    """Every process this run started, stopped by its own id (and its process group) at the end."""

    def __init__(self):
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, label: str, cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
        log.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append((label, proc))
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        self.procs = [(label, p) for label, p in self.procs if p is not proc]

    def stop_all(self) -> None:
        for label, proc in list(reversed(self.procs)):
            self.stop(proc)
            out(f"   stopped {label} (pid {proc.pid})")


# ---------------------------------------------------------------------------------------------- HTTP


class Http:
    """A tiny client for the set-up requests (tokens, logins, captures): loopback only, manual cookies."""

    def __init__(self, port: int):
        self.port = port

    def request(
        self, method: str, path: str, *, body: bytes | str | None = None, headers: dict | None = None
    ):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request(
                method, path, body=body.encode() if isinstance(body, str) else body, headers=headers or {}
            )
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, resp.getheaders(), data
        finally:
            conn.close()


def set_cookies(headers) -> dict[str, str]:
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            if "=" in pair:
                k, v = pair.split("=", 1)
                cookies[k.strip()] = v.strip()
    return cookies


def header(headers, name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def get_token(client: Http, username: str) -> str:
    status, _, data = client.request(
        "POST",
        "/api/v1/auth/token",
        body=json.dumps({"username": username, "password": DEMO_PASSWORD}),
        headers={"Content-Type": "application/json"},
    )
    if status != 200:
        raise RuntimeError(f"token for {username}: HTTP {status} {data[:300]!r}")
    return json.loads(data)["token"]


def login_session(client: Http, username: str) -> dict[str, str]:
    status, headers, _ = client.request("GET", "/accounts/login/")
    cookies = set_cookies(headers)
    csrf = next((v for k, v in cookies.items() if "csrf" in k.lower()), None)
    if status != 200 or not csrf:
        raise RuntimeError(f"login page: HTTP {status}, no CSRF cookie")
    form = urlencode(
        {"csrfmiddlewaretoken": csrf, "username": username, "password": DEMO_PASSWORD, "next": "/dashboard/"}
    )
    status, headers, data = client.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies)},
    )
    cookies.update(set_cookies(headers))
    if status != 302 or not any("session" in k.lower() for k in cookies):
        raise RuntimeError(f"session login for {username}: HTTP {status} {data[:200]!r}")
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def request_headers(ep: discovery.Endpoint, tokens: dict, sessions: dict) -> dict:
    headers = {"Accept": "application/json" if ep.is_api else "text/html"}
    if ep.json is not None:
        headers["Content-Type"] = "application/json"
    if ep.user:
        if ep.is_api:
            headers["Authorization"] = f"Bearer {tokens[ep.user]}"
        else:
            cookies = sessions[ep.user]
            headers["Cookie"] = cookie_header(cookies)
            csrf = next((v for k, v in cookies.items() if "csrf" in k.lower()), None)
            if csrf and ep.method != "GET":
                headers["X-CSRFToken"] = csrf
    return headers


# ---------------------------------------------------------------------------------------------- main


def django_setup(load_env: dict) -> None:
    for key in SCRUB:
        os.environ.pop(key, None)
    os.environ.update(
        {k: v for k, v in load_env.items() if k.startswith(("DJANGO_", "DATABASE_", "JIANFU_"))}
    )
    import django

    django.setup()


def static_fingerprint() -> str:
    """A hash of every static source file (path, size, mtime): collectstatic runs again only when it changes."""
    import hashlib

    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            st = os.stat(storage.path(path))
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def extras(modules: dict, report: BenchReport, procs: Processes, load_env: dict, args) -> None:
    for app, module in modules.items():
        hook = getattr(module, "extra", None)
        if hook is not None:
            with Step(f"{app}.bench.extra(report)"):
                try:
                    hook(report)
                except Exception:
                    out(f"   {app}.bench.extra failed:\n{traceback.format_exc()}")
    cert = modules.get("certificates")
    pdf_bench = getattr(cert, "pdf_bench", None) if cert else None
    if pdf_bench is not None:
        with Step("certificates.bench.pdf_bench()"):
            try:
                result = pdf_bench()
                report.add(
                    "PDF render (certificates.bench.pdf_bench)",
                    result if isinstance(result, dict) else {"result": result},
                )
            except Exception:
                out(f"   pdf_bench failed:\n{traceback.format_exc()}")
    from django.core.management import get_commands

    if "certificates_bench_batch" not in get_commands():
        out("   (no certificates_bench_batch command yet: batch throughput skipped)")
        return
    if args.skip_batch:
        out("   (--skip-batch: certificates batch skipped)")
        return
    with Step(f"certificates_bench_batch with two Celery workers ({REDIS_URL})"):
        worker_env = dict(load_env, REDIS_URL=REDIS_URL, CELERY_BROKER_URL=REDIS_URL, JIANFU_CELERY_EAGER="0")
        log = VAR / "celery.log"
        worker = procs.start(
            "celery worker (2 prefork worker processes)",
            [
                CELERY,
                "-A",
                "portal",
                "worker",
                "--concurrency",
                "2",
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"bench-{os.getpid()}@%h",
            ],
            worker_env,
            log,
        )
        deadline = time.time() + 60
        while "ready" not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.time() > deadline:
                raise RuntimeError("celery worker did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        try:
            help_text = manage(["help", "certificates_bench_batch"], worker_env)
            cmd = ["certificates_bench_batch"]
            if "--count" in help_text:
                cmd += ["--count", str(args.batch_count)]
            if "--timeout" in help_text:  # the command then reports what was rendered in time
                cmd += ["--timeout", str(args.batch_timeout)]
            t0 = time.perf_counter()
            try:
                proc = subprocess.run(
                    [PY, "manage.py", *cmd],
                    cwd=ROOT,
                    env=worker_env,
                    capture_output=True,
                    text=True,
                    timeout=args.batch_timeout + 300,
                )
                text = (
                    proc.stdout.strip() + ("\n" + proc.stderr.strip()[-600:] if proc.returncode else "")
                ).strip()
            except subprocess.TimeoutExpired:
                text = f"killed after {args.batch_timeout + 300} s"
            elapsed = time.perf_counter() - t0
            report.add(
                "certificates batch: " + " ".join(cmd) + ", two worker processes (prefork)",
                {"output": text or "-", "command wall time s": elapsed},
            )
        finally:
            procs.stop(worker)


def build_database(name: str, env: dict, *, streets: int, communities: int, reuse: bool, label: str) -> None:
    """(Re)create, migrate, load the demo and the generated data of one size (kept when ``reuse`` and full)."""
    keep = reuse and database_exists(name)
    with Step(f"{label}: database {name} " + ("(reused)" if keep else "(re)created") + " and migrated"):
        if not keep:
            recreate_database(name)
        manage(["migrate", "--noinput", "-v0"], env)
    if keep:
        have = json.loads(
            subprocess.run(
                [
                    PY,
                    "-c",
                    "import django, json; django.setup(); from portal import scale; print(json.dumps(scale.counts()))",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        if have.get("communities", 0) >= communities:
            out(f"   {label}: data kept ({have.get('communities')} communities)")
            return
    with Step(f"{label}: demo data (load_demo, base settings)"):
        manage(["load_demo"], env)
    with Step(
        f"{label}: generated data (generate_scale_data --reset, {streets} streets, {communities} communities)"
    ):
        manage(
            ["generate_scale_data", "--reset", "--streets", str(streets), "--communities", str(communities)],
            env,
            timeout=3600,
            echo=True,
        )


DISCOVER_CODE = """
import django, json, sys
django.setup()
sys.path.insert(0, {root!r})
from bench import discovery
found = discovery.discover()
print(json.dumps({{"endpoints": [e.__dict__ for e in found.endpoints], "problems": found.problems,
                  "modules": list(found.modules)}}, ensure_ascii=False))
"""


def discover_in(env: dict) -> discovery.Discovery:
    """The endpoints as seen from one database (verify codes and the like are read from it)."""
    proc = subprocess.run(
        [PY, "-c", DISCOVER_CODE.format(root=str(ROOT))], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if proc.returncode:
        raise RuntimeError("endpoint discovery failed:\n" + proc.stderr[-3000:])
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    found = discovery.Discovery(
        endpoints=[discovery.Endpoint(**e) for e in data["endpoints"]], problems=data["problems"]
    )
    return found


def start_server(procs: Processes, env: dict, args, label: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    with Step(
        f"{label}: gunicorn on 127.0.0.1:{port}: {args.workers} gthread workers × {args.threads} threads, "
        "bench.settings (production + X-Query-Count), DEBUG off"
    ):
        log = VAR / f"gunicorn-{label}.log"
        server = procs.start(
            f"gunicorn ({label})",
            [
                GUNICORN,
                "portal.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--keep-alive",
                "5",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env,
            log,
        )
        client = Http(port)
        deadline = time.time() + 90
        while True:
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + log.read_text()[-4000:])
            try:
                if client.request("GET", "/api/v1/orgs?level=district")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("gunicorn did not answer within 90 s")
            time.sleep(0.3)
    return server, port


def capture(port: int, endpoints: list, bodies: Path, args, label: str) -> tuple[list[dict], dict]:
    """Tokens, sessions, one captured response per endpoint (the bare twin's bytes), and the load jobs."""
    client = Http(port)
    with Step(f"{label}: tokens, sessions and one captured response per endpoint"):
        tokens, sessions = {}, {}
        for ep in endpoints:
            if ep.user and ep.is_api and ep.user not in tokens:
                tokens[ep.user] = get_token(client, ep.user)
            if ep.user and not ep.is_api and ep.user not in sessions:
                sessions[ep.user] = login_session(client, ep.user)
        jobs = []
        for ep in endpoints:
            headers = request_headers(ep, tokens, sessions)
            body = json.dumps(ep.json, ensure_ascii=False) if ep.json is not None else None
            st, resp_headers, data = client.request(ep.method, ep.path, body=body, headers=headers)
            (bodies / f"{ep.slug}.body").write_bytes(data)
            (bodies / f"{ep.slug}.json").write_text(
                json.dumps({"status": st, "content_type": header(resp_headers, "Content-Type")})
            )
            if st >= 400:
                out(f"   ! {ep.name}: {ep.method} {ep.path} answers {st}: {data[:160]!r}")
            jobs.append(
                {"key": ep.slug, "method": ep.method, "path": ep.path, "headers": headers, "body": body}
            )
            jobs.append(
                {
                    "key": f"{ep.slug}#bare",
                    "method": ep.method,
                    "path": f"/__bench__/bare/{ep.slug}",
                    "headers": {"Content-Type": "application/json"} if body is not None else {},
                    "body": body,
                    "duration": args.bare_duration,
                }
            )
    return jobs, tokens


def run_load(spec: dict, timeout: float) -> dict:
    proc = subprocess.run(
        [PY, "-m", "bench.load"],
        cwd=ROOT,
        env=dict({k: v for k, v in os.environ.items() if k not in SCRUB}, PYTHONDONTWRITEBYTECODE="1"),
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    sys.stderr.write(proc.stderr)
    if proc.returncode:
        raise RuntimeError("load generator failed:\n" + proc.stderr[-4000:])
    return json.loads(proc.stdout)


def measure(port: int, endpoints: list, jobs: list[dict], args, label: str) -> list[dict]:
    with Step(
        f"{label}: load: {args.concurrency} client threads in a second process, ≤{args.max_requests} requests "
        f"and ≤{args.duration:g} s per endpoint (≤{args.bare_duration:g} s per bare twin)"
    ):
        spec = {
            "host": HOST,
            "port": port,
            "concurrency": args.concurrency,
            "duration": args.duration,
            "max_requests": args.max_requests,
            "warmup": args.warmup,
            "jobs": jobs,
        }
        measured = run_load(spec, 120 + len(jobs) * (args.duration + 30))
    return [
        {
            "name": ep.name,
            "method": ep.method,
            "path": ep.path,
            "run": measured.get(ep.slug),
            "bare": measured.get(f"{ep.slug}#bare"),
        }
        for ep in endpoints
    ]


#: The mixed scenario: what a working day's traffic is made of (relative weights).
MIXED = [
    # residents
    ("certificates:verify_api", 12),
    ("certificates:verify_page", 6),
    ("checklists: community list page", 14),
    ("checklists: community checklist API", 6),
    ("evaluations-results-page", 6),
    ("certificates:catalogue_page", 4),
    # community staff
    ("taskcheck:task-check", 12),
    ("taskcheck:task-check page", 6),
    ("dashboard_community_staff", 4),
    ("certificates:review_queue", 4),
    ("admission:community_inbox_page", 2),
    # officials
    ("admission:request_list_page", 6),
    ("admission:api_request_list", 3),
    ("admission:inbox_page", 3),
    ("admission:request_detail_page", 3),
    ("evaluations-results-page-district", 3),
]


def mixed_jobs(jobs: list[dict], endpoints: list) -> list[dict]:
    """The jobs of the mixed scenario with their weights (a name no endpoint has is reported)."""
    by_name = {ep.name: ep.slug for ep in endpoints}
    missing = [name for name, _ in MIXED if name not in by_name]
    if missing:
        out(f"   ! mixed load: no endpoint named {', '.join(missing)}")
    by_key = {j["key"]: j for j in jobs}
    chosen = []
    for name, weight in MIXED:
        slug = by_name.get(name)
        if slug and slug in by_key:
            chosen.append(dict(by_key[slug], weight=weight, name=name))
    return chosen


def density_section(port: int, prepared: list[dict], bodies: Path, args) -> dict:
    """Each density endpoint for the community with many admitted tasks and the one with few."""
    from bench import density

    eps, names = [], []
    taken: set[str] = set()
    problems: list[str] = []
    for row in prepared:
        entries = [
            dict(e, name=f"{e['name']} @ {row['tasks']} tasks") for e in density.endpoints(row["community"])
        ]
        eps.extend(discovery.endpoints_from("density", entries, taken, problems))
        names.append(row["tasks"])
    jobs, _ = capture(port, eps, bodies, args, "density")
    jobs = [j for j in jobs if not j["key"].endswith("#bare")]
    measured = measure(port, eps, jobs, args, "density")
    by_name = {r["name"]: r for r in measured}
    many, few = max(names), min(names)
    rows = []
    for e in density.endpoints(prepared[0]["community"]):
        big = (by_name.get(f"density:{e['name']} @ {many} tasks") or {}).get("run") or {}
        small = (by_name.get(f"density:{e['name']} @ {few} tasks") or {}).get("run") or {}
        value = None
        if big.get("median_ms") and small.get("median_ms"):
            value = big["median_ms"] / small["median_ms"]
        rows.append((e["name"], big, small, value))
    out("")
    out(
        f"Density — one community with {many} admitted tasks beside one with {few} (median ms; target ratio ≤ 2)"
    )
    lines = [("endpoint", f"{many} tasks", f"{few} tasks", "ratio", f"SQL {many}", f"SQL {few}", "")]
    for name, big, small, value in rows:
        lines.append(
            (
                name,
                f"{big.get('median_ms') or 0:.1f}",
                f"{small.get('median_ms') or 0:.1f}",
                f"{value:.2f}" if value else "-",
                str(big.get("queries_max", "-")),
                str(small.get("queries_max", "-")),
                "" if value is not None and value <= 2 else "over",
            )
        )
    from bench.stats import _text_table

    out(_text_table(lines[0], lines[1:]))
    return {"prepared": prepared, "results": measured}


def compare(old_path: str, new_path: str) -> int:
    from bench.stats import format_compare_table

    def results_of(path):
        data = json.loads(Path(path).read_text())
        return data["results"] if isinstance(data, dict) else data

    old, new = results_of(old_path), results_of(new_path)
    print(f"{old_path} → {new_path} (median and p95 in ms; 'x bare' = median / bare median of that run)")
    print(format_compare_table(old, new))
    for path in (old_path, new_path):
        data = json.loads(Path(path).read_text())
        if isinstance(data, dict) and data.get("load"):
            print(f"{path}: load average {data['load']}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("JIANFU_BENCH_DB", "jianfu_bench"))
    parser.add_argument(
        "--small-db",
        default=os.environ.get("JIANFU_BENCH_SMALL_DB", "jianfu_bench_small"),
        help="the small-scale database (~1%% of Tianjin), built in the same run",
    )
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep existing bench databases and their data"
    )
    parser.add_argument("--duration", type=float, default=2.5, help="seconds per endpoint at most")
    parser.add_argument("--bare-duration", type=float, default=1.5, help="seconds per bare twin at most")
    parser.add_argument("--max-requests", type=int, default=300, help="requests per endpoint at most")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (keep-alive connections)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests before each run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--streets", type=int, default=300)
    parser.add_argument("--communities", type=int, default=5600)
    parser.add_argument(
        "--only", action="append", help="only endpoints whose name contains this (repeatable)"
    )
    parser.add_argument("--skip-small", action="store_true", help="no small-scale database and ratio table")
    parser.add_argument("--skip-density", action="store_true")
    parser.add_argument("--skip-mixed", action="store_true")
    parser.add_argument("--mixed-steps", default="4,8,16,32")
    parser.add_argument("--mixed-duration", type=float, default=10.0, help="seconds per mixed step")
    parser.add_argument("--skip-extras", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--batch-count", type=int, default=1000, help="certificates in the batch")
    parser.add_argument("--batch-timeout", type=int, default=420, help="seconds to wait for the batch's PDFs")
    parser.add_argument(
        "--compare", nargs=2, metavar=("OLD", "NEW"), help="compare two runs' var/bench/*.json and exit"
    )
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)

    started = time.perf_counter()
    stamp_name = time.strftime("%Y%m%d-%H%M%S")
    VAR.mkdir(parents=True, exist_ok=True)
    bodies_root = VAR / "bodies"
    bodies_root.mkdir(exist_ok=True)
    for sub in ("tianjin", "small", "density"):
        (bodies_root / sub).mkdir(exist_ok=True)
        for old in (bodies_root / sub).iterdir():
            old.unlink()

    def url_of(db):
        return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db}"

    database_url = url_of(args.db)
    base = {k: v for k, v in os.environ.items() if k not in SCRUB}
    secret_key = secrets.token_urlsafe(64)
    field_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    common = dict(
        base,
        PYTHONDONTWRITEBYTECODE="1",
        DATABASE_URL=database_url,
        # The same keys for loading and serving: data encrypted or signed while loading must read back.
        JIANFU_SECRET_KEY=secret_key,
        JIANFU_FIELD_KEY=field_key,
        JIANFU_MEDIA_ROOT=str(VAR / "media"),
        JIANFU_STATIC_ROOT=str(VAR / "static"),
        JIANFU_LOG_LEVEL="WARNING",
    )
    load_env = dict(common, DJANGO_SETTINGS_MODULE="portal.settings.base")
    serve_env = dict(
        common,
        DJANGO_SETTINGS_MODULE="bench.settings",
        JIANFU_BENCH="1",
        JIANFU_ALLOWED_HOSTS="127.0.0.1,localhost",
        REDIS_URL=REDIS_URL,
        CELERY_BROKER_URL=REDIS_URL,
        JIANFU_SSL_REDIRECT="0",
        JIANFU_REQUIRE_2FA="0",
        # All load comes from one address: measure the verification, not its throttle.
        JIANFU_VERIFY_THROTTLE_PER_MINUTE="1000000",
        JIANFU_DB_CONN_MAX_AGE="60",
        JIANFU_BENCH_BODIES=str(bodies_root / "tianjin"),
    )
    small_load_env = dict(
        load_env, DATABASE_URL=url_of(args.small_db), JIANFU_MEDIA_ROOT=str(VAR / "media-small")
    )
    small_serve_env = dict(
        serve_env,
        DATABASE_URL=url_of(args.small_db),
        JIANFU_MEDIA_ROOT=str(VAR / "media-small"),
        JIANFU_BENCH_BODIES=str(bodies_root / "small"),
    )
    small_streets = max(1, round(args.streets / 100))
    small_communities = max(1, round(args.communities / 100))

    procs = Processes()
    record: dict = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "cpus": os.cpu_count(),
        "load_start": loadavg(),
        "args": {k: v for k, v in vars(args).items() if k != "compare"},
    }

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    status = 0
    out(
        f"make bench — {time.strftime('%Y-%m-%d %H:%M:%S')} — databases {args.db} (Tianjin) and "
        f"{args.small_db} (small), Redis {REDIS_URL}"
    )
    out(f"machine: {os.cpu_count()} CPUs, {load_note()} (other work on the machine skews the figures)")
    try:
        ensure_services()
        build_database(
            args.db,
            load_env,
            streets=args.streets,
            communities=args.communities,
            reuse=args.reuse_db,
            label="Tianjin",
        )
        if not args.skip_small:
            build_database(
                args.small_db,
                small_load_env,
                streets=small_streets,
                communities=small_communities,
                reuse=args.reuse_db,
                label="small",
            )
        django_setup(load_env)

        prepared = []
        if not args.skip_density:
            from bench import density

            with Step("density: one community topped up to 1,000 admitted tasks, one to 10"):
                prepared = density.prepare(counts=(1000, 10))
                out(f"   {prepared}")
        from django.db import connections

        connections.close_all()

        found = discover_in(load_env)
        for problem in found.problems:
            out(f"   ! {problem}")
        endpoints = found.endpoints
        if args.only:
            endpoints = [e for e in endpoints if any(o in e.name for o in args.only)]
        modules, _ = discovery.import_bench_modules()
        out(f"== {len(endpoints)} endpoints (app bench modules: {', '.join(modules) or 'none yet'})")

        fingerprint, stamp = static_fingerprint(), VAR / "static" / ".bench-fingerprint"
        if (
            stamp.exists()
            and stamp.read_text() == fingerprint
            and (VAR / "static" / "staticfiles.json").exists()
        ):
            out("== collectstatic skipped: static sources unchanged since the last bench run")
        else:
            with Step("collectstatic (hashed manifest storage)"):
                manage(["collectstatic", "--noinput", "-v0"], serve_env)
                stamp.write_text(fingerprint)

        small_results = []
        if not args.skip_small:
            small_found = discover_in(small_load_env)
            small_endpoints = small_found.endpoints
            if args.only:
                small_endpoints = [e for e in small_endpoints if any(o in e.name for o in args.only)]
            flush_redis()
            server, port = start_server(procs, small_serve_env, args, "small")
            small_jobs, _ = capture(port, small_endpoints, bodies_root / "small", args, "small")
            small_results = measure(port, small_endpoints, small_jobs, args, "small")
            procs.stop(server)

        flush_redis()
        server, port = start_server(procs, serve_env, args, "Tianjin")
        jobs, tokens = capture(port, endpoints, bodies_root / "tianjin", args, "Tianjin")
        results = measure(port, endpoints, jobs, args, "Tianjin")
        record["results"] = results
        record["small"] = small_results

        out("")
        out(
            f"Results — {len(endpoints)} endpoints, Tianjin scale; latencies in ms at {args.concurrency} concurrent "
            "clients; 'x bare' = median / median of the bare Django view returning the same bytes (same server, "
            "same run); SQL/req from X-Query-Count (most common value, max in brackets)"
        )
        out(format_table(results))
        for ep, r in zip(endpoints, results, strict=True):
            errors = (r["run"] or {}).get("errors")
            if errors:
                out(f"   ! {ep.name}: connection errors {errors}")
        from bench.stats import format_scale_table, ratio, scale_rows, slowest

        out("")
        out("Slowest ten (median / bare median) — targets: median ≤ 10 × bare, p95 ≤ 20 × bare median")
        out(format_table(slowest(results, 10)))
        over = []
        for r in results:
            run, bare = r.get("run") or {}, r.get("bare") or {}
            med_x = ratio(run.get("median_ms"), bare.get("median_ms"))
            p95_x = ratio(run.get("p95_ms"), bare.get("median_ms"))
            if (med_x or 0) > 10 or (p95_x or 0) > 20:
                over.append(f"{r['name']} (median {med_x or 0:.1f}×, p95 {p95_x or 0:.1f}× bare median)")
            if (run.get("queries_max") or 0) > 12:
                over.append(f"{r['name']} ({run.get('queries_max')} SQL queries > 12)")
        out("   over a target: " + ("; ".join(over) if over else "none"))
        out(f"   {load_note()}")
        if small_results:
            out("")
            out(
                f"Cost in data size — median at Tianjin scale / median at small scale ({small_streets} streets, "
                f"{small_communities} communities, ~1% of every table), target ≤ 1.3"
            )
            rows = scale_rows(results, small_results)
            out(format_scale_table(rows))
            record["scale"] = rows
            changed = [
                r["name"] for r in rows if r["large_sql"] is not None and r["large_sql"] != r["small_sql"]
            ]
            out(
                "   SQL per request differs with data size: " + (", ".join(changed) if changed else "nowhere")
            )
        if prepared:
            record["density"] = density_section(port, prepared, bodies_root / "density", args)
        out("")

        if not args.skip_mixed:
            from bench.stats import format_mixed_table

            mjobs = mixed_jobs(jobs, endpoints)
            steps = [int(x) for x in args.mixed_steps.split(",") if x.strip()]
            with Step(
                f"mixed load: {len(mjobs)} kinds of request in a working day's proportions, "
                f"{args.mixed_duration:g} s per step, clients {steps}"
            ):
                mixed = run_load(
                    {
                        "host": HOST,
                        "port": port,
                        "mixed": True,
                        "steps": steps,
                        "duration": args.mixed_duration,
                        "jobs": mjobs,
                    },
                    120 + len(steps) * (args.mixed_duration + 60),
                )
            table, best = format_mixed_table(mixed)
            out("")
            out("Mixed load — " + ", ".join(f"{j['name']} ×{j['weight']}" for j in mjobs))
            out(table)
            out(f"   highest step with p95 < 300 ms and no error: {best if best is not None else 'none'}")
            for key, r in mixed.items():
                if r.get("errors"):
                    out(f"   ! {key} clients: {r['errors']}")
            record["mixed"] = mixed
            out("")

        if not args.skip_extras:
            report = BenchReport(
                base_url=f"http://{HOST}:{port}",
                serve_env=serve_env,
                load_env=load_env,
                database_url=database_url,
                tokens=tokens,
            )
            extras(modules, report, procs, load_env, args)
            record["extras"] = [(title, value) for title, value in report.sections]
    except KeyboardInterrupt as exc:
        out(f"interrupted ({exc})")
        status = 130
    except Exception:
        out("bench failed:\n" + traceback.format_exc())
        status = 1
    finally:
        procs.stop_all()
        try:
            flush_redis()
        except Exception:
            pass
        out(f"total {time.perf_counter() - started:.0f} s; {load_note()}")
        record["load_end"] = loadavg()
        record["load"] = f"{record['load_start']} at the start, {record['load_end']} at the end"
        (VAR / "latest.txt").write_text("\n".join(out.lines) + "\n")
        raw = VAR / f"run-{stamp_name}.json"
        raw.write_text(json.dumps(record, ensure_ascii=False, default=str))
        (VAR / "latest.json").write_text(raw.read_text())
        print(
            f"(written to {VAR / 'latest.txt'}; raw timings in {raw} — compare two runs with "
            f"scripts/bench.py --compare OLD.json NEW.json)"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
