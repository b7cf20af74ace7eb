"""Redis as a speed-up, not a dependency of the pages.

`ResilientRedisCache` is Django's Redis cache whose reads become misses and whose writes are
skipped when Redis does not answer: the caller computes what it wanted to read (a list's
count, the dashboard's figures) instead of answering 500. After a failure it does not try Redis
again for PAUSE seconds, so a down Redis costs one short timeout, not one per call.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PAUSE = 30.0
_down_until = [0.0]  # shared by every cache of the process


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


class ResilientRedisCache(RedisCache):
    get = _guarded("get", _default)
    get_many = _guarded("get_many", lambda *args, **kwargs: {})
    has_key = _guarded("has_key", lambda *args, **kwargs: False)
    set = _guarded("set", lambda *args, **kwargs: None)
    add = _guarded("add", lambda *args, **kwargs: False)
    touch = _guarded("touch", lambda *args, **kwargs: False)
    set_many = _guarded("set_many", lambda *args, **kwargs: [])
    delete = _guarded("delete", lambda *args, **kwargs: False)
    delete_many = _guarded("delete_many", lambda *args, **kwargs: None)
