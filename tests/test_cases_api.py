"""/api/v1/persons/, /cases/ and /screenings/: the same rules as the pages, as JSON."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import OUTCOME_AT_CLOSURE, register_case

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_worker_registers_a_person_and_opens_a_case_through_the_api(worker_chiangmai):
    client = api(worker_chiangmai)
    person = client.post(
        "/api/v1/persons/",
        {
            "name_latin": "Aung Kyaw",
            "sex": "male",
            "nationality": "MM",
            "languages": ["my"],
            "documents": [{"kind": "passport", "number": "MC1234567", "issuing_country": "MM"}],
        },
        format="json",
    )
    assert person.status_code == 201, person.json()
    case = client.post(
        "/api/v1/cases/",
        {
            "person": person.json()["id"],
            "intake_channel": "labour_inspection",
            "intake_date": "2026-11-01",
            "intake_province": "50",
            "exploitation_types": ["labour_fishing"],
        },
        format="json",
    )
    assert case.status_code == 201, case.json()
    assert case.json()["number"].startswith("NRM-")
    assert case.json()["owner"] == "pso-50"


def test_bad_input_gets_a_message_per_field(worker_chiangmai):
    response = api(worker_chiangmai).post(
        "/api/v1/persons/",
        {
            "name_th": "สมชาย",
            "sex": "male",
            "date_of_birth": str(timezone.localdate() + dt.timedelta(days=3)),
            "documents": [{"kind": "thai_id", "number": "1111111111111"}],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "date_of_birth" in errors or "document_number" in errors


def test_another_provinces_case_is_a_404(worker_chiangmai, worker_tak):
    case = register_case(worker_chiangmai)
    client = api(worker_tak)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert client.post(f"/api/v1/cases/{case.pk}/close/", {"reason": "x"}).status_code == 404
    assert client.get("/api/v1/cases/").json()["results"] == []
    assert client.get(f"/api/v1/persons/{case.person_id}/").status_code == 404


def test_a_case_closes_through_the_api_only_with_the_persons_outcome(worker_chiangmai):
    """As on its page: the outcome at closure, or a 400 problem in the user's language."""
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    url = f"/api/v1/cases/{case.pk}/close/"
    refused = client.post(url, {"reason": "done"})
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert "ผลลัพธ์" in refused.json()["detail"]  # "outcome", in Thai
    case.refresh_from_db()
    assert case.is_open and not case.outcomes.exists()

    closed = client.post(url, {"reason": "done", **OUTCOME_AT_CLOSURE})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert case.outcomes.get().moment == "closure"


def test_a_move_from_the_wrong_state_is_a_409(worker_chiangmai):
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    closing = {"reason": "done", **OUTCOME_AT_CLOSURE}
    assert client.post(f"/api/v1/cases/{case.pk}/close/", closing).status_code == 200
    response = client.post(f"/api/v1/cases/{case.pk}/close/", {"reason": "again"})
    assert response.status_code == 409
    assert "detail" in response.json()


def test_the_screening_workflow_through_the_api(worker_chiangmai, central_reviewer):
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    started = client.post(
        "/api/v1/screenings/",
        {
            "case": case.pk,
            "custody_started_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "members": [{"name": "Pol. Lt. Somchai", "agency": "police"}],
        },
        format="json",
    )
    assert started.status_code == 201, started.json()
    screening_id = started.json()["id"]
    consent = client.post(
        f"/api/v1/cases/{case.pk}/consents/",
        {"step": "screening", "decision": "given", "rights_notified": True},
        format="json",
    )
    assert consent.status_code == 201, consent.json()
    decided = client.post(
        f"/api/v1/screenings/{screening_id}/decide/",
        {"outcome": "not_victim", "reason": "No indicator found"},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "pending_second_review"
    # The author cannot give the second review; a central reviewer can, once.
    assert (
        client.post(
            f"/api/v1/screenings/{screening_id}/second-review/", {"confirm": True, "note": "x"}
        ).status_code
        == 403
    )
    central = api(central_reviewer)
    reviewed = central.post(
        f"/api/v1/screenings/{screening_id}/second-review/",
        {"confirm": True, "note": "Agreed"},
        format="json",
    )
    assert reviewed.json()["status"] == "confirmed"
    again = central.post(
        f"/api/v1/screenings/{screening_id}/second-review/",
        {"confirm": False, "note": "x"},
        format="json",
    )
    assert again.status_code == 409


def test_a_decision_without_required_fields_is_a_400(worker_chiangmai):
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    screening = client.post(
        "/api/v1/screenings/",
        {"case": case.pk, "custody_started_at": timezone.now().isoformat()},
        format="json",
    ).json()
    response = client.post(
        f"/api/v1/screenings/{screening['id']}/decide/",
        {"outcome": "victim_trafficking", "reason": "r"},
        format="json",
    )
    assert response.status_code == 400
    assert {"members", "indicators", "consent"} <= set(response.json()["errors"])


def test_a_case_cannot_be_opened_for_a_person_the_user_cannot_see(worker_chiangmai, worker_tak):
    case = register_case(worker_chiangmai)
    response = api(worker_tak).post(
        "/api/v1/cases/",
        {
            "person": case.person_id,
            "intake_channel": "walk_in",
            "intake_date": "2026-11-01",
            "intake_province": "63",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "person" in response.json()["errors"]


def test_the_central_reviewer_sees_every_case_and_a_sysadmin_none(
    worker_chiangmai, worker_tak, central_reviewer, sysadmin
):
    register_case(worker_chiangmai)
    register_case(worker_tak, name_th="มานี")
    assert len(api(central_reviewer).get("/api/v1/cases/").json()["results"]) == 2
    assert api(sysadmin).get("/api/v1/cases/").json()["results"] == []
