"""/healthz says the process answers; /readyz that PostgreSQL answers (503 when it does not)
and whether the broker and the cache do ("degraded" when not: the pages still work), within
seconds even when a dependency hangs."""

import socket
import time

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_postgresql_and_redis_answer(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "cache": "ok"},
    }


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def test_readyz_is_degraded_with_the_reason_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 200  # the pages still work: keep sending users here
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("unavailable:")
    assert "refused" in body["checks"]["broker"]


def test_readyz_gives_up_on_a_broker_that_accepts_but_never_answers(client, settings):
    with socket.socket() as blackhole:
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(8)  # connections are accepted by the kernel, nothing ever replies
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{blackhole.getsockname()[1]}/0"
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert response.json()["status"] == "degraded"
    assert "Timeout" in response.json()["checks"]["broker"]
    assert elapsed < 6


def test_readyz_is_503_when_the_database_is_down(client, monkeypatch):
    from nrm import health

    def database_down():
        raise OperationalError("connection to server at 127.0.0.1 port 5432 failed")

    monkeypatch.setitem(health.CHECKS, "database", database_down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unavailable: OperationalError")
    assert response.json()["checks"]["broker"] == "ok"


def test_health_probes_are_not_cached(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert "no-cache" in response["Cache-Control"]
