"""One person has one shelter bed, whatever number of cases they have (issue 15): the sender is
warned, acceptance and admission are refused naming where the person lives, and the database
refuses a second active stay even when two admissions race."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from cases import services as cases_services
from core.domain import TransitionNotAllowed
from referrals import services as referrals_services
from shelters import services
from shelters.models import Placement, Shelter, ShelterUnit
from tests.factories import admission, member, referral_in_state

SHELTER = "shelter-kredtrakarn"


def unit(section: str) -> ShelterUnit:
    return ShelterUnit.objects.get(shelter__organisation__code=SHELTER, section=section)


def second_case(first, worker_tak):
    """The same person met again in Tak, with a case of Tak's own."""
    return cases_services.case_open(
        actor=worker_tak,
        person=first.person,
        intake_channel="police_raid",
        intake_date=timezone.localdate(),
        intake_province=worker_tak.membership.organisation.province,
        exploitation_types=["labour_fishing"],
    )


@pytest.fixture
def resident(worker_chiangmai, director_kredtrakarn):
    """A woman living in the women's section of Kredtrakarn under Chiang Mai's case."""
    return admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})


@pytest.mark.django_db
def test_the_sender_of_a_second_case_is_warned_that_the_person_lives_in_a_shelter(
    client, resident, worker_tak
):
    case = second_case(resident.case, worker_tak)
    client.force_login(worker_tak)
    page = client.get(reverse("referrals:new", args=[case.pk]))
    assert page.status_code == 200
    warning = page.content.decode()
    assert 'data-testid="bed-elsewhere"' in warning
    assert str(resident.unit.shelter) in warning
    assert resident.case.number not in warning  # Chiang Mai's case is not Tak's to see


@pytest.mark.django_db
def test_a_resident_referred_again_under_the_same_case_warns_sender_and_receiver(
    client, resident, worker_chiangmai, director_kredtrakarn
):
    """Found in the acceptance walk: a child living in Kredtrakarn under this case was referred
    to Kredtrakarn again, and nobody was told."""
    client.force_login(worker_chiangmai)
    form = client.get(reverse("referrals:new", args=[resident.case.pk])).content.decode()
    again = referral_in_state(worker_chiangmai, "submitted", case=resident.case)
    client.force_login(director_kredtrakarn)
    page = client.get(again.get_absolute_url()).content.decode()

    for shown in (form, page):
        assert 'data-testid="bed-elsewhere"' in shown
        assert str(resident.unit) in shown


@pytest.mark.django_db
def test_a_transfer_asked_by_the_residents_own_shelter_warns_nobody(
    client, resident, director_kredtrakarn
):
    referral = services.placement_transfer(
        placement_id=resident.pk,
        to_shelter=Shelter.objects.get(organisation__code="shelter-narisawat"),
        reason="closer to her family",
        consent="given",
        consent_now=True,
        actor=director_kredtrakarn,
    )
    client.force_login(member(Role.SHELTER_DIRECTOR, "shelter-narisawat", "narisawat"))

    page = client.get(referral.get_absolute_url())

    assert page.status_code == 200
    assert 'data-testid="bed-elsewhere"' not in page.content.decode()


@pytest.mark.django_db
def test_the_shelter_cannot_accept_a_second_bed_for_a_resident(
    resident, worker_tak, director_kredtrakarn
):
    case = second_case(resident.case, worker_tak)
    referral = referral_in_state(
        worker_tak, "acknowledged", case=case, receiver=director_kredtrakarn
    )
    with pytest.raises(TransitionNotAllowed, match="หนึ่งคนมีหนึ่งเตียง|one person has one bed"):
        referrals_services.referral_accept(referral_id=referral.pk, actor=director_kredtrakarn)
    referral.refresh_from_db()
    assert referral.state == "acknowledged"


@pytest.mark.django_db
def test_accepting_through_the_api_is_a_409_naming_where_the_person_lives(
    resident, worker_tak, director_kredtrakarn
):
    case = second_case(resident.case, worker_tak)
    referral = referral_in_state(
        worker_tak, "acknowledged", case=case, receiver=director_kredtrakarn
    )
    api = APIClient()
    api.force_authenticate(director_kredtrakarn)
    response = api.post(f"/api/v1/referrals/{referral.pk}/accept/", {"note": ""})
    assert response.status_code == 409
    assert str(resident.unit.shelter) in response.json()["detail"]


@pytest.mark.django_db
def test_an_admission_of_a_person_living_in_a_shelter_under_another_case_is_refused(
    client, worker_chiangmai, worker_tak, director_kredtrakarn
):
    first = referral_in_state(
        worker_chiangmai, "accepted", receiver=director_kredtrakarn, person={"estimated_age": 30}
    )
    second = referral_in_state(
        worker_tak,
        "accepted",
        case=second_case(first.case, worker_tak),
        receiver=director_kredtrakarn,
    )
    services.placement_admit(
        referral_id=first.pk, unit_id=unit("women").pk, actor=director_kredtrakarn
    )
    client.force_login(director_kredtrakarn)
    response = client.post(
        reverse("shelters:admit", args=[second.pk]),
        {f"r{second.pk}-unit": unit("lgbtqi").pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "one person has one bed" in response.content.decode() or (
        "หนึ่งคนมีหนึ่งเตียง" in response.content.decode()
    )
    assert Placement.objects.filter(person=first.case.person, status="admitted").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_stay_of_one_person(resident, worker_tak):
    case = second_case(resident.case, worker_tak)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            case=case,
            person=case.person,
            unit=unit("lgbtqi"),
            referral=resident.referral,
            admitted_at=timezone.now(),
            admitted_by=resident.admitted_by,
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admissions_of_one_person_under_two_cases_at_once_give_one_bed(
    worker_chiangmai, worker_tak, director_kredtrakarn
):
    """Real concurrent transactions on PostgreSQL, into two different sections (no shared row
    lock): the database's constraint lets one win; the other is refused with where."""
    assert connection.vendor == "postgresql"
    deputy = member(Role.SHELTER_DIRECTOR, SHELTER, "deputy")
    first = referral_in_state(
        worker_chiangmai, "accepted", receiver=director_kredtrakarn, person={"estimated_age": 30}
    )
    second = referral_in_state(
        worker_tak,
        "accepted",
        case=second_case(first.case, worker_tak),
        receiver=director_kredtrakarn,
    )
    start = threading.Barrier(2)
    outcomes = []

    def admit(actor, referral, section):
        try:
            start.wait()
            services.placement_admit(referral_id=referral.pk, unit_id=unit(section).pk, actor=actor)
            outcomes.append("admitted")
        except TransitionNotAllowed as refused:
            outcomes.append("refused" if str(unit("women").shelter) in str(refused) else "other")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=admit, args=(director_kredtrakarn, first, "women")),
        threading.Thread(target=admit, args=(deputy, second, "lgbtqi")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["admitted", "refused"]
    assert Placement.objects.filter(person=first.case.person, status="admitted").count() == 1
