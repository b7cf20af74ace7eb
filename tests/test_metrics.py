"""/metrics, as Prometheus sees it: the request figures by view and the error rate, the task
queue's length and its oldest task's age, the deadlines due and breached, the e-mail outbox's
backlog, the intake imports running and the worker heartbeat; refused to anyone without the
token, absent when no token is set."""

import datetime as dt
import re

import pytest
import redis
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from cases import services as cases
from cases.models import IntakeBatch
from core.queueing import enqueue
from core.tasks import record_heartbeat
from notifications import services as notifications
from notifications.services import Message, notify_many
from notifications.tasks import deliver_outbox
from sla.models import Deadline
from tests.factories import screening_in_state

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-the-tests-0123456789"


@pytest.fixture
def scrape(settings):
    settings.NRM_METRICS_TOKEN = TOKEN

    def scrape() -> dict[tuple[str, tuple], float]:
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/plain")
        samples = {}
        for family in text_string_to_metric_families(response.content.decode()):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    return scrape


@pytest.fixture
def broker(settings):
    """The test broker (Redis db of REDIS_URL), emptied before and after."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery")
    yield client
    client.delete("celery")
    client.close()


def value(samples, name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]


def test_metrics_are_refused_without_the_token(client, settings):
    settings.NRM_METRICS_TOKEN = TOKEN
    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert b"nrm_" not in anonymous.content
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    basic = client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}")
    assert basic.status_code == 401


def test_a_signed_in_user_without_the_token_is_refused_too(client, settings, central_reviewer):
    settings.NRM_METRICS_TOKEN = TOKEN
    client.force_login(central_reviewer)
    assert client.get("/metrics").status_code == 401


def test_metrics_do_not_exist_when_no_token_is_set(client, settings):
    settings.NRM_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_requests_are_timed_by_view_and_errors_counted(scrape, settings, worker_chiangmai):
    settings.ROOT_URLCONF = "tests.failing_urls"
    before = scrape()
    key = ("nrm_http_request_duration_seconds_count", (("method", "GET"), ("view", "cases:home")))
    errors = (
        "nrm_http_responses_total",
        (("method", "GET"), ("status", "5xx"), ("view", "broken")),
    )
    user = Client(raise_request_exception=False)
    user.force_login(worker_chiangmai)
    for _ in range(3):
        assert user.get("/cases/").status_code == 200
    assert user.get("/broken/").status_code == 500
    assert user.get("/no/such/page/").status_code == 404

    after = scrape()
    assert after[key] - before.get(key, 0) == 3
    assert after[errors] - before.get(errors, 0) == 1
    unresolved = (
        "nrm_http_responses_total",
        (("method", "GET"), ("status", "4xx"), ("view", "unresolved")),
    )
    assert after[unresolved] >= 1
    # No label per path: a scanner's thousand URLs stay one series.
    assert not any("no/such" in str(labels) for _name, labels in after)


def test_the_runtime_figures_during_a_working_day(
    scrape, broker, worker_chiangmai, monkeypatch, settings
):
    # A screening running (its 24-hour clock is due within the day) and one clock overdue.
    screening_in_state(worker_chiangmai, "open")
    late = screening_in_state(worker_chiangmai, "open")
    Deadline.objects.filter(object_id=late.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=2),
        next_action_at=timezone.now() - dt.timedelta(minutes=5),
    )
    # Two e-mails waiting in the outbox (the worker is not asked: the broker test is below).
    monkeypatch.setattr(notifications, "request_delivery", lambda: None)
    notify_many([Message([worker_chiangmai], "x", "/")] * 2)
    # An intake file being imported.
    operation = cases.operation_create(
        actor=worker_chiangmai,
        name="ปฏิบัติการ",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 1),
        custody_started_at=dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC),
    )
    IntakeBatch.objects.create(
        operation=operation, uploaded_by=worker_chiangmai, file_name="a.csv", status="importing"
    )
    # Two tasks in the broker that no worker has taken yet, the first a while ago.
    assert enqueue(deliver_outbox)
    assert enqueue(deliver_outbox)
    raw = broker.lindex("celery", -1)
    broker.lset("celery", -1, re.sub(rb'"nrm_queued_at": [0-9.]+', b'"nrm_queued_at": 1', raw))
    record_heartbeat()

    samples = scrape()
    assert value(samples, "nrm_task_queue_length", queue="celery") == 2
    assert value(samples, "nrm_task_queue_oldest_age_seconds", queue="celery") > 1e9
    assert value(samples, "nrm_deadlines_due_24h") >= 1
    assert value(samples, "nrm_deadlines_breached") == 1
    assert 290 <= value(samples, "nrm_deadlines_sweep_lag_seconds") <= 400
    assert value(samples, "nrm_outbox_backlog") == 2
    assert value(samples, "nrm_intake_batches_running") == 1
    assert value(samples, "nrm_worker_heartbeat_age_seconds") < 5
    for part in ("queue", "deadlines", "outbox", "intake", "heartbeat"):
        assert value(samples, "nrm_metrics_source_up", part=part) == 1


def test_a_broker_that_does_not_answer_leaves_the_other_figures(scrape, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    samples = scrape()
    assert value(samples, "nrm_metrics_source_up", part="queue") == 0
    assert value(samples, "nrm_metrics_source_up", part="outbox") == 1
    assert value(samples, "nrm_outbox_backlog") == 0
    assert not any(name == "nrm_task_queue_length" for name, _labels in samples)


def test_the_embedded_brokers_queue_is_counted_from_its_folder(scrape, settings, tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(folder)}
    for name in ("1_a.celery.msg", "2_b.celery.msg", "3_c.celery.msg"):
        (folder / name).write_text("{}")
    samples = scrape()
    assert value(samples, "nrm_task_queue_length", queue="celery") == 3


def test_every_series_the_alert_rules_name_is_one_the_metrics_give(scrape, worker_chiangmai):
    import yaml
    from django.conf import settings as django_settings

    record_heartbeat()
    Client().get("/healthz")
    given = {name for name, _labels in scrape()}
    given |= {re.sub(r"_(bucket|count|sum)$", "", name) for name in given}
    rules = (django_settings.BASE_DIR / "deploy" / "prometheus" / "alerts.yml").read_text()
    expressions = [r["expr"] for g in yaml.safe_load(rules)["groups"] for r in g["rules"]]
    named = {n for e in expressions for n in re.findall(r"\bnrm_[a-z0-9_]+", e)}
    assert named, "the rules name no series"
    assert named - given == set()
