"""A signed webhook across a worker restart, against real processes: our own Redis as the
broker, a Celery worker process and a local receiver that checks each signature.

The first referral's event reaches the receiver through the worker; the worker is then killed
(as a lost machine would be), a second referral is submitted while no worker runs, and the
worker that starts next takes the queued task from Redis and sends it. Each event arrives
exactly once, and every signature verifies.
"""

import re

import pytest

from tests.factories import referral_in_state
from tests.test_delivery_integration import (  # noqa: F401 (fixtures)
    MAIL_SECONDS,
    publisher,
    redis_server,
    smtp_sink,
    start_worker,
)
from tests.webhook_receiver import start_receiver
from webhooks.models import Delivery
from webhooks.services import endpoint_register
from webhooks.tasks import deliver_webhooks

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
RUNS = re.compile(r"Task webhooks\.tasks\.deliver_webhooks\[[^\]]+\] succeeded in [\d.e-]+s: (\d+)")


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def test_a_signed_webhook_is_delivered_once_across_a_worker_restart(
    publisher,  # noqa: F811
    redis_server,  # noqa: F811
    smtp_sink,  # noqa: F811
    receiver,
    settings,
    tmp_path,
    supervisor_chiangmai,
    worker_chiangmai,
):
    settings.NRM_WEBHOOKS_ALLOW_LOCAL = True
    endpoint = endpoint_register(
        actor=supervisor_chiangmai,
        organisation=supervisor_chiangmai.membership.organisation,
        url=receiver.url,
        event_kinds=["referral.submitted"],
    )
    receiver.secret = endpoint.secret
    local = {"NRM_WEBHOOKS_ALLOW_LOCAL": "1"}

    first_worker = start_worker(redis_server, smtp_sink, tmp_path, **local)
    try:
        referral_in_state(worker_chiangmai, "submitted")
        first_worker.wait_for(lambda: receiver.calls, MAIL_SECONDS, "the first webhook")
        first_worker.kill()
    finally:
        first_worker.stop()

    # No worker runs: the referral is saved, its delivery waits, its task waits in Redis.
    second = referral_in_state(worker_chiangmai, "submitted")
    assert Delivery.objects.get(message__body__contains=f'"id":{second.pk},').state == "pending"
    assert len(receiver.calls) == 1

    second_worker = start_worker(redis_server, smtp_sink, tmp_path, **local)
    try:
        second_worker.wait_for(
            lambda: len(receiver.calls) == 2, MAIL_SECONDS, "the webhook queued while down"
        )
        # The receiver answers before the task logs its end: wait for the run that sent it.
        second_worker.wait_for(
            lambda: "1" in RUNS.findall(second_worker.text()), MAIL_SECONDS, "the sending run"
        )
        runs = len(RUNS.findall(second_worker.text()))
        deliver_webhooks.apply_async()  # as beat's flush would: nothing is left to send
        sent = second_worker.wait_for(
            lambda: RUNS.findall(second_worker.text())[runs:], MAIL_SECONDS, "the flush"
        )
        assert sent == ["0"]
    finally:
        second_worker.stop()

    ids = [call.headers["webhook-id"] for call in receiver.calls]
    assert len(ids) == len(set(ids)) == 2
    assert all(call.verified for call in receiver.calls)
    assert [call.payload["data"]["id"] for call in receiver.calls][1] == second.pk
    assert set(Delivery.objects.values_list("state", "attempts")) == {("sent", 1)}
