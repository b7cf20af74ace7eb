"""Two offices registered one person twice: the central division, told of the possible duplicate
(issue 24), merges the records. Each office keeps its own case; only the person is one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from cases import services
from cases.models import CaseEvent, Person
from core.domain import ActionForbidden
from shelters.models import Placement
from tests.factories import admission, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def twice(worker_chiangmai, worker_tak):
    """Min Tun, registered in Chiang Mai, and again in Tak as "Min Htun" with his passport."""
    chiangmai = register_case(
        worker_chiangmai, name_th="มิน ทุน", name_latin="Min Tun", sex="male", nationality="MM"
    )
    tak = register_case(
        worker_tak,
        name_latin="Min Htun",
        sex="male",
        estimated_age=15,
        phone="0812345678",
        documents=[services.DocumentInput(kind="passport", number="MA123456")],
    )
    return chiangmai, tak


def _merge(
    client, reviewer, keep, case_number, reason="Same passport photo and parents", confirmed="on"
):
    client.force_login(reviewer)
    return client.post(
        reverse("cases:person_merge", args=[keep.pk]),
        {"case_number": case_number, "reason": reason, "confirmed": confirmed},
        follow=True,
    )


def test_the_central_division_merges_another_record_of_the_same_person(
    client, twice, central_reviewer, worker_chiangmai, worker_tak
):
    chiangmai, tak = twice
    keep, gone = chiangmai.person, tak.person

    page = _merge(client, central_reviewer, keep, tak.number.lower())

    assert "รวมระเบียน" in page.content.decode()  # the success message, in Thai
    assert not Person.objects.filter(pk=gone.pk).exists()
    keep.refresh_from_db()
    assert set(keep.cases.values_list("number", flat=True)) == {chiangmai.number, tak.number}
    assert "Min Htun" in keep.aliases
    assert keep.documents.get().number == "MA123456"
    assert keep.phone == "0812345678" and keep.estimated_age == 15
    # Each office still works on its own case, and sees only its own.
    tak.refresh_from_db()
    assert tak.owner == worker_tak.membership.organisation
    line = CaseEvent.objects.get(case=tak, kind=CaseEvent.Kind.UPDATED)
    assert chiangmai.number not in line.summary  # not Tak's to know
    client.force_login(worker_chiangmai)
    assert client.get(tak.get_absolute_url()).status_code == 404
    event = AuditEvent.objects.filter(object_id=str(keep.pk), changes__merged_person=gone.pk)
    assert event.get().changes["cases_moved"] == [tak.number]


def test_a_merge_is_refused_with_its_reason_and_changes_nothing(
    client, twice, central_reviewer, worker_chiangmai
):
    chiangmai, tak = twice
    keep = chiangmai.person

    unknown = _merge(client, central_reviewer, keep, "NRM-2569-99-999999")
    itself = _merge(client, central_reviewer, keep, chiangmai.number)
    no_reason = _merge(client, central_reviewer, keep, tak.number, reason="")
    unconfirmed = _merge(client, central_reviewer, keep, tak.number, confirmed="")

    assert "ไม่มีรายกรณีเลขที่นี้" in unknown.content.decode()
    assert "ระเบียนเดียวกัน" in itself.content.decode()
    assert no_reason.status_code == 200
    assert "ทำเครื่องหมาย" in unconfirmed.content.decode()
    assert Person.objects.filter(pk=tak.person_id).exists()
    with pytest.raises(ActionForbidden):
        services.person_merge(
            keep=keep, duplicate=tak.person, actor=worker_chiangmai, reason="mine"
        )
    assert Person.objects.filter(pk=tak.person_id).exists()


def test_two_records_each_in_a_shelter_bed_are_not_merged(
    worker_chiangmai, worker_tak, director_kredtrakarn, central_reviewer
):
    first = admission(worker_chiangmai, director_kredtrakarn, person={"name_latin": "Aye Aye"})
    second = admission(worker_tak, director_kredtrakarn, person={"name_latin": "Aye Aye"})

    with pytest.raises(ValidationError) as refused:
        services.person_merge(
            keep=first.person, duplicate=second.person, actor=central_reviewer, reason="same"
        )

    assert refused.value.code == "both_in_a_bed"
    assert Person.objects.filter(pk=second.person_id).exists()
    assert Placement.objects.get(pk=second.pk).person_id == second.person_id


def test_a_record_in_a_bed_merged_into_another_keeps_its_stay(
    worker_chiangmai, worker_tak, director_kredtrakarn, central_reviewer
):
    stay = admission(worker_tak, director_kredtrakarn, person={"name_latin": "Aye Aye"})
    other = register_case(worker_chiangmai, name_latin="Aye Aye", sex="female")

    keep = services.person_merge(
        keep=other.person, duplicate=stay.person, actor=central_reviewer, reason="same"
    )

    stay.refresh_from_db()
    assert stay.person == keep and stay.case.person == keep


def test_the_merge_form_is_shown_to_the_central_division_only(
    client, twice, central_reviewer, worker_chiangmai
):
    chiangmai, _tak = twice
    page = reverse("cases:person", args=[chiangmai.person_id])

    client.force_login(central_reviewer)
    assert 'data-testid="merge-form"' in client.get(page).content.decode()
    client.force_login(worker_chiangmai)
    assert 'data-testid="merge-form"' not in client.get(page).content.decode()


def test_a_breach_that_affected_the_merged_record_names_the_kept_person(
    client, twice, central_reviewer, data_protection_officer
):
    """Records of other apps that list persons (a breach's persons affected, privacy) follow
    the merge too: the breach register does not lose the person."""
    from django.utils import timezone

    from privacy.models import Breach

    chiangmai, tak = twice
    keep, gone = chiangmai.person, tak.person
    breach = Breach.objects.create(
        summary="a list printed and lost",
        discovered_at=timezone.now(),
        recorded_by=data_protection_officer,
    )
    breach.affected_persons.add(gone)

    page = _merge(client, central_reviewer, keep, tak.number)

    assert page.status_code == 200 and not Person.objects.filter(pk=gone.pk).exists()
    assert list(breach.affected_persons.all()) == [keep]
