"""A person goes into a section meant for them (issue 15): a child into an adult section, an
adult among children or a person into a section of the other sex needs the director's reason,
goes on the timeline and is told to the central division; the waiting and residents lists show
sex, age and a child flag."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from notifications.models import Notification
from shelters import services
from shelters.models import ShelterUnit
from tests.factories import referral_in_state

SHELTER = "shelter-kredtrakarn"


def unit(section: str) -> ShelterUnit:
    return ShelterUnit.objects.get(shelter__organisation__code=SHELTER, section=section)


@pytest.fixture
def girl(worker_chiangmai, director_kredtrakarn):
    """An accepted referral of a 16-year-old girl to Kredtrakarn."""
    return referral_in_state(
        worker_chiangmai,
        "accepted",
        receiver=director_kredtrakarn,
        person={"estimated_age": 16},
        consent="not_required",
        consent_note="เด็ก",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["women", "lgbtqi"])
def test_a_child_into_an_adult_section_needs_the_directors_reason(
    girl, director_kredtrakarn, section
):
    with pytest.raises(ValidationError) as error:
        services.placement_admit(
            referral_id=girl.pk, unit_id=unit(section).pk, actor=director_kredtrakarn
        )
    assert "override_reason" in error.value.message_dict
    assert not girl.placements.exists()


@pytest.mark.django_db
def test_a_child_goes_into_the_girls_section_without_a_word(girl, director_kredtrakarn):
    placement = services.placement_admit(
        referral_id=girl.pk, unit_id=unit("girls").pk, actor=director_kredtrakarn
    )
    assert placement.unit.section == "girls"
    assert not Notification.objects.filter(link=placement.get_absolute_url()).exists()


@pytest.mark.django_db
def test_an_override_is_on_the_timeline_in_the_audit_log_and_told_to_central(
    girl, director_kredtrakarn, central_reviewer
):
    api = APIClient()
    api.force_authenticate(director_kredtrakarn)
    response = api.post(
        "/api/v1/placements/admit/",
        {
            "referral": girl.pk,
            "unit": unit("women").pk,
            "override_reason": "ห้องเด็กปิดซ่อม อยู่ห้องเดียวกับพี่สาว",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    placement = girl.placements.get()
    event = girl.case.events.get(kind="admitted")
    assert "ห้องเด็กปิดซ่อม" in event.summary
    assert Notification.objects.filter(
        recipient=central_reviewer, link=placement.get_absolute_url()
    ).exists()


@pytest.mark.django_db
def test_the_waiting_list_shows_sex_age_and_the_child_flag(client, girl, director_kredtrakarn):
    client.force_login(director_kredtrakarn)
    page = client.get(reverse("shelters:coming"))  # loaded into the bed board once shown
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="person-facts"' in text
    assert "16" in text and "เด็ก" in text
