"""Redis is a speed-up, not a dependency of the pages (issue 24): with our own redis-server as
the cache and the broker, stopped in the middle, every list page, the dashboard and a
notifying action still answer (quickly: a down Redis costs one short timeout, then is left
alone for a while), /readyz says "degraded", and the e-mails wait in the outbox until Redis
is back and the periodic flush sends them."""

import socket
import time

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Delivery
from notifications.services import outbox_deliver
from nrm.celery import app
from tests.factories import referral_in_state, register_case
from tests.test_delivery_integration import RedisServer, _forget_broker_connections

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def own_redis(tmp_path, settings):
    """Cache and broker on a redis-server of our own (the machine's shared one is untouched)."""
    server = RedisServer(tmp_path)
    server.start()
    previous = app.conf.broker_url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "nrm",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = server.url
    app.conf.broker_url = server.url
    _forget_broker_connections()
    try:
        yield server
    finally:
        server.stop()
        app.conf.broker_url = previous
        _forget_broker_connections()


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


PAGES = {
    "central": [
        "cases:list",
        "referrals:home",
        "referrals:list",
        "shelters:placements",
        "reports:dashboard",
        "sla:board",
        "audit:search",
    ],
    "worker": ["cases:home", "cases:list", "referrals:sent", "referrals:list"],
}


def test_every_list_page_and_the_dashboard_answer_with_redis_stopped(
    client, own_redis, worker_chiangmai, central_reviewer, director_kredtrakarn
):
    referral_in_state(worker_chiangmai, "submitted")
    people = {"central": central_reviewer, "worker": worker_chiangmai}
    for who, names in PAGES.items():  # warm: the counts and figures are in Redis now
        client.force_login(people[who])
        for name in names:
            assert client.get(reverse(name)).status_code == 200, name
    own_redis.stop()
    for who, names in PAGES.items():
        client.force_login(people[who])
        for name in names:
            response, seconds = timed_get(client, reverse(name))
            assert response.status_code == 200, name
            assert seconds < 3, (name, seconds)  # no hang; room for a loaded CI box
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"


def test_a_notifying_action_answers_at_once_and_its_email_goes_when_redis_is_back(
    client,
    own_redis,
    worker_chiangmai,
    director_kredtrakarn,
    django_capture_on_commit_callbacks,
):
    """The worse failure: a broker that accepts the connection and never answers. Without the
    short timeout of core.queueing the request would wait the broker's own socket timeout
    (5 s, then retries: 5.7 s measured); with it, about a second. The bound leaves room for a
    loaded CI box."""
    director_kredtrakarn.email = "malee@example.org"
    director_kredtrakarn.save()
    case = register_case(worker_chiangmai, estimated_age=30)
    own_redis.stop()
    client.force_login(worker_chiangmai)
    with socket.socket() as blackhole:
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(8)  # the kernel accepts connections; nothing ever replies
        app.conf.broker_url = f"redis://127.0.0.1:{blackhole.getsockname()[1]}/0"
        _forget_broker_connections()
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = client.post(
                reverse("referrals:new", args=[case.pk]),
                {
                    "kind": "shelter_placement",
                    "to_organisation": director_kredtrakarn.membership.organisation.pk,
                    "reason": "ต้องการที่พัก",
                    "consent": "given",
                    "consent_now": "on",
                    "submit": "on",
                },
            )
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert queued  # the request did try to queue the sending
    assert elapsed < 3
    app.conf.broker_url = own_redis.url
    _forget_broker_connections()
    pending = Delivery.objects.filter(notification__recipient=director_kredtrakarn)
    assert pending.filter(state="pending").count() == 1  # kept for the periodic flush
    own_redis.start()
    assert outbox_deliver() >= 1  # what beat's flush runs
    assert any("malee@example.org" in email.to for email in mail.outbox)
    assert not pending.filter(state="pending").exists()
