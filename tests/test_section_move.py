"""A resident placed in the wrong section moves to another section of the same shelter
(issue 15): through a service with its own event, never into a full section, and into a section
not meant for them only with the director's reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from shelters import services
from shelters.models import ShelterUnit
from shelters.services import NoBedFree
from tests.factories import admission

SHELTER = "shelter-kredtrakarn"


def unit(section: str) -> ShelterUnit:
    return ShelterUnit.objects.get(shelter__organisation__code=SHELTER, section=section)


@pytest.fixture
def girl_among_women(worker_chiangmai, director_kredtrakarn):
    return admission(
        worker_chiangmai,
        director_kredtrakarn,
        person={"estimated_age": 16},
        override_reason="ห้องเด็กเต็มในคืนที่มาถึง",
    )


@pytest.mark.django_db
def test_the_director_moves_a_girl_to_the_girls_section_on_the_stay_page(
    client, girl_among_women, director_kredtrakarn
):
    client.force_login(director_kredtrakarn)
    page = client.get(girl_among_women.get_absolute_url())
    assert 'data-testid="move-section"' in page.content.decode()
    response = client.post(
        reverse("shelters:move_section", args=[girl_among_women.pk]), {"unit": unit("girls").pk}
    )
    assert response.status_code == 302
    girl_among_women.refresh_from_db()
    assert girl_among_women.unit.section == "girls"
    event = girl_among_women.case.events.get(kind="moved")
    assert "→" in event.summary


@pytest.mark.django_db
def test_a_move_into_a_full_section_is_refused(girl_among_women, director_kredtrakarn):
    services.unit_set_capacity(unit_id=unit("girls").pk, actor=director_kredtrakarn, capacity=0)
    with pytest.raises(NoBedFree):
        services.placement_move_section(
            placement_id=girl_among_women.pk, unit_id=unit("girls").pk, actor=director_kredtrakarn
        )
    girl_among_women.refresh_from_db()
    assert girl_among_women.unit.section == "women"


@pytest.mark.django_db
def test_a_move_into_a_section_not_meant_for_the_person_needs_a_reason_also_in_the_api(
    worker_chiangmai, director_kredtrakarn
):
    woman = admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 40})
    with pytest.raises(ValidationError) as error:
        services.placement_move_section(
            placement_id=woman.pk, unit_id=unit("girls").pk, actor=director_kredtrakarn
        )
    assert "override_reason" in error.value.message_dict
    api = APIClient()
    api.force_authenticate(director_kredtrakarn)
    url = f"/api/v1/placements/{woman.pk}/move-section/"
    assert api.post(url, {"unit": unit("girls").pk}, format="json").status_code == 400
    moved = api.post(
        url, {"unit": unit("lgbtqi").pk}, format="json"
    )  # an adult section of any sex: no reason needed
    assert moved.status_code == 200, moved.json()
    woman.refresh_from_db()
    assert woman.unit.section == "lgbtqi"


@pytest.mark.django_db
def test_the_shelter_staff_cannot_move_a_resident(client, girl_among_women, staff_kredtrakarn):
    client.force_login(staff_kredtrakarn)
    response = client.post(
        reverse("shelters:move_section", args=[girl_among_women.pk]), {"unit": unit("girls").pk}
    )
    assert response.status_code == 403
    girl_among_women.refresh_from_db()
    assert girl_among_women.unit.section == "women"
