"""Two beats (a rolling update, a node thought lost) never both send the periodic tasks: the
one holding the lock sends, the other stands by and takes over when the first stops or dies."""

import time

import pytest
import redis
from django_celery_beat.schedulers import DatabaseScheduler

from core.beat import FileLock, RedisLock, SingleBeatScheduler
from nrm.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch, settings):
    """Which scheduler would have sent its due tasks at each tick (the broker is not used)."""
    calls = []

    def tick(self, *args, **kwargs):
        calls.append(self)
        return 5.0

    monkeypatch.setattr(DatabaseScheduler, "tick", tick)
    # The schedule's rows are django-celery-beat's business (and it closes the connection).
    monkeypatch.setattr(DatabaseScheduler, "__init__", lambda self, *a, **k: None)
    monkeypatch.setattr(DatabaseScheduler, "close", lambda self: None)
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("nrm:beat-lock")
    yield calls
    client.delete("nrm:beat-lock")


def test_only_the_beat_holding_the_lock_sends_the_periodic_tasks(sent):
    first = SingleBeatScheduler(app=app)
    second = SingleBeatScheduler(app=app)
    assert first.tick() == 5.0
    assert second.tick() == 5.0  # stands by, tries again in 5 seconds
    assert first.tick() == 5.0
    assert sent == [first, first]

    first.close()  # stopped: the lock is released at once
    second.tick()
    assert sent[-1] is second
    first_again = SingleBeatScheduler(app=app)
    first_again.tick()
    assert sent[-1] is second
    second.close()
    first_again.close()


def test_a_beat_that_dies_without_releasing_is_replaced_when_its_lock_expires(settings):
    url = settings.CELERY_BROKER_URL
    redis.Redis.from_url(url).delete("tests:beat-lock")
    dead = RedisLock(url, key="tests:beat-lock", seconds=1)
    waiting = RedisLock(url, key="tests:beat-lock", seconds=1)
    assert dead.hold()
    assert not waiting.hold()
    assert dead.hold()  # renewing its own lock
    time.sleep(1.3)  # `dead` stops renewing: killed, or cut off from Redis
    assert waiting.hold()
    assert waiting.holder() == waiting.token
    assert not dead.hold()
    dead.release()  # a late release cannot take the lock from its new holder
    assert waiting.holder() == waiting.token
    waiting.release()


def test_a_beat_with_redis_down_sends_nothing():
    lock = RedisLock("redis://127.0.0.1:9/0", key="tests:beat-lock")
    assert not lock.hold()


def test_with_the_embedded_broker_one_beat_per_machine(tmp_path):
    first, second = FileLock(tmp_path / "beat.lock"), FileLock(tmp_path / "beat.lock")
    assert first.hold() and first.hold()
    assert not second.hold()
    first.release()
    assert second.hold()
    second.release()
