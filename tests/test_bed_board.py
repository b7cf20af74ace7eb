"""The bed board is right at a glance (issue 15): a full section says so, an over-capacity
section (from older data) is an alarm, children and residents who do not fit their section
are counted and named, a departure already past its planned end is flagged, and a director
sees the urgent referrals waiting for an answer with the time left."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shelters import services
from shelters.models import Placement, ShelterUnit
from tests.factories import admission, referral_in_state


def unit_row(page: str, section: str) -> str:
    return page.split(f'data-testid="unit-{section}"')[1].split("</tr>")[0]


@pytest.fixture
def resident(worker_chiangmai, director_kredtrakarn):
    return admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})


def home(client, user, page: str = "shelters:home") -> str:
    client.force_login(user)
    response = client.get(reverse(page))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_full_section_reads_as_full(client, resident, director_kredtrakarn):
    services.unit_set_capacity(unit_id=resident.unit_id, actor=director_kredtrakarn, capacity=1)
    row = unit_row(home(client, director_kredtrakarn), "women")
    assert 'data-testid="full"' in row and "เต็ม" in row
    # The bar is in its "bad" region when full: high is one bed below the capacity.
    assert 'max="1" low="0" high="0" optimum="0" value="1"' in row


@pytest.mark.django_db
def test_a_section_with_free_beds_is_not_flagged(client, resident, director_kredtrakarn):
    row = unit_row(home(client, director_kredtrakarn), "women")
    assert 'data-testid="full"' not in row and 'data-testid="over-capacity"' not in row


@pytest.mark.django_db
def test_an_over_capacity_section_is_an_alarm(client, resident, director_kredtrakarn):
    ShelterUnit.objects.filter(pk=resident.unit_id).update(capacity=0)  # older data
    page = home(client, director_kredtrakarn)
    row = unit_row(page, "women")
    assert 'data-testid="over-capacity"' in row and 'role="alert"' in row
    assert "-1" in row and "ผู้เข้าพัก 1 คน ในเตียง 0 เตียง" in row
    assert 'data-testid="unit-women" class="table-danger"' in page


@pytest.mark.django_db
def test_the_national_board_shows_full_and_over_capacity(client, resident, central_reviewer):
    ShelterUnit.objects.filter(pk=resident.unit_id).update(capacity=0)
    client.force_login(central_reviewer)
    page = client.get(reverse("shelters:national")).content.decode()
    assert page.count('data-testid="over-capacity"') == 1


@pytest.mark.django_db
def test_children_and_misfits_are_on_the_bed_board(client, worker_chiangmai, director_kredtrakarn):
    admission(
        worker_chiangmai,
        director_kredtrakarn,
        person={"estimated_age": 16, "sex": "female", "name_th": "น้องฝน"},
        override_reason="ห้องเด็กเต็ม อยู่กับแม่",
    )
    row = unit_row(home(client, director_kredtrakarn), "women")
    assert 'data-testid="children"' in row and "1" in row
    assert 'data-testid="misfit"' in row and "น้องฝน" in row


@pytest.mark.django_db
def test_a_departure_past_its_planned_end_is_flagged(client, resident, director_kredtrakarn):
    Placement.objects.filter(pk=resident.pk).update(planned_end=dt.date(2020, 1, 1))
    assert 'data-testid="departure-overdue"' in home(client, director_kredtrakarn)


@pytest.mark.django_db
def test_the_director_sees_urgent_referrals_with_the_time_left(
    client, worker_chiangmai, director_kredtrakarn, staff_kredtrakarn
):
    urgent = referral_in_state(worker_chiangmai, "submitted", urgent=True)
    normal = referral_in_state(worker_chiangmai, "submitted")
    # The board loads the referrals coming once it is shown; without JavaScript, a link.
    board = home(client, director_kredtrakarn)
    assert f'hx-get="{reverse("shelters:coming")}" hx-trigger="load"' in board
    coming = home(client, director_kredtrakarn, "shelters:coming")
    section = coming.split('data-testid="urgent-incoming"')[1].split("</section>")[0]
    assert urgent.case.number in section and normal.case.number not in section
    assert "เหลืออีก" in section  # "… left", in Thai
    # Staff see residents, not who is coming.
    assert 'data-testid="coming-on-demand"' not in home(client, staff_kredtrakarn)
    client.force_login(staff_kredtrakarn)
    assert client.get(reverse("shelters:coming")).status_code == 403


@pytest.mark.django_db
def test_each_referral_waiting_for_a_bed_offers_the_sections_without_reading_them_again(
    client, worker_chiangmai, director_kredtrakarn
):
    """The admit form of every accepted referral lists the shelter's sections, read once for
    the whole board: three referrals waiting cost no more queries than one."""
    client.force_login(director_kredtrakarn)

    def waiting(count: int) -> tuple[int, str]:
        for _ in range(count):
            referral_in_state(worker_chiangmai, "accepted", receiver=director_kredtrakarn)
        client.get(reverse("shelters:coming"))  # the user's own look-ups now cached
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("shelters:coming"), HTTP_HX_REQUEST="true").content.decode()
        return len(queries), page

    one, _ = waiting(1)
    three, page = waiting(2)
    assert three == one
    sections = ShelterUnit.objects.filter(
        shelter__organisation=director_kredtrakarn.membership.organisation
    )
    for unit in sections:
        assert page.count(f'<option value="{unit.pk}">{unit}</option>') == 3
