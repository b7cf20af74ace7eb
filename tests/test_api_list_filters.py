"""The API lists take the same filters as their pages and exports (issue 22): the same
parameters, several values of one (`?province=50&province=63`), a wrong value refused in the
user's language, and never a row the user could not see on the page."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import admission, case_in_state, member, referral_in_state, register_case

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["results"]}


@pytest.fixture
def worker_bangkok(db):
    return member(Role.SOCIAL_WORKER, "pso-10", "wipa")


def test_several_provinces_give_the_cases_of_either_and_no_other(
    central_reviewer, worker_chiangmai, worker_tak, worker_bangkok
):
    chiangmai, tak = register_case(worker_chiangmai), register_case(worker_tak)
    register_case(worker_bangkok)
    found = numbers(api(central_reviewer).get("/api/v1/cases/?province=50&province=63"))
    assert found == {chiangmai.number, tak.number}
    assert numbers(api(central_reviewer).get("/api/v1/cases/?province=63")) == {tak.number}


def test_filters_narrow_only_what_the_user_sees(supervisor_chiangmai, worker_chiangmai, worker_tak):
    closed = case_in_state(worker_chiangmai, "closed")
    register_case(worker_chiangmai)
    register_case(worker_tak)
    client = api(supervisor_chiangmai)
    assert numbers(client.get("/api/v1/cases/?status=closed")) == {closed.number}
    assert numbers(client.get("/api/v1/cases/?province=63")) == set()  # Tak's: not theirs


def test_a_wrong_filter_value_is_a_400_in_thai_on_its_parameter(central_reviewer):
    response = api(central_reviewer).get("/api/v1/cases/?status=lost&from=31/02/2569")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert set(errors) == {"status", "from"}
    assert "lost" in errors["status"][0] and "ไม่" in errors["status"][0]


def test_the_search_and_a_filter_together(central_reviewer, worker_chiangmai):
    wanted = register_case(worker_chiangmai, name_latin="Aung Kyaw")
    register_case(worker_chiangmai, name_latin="Aung Kyaw")  # then closed
    closed = case_in_state(worker_chiangmai, "closed", name_latin="Aung Kyaw")
    found = numbers(api(central_reviewer).get("/api/v1/cases/?q=Aung+Kyaw&status=closed"))
    assert found == {closed.number} and wanted.number not in found


def test_the_referral_list_takes_several_states(
    central_reviewer, worker_chiangmai, director_kredtrakarn
):
    submitted = referral_in_state(worker_chiangmai, "submitted", receiver=director_kredtrakarn)
    accepted = referral_in_state(worker_chiangmai, "accepted", receiver=director_kredtrakarn)
    referral_in_state(worker_chiangmai, "declined", receiver=director_kredtrakarn)
    response = api(central_reviewer).get("/api/v1/referrals/?state=submitted&state=accepted")
    assert response.status_code == 200, response.content
    assert {row["id"] for row in response.json()["results"]} == {submitted.pk, accepted.pk}
    refused = api(central_reviewer).get("/api/v1/referrals/?state=nowhere")
    assert refused.status_code == 400 and "state" in refused.json()["errors"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/placements/", "from"),
        ("/api/v1/prosecutions/", "from"),
        ("/api/v1/compensation-claims/", "from"),
        ("/api/v1/repatriations/", "from"),
        ("/api/v1/outcomes/", "from"),
        ("/api/v1/lessons/", "status"),
    ],
)
def test_every_other_filtered_list_takes_its_pages_filters_and_refuses_a_wrong_one(
    central_reviewer, path, parameter
):
    client = api(central_reviewer)
    good = "2026-01-01" if parameter == "from" else "raised"
    assert client.get(path, {parameter: good}).status_code == 200
    refused = client.get(path, {parameter: "31/02/2569"})
    assert refused.status_code == 400, (path, refused.content)
    assert list(refused.json()["errors"]) == [parameter]


def test_the_stays_list_takes_several_statuses(director_kredtrakarn, worker_chiangmai):
    admitted = admission(worker_chiangmai, director_kredtrakarn)
    client = api(director_kredtrakarn)
    ids = {row["id"] for row in client.get("/api/v1/placements/?status=admitted").json()["results"]}
    assert admitted.pk in ids
    none = client.get("/api/v1/placements/?status=discharged&status=transferred").json()
    assert admitted.pk not in {row["id"] for row in none["results"]}
