"""Redis as a speed-up, not a dependency of the pages.

`ResilientRedisCache` is Django's Redis cache whose reads become misses and whose writes are
skipped when Redis does not answer: the caller computes what it wanted to read (a list's
count, the dashboard's figures) instead of answering 500. After a failure it does not try Redis
again for PAUSE seconds, so a down Redis costs one short timeout, not one per call.

`GenerationCache` keeps copies of rows that every request reads (a user's membership, their
unread count) and that a change must stop at once.
"""

import logging
import secrets
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PAUSE = 30.0
_down_until = [0.0]  # shared by every cache of the process

T = TypeVar("T")


def redis_paused() -> bool:
    return time.monotonic() < _down_until[0]


def _guarded(name: str, fallback):
    parent = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if redis_paused():
            return fallback(*args, **kwargs)
        try:
            return parent(self, *args, **kwargs)
        except RedisError as exc:
            logger.warning("cache: Redis does not answer (%s); computing without it", exc)
            _down_until[0] = time.monotonic() + PAUSE
            return fallback(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = parent.__doc__
    return method


def _default(key, default=None, *args, **kwargs):
    return default


class _OneClientPerPool(RedisCacheClient):
    """Django's client makes a new redis.Redis for every cache call, which costs more than the
    call's round trip (about a tenth of a signed-in request's fixed cost). One per connection
    pool is enough: a redis.Redis takes a connection from its pool for each command, so
    threads share it safely."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # Django's pools live as long as this client
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    get = _guarded("get", _default)
    get_many = _guarded("get_many", lambda *args, **kwargs: {})
    has_key = _guarded("has_key", lambda *args, **kwargs: False)
    set = _guarded("set", lambda *args, **kwargs: None)
    add = _guarded("add", lambda *args, **kwargs: False)
    touch = _guarded("touch", lambda *args, **kwargs: False)
    set_many = _guarded("set_many", lambda *args, **kwargs: [])
    delete = _guarded("delete", lambda *args, **kwargs: False)
    delete_many = _guarded("delete_many", lambda *args, **kwargs: None)


class GenerationCache:
    """Copies of database rows that a change stops at once, even for a reader racing it.

    Each value is stored with the generation its key had when the reader began, before it read
    the database; `forget` gives the key a new generation and deletes the value, at once (the
    rest of the changing request, and tests, which never commit) and again after commit. A
    value is returned only while its stamp matches the key's generation, both fetched in one
    round trip: a reader that loaded the old rows while the change committed stores a value
    that nobody reads. A new generation lives twice as long as a value, so it outlasts any
    value a racing reader stored under the one before.

    With Redis down every read is a miss (the caller reads the database) and `forget` does
    nothing (ResilientRedisCache): a change made meanwhile shows once its copies time out, so
    copies are kept minutes, not hours, and what matters most is checked against the database
    by the caller as well (`usable`).
    """

    def __init__(self, name: str, *, timeout: int):
        self.name = name
        self.timeout = timeout

    def _value_key(self, key) -> str:
        return f"{self.name}:{key}"

    def _generation_key(self, key) -> str:
        return f"{self.name}:{key}:generation"

    def get_or_set(self, key, compute: Callable[[], T], *, usable=None) -> T:
        """The cached value of `key` if it is current (and `usable(value)`), else `compute()`,
        which is then stored."""
        value_key, generation_key = self._value_key(key), self._generation_key(key)
        found = cache.get_many([value_key, generation_key])
        generation = found.get(generation_key)
        stamped = found.get(value_key)
        current = stamped is not None and stamped[0] == generation
        if current and (usable is None or usable(stamped[1])):
            return stamped[1]
        value = compute()
        cache.set(value_key, (generation, value), self.timeout)
        return value

    def forget(self, *keys) -> None:
        """Stop the cached values of `keys` from being read, now and after commit."""
        if not keys:
            return

        def drop():
            generation = secrets.token_hex(8)
            cache.set_many(
                {self._generation_key(key): generation for key in keys}, self.timeout * 2
            )
            cache.delete_many([self._value_key(key) for key in keys])

        drop()
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(drop)
