"""The same referral sent twice makes one (issue 24): a second open referral of a case to the
same organisation is refused by a database rule (so concurrent requests cannot pass it), the
web form's double click and the API's repeated Idempotency-Key give back the first."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organisation
from referrals import services
from referrals.models import Referral
from sla.models import Deadline
from tests.factories import register_case

SHELTER = "shelter-kredtrakarn"


def refer(case, actor, **extra):
    return services.referral_create(
        actor=actor,
        case_id=case.pk,
        to_organisation=Organisation.objects.get(code=SHELTER),
        kind="shelter_placement",
        reason="ต้องการที่พัก",
        consent="given",
        consent_now=True,
        submit=True,
        **extra,
    )


@pytest.mark.django_db
def test_a_second_open_referral_to_the_same_organisation_is_refused(worker_chiangmai):
    case = register_case(worker_chiangmai)
    refer(case, worker_chiangmai)
    with pytest.raises(ValidationError) as error:
        refer(case, worker_chiangmai)
    assert "to_organisation" in error.value.message_dict
    assert case.referrals.count() == 1


@pytest.mark.django_db
def test_after_a_withdrawal_the_case_can_be_referred_there_again(worker_chiangmai):
    case = register_case(worker_chiangmai)
    first = refer(case, worker_chiangmai)
    services.referral_withdraw(referral_id=first.pk, actor=worker_chiangmai, reason="ผิดที่")
    assert refer(case, worker_chiangmai).pk != first.pk


@pytest.mark.django_db
def test_the_web_forms_double_click_makes_one_referral(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    key = client.get(reverse("referrals:new", args=[case.pk])).context["form"]["idempotency_key"]
    form = {
        "kind": "shelter_placement",
        "to_organisation": Organisation.objects.get(code=SHELTER).pk,
        "reason": "ต้องการที่พัก",
        "consent": "given",
        "consent_now": "on",
        "submit": "on",
        "idempotency_key": key.value(),
    }
    first = client.post(reverse("referrals:new", args=[case.pk]), form)
    second = client.post(reverse("referrals:new", args=[case.pk]), form, follow=True)
    assert first.status_code == 302 and second.redirect_chain[0][0] == first["Location"]
    assert case.referrals.count() == 1
    assert case.consents.count() == 1


@pytest.mark.django_db
def test_the_api_gives_the_same_referral_for_the_same_idempotency_key(worker_chiangmai):
    case = register_case(worker_chiangmai)
    api = APIClient()
    api.force_authenticate(worker_chiangmai)
    body = {
        "case": case.pk,
        "to_organisation": SHELTER,
        "kind": "shelter_placement",
        "reason": "ต้องการที่พัก",
        "consent": "given",
        "consent_now": True,
        "submit": True,
    }
    first = api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201, again.json()
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    other = api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 400 and "to_organisation" in other.json()["errors"]
    assert case.referrals.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_posts_make_one_referral_with_one_set_of_clocks(worker_chiangmai):
    case = register_case(worker_chiangmai)
    barrier = threading.Barrier(20)
    outcomes = []

    def post():
        try:
            barrier.wait()
            outcomes.append(refer(case, worker_chiangmai).pk)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Referral.objects.filter(case=case).count() == 1
    assert outcomes.count("refused") == 19
    referral = Referral.objects.get(case=case)
    assert Deadline.objects.filter(object_id=referral.pk, clock="central_review").count() == 1
