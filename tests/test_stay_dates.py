"""Dates that make sense across a stay and a screening (issue 15): a planned end before the
admission, an outing before the admission or in the future, an interview before custody are
refused in the user's language; an outing's return is recorded later; a discharge asks for its
reason (none chosen in advance) and a confirmation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services as cases_services
from core.domain import TransitionNotAllowed
from shelters import services
from shelters.models import Placement, ShelterUnit
from tests.factories import admission, referral_in_state, screening_in_state

SHELTER = "shelter-kredtrakarn"


@pytest.fixture
def stay(worker_chiangmai, director_kredtrakarn):
    return admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})


@pytest.mark.django_db
def test_a_planned_end_before_the_admission_is_refused_in_the_api(
    worker_chiangmai, director_kredtrakarn
):
    referral = referral_in_state(
        worker_chiangmai, "accepted", receiver=director_kredtrakarn, person={"estimated_age": 30}
    )
    unit = ShelterUnit.objects.get(shelter__organisation__code=SHELTER, section="women")
    api = APIClient()
    api.force_authenticate(director_kredtrakarn)
    response = api.post(
        "/api/v1/placements/admit/",
        {"referral": referral.pk, "unit": unit.pk, "planned_end": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "planned_end" in response.json()["errors"]
    assert not referral.placements.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["before the admission", "in the future"])
def test_an_outing_outside_the_stay_is_refused(stay, director_kredtrakarn, when):
    started = (
        stay.admitted_at - dt.timedelta(hours=8)
        if when == "before the admission"
        else timezone.now() + dt.timedelta(hours=2)
    )
    with pytest.raises(ValidationError) as error:
        services.movement_record(
            placement_id=stay.pk, actor=director_kredtrakarn, kind="outing", started_at=started
        )
    assert "started_at" in error.value.message_dict
    assert not stay.movements.exists()


@pytest.mark.django_db
def test_the_return_from_an_outing_is_recorded_on_the_stay_page_once(
    client, stay, director_kredtrakarn
):
    # The person came yesterday (a stay of one minute has no outing to come back from).
    Placement.objects.filter(pk=stay.pk).update(admitted_at=timezone.now() - dt.timedelta(days=1))
    outing = services.movement_record(
        placement_id=stay.pk,
        actor=director_kredtrakarn,
        kind="outing",
        started_at=timezone.now() - dt.timedelta(hours=3),
    )
    client.force_login(director_kredtrakarn)
    page = client.get(stay.get_absolute_url())
    assert 'data-testid="movement-end"' in page.content.decode()
    back = timezone.localtime() - dt.timedelta(hours=1)
    typed = f"{back:%d/%m}/{back.year + 543} {back:%H:%M}"
    url = reverse("shelters:movement_end", args=[stay.pk, outing.pk])
    response = client.post(url, {"ended_at": typed})
    assert response.status_code == 302
    outing.refresh_from_db()
    assert outing.ended_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.movement_end(movement_id=outing.pk, actor=director_kredtrakarn, ended_at=back)


@pytest.mark.django_db
def test_an_interview_before_custody_began_is_refused(worker_chiangmai):
    screening = screening_in_state(worker_chiangmai, "open")
    with pytest.raises(ValidationError) as error:
        cases_services.interview_record(
            screening_id=screening.pk,
            actor=worker_chiangmai,
            held_at=screening.custody_started_at - dt.timedelta(hours=1),
            interviewer="ผู้สัมภาษณ์",
            summary="สรุป",
        )
    assert "held_at" in error.value.message_dict


@pytest.mark.django_db
def test_a_discharge_needs_a_chosen_reason_and_a_confirmation(client, stay, director_kredtrakarn):
    client.force_login(director_kredtrakarn)
    page = client.get(stay.get_absolute_url()).content.decode()
    assert 'name="confirm"' in page
    url = reverse("shelters:discharge", args=[stay.pk])
    client.post(url, {"reason": "reintegrated"})  # not confirmed
    stay.refresh_from_db()
    assert stay.status == "admitted"
    client.post(url, {"reason": "", "confirm": "on"})  # no reason chosen
    stay.refresh_from_db()
    assert stay.status == "admitted"
    response = client.post(url, {"reason": "reintegrated", "confirm": "on"})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.status == "discharged"
