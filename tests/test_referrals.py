"""Referrals between offices, shelters and services, with central review (DESIGN.md §4-§6)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Organisation
from cases.models import Case
from core.domain import ActionForbidden, TransitionNotAllowed
from notifications.models import Notification
from referrals import services
from referrals.models import Referral
from shelters.models import Shelter
from shelters.selectors import fit_warnings
from sla.models import Deadline
from tests.factories import referral_in_state, register_case

pytestmark = pytest.mark.django_db


def org(code):
    return Organisation.objects.get(code=code)


@pytest.fixture
def case(worker_chiangmai):
    return register_case(worker_chiangmai, estimated_age=25)


def clocks(referral, state="pending"):
    return set(
        Deadline.objects.filter(
            object_id=referral.pk, object_type__model="referral", state=state
        ).values_list("clock", flat=True)
    )


def test_a_referral_goes_from_draft_to_completed(
    case, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    referral = referral_in_state(worker_chiangmai, "draft", case=case)
    assert referral.state == "draft" and clocks(referral) == set()
    services.referral_submit(referral_id=referral.pk, actor=worker_chiangmai)
    assert clocks(referral) == {"referral_ack_normal", "referral_decision_normal", "central_review"}
    assert Notification.objects.filter(recipient=director_kredtrakarn).exists()
    assert Notification.objects.filter(recipient=central_reviewer).exists()

    services.referral_acknowledge(referral_id=referral.pk, actor=director_kredtrakarn)
    assert clocks(referral, "met") == {"referral_ack_normal"}
    services.referral_accept(referral_id=referral.pk, actor=director_kredtrakarn, note="ห้อง 3")
    assert "referral_decision_normal" in clocks(referral, "met")
    services.referral_review(referral_id=referral.pk, actor=central_reviewer, decision="endorse")
    assert clocks(referral) == set()
    done = services.referral_complete(referral_id=referral.pk, actor=director_kredtrakarn)
    assert done.state == "completed"
    moves = [(e.field, e.to_state) for e in done.events.all()]
    assert moves == [
        ("state", "draft"),
        ("state", "submitted"),
        ("state", "acknowledged"),
        ("state", "accepted"),
        ("review_state", "endorsed"),
        ("state", "completed"),
    ]
    assert case.events.filter(kind="referral").count() == 5
    # acknowledged, accepted, endorsed by the centre, completed
    assert Notification.objects.filter(recipient=worker_chiangmai).count() == 4


@pytest.mark.parametrize(
    ("move", "state"),
    [
        ("acknowledge", "draft"),
        ("accept", "submitted"),
        ("decline", "submitted"),
        ("complete", "acknowledged"),
    ],
)
def test_a_move_from_the_wrong_state_is_refused(
    case, worker_chiangmai, director_kredtrakarn, move, state
):
    referral = referral_in_state(worker_chiangmai, state, case=case, receiver=director_kredtrakarn)
    service = getattr(services, f"referral_{move}")
    kwargs = {"reason": "no bed"} if move == "decline" else {}
    with pytest.raises(TransitionNotAllowed):
        service(referral_id=referral.pk, actor=director_kredtrakarn, **kwargs)


def test_only_the_receiver_answers_and_only_the_sender_withdraws(
    case, worker_chiangmai, worker_tak, director_kredtrakarn, staff_kredtrakarn, central_reviewer
):
    referral = referral_in_state(worker_chiangmai, case=case)
    for outsider in (worker_chiangmai, worker_tak, staff_kredtrakarn, central_reviewer):
        with pytest.raises(ActionForbidden):
            services.referral_acknowledge(referral_id=referral.pk, actor=outsider)
    for outsider in (director_kredtrakarn, worker_tak, central_reviewer):
        with pytest.raises(ActionForbidden):
            services.referral_withdraw(referral_id=referral.pk, actor=outsider, reason="x")
    with pytest.raises(ActionForbidden):
        services.referral_review(
            referral_id=referral.pk, actor=worker_chiangmai, decision="endorse"
        )


def test_another_shelters_director_cannot_answer(case, worker_chiangmai, request):
    from accounts.models import Role
    from tests.factories import member

    other_director = member(Role.SHELTER_DIRECTOR, "shelter-narisawat", "director2")
    referral = referral_in_state(worker_chiangmai, case=case)
    with pytest.raises(ActionForbidden):
        services.referral_acknowledge(referral_id=referral.pk, actor=other_director)


@pytest.mark.parametrize("after", ["draft", "submitted", "acknowledged", "accepted"])
def test_the_sender_withdraws_from_any_open_state_and_the_clocks_stop(
    case, worker_chiangmai, director_kredtrakarn, after
):
    referral = referral_in_state(worker_chiangmai, after, case=case, receiver=director_kredtrakarn)
    withdrawn = services.referral_withdraw(
        referral_id=referral.pk, actor=worker_chiangmai, reason="ครอบครัวมารับ"
    )
    assert withdrawn.state == "withdrawn"
    assert clocks(referral) == set()


def test_a_completed_referral_cannot_be_withdrawn(case, worker_chiangmai, director_kredtrakarn):
    referral = referral_in_state(
        worker_chiangmai, "completed", case=case, receiver=director_kredtrakarn
    )
    with pytest.raises(TransitionNotAllowed):
        services.referral_withdraw(referral_id=referral.pk, actor=worker_chiangmai, reason="x")


def test_a_decline_needs_a_reason_lands_centrally_and_can_be_redirected(
    case, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    referral = referral_in_state(
        worker_chiangmai, "acknowledged", case=case, receiver=director_kredtrakarn
    )
    with pytest.raises(ValidationError):
        services.referral_decline(referral_id=referral.pk, actor=director_kredtrakarn, reason="")
    services.referral_decline(
        referral_id=referral.pk, actor=director_kredtrakarn, reason="no_bed", note="เตียงเต็ม"
    )
    assert (
        Notification.objects.filter(
            recipient=central_reviewer, message__contains=case.number
        ).count()
        == 2
    )  # submitted, then declined
    redirect = services.referral_redirect(
        referral_id=referral.pk,
        actor=central_reviewer,
        to_organisation=org("shelter-narisawat"),
        note="บ้านนารีสวัสดิ์มีเตียงว่าง",
    )
    assert redirect.redirected_from_id == referral.pk
    assert redirect.state == "submitted"
    assert redirect.from_organisation == case.owner
    # The declined referral's timeline says where the person went, not a bare "endorsed".
    outcome = referral.events.get(field="review_state", to_state="endorsed")
    assert org("shelter-narisawat").name in outcome.note
    assert "บ้านนารีสวัสดิ์มีเตียงว่าง" in outcome.note
    with pytest.raises(TransitionNotAllowed):
        services.referral_redirect(
            referral_id=referral.pk,
            actor=central_reviewer,
            to_organisation=org("shelter-srisurat"),
            note="again",
        )


def test_a_central_query_must_be_answered_by_the_sender(case, worker_chiangmai, central_reviewer):
    referral = referral_in_state(worker_chiangmai, case=case)
    with pytest.raises(ValidationError):
        services.referral_review(referral_id=referral.pk, actor=central_reviewer, decision="query")
    services.referral_review(
        referral_id=referral.pk, actor=central_reviewer, decision="query", note="อายุเท่าไร?"
    )
    with pytest.raises(TransitionNotAllowed):
        services.referral_review(
            referral_id=referral.pk, actor=central_reviewer, decision="endorse"
        )
    answered = services.referral_answer_query(
        referral_id=referral.pk, actor=worker_chiangmai, answer="25 ปี"
    )
    assert answered.review_state == "pending"
    assert answered.events.filter(note="25 ปี").exists()
    endorsed = services.referral_review(
        referral_id=referral.pk, actor=central_reviewer, decision="endorse"
    )
    assert endorsed.review_state == "endorsed"


def test_an_accepted_transfer_moves_the_case_to_the_receiving_office(
    case, worker_chiangmai, worker_tak
):
    referral = referral_in_state(worker_chiangmai, case=case, to="pso-63", kind="transfer")
    services.referral_acknowledge(referral_id=referral.pk, actor=worker_tak)
    services.referral_accept(referral_id=referral.pk, actor=worker_tak)
    moved = Case.objects.get(pk=case.pk)
    assert moved.owner.code == "pso-63"
    assert moved.lead_worker == worker_tak


def test_the_receiver_must_fit_the_kind_of_referral(case, worker_chiangmai):
    with pytest.raises(ValidationError) as error:
        referral_in_state(worker_chiangmai, case=case, to="pso-63", kind="shelter_placement")
    assert "to_organisation" in error.value.message_dict
    with pytest.raises(ValidationError):
        referral_in_state(worker_chiangmai, case=case, to="pso-50", kind="transfer")


def test_consent_or_the_reason_for_none_is_required(case, worker_chiangmai):
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            actor=worker_chiangmai,
            case_id=case.pk,
            to_organisation=org("shelter-kredtrakarn"),
            kind="shelter_placement",
            reason="r",
            consent="not_required",
        )
    assert "consent_note" in error.value.message_dict


def test_a_child_is_always_urgent_with_the_short_clocks(worker_chiangmai):
    child = register_case(worker_chiangmai, name_th="เด็กหญิง", estimated_age=14)
    referral = referral_in_state(worker_chiangmai, case=child)
    assert referral.urgency == "urgent"
    ack = Deadline.objects.get(object_id=referral.pk, clock="referral_ack_urgent")
    assert (ack.due_at - ack.started_at).total_seconds() == 4 * 3600


def test_a_man_referred_to_a_womens_shelter_gets_a_warning(worker_chiangmai):
    man = register_case(worker_chiangmai, name_th="สมชาย", sex="male", estimated_age=30)
    kredtrakarn = Shelter.objects.get(organisation__code="shelter-kredtrakarn")
    pathumthani = Shelter.objects.get(organisation__code="shelter-pathumthani")
    assert fit_warnings(shelter=kredtrakarn, person=man.person)
    assert fit_warnings(shelter=pathumthani, person=man.person) == []


def test_a_shelter_director_sees_the_case_only_while_the_referral_is_alive(
    case, worker_chiangmai, director_kredtrakarn
):
    from cases.selectors import case_list_visible_to

    referral = referral_in_state(worker_chiangmai, "draft", case=case)
    assert not case_list_visible_to(user=director_kredtrakarn).exists()
    services.referral_submit(referral_id=referral.pk, actor=worker_chiangmai)
    assert list(case_list_visible_to(user=director_kredtrakarn)) == [case]
    services.referral_withdraw(referral_id=referral.pk, actor=worker_chiangmai, reason="x")
    assert not case_list_visible_to(user=director_kredtrakarn).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_directors_accepting_at_once_get_one_success_and_one_conflict(
    worker_chiangmai, director_kredtrakarn
):
    from accounts.models import Role
    from tests.factories import member

    assert connection.vendor == "postgresql"
    second_director = member(Role.SHELTER_DIRECTOR, "shelter-kredtrakarn", "deputy")
    referral = referral_in_state(
        worker_chiangmai,
        "acknowledged",
        receiver=director_kredtrakarn,
        person={"estimated_age": 30},
    )
    start = threading.Barrier(2)
    outcomes = []

    def decide(actor, move):
        try:
            start.wait()
            if move == "accept":
                services.referral_accept(referral_id=referral.pk, actor=actor)
            else:
                services.referral_decline(referral_id=referral.pk, actor=actor, reason="no_bed")
            outcomes.append(move)
        except TransitionNotAllowed:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(director_kredtrakarn, "accept")),
        threading.Thread(target=decide, args=(second_director, "decline")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) in (["accept", "conflict"], ["conflict", "decline"])
    final = Referral.objects.get(pk=referral.pk)
    assert final.state in ("accepted", "declined")
    assert final.events.filter(to_state__in=["accepted", "declined"]).count() == 1


def test_a_transferred_cases_clocks_follow_it_and_the_old_office_loses_the_person(
    worker_chiangmai, worker_tak
):
    from django.utils import timezone

    from cases.selectors import person_list_visible_to
    from cases.services import screening_start

    case = register_case(worker_chiangmai, estimated_age=30)
    screening = screening_start(
        case_id=case.pk, actor=worker_chiangmai, custody_started_at=timezone.now()
    )
    referral = referral_in_state(worker_chiangmai, case=case, to="pso-63", kind="transfer")
    services.referral_acknowledge(referral_id=referral.pk, actor=worker_tak)
    services.referral_accept(referral_id=referral.pk, actor=worker_tak)
    clock = Deadline.objects.get(object_id=screening.pk, clock="identification")
    assert clock.organisation.code == "pso-63"
    assert not person_list_visible_to(user=worker_chiangmai).filter(pk=case.person_id).exists()


def test_a_declined_referral_leaves_the_shelters_sight(
    case, worker_chiangmai, director_kredtrakarn
):
    from referrals.selectors import referral_list_visible_to

    referral = referral_in_state(
        worker_chiangmai, "declined", case=case, receiver=director_kredtrakarn
    )
    assert not referral_list_visible_to(user=director_kredtrakarn).filter(pk=referral.pk).exists()


def test_the_sender_answers_for_a_partner_without_accounts_but_not_for_a_shelter(
    case, worker_chiangmai
):
    partner = Organisation.objects.create(
        code="ngo-legal", kind="partner", name_th="มูลนิธิ", name_en="Legal aid NGO"
    )
    for_partner = referral_in_state(worker_chiangmai, case=case, to="ngo-legal", kind="service")
    assert for_partner.to_organisation == partner
    services.referral_acknowledge(referral_id=for_partner.pk, actor=worker_chiangmai)
    to_songkhla = referral_in_state(worker_chiangmai, case=case, to="shelter-songkhla")
    with pytest.raises(ActionForbidden):
        services.referral_acknowledge(referral_id=to_songkhla.pk, actor=worker_chiangmai)
