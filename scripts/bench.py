#!/usr/bin/env python
"""``make bench``: the portal under gunicorn with production-like settings on PostgreSQL at Tianjin scale.

    .venv/bin/python scripts/bench.py [--duration 2.5] [--max-requests 300] [--concurrency 4] [--only NAME] …

1. (Re)creates the PostgreSQL database ``jianfu_bench`` (127.0.0.1:5432, user postgres), migrates, loads the demo
   (``load_demo``, base settings: production settings refuse demo data) and the Tianjin-scale data
   (``generate_scale_data --reset``: 16 districts, ~300 streets, 5,600 communities, their staff, app data).
2. Serves it with gunicorn (2 gthread workers) under ``bench.settings`` = ``portal.settings.production`` plus an
   ``X-Query-Count`` header and the bare baseline view, with Redis db 14, DEBUG off, on a free local port.
3. Captures each endpoint's response once, then drives every endpoint and its bare twin (a Django view that
   returns the captured bytes, same server, same run) from a second process (``python -m bench.load``),
   bounded in requests and time, only on 127.0.0.1.
4. Prints per endpoint: median and p95 latency, requests per second, SQL queries per request, and the ratio to
   the bare view; then the apps' extras (``<app>.bench.extra(report)``, ``certificates.bench.pdf_bench()``,
   the ``certificates_bench_batch`` command with two Celery workers). Results also go to ``var/bench/latest.txt``.

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
from urllib.parse import urlencode

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
REDIS_URL = "redis://127.0.0.1:6379/14"
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


class Step:
    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        out(f"== {self.label}")
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.elapsed = time.perf_counter() - self.t0
        if exc[0] is None:
            out(f"   ({self.elapsed:.1f} s)")


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
    if not port_open(6379) and subprocess.run(["which", "redis-server"], capture_output=True).returncode == 0:
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=False,
            capture_output=True,
        )
        for _ in range(20):
            if port_open(6379):
                break
            time.sleep(0.3)
    missing = [
        name
        for name, port in (("PostgreSQL at 127.0.0.1:5432", 5432), ("Redis at 127.0.0.1:6379", 6379))
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
    with Step("certificates_bench_batch with two Celery workers (Redis db 14)"):
        worker_env = dict(load_env, REDIS_URL=REDIS_URL, CELERY_BROKER_URL=REDIS_URL, JIANFU_CELERY_EAGER="0")
        log = VAR / "celery.log"
        worker = procs.start(
            "celery worker (concurrency 2)",
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
                "certificates batch: " + " ".join(cmd) + ", 1 worker process × concurrency 2",
                {"output": text or "-", "command wall time s": elapsed},
            )
        finally:
            procs.stop(worker)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("JIANFU_BENCH_DB", "jianfu_bench"))
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep an existing bench database and its data"
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
    parser.add_argument("--skip-extras", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--batch-count", type=int, default=1000, help="certificates in the batch")
    parser.add_argument("--batch-timeout", type=int, default=420, help="seconds to wait for the batch's PDFs")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    VAR.mkdir(parents=True, exist_ok=True)
    bodies = VAR / "bodies"
    bodies.mkdir(exist_ok=True)
    for old in bodies.iterdir():
        old.unlink()

    database_url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{args.db}"
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
        JIANFU_BENCH_BODIES=str(bodies),
    )

    procs = Processes()

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    status = 0
    out(f"make bench — {time.strftime('%Y-%m-%d %H:%M:%S')} — database {args.db}, Redis db 14")
    out(
        f"machine: {os.cpu_count()} CPUs, load average {loadavg()} (other work on the machine skews the figures)"
    )
    try:
        ensure_services()
        reuse = args.reuse_db and database_exists(args.db)
        with Step("database " + ("(reused)" if reuse else "(re)created") + " and migrated"):
            if not reuse:
                recreate_database(args.db)
            manage(["migrate", "--noinput", "-v0"], load_env)
        django_setup(load_env)
        from portal import scale

        if not (reuse and scale.counts()["communities"] >= args.communities):
            with Step("demo data (load_demo, base settings)"):
                manage(["load_demo"], load_env)
            with Step(
                f"Tianjin-scale data (generate_scale_data --reset, {args.streets} streets, "
                f"{args.communities} communities)"
            ) as gen:
                manage(
                    [
                        "generate_scale_data",
                        "--reset",
                        "--streets",
                        str(args.streets),
                        "--communities",
                        str(args.communities),
                    ],
                    load_env,
                    echo=True,
                )
            out(f"   generate_scale_data took {gen.elapsed:.1f} s")
        from django.db import connections

        connections.close_all()

        found = discovery.discover()
        for problem in found.problems:
            out(f"   ! {problem}")
        endpoints = found.endpoints
        if args.only:
            endpoints = [e for e in endpoints if any(o in e.name for o in args.only)]
        apps_with_bench = ", ".join(found.modules) or "none yet"
        out(f"== {len(endpoints)} endpoints (app bench modules: {apps_with_bench})")

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
        flush_redis()

        port = free_port()
        with Step(
            f"gunicorn on 127.0.0.1:{port}: {args.workers} gthread workers × {args.threads} threads, "
            "bench.settings (production + X-Query-Count), DEBUG off"
        ):
            server = procs.start(
                "gunicorn",
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
                serve_env,
                VAR / "gunicorn.log",
            )
            client = Http(port)
            deadline = time.time() + 60
            while True:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn exited:\n" + (VAR / "gunicorn.log").read_text()[-4000:])
                try:
                    if client.request("GET", "/api/v1/orgs?level=district")[0] == 200:
                        break
                except OSError:
                    pass
                if time.time() > deadline:
                    raise RuntimeError("gunicorn did not answer within 60 s")
                time.sleep(0.3)

        with Step("tokens, sessions and one captured response per endpoint"):
            tokens, sessions = {}, {}
            for ep in endpoints:
                if ep.user and ep.is_api and ep.user not in tokens:
                    tokens[ep.user] = get_token(client, ep.user)
                if ep.user and not ep.is_api and ep.user not in sessions:
                    sessions[ep.user] = login_session(client, ep.user)
            jobs, captured = [], {}
            for ep in endpoints:
                headers = request_headers(ep, tokens, sessions)
                body = json.dumps(ep.json, ensure_ascii=False) if ep.json is not None else None
                st, resp_headers, data = client.request(ep.method, ep.path, body=body, headers=headers)
                captured[ep.slug] = {
                    "status": st,
                    "bytes": len(data),
                    "queries": header(resp_headers, "X-Query-Count"),
                }
                (bodies / f"{ep.slug}.body").write_bytes(data)
                (bodies / f"{ep.slug}.json").write_text(
                    json.dumps({"status": st, "content_type": header(resp_headers, "Content-Type")})
                )
                if st >= 400:
                    out(f"   ! {ep.name}: {ep.method} {ep.path} answers {st}: {data[:160]!r}")
                jobs.append(
                    {
                        "key": f"{ep.slug}",
                        "method": ep.method,
                        "path": ep.path,
                        "headers": headers,
                        "body": body,
                    }
                )
                bare_headers = {"Content-Type": "application/json"} if body is not None else {}
                jobs.append(
                    {
                        "key": f"{ep.slug}#bare",
                        "method": ep.method,
                        "path": f"/__bench__/bare/{ep.slug}",
                        "headers": bare_headers,
                        "body": body,
                        "duration": args.bare_duration,
                    }
                )

        with Step(
            f"load: {args.concurrency} client threads in a second process, ≤{args.max_requests} requests and "
            f"≤{args.duration:g} s per endpoint (≤{args.bare_duration:g} s per bare twin)"
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
            timeout = 120 + len(jobs) * (args.duration + 30)
            proc = subprocess.run(
                [PY, "-m", "bench.load"],
                cwd=ROOT,
                env=dict(base, PYTHONDONTWRITEBYTECODE="1"),
                input=json.dumps(spec),
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            sys.stderr.write(proc.stderr)
            if proc.returncode:
                raise RuntimeError("load generator failed:\n" + proc.stderr[-4000:])
            measured = json.loads(proc.stdout)

        results = [
            {
                "name": ep.name,
                "method": ep.method,
                "path": ep.path,
                "run": measured.get(ep.slug),
                "bare": measured.get(f"{ep.slug}#bare"),
            }
            for ep in endpoints
        ]
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
        out("")
        (VAR / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))

        if not args.skip_extras:
            report = BenchReport(
                base_url=f"http://{HOST}:{port}",
                serve_env=serve_env,
                load_env=load_env,
                database_url=database_url,
                tokens=tokens,
            )
            extras(found.modules, report, procs, load_env, args)
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
        out(f"total {time.perf_counter() - started:.0f} s; load average now {loadavg()}")
        (VAR / "latest.txt").write_text("\n".join(out.lines) + "\n")
        print(f"(written to {VAR / 'latest.txt'})")
    return status


if __name__ == "__main__":
    sys.exit(main())
