"""Webhooks: an organisation's manager registers its system's address for some events; the
events of its cases reach that address once each, signed as the Standard Webhooks
specification says, with a thin payload (the event and the record's API address).

Calls go to a real HTTP receiver on 127.0.0.1 that checks the signatures
(tests/webhook_receiver.py); NRM_WEBHOOKS_ALLOW_LOCAL lets the system call it.
"""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from accounts.models import Organisation
from audit.models import AuditEvent
from cases import services as cases
from sla.models import Clock, Deadline
from sla.sweep import sweep
from tests.factories import (
    admission,
    ready_to_decide,
    referral_in_state,
    register_case,
    screening_in_state,
)
from tests.webhook_receiver import start_receiver
from webhooks import services
from webhooks.addresses import AddressRefused, check_address
from webhooks.models import Delivery, Endpoint, Message

pytestmark = pytest.mark.django_db

ALL_KINDS = [
    "referral.submitted",
    "referral.accepted",
    "referral.declined",
    "screening.decided",
    "placement.admitted",
    "placement.moved",
    "placement.discharged",
    "deadline.missed",
]


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings, monkeypatch):
    settings.NRM_WEBHOOKS_ALLOW_LOCAL = True
    monkeypatch.setattr(services, "request_delivery", lambda: None)  # the tests flush


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def register(actor, receiver, kinds=("referral.submitted",), organisation=None) -> Endpoint:
    endpoint = services.endpoint_register(
        actor=actor,
        organisation=organisation or actor.membership.organisation,
        url=receiver.url,
        event_kinds=kinds,
    )
    receiver.secret = endpoint.secret
    return endpoint


def test_a_supervisor_registers_an_endpoint_and_sees_its_secret_only_once(
    client, supervisor_chiangmai, receiver
):
    client.force_login(supervisor_chiangmai)
    response = client.post(
        reverse("webhooks:new"),
        {"url": receiver.url, "description": "ระบบจังหวัด", "event_kinds": ALL_KINDS[:2]},
    )
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.organisation.code == "pso-50"  # their own office, never asked
    assert endpoint.event_kinds == ["referral.accepted", "referral.submitted"]
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", endpoint.secret)
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    detail = client.get(reverse("webhooks:detail", args=[endpoint.pk]))
    assert detail.status_code == 200 and endpoint.secret not in detail.content.decode()
    audit = AuditEvent.objects.get(action="create", object_id=str(endpoint.pk))
    assert endpoint.secret not in str(audit.changes)


def test_a_submitted_referral_reaches_the_endpoint_once_signed_with_a_thin_payload(
    supervisor_chiangmai, worker_chiangmai, receiver, settings
):
    endpoint = register(supervisor_chiangmai, receiver)
    referral = referral_in_state(worker_chiangmai, "submitted")
    delivery = Delivery.objects.get(endpoint=endpoint)  # written with the referral
    assert delivery.state == Delivery.State.PENDING

    assert services.webhooks_deliver() == 1
    [call] = receiver.calls
    assert call.verified
    assert call.headers["webhook-id"] == delivery.message.webhook_id
    assert abs(int(call.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    assert call.headers["webhook-signature"].startswith("v1,")
    assert call.payload["type"] == "referral.submitted"
    assert call.payload["data"] == {
        "object": "referral",
        "id": referral.pk,
        "url": f"{settings.NRM_SITE_URL}/api/v1/referrals/{referral.pk}/",
    }
    body = call.body.decode()
    assert referral.case.number not in body and referral.case.person.name_th not in body

    assert services.webhooks_deliver() == 0  # exactly once
    assert len(receiver.calls) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)


def test_a_changed_body_or_another_endpoints_secret_fails_the_check(
    supervisor_chiangmai, worker_chiangmai, receiver
):
    register(supervisor_chiangmai, receiver)
    other = register(supervisor_chiangmai, receiver)  # the receiver now holds other's secret
    referral_in_state(worker_chiangmai, "submitted")
    services.webhooks_deliver()
    by_endpoint = {call.verified: call for call in receiver.calls}
    assert set(by_endpoint) == {True, False}  # each endpoint signs with its own secret
    good = by_endpoint[True]
    Webhook(other.secret).verify(good.body, good.headers)
    changed = good.body.replace(b"referral", b"screening")
    with pytest.raises(WebhookVerificationError):
        Webhook(other.secret).verify(changed, good.headers)


def test_only_the_organisations_the_record_concerns_and_the_central_division_are_told(
    supervisor_chiangmai, worker_chiangmai, director_kredtrakarn, sysadmin, receiver
):
    own = register(supervisor_chiangmai, receiver, ALL_KINDS)
    shelter = register(director_kredtrakarn, receiver, ALL_KINDS)
    tak = register(sysadmin, receiver, ALL_KINDS, Organisation.objects.get(code="pso-63"))
    central = register(sysadmin, receiver, ["referral.submitted"], sysadmin.membership.organisation)
    not_chosen = register(supervisor_chiangmai, receiver, ["deadline.missed"])

    referral_in_state(worker_chiangmai, "submitted")  # to the Kredtrakarn shelter

    told = set(Delivery.objects.values_list("endpoint_id", flat=True))
    assert told == {own.pk, shelter.pk, central.pk}
    assert tak.pk not in told and not_chosen.pk not in told
    assert Message.objects.count() == 1  # one message id for every endpoint


@pytest.mark.parametrize("verdict", ["victim_trafficking", "not_victim"])
def test_a_decided_screening_is_told_as_screening_decided(
    verdict, supervisor_chiangmai, worker_chiangmai, receiver
):
    register(supervisor_chiangmai, receiver, ["screening.decided"])
    screening = screening_in_state(worker_chiangmai, "open")
    ready_to_decide(screening, worker_chiangmai)
    cases.screening_decide(
        screening_id=screening.pk, actor=worker_chiangmai, outcome=verdict, reason="ผลการคัดแยก"
    )
    services.webhooks_deliver()
    [call] = receiver.calls
    assert call.verified and call.payload["type"] == "screening.decided"
    assert call.payload["data"]["url"].endswith(f"/api/v1/screenings/{screening.pk}/")


def test_an_admission_and_a_missed_deadline_reach_the_shelter(
    director_kredtrakarn, worker_chiangmai, receiver
):
    register(director_kredtrakarn, receiver, ["placement.admitted", "deadline.missed"])
    placement = admission(worker_chiangmai, director_kredtrakarn)
    care_plan = Deadline.objects.get(clock=Clock.CARE_PLAN, object_id=placement.pk)
    late = timezone.now() - dt.timedelta(minutes=1)
    Deadline.objects.filter(pk=care_plan.pk).update(
        due_at=late, remind_at=late, next_action_at=late
    )
    sweep()
    services.webhooks_deliver()
    payloads = {call.payload["type"]: call.payload["data"] for call in receiver.calls}
    assert all(call.verified for call in receiver.calls)
    assert payloads["placement.admitted"]["url"].endswith(f"/api/v1/placements/{placement.pk}/")
    assert payloads["deadline.missed"]["id"] == care_plan.pk
    assert payloads["deadline.missed"]["clock"] == Clock.CARE_PLAN


def test_a_change_that_rolls_back_calls_nobody(supervisor_chiangmai, worker_chiangmai, receiver):
    register(supervisor_chiangmai, receiver)
    case = register_case(worker_chiangmai)
    with transaction.atomic():
        referral_in_state(worker_chiangmai, "submitted", case=case)
        transaction.set_rollback(True)
    assert not Message.objects.exists() and not Delivery.objects.exists()


def test_a_failing_receiver_is_retried_with_backoff_then_sent_again_by_hand(
    client, supervisor_chiangmai, worker_chiangmai, receiver
):
    endpoint = register(supervisor_chiangmai, receiver)
    referral_in_state(worker_chiangmai, "submitted")
    receiver.status = 500
    now = timezone.now()
    assert services.webhooks_deliver(now=now) == 0
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (
        "pending",
        1,
        "DeliveryRefused: HTTP 500",
    )
    assert delivery.next_attempt_at > now
    assert services.webhooks_deliver(now=now) == 0  # not due again yet
    for _attempt in range(services.WEBHOOK_OUTBOX.max_attempts):
        services.webhooks_deliver(now=timezone.now() + dt.timedelta(days=1))
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    attempts = len(receiver.calls)
    assert attempts == services.WEBHOOK_OUTBOX.max_attempts

    # The page shows it failed; the manager sends it again once the receiver is fixed.
    client.force_login(supervisor_chiangmai)
    page = client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert "DeliveryRefused: HTTP 500" in page and "ส่งอีกครั้ง" in page
    receiver.status = 200
    url = reverse("webhooks:send_again", args=[endpoint.pk, delivery.pk])
    assert client.post(url).status_code == 302
    assert services.webhooks_deliver() == 1
    last = receiver.calls[-1]
    assert last.verified and last.headers["webhook-id"] == receiver.calls[0].headers["webhook-id"]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)
    # Sent: sending it again is refused until it has been sent.
    client.post(url)
    assert client.post(url).status_code == 302
    assert services.webhooks_deliver() == 1


def test_a_disabled_endpoint_is_called_no_more(supervisor_chiangmai, worker_chiangmai, receiver):
    endpoint = register(supervisor_chiangmai, receiver)
    referral_in_state(worker_chiangmai, "submitted")
    services.endpoint_disable(endpoint_id=endpoint.pk, actor=supervisor_chiangmai)
    assert services.webhooks_deliver() == 0
    assert Delivery.objects.get().state == Delivery.State.FAILED
    referral_in_state(worker_chiangmai, "submitted")
    assert Delivery.objects.count() == 1 and receiver.calls == []


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://example.org/hook", "https://"),
        ("https://127.0.0.1/hook", "เครือข่ายส่วนตัว"),
        ("https://10.1.2.3/hook", "เครือข่ายส่วนตัว"),
        ("https://169.254.169.254/latest/meta-data", "เครือข่ายส่วนตัว"),
        ("https://[::1]/hook", "เครือข่ายส่วนตัว"),
        ("https://localhost/hook", "เครือข่ายส่วนตัว"),
    ],
)
def test_in_production_only_public_https_addresses_are_accepted(
    url, words, client, settings, supervisor_chiangmai
):
    settings.NRM_WEBHOOKS_ALLOW_LOCAL = False
    client.force_login(supervisor_chiangmai)
    response = client.post(
        reverse("webhooks:new"), {"url": url, "event_kinds": ["referral.submitted"]}
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Endpoint.objects.exists()


def test_an_address_that_turns_private_after_registration_is_not_called(
    settings, supervisor_chiangmai, worker_chiangmai, receiver, monkeypatch
):
    register(supervisor_chiangmai, receiver)
    referral_in_state(worker_chiangmai, "submitted")
    settings.NRM_WEBHOOKS_ALLOW_LOCAL = False
    assert services.webhooks_deliver() == 0
    assert receiver.calls == []
    assert "AddressRefused" in Delivery.objects.get().last_error
    with pytest.raises(AddressRefused):
        check_address(receiver.url)


def test_who_manages_which_endpoints(
    client, supervisor_chiangmai, worker_chiangmai, director_kredtrakarn, sysadmin, receiver
):
    endpoint = register(supervisor_chiangmai, receiver)
    client.force_login(worker_chiangmai)
    assert client.get(reverse("webhooks:list")).status_code == 403
    client.force_login(director_kredtrakarn)  # manages the shelter's, not the office's
    assert client.get(reverse("webhooks:detail", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("webhooks:disable", args=[endpoint.pk])).status_code == 404
    assert "organisation" not in client.get(reverse("webhooks:new")).context["form"].fields
    client.force_login(sysadmin)  # any organisation's, chosen on the form
    assert "organisation" in client.get(reverse("webhooks:new")).context["form"].fields
    assert client.get(reverse("webhooks:detail", args=[endpoint.pk])).status_code == 200
    tak = Organisation.objects.get(code="pso-63")
    with pytest.raises(services.ActionForbidden):
        services.endpoint_register(
            actor=supervisor_chiangmai,
            organisation=tak,
            url=receiver.url,
            event_kinds=["referral.submitted"],
        )
