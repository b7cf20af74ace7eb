"""Referrals in the browser pages and through /api/v1/referrals/."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organisation
from referrals import services
from referrals.models import Referral
from tests.factories import register_case

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def case(worker_chiangmai):
    return register_case(worker_chiangmai, estimated_age=25)


def test_the_three_roles_carry_a_referral_through_the_api(
    case, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    created = api(worker_chiangmai).post(
        "/api/v1/referrals/",
        {
            "case": case.pk,
            "to_organisation": "shelter-kredtrakarn",
            "kind": "shelter_placement",
            "reason": "ต้องการที่พัก",
            "consent": "given",
            "consent_now": True,
            "services_requested": ["shelter", "psychosocial"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    referral_id = created.json()["id"]
    url = f"/api/v1/referrals/{referral_id}"
    assert api(worker_chiangmai).post(f"{url}/submit/").json()["state"] == "submitted"
    director = api(director_kredtrakarn)
    assert director.post(f"{url}/acknowledge/", {}).json()["state"] == "acknowledged"
    assert director.post(f"{url}/accept/", {"note": "ok"}).json()["state"] == "accepted"
    reviewed = api(central_reviewer).post(f"{url}/review/", {"decision": "endorse"})
    assert reviewed.json()["review_state"] == "endorsed"
    done = director.post(f"{url}/complete/", {})
    assert done.status_code == 200
    assert [e["to_state"] for e in done.json()["events"]][-1] == "completed"


def test_a_move_from_the_wrong_state_is_409_and_an_invisible_referral_404(
    case, worker_chiangmai, worker_tak, director_kredtrakarn
):
    referral = services.referral_create(
        actor=worker_chiangmai,
        case_id=case.pk,
        to_organisation=Organisation.objects.get(code="shelter-kredtrakarn"),
        kind="shelter_placement",
        reason="r",
        consent="given",
        consent_now=True,
        submit=True,
    )
    url = f"/api/v1/referrals/{referral.pk}"
    assert api(director_kredtrakarn).post(f"{url}/accept/", {}).status_code == 409
    assert api(director_kredtrakarn).post(f"{url}/decline/", {}).status_code == 400
    assert api(worker_tak).get(f"{url}/").status_code == 404
    assert api(worker_tak).post(f"{url}/withdraw/", {"reason": "x"}).status_code == 404
    assert api(worker_tak).get("/api/v1/referrals/").json()["results"] == []
    assert api(director_kredtrakarn).post(f"{url}/withdraw/", {"reason": "x"}).status_code == 403


def test_a_referral_to_a_case_the_user_cannot_see_is_refused(case, worker_tak):
    response = api(worker_tak).post(
        "/api/v1/referrals/",
        {
            "case": case.pk,
            "to_organisation": "shelter-kredtrakarn",
            "kind": "shelter_placement",
            "reason": "r",
            "consent": "given",
            "consent_now": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "case" in response.json()["errors"]


def test_the_sender_refers_from_the_case_page_and_sees_the_shelters_beds(
    client, case, worker_chiangmai
):
    client.force_login(worker_chiangmai)
    page = client.get(reverse("referrals:new", args=[case.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="shelter-') == 6
    response = client.post(
        reverse("referrals:new", args=[case.pk]),
        {
            "kind": "shelter_placement",
            "to_organisation": Organisation.objects.get(code="shelter-kredtrakarn").pk,
            "reason": "ต้องการที่พัก",
            "consent": "given",
            "consent_now": True,
            "submit": "on",
        },
    )
    referral = Referral.objects.get()
    assert response["Location"] == referral.get_absolute_url()
    assert referral.state == "submitted"


def test_the_receivers_inbox_and_the_central_queue_list_the_referral(
    client, case, worker_chiangmai, director_kredtrakarn, central_reviewer, worker_tak
):
    referral = services.referral_create(
        actor=worker_chiangmai,
        case_id=case.pk,
        to_organisation=Organisation.objects.get(code="shelter-kredtrakarn"),
        kind="shelter_placement",
        reason="r",
        consent="given",
        consent_now=True,
        submit=True,
    )
    client.force_login(director_kredtrakarn)
    inbox = client.get(reverse("referrals:inbox"))
    assert [r.pk for r in inbox.context["referrals"]] == [referral.pk]
    assert inbox.context["referrals"][0].running_deadlines
    client.force_login(central_reviewer)
    queue = client.get(reverse("referrals:home"), {"province": "50", "state": "pending"})
    assert [r.pk for r in queue.context["queue"]] == [referral.pk]
    assert list(client.get(reverse("referrals:home"), {"province": "63"}).context["queue"]) == []
    client.force_login(worker_tak)
    assert client.get(referral.get_absolute_url()).status_code == 404


def test_the_director_acknowledges_on_the_referral_page_and_a_second_click_is_a_message(
    client, case, worker_chiangmai, director_kredtrakarn
):
    referral = services.referral_create(
        actor=worker_chiangmai,
        case_id=case.pk,
        to_organisation=Organisation.objects.get(code="shelter-kredtrakarn"),
        kind="shelter_placement",
        reason="r",
        consent="given",
        consent_now=True,
        submit=True,
    )
    client.force_login(director_kredtrakarn)
    url = reverse("referrals:act", args=[referral.pk, "acknowledge"])
    assert client.post(url, {"note": ""}).status_code == 302
    again = client.post(url, {"note": ""}, follow=True)
    assert again.status_code == 200
    assert any(
        "acknowledged" in str(m).lower() or "รับทราบ" in str(m) for m in again.context["messages"]
    )
    referral.refresh_from_db()
    assert referral.state == "acknowledged"


def test_a_list_gives_each_referral_without_its_history_which_its_own_endpoint_gives(
    case, worker_chiangmai
):
    created = (
        api(worker_chiangmai)
        .post(
            "/api/v1/referrals/",
            {
                "case": case.pk,
                "to_organisation": "shelter-kredtrakarn",
                "kind": "shelter_placement",
                "reason": "ต้องการที่พัก",
                "consent": "given",
                "consent_now": True,
                "submit": True,
            },
            format="json",
        )
        .json()
    )
    [listed] = api(worker_chiangmai).get("/api/v1/referrals/").json()["results"]
    assert listed["id"] == created["id"] and listed["state"] == "submitted"
    assert "events" not in listed
    detail = api(worker_chiangmai).get(f"/api/v1/referrals/{created['id']}/").json()
    assert [event["to_state"] for event in detail["events"]][-1] == "submitted"
