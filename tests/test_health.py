"""/healthz says the process answers; /readyz that PostgreSQL answers (503 when it does not)
and whether the broker, the cache, the workers and the e-mail outbox do ("degraded" when not:
the pages still work), within seconds even when a dependency hangs."""

import datetime as dt
import socket
import time

import pytest
from django.db import OperationalError
from django.utils import timezone

from core.models import Heartbeat
from core.tasks import record_heartbeat
from notifications import services as notifications
from notifications.models import Delivery
from notifications.services import Message, notify_many

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_postgresql_redis_and_a_worker_answer(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    record_heartbeat()  # what a worker does every 30 seconds, queued by beat
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
        "worker": "ok",
        "outbox": "ok",
    }
    assert body["figures"]["worker_heartbeat_age_seconds"] < 5
    assert body["figures"]["outbox_backlog"] == 0


def test_readyz_is_degraded_when_no_worker_has_run_the_heartbeat_for_minutes(client):
    Heartbeat.objects.create(name="worker", beat_at=timezone.now() - dt.timedelta(minutes=10))
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"].startswith("unavailable:")
    assert "beat or the workers have stopped" in body["checks"]["worker"]
    assert 590 <= body["figures"]["worker_heartbeat_age_seconds"] <= 660


def test_readyz_is_degraded_before_any_worker_has_run(client):
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert "no worker" in body["checks"]["worker"]
    assert body["figures"]["worker_heartbeat_age_seconds"] is None


def test_readyz_reports_the_outbox_backlog_and_an_email_waiting_too_long(
    client, worker_chiangmai, monkeypatch
):
    record_heartbeat()
    monkeypatch.setattr(notifications, "request_delivery", lambda: None)
    notify_many([Message([worker_chiangmai], "x", "/")] * 3)
    body = client.get("/readyz").json()
    assert body["checks"]["outbox"] == "ok"  # just written: the worker has 15 minutes
    assert body["figures"]["outbox_backlog"] == 3

    Delivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(minutes=20))
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["outbox"].startswith("unavailable:")
    assert "an e-mail has waited 12" in body["checks"]["outbox"]
    assert body["figures"]["outbox_oldest_due_seconds"] >= 1200


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


def test_readyz_still_answers_when_the_database_is_down_for_its_figures(client, monkeypatch):
    from nrm import health

    def unreadable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "outbox_figures", unreadable)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["figures"] == {}
    assert response.json()["checks"]["outbox"].startswith("unavailable: OperationalError")


def test_health_probes_are_not_cached(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert "no-cache" in response["Cache-Control"]
