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
