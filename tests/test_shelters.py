"""Shelters, beds and placements: admission from an accepted referral, never overbooked."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from core.domain import ActionForbidden, TransitionNotAllowed
from referrals import services as referrals
from shelters import services
from shelters.models import Placement, Shelter, ShelterUnit
from shelters.services import NoBedFree
from sla.models import Deadline
from tests.factories import admission, member, referral_in_state

pytestmark = pytest.mark.django_db


def kredtrakarn():
    return Shelter.objects.get(organisation__code="shelter-kredtrakarn")


def unit(section="women", shelter=None):
    return ShelterUnit.objects.get(shelter=shelter or kredtrakarn(), section=section)


def test_admission_from_an_accepted_referral(worker_chiangmai, director_kredtrakarn):
    referral = referral_in_state(worker_chiangmai, "accepted", receiver=director_kredtrakarn)
    placement = services.placement_admit(
        referral_id=referral.pk, unit_id=unit().pk, actor=director_kredtrakarn
    )
    referral.refresh_from_db()
    assert referral.state == "completed"
    assert placement.status == "admitted"
    assert Deadline.objects.get(object_id=placement.pk, clock="care_plan").state == "pending"
    assert placement.case.events.filter(kind="admitted").exists()


def test_no_admission_without_an_accepted_referral(worker_chiangmai, director_kredtrakarn):
    referral = referral_in_state(worker_chiangmai, "submitted")
    with pytest.raises(TransitionNotAllowed):
        services.placement_admit(
            referral_id=referral.pk, unit_id=unit().pk, actor=director_kredtrakarn
        )
    assert not Placement.objects.exists()


def test_only_the_receiving_shelters_director_admits(
    worker_chiangmai, director_kredtrakarn, staff_kredtrakarn
):
    referral = referral_in_state(worker_chiangmai, "accepted", receiver=director_kredtrakarn)
    other = member(Role.SHELTER_DIRECTOR, "shelter-narisawat", "director2")
    narisawat_unit = unit(shelter=Shelter.objects.get(organisation__code="shelter-narisawat"))
    with pytest.raises(ActionForbidden):
        services.placement_admit(
            referral_id=referral.pk, unit_id=unit().pk, actor=staff_kredtrakarn
        )
    with pytest.raises(ValidationError):
        services.placement_admit(referral_id=referral.pk, unit_id=narisawat_unit.pk, actor=other)


def test_a_full_section_refuses_the_next_admission(worker_chiangmai, director_kredtrakarn):
    services.unit_set_capacity(unit_id=unit("lgbtqi").pk, actor=director_kredtrakarn, capacity=1)
    first = referral_in_state(
        worker_chiangmai, "accepted", receiver=director_kredtrakarn, person={"name_th": "หนึ่ง"}
    )
    second = referral_in_state(
        worker_chiangmai, "accepted", receiver=director_kredtrakarn, person={"name_th": "สอง"}
    )
    services.placement_admit(
        referral_id=first.pk, unit_id=unit("lgbtqi").pk, actor=director_kredtrakarn
    )
    with pytest.raises(NoBedFree):
        services.placement_admit(
            referral_id=second.pk, unit_id=unit("lgbtqi").pk, actor=director_kredtrakarn
        )


def test_capacity_cannot_go_below_the_residents_present(worker_chiangmai, director_kredtrakarn):
    referral = referral_in_state(worker_chiangmai, "accepted", receiver=director_kredtrakarn)
    services.placement_admit(
        referral_id=referral.pk, unit_id=unit("lgbtqi").pk, actor=director_kredtrakarn
    )
    with pytest.raises(ValidationError, match="1"):
        services.unit_set_capacity(
            unit_id=unit("lgbtqi").pk, actor=director_kredtrakarn, capacity=0
        )
    assert unit("lgbtqi").capacity == 10


def test_discharge_frees_the_bed_and_opens_the_follow_up(worker_chiangmai, director_kredtrakarn):
    placement = admission(worker_chiangmai, director_kredtrakarn)
    with pytest.raises(ValidationError):
        services.placement_discharge(
            placement_id=placement.pk, actor=director_kredtrakarn, reason="other"
        )
    left = services.placement_discharge(
        placement_id=placement.pk, actor=director_kredtrakarn, reason="reintegrated"
    )
    assert left.status == "discharged"
    assert Deadline.objects.get(object_id=placement.pk, clock="follow_up").state == "pending"
    assert Deadline.objects.get(object_id=placement.pk, clock="care_plan").state == "cancelled"
    with pytest.raises(TransitionNotAllowed):
        services.placement_discharge(
            placement_id=placement.pk, actor=director_kredtrakarn, reason="left"
        )


def test_a_transfer_goes_through_the_receiving_directors_decision(
    worker_chiangmai, director_kredtrakarn
):
    placement = admission(worker_chiangmai, director_kredtrakarn)
    narisawat = Shelter.objects.get(organisation__code="shelter-narisawat")
    director2 = member(Role.SHELTER_DIRECTOR, "shelter-narisawat", "director2")
    transfer = services.placement_transfer(
        placement_id=placement.pk,
        actor=director_kredtrakarn,
        to_shelter=narisawat,
        reason="ใกล้บ้าน",
        consent="given",
        consent_now=True,
    )
    assert transfer.from_organisation.code == "shelter-kredtrakarn"
    assert transfer.state == "submitted"
    referrals.referral_acknowledge(referral_id=transfer.pk, actor=director2)
    referrals.referral_accept(referral_id=transfer.pk, actor=director2)
    there = services.placement_admit(
        referral_id=transfer.pk, unit_id=unit(shelter=narisawat).pk, actor=director2
    )
    placement.refresh_from_db()
    assert placement.status == "transferred"
    assert there.status == "admitted"
    assert Placement.objects.filter(case=placement.case, status="admitted").count() == 1


def test_the_first_care_plan_item_meets_the_care_plan_deadline(
    worker_chiangmai, director_kredtrakarn, staff_kredtrakarn
):
    placement = admission(worker_chiangmai, director_kredtrakarn)
    services.care_plan_item_add(
        placement_id=placement.pk, actor=staff_kredtrakarn, service="psychosocial"
    )
    assert Deadline.objects.get(object_id=placement.pk, clock="care_plan").state == "met"
    services.movement_record(
        placement_id=placement.pk, actor=staff_kredtrakarn, kind="phone", started_at=timezone.now()
    )
    assert placement.movements.count() == 1


def test_staff_see_current_residents_only(
    worker_chiangmai, director_kredtrakarn, staff_kredtrakarn
):
    from cases.selectors import case_list_visible_to

    placement = admission(worker_chiangmai, director_kredtrakarn)
    assert list(case_list_visible_to(user=staff_kredtrakarn)) == [placement.case]
    services.placement_discharge(
        placement_id=placement.pk, actor=director_kredtrakarn, reason="left"
    )
    assert not case_list_visible_to(user=staff_kredtrakarn).exists()
    assert list(case_list_visible_to(user=director_kredtrakarn)) == [placement.case]


def test_occupancy_agrees_between_the_bed_board_the_api_and_the_central_view(
    client, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    for name in ("หนึ่ง", "สอง"):
        admission(worker_chiangmai, director_kredtrakarn, person={"name_th": name})
    client.force_login(director_kredtrakarn)
    board = {
        u.section: (u.occupied, u.free_beds)
        for u in client.get(reverse("shelters:home")).context["units"]
    }
    api = APIClient()
    api.force_authenticate(central_reviewer)
    rows = api.get("/api/v1/shelters/").json()
    from_api = {
        u["section"]: (u["occupied"], u["free_beds"])
        for s in rows
        if s["code"] == "shelter-kredtrakarn"
        for u in s["units"]
    }
    client.force_login(central_reviewer)
    central = client.get(reverse("shelters:national")).context["shelters"]
    from_central = {
        u.section: (u.occupied, u.free_beds)
        for s in central
        if s.organisation.code == "shelter-kredtrakarn"
        for u in s.units.all()
    }
    assert board == from_api == from_central
    assert board["women"] == (2, 58)


def test_the_national_bed_board_takes_a_fixed_number_of_queries(
    client, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    client.force_login(central_reviewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("shelters:national")).status_code == 200
        return len(captured)

    # Each measure warm: the user's per-request state is cached (accounts/state.py), and the
    # admissions' notifications to the central division change their unread count.
    queries()
    before = queries()
    for name in ("หนึ่ง", "สอง", "สาม"):
        admission(worker_chiangmai, director_kredtrakarn, person={"name_th": name})
    queries()
    assert queries() == before <= 10


def test_a_director_runs_the_shelter_from_the_pages(client, worker_chiangmai, director_kredtrakarn):
    referral = referral_in_state(worker_chiangmai, "accepted", receiver=director_kredtrakarn)
    client.force_login(director_kredtrakarn)
    assert client.get(reverse("shelters:home")).status_code == 200
    coming = client.get(reverse("shelters:coming"))
    assert [r.pk for r, _form in coming.context["waiting"]] == [referral.pk]
    admitted = client.post(
        reverse("shelters:admit", args=[referral.pk]), {f"r{referral.pk}-unit": unit().pk}
    )
    assert admitted.status_code == 302
    placement = Placement.objects.get()
    assert admitted["Location"] == placement.get_absolute_url()
    assert client.get(placement.get_absolute_url()).status_code == 200
    full = client.post(
        reverse("shelters:set_capacity", args=[unit().pk]), {"capacity": 0}, follow=True
    )
    assert full.status_code == 200
    assert unit().capacity == 60
    assert list(full.context["messages"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_directors_admitting_into_the_last_bed_at_once_get_one_bed(
    worker_chiangmai, director_kredtrakarn
):
    """Real concurrent transactions on PostgreSQL: one admission wins, the other is refused."""
    assert connection.vendor == "postgresql"
    deputy = member(Role.SHELTER_DIRECTOR, "shelter-kredtrakarn", "deputy")
    last_bed = unit("lgbtqi")
    services.unit_set_capacity(unit_id=last_bed.pk, actor=director_kredtrakarn, capacity=1)
    first = referral_in_state(
        worker_chiangmai, "accepted", receiver=director_kredtrakarn, person={"name_th": "หนึ่ง"}
    )
    second = referral_in_state(
        worker_chiangmai, "accepted", receiver=director_kredtrakarn, person={"name_th": "สอง"}
    )
    start = threading.Barrier(2)
    outcomes = []

    def admit(actor, referral):
        try:
            start.wait()
            services.placement_admit(referral_id=referral.pk, unit_id=last_bed.pk, actor=actor)
            outcomes.append("admitted")
        except NoBedFree:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=admit, args=(director_kredtrakarn, first)),
        threading.Thread(target=admit, args=(deputy, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["admitted", "refused"]
    assert Placement.objects.filter(unit=last_bed, status="admitted").count() == 1


def test_follow_up_visits_come_at_3_6_and_12_months_after_reintegration(
    worker_chiangmai, director_kredtrakarn
):
    from dateutil.relativedelta import relativedelta

    placement = admission(worker_chiangmai, director_kredtrakarn)
    left = services.placement_discharge(
        placement_id=placement.pk, actor=director_kredtrakarn, reason="reintegrated"
    )

    def running():
        return Deadline.objects.get(object_id=placement.pk, clock="follow_up", closed_at=None)

    dues = [running().due_at]
    for _visit in range(2):
        services.follow_up_record(case=left.case, actor=worker_chiangmai, note="ครอบครัวดูแลดี")
        dues.append(running().due_at)
    assert dues == [left.discharged_at + relativedelta(months=m) for m in (3, 6, 12)]
    services.follow_up_record(case=left.case, actor=worker_chiangmai, note="จบการติดตาม")
    assert not Deadline.objects.filter(object_id=placement.pk, clock="follow_up", closed_at=None)
    with pytest.raises(TransitionNotAllowed):
        services.follow_up_record(case=left.case, actor=worker_chiangmai, note="อีกครั้ง")
    assert left.case.events.filter(kind="follow_up").count() == 3
