"""A Celery beat that cannot run twice.

Beat only queues the periodic tasks, but two beats would queue each of them twice (two sweeps,
two outbox runs a minute: harmless by design, yet wasted and confusing in the logs), and an
orchestrator may well start a second one during a rolling update or after a node is lost.
`SingleBeatScheduler` is django-celery-beat's DatabaseScheduler (the schedule stays in the
database, where a sysadmin sees it) run only by the beat that holds a lock:

- with Redis as the broker, a key in Redis (`SET NX` with a 60-second expiry, renewed at each
  tick, at most every 5 seconds): a beat that dies loses it within a minute and a waiting one
  takes over; without a broker no task could be queued anyway;
- with the embedded broker, an exclusive lock on a file beside its queue (one machine).

Start beat with `--scheduler core.beat:SingleBeatScheduler` (bin/run, docker-compose, the
Kubernetes manifests do).
"""

import fcntl
import logging
import os
import socket
import uuid
from pathlib import Path

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

KEY = "nrm:beat-lock"
LOCK_SECONDS = 60
STANDBY_SECONDS = 5  # how often a waiting beat tries to take the lock

# Renew only one's own lock; release only one's own lock.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class RedisLock:
    def __init__(self, url: str, *, key: str = KEY, seconds: float = LOCK_SECONDS):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        self.key, self.milliseconds = key, int(seconds * 1000)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def hold(self) -> bool:
        """Take the lock or renew it; False while another beat holds it (or Redis is down)."""
        try:
            return bool(self.client.eval(_RENEW, 1, self.key, self.token, self.milliseconds))
        except Exception as exc:  # no broker: nothing could be queued anyway
            logger.warning("beat lock: Redis did not answer (%s)", exc)
            return False

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return value.decode() if value else None

    def release(self) -> None:
        try:
            self.client.eval(_RELEASE, 1, self.key, self.token)
        except Exception as exc:  # it expires by itself
            logger.warning("beat lock: not released (%s)", exc)


class FileLock:
    def __init__(self, path: Path):
        self.path = path
        self.handle = None

    def hold(self) -> bool:
        if self.handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 (held open while this beat runs)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def beat_lock():
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        return RedisLock(url)
    return FileLock(Path(settings.BROKER_DIR) / "beat.lock")


class SingleBeatScheduler(DatabaseScheduler):
    """DatabaseScheduler that sends nothing unless this beat holds the lock."""

    def __init__(self, *args, **kwargs):
        self.lock = beat_lock()
        self.leading = False
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        holding = self.lock.hold()
        if holding != self.leading:
            self.leading = holding
            logger.warning(
                "beat: %s",
                "this beat now sends the periodic tasks"
                if holding
                else "another beat holds the lock: standing by",
            )
        if not holding:
            return STANDBY_SECONDS
        return min(super().tick(*args, **kwargs), STANDBY_SECONDS)

    def close(self):
        try:
            super().close()
        finally:
            self.lock.release()
