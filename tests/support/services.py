"""Which real services answer here. Tests that need one are marked and skipped with the reason when it is
missing, unless JIANFU_REQUIRE_SERVICES=1 (CI), where a missing service fails the run."""

import os
import socket
from urllib.parse import urlparse


def require_services() -> bool:
    return os.environ.get("JIANFU_REQUIRE_SERVICES") == "1"


def redis_url() -> str:
    return (
        os.environ.get("JIANFU_TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    )


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(redis_url(), socket_connect_timeout=1).ping())
    except Exception:
        return False


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, without persistence (a restart loses everything, like a crash of a
    Redis without AOF/RDB). The port comes from JIANFU_TEST_REDIS_SERVER_PORT, else a free one."""

    def __init__(self, workdir, port: int | None = None):
        self.port = port or int(os.environ.get("JIANFU_TEST_REDIS_SERVER_PORT") or 0) or free_port()
        self.workdir = workdir
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import subprocess
        import time

        import redis

        log = open(os.path.join(self.workdir, f"redis-{self.port}.log"), "a")  # noqa: SIM115 - kept by the process
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            + ["--dir", str(self.workdir), "--daemonize", "no"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return
            except Exception:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # like a crash: nothing is written anywhere
            self.proc.wait(timeout=10)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()
