"""The cache backend: Redis, degrading to "no cache" while Redis does not answer.

Pages must keep serving when Redis is down (the public lists, certificate verification, the results page,
the task check): a read finds nothing and is computed from the database, a write is dropped, and ``add``
reports success so that the request throttles built on it fail open. After a failure Redis is not asked
again for a few seconds, and connections time out quickly, so a request does not wait on a dead server.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: After a failure, answer without asking Redis for this long.
RETRY_AFTER_SECONDS = 5.0


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client with one ``redis.Redis`` per connection pool.

    Django's own builds a new ``redis.Redis`` for every operation, and redis-py's constructor fills a table of
    some 170 response callbacks each time: with a dozen cache reads per page that was 3–4 ms of a 10 ms page.
    A ``redis.Redis`` is safe to share between threads (each command takes a connection from the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache whose every operation degrades instead of raising when Redis is unreachable."""

    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _degraded(self, operation: str, fallback, call):
        if time.monotonic() < ResilientRedisCache._down_until:
            return fallback
        try:
            return call()
        except (RedisError, OSError) as exc:
            ResilientRedisCache._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("cache unavailable (%s): %s — serving without cache", operation, exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._degraded(
            "get", default, lambda: super(ResilientRedisCache, self).get(key, default, version)
        )

    def get_many(self, keys, version=None):
        return self._degraded(
            "get_many", {}, lambda: super(ResilientRedisCache, self).get_many(keys, version)
        )

    def has_key(self, key, version=None):
        return self._degraded(
            "has_key", False, lambda: super(ResilientRedisCache, self).has_key(key, version)
        )

    def add(self, key, value, timeout=..., version=None):
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        timeout = DEFAULT_TIMEOUT if timeout is ... else timeout
        # True: a throttle counting with add() lets the request through while Redis is down (fail open).
        return self._degraded(
            "add", True, lambda: super(ResilientRedisCache, self).add(key, value, timeout, version)
        )

    def set(self, key, value, timeout=..., version=None):
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        timeout = DEFAULT_TIMEOUT if timeout is ... else timeout
        return self._degraded(
            "set", None, lambda: super(ResilientRedisCache, self).set(key, value, timeout, version)
        )

    def set_many(self, data, timeout=..., version=None):
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        timeout = DEFAULT_TIMEOUT if timeout is ... else timeout
        return self._degraded(
            "set_many", [], lambda: super(ResilientRedisCache, self).set_many(data, timeout, version)
        )

    def touch(self, key, timeout=..., version=None):
        from django.core.cache.backends.base import DEFAULT_TIMEOUT

        timeout = DEFAULT_TIMEOUT if timeout is ... else timeout
        return self._degraded(
            "touch", False, lambda: super(ResilientRedisCache, self).touch(key, timeout, version)
        )

    def delete(self, key, version=None):
        return self._degraded("delete", False, lambda: super(ResilientRedisCache, self).delete(key, version))

    def delete_many(self, keys, version=None):
        return self._degraded(
            "delete_many", None, lambda: super(ResilientRedisCache, self).delete_many(keys, version)
        )

    def incr(self, key, delta=1, version=None):
        return self._degraded(
            "incr", delta, lambda: super(ResilientRedisCache, self).incr(key, delta, version)
        )

    def clear(self):
        return self._degraded("clear", False, lambda: super(ResilientRedisCache, self).clear())
