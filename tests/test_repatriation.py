"""Repatriation and reintegration (issue 18): a foreign victim's return through the
counterpart agency of their country, a Thai victim's reintegration in a receiving province;
every move of the workflow table allowed and refused, who sees it, its clocks and reminders,
the record of the data handed abroad, and the case that cannot close while it is under way."""

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from audit.models import AuditEvent
from cases import services as cases
from cases.models import CaseEvent
from core.domain import ActionForbidden, TransitionNotAllowed
from notifications.models import Notification
from repatriation import selectors, services
from repatriation.models import CounterpartAgency, DataTransfer, Kind
from repatriation.services import PLAN_CONTENTS
from repatriation.workflow import OPEN_STATES, TRANSITIONS, Status
from sla.models import Clock, Deadline
from sla.sweep import sweep
from tests.factories import (
    REPATRIATION_STATES,
    UserFactory,
    admission,
    referral_in_state,
    register_case,
    repatriation_in_state,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
WHY_OPEN = (
    "A repatriation or reintegration of this person is under way: the case can close once the "
    "counterpart confirms the hand-over, or the plan is cancelled."
)


def clocks(repatriation, *, running=True):
    rows = Deadline.objects.filter(
        object_type=ContentType.objects.get_for_model(repatriation), object_id=repatriation.pk
    )
    if running:
        rows = rows.filter(closed_at__isnull=True)
    return {row.clock: row for row in rows}


def thai(text: str) -> bool:
    return bool(re.search(r"[\u0e00-\u0e7f]", text))


# --- Reference data -----------------------------------------------------------------------------


def test_the_counterpart_agencies_of_the_bilateral_arrangements_are_loaded():
    countries = set(CounterpartAgency.objects.values_list("country", flat=True))
    assert {"MM", "KH", "LA", "VN"} <= countries
    myanmar = CounterpartAgency.objects.get(country="MM")
    assert myanmar.arrangement_th and myanmar.arrangement_en and myanmar.is_active


def test_the_data_protection_officer_reads_a_transfer_abroad_in_thai(
    client, worker_chiangmai, data_protection_officer
):
    """The record keeps the recipient and the contents as sent (in English); the register
    shows them in the reader's language, with the name as sent beneath."""
    planned = repatriation_in_state(worker_chiangmai, "planned")
    services.repatriation_send(repatriation_id=planned.pk, actor=worker_chiangmai)
    myanmar = CounterpartAgency.objects.get(country="MM")
    client.force_login(data_protection_officer)
    page = client.get(reverse("privacy:transfers"), headers={"Accept-Language": "th"})
    text = page.content.decode()
    assert myanmar.name_th in text and myanmar.arrangement_th in text
    assert myanmar.name_en in text  # as sent
    with translation.override("th"):
        contents = translation.gettext(PLAN_CONTENTS)
    assert contents != PLAN_CONTENTS and contents in text
    assert PLAN_CONTENTS not in text


# --- The journey to Myanmar, step by step -------------------------------------------------------


def test_a_repatriation_to_myanmar_from_plan_to_confirmation(
    worker_chiangmai, supervisor_chiangmai, central_reviewer
):
    planned = repatriation_in_state(worker_chiangmai, "planned")
    assert planned.kind == Kind.REPATRIATION and planned.status == Status.PLANNED
    assert clocks(planned) == {}  # the plan is the office's own until it is sent

    sent = services.repatriation_send(repatriation_id=planned.pk, actor=worker_chiangmai)
    assert sent.status == Status.SENT
    answer = clocks(sent)[Clock.REPATRIATION_ANSWER]
    assert answer.organisation == worker_chiangmai.membership.organisation
    assert answer.due_at - answer.started_at == dt.timedelta(days=30)
    [transfer] = DataTransfer.objects.filter(repatriation=sent)
    assert transfer.country == "MM" and transfer.person == sent.case.person
    assert transfer.basis == DataTransfer.Basis.BILATERAL_ARRANGEMENT
    assert "Myanmar" in transfer.recipient and "2009" in transfer.arrangement
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE,
        object_type=ContentType.objects.get_for_model(DataTransfer),
        object_id=str(transfer.pk),
    ).exists()

    assessed = services.repatriation_assess(
        repatriation_id=sent.pk,
        actor=worker_chiangmai,
        assessment="มารดาพร้อมรับกลับ",
        assessed_on=TODAY(),
    )
    assert Clock.REPATRIATION_ANSWER not in clocks(assessed)

    day = TODAY() + dt.timedelta(days=10)
    scheduled = services.repatriation_schedule(
        repatriation_id=assessed.pk,
        actor=worker_chiangmai,
        handover_on=day,
        handover_place="สะพานมิตรภาพไทย-เมียนมา แห่งที่ 1",
    )
    handover = clocks(scheduled)[Clock.REPATRIATION_HANDOVER]
    assert timezone.localtime(handover.due_at).date() == day

    handed = services.repatriation_hand_over(repatriation_id=scheduled.pk, actor=worker_chiangmai)
    running = clocks(handed)
    assert set(running) == {Clock.REPATRIATION_CONFIRMATION}
    assert running[Clock.REPATRIATION_CONFIRMATION].due_at - handed.handed_over_at == (
        dt.timedelta(days=14)
    )

    confirmed = services.repatriation_confirm(
        repatriation_id=handed.pk, actor=worker_chiangmai, confirmed_on=TODAY(), reference="DSW/1"
    )
    assert confirmed.status == Status.CONFIRMED and clocks(confirmed) == {}
    finished = clocks(confirmed, running=False)
    assert {row.state for row in finished.values()} == {Deadline.State.MET}
    assert [e.to_status for e in confirmed.events.order_by("pk")] == [
        Status.PLANNED,
        Status.SENT,
        Status.ASSESSED,
        Status.SCHEDULED,
        Status.HANDED_OVER,
        Status.CONFIRMED,
    ]
    assert confirmed.case.events.filter(kind=CaseEvent.Kind.REPATRIATION).count() == 6
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.TRANSITION,
            object_type=ContentType.objects.get_for_model(confirmed),
            object_id=str(confirmed.pk),
        ).count()
        == 5
    )


def test_a_thai_victim_is_reintegrated_in_a_receiving_province_with_no_transfer_abroad(
    worker_chiangmai,
):
    repatriation = repatriation_in_state(
        worker_chiangmai, "handed_over", person={"nationality": "TH", "name_latin": "Somchai"}
    )
    assert repatriation.kind == Kind.REINTEGRATION
    assert repatriation.province.code == "57" and repatriation.counterpart is None
    assert not DataTransfer.objects.exists()


def test_a_hand_over_may_be_moved_to_another_day(worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, "scheduled")
    later = TODAY() + dt.timedelta(days=20)
    moved = services.repatriation_schedule(
        repatriation_id=repatriation.pk,
        actor=worker_chiangmai,
        handover_on=later,
        handover_place="ด่านแม่สาย",
    )
    assert moved.handover_on == later
    [running] = clocks(moved).values()
    assert timezone.localtime(running.due_at).date() == later
    assert Deadline.objects.filter(state=Deadline.State.CANCELLED).count() == 1


# --- Every move of the table, allowed and refused -------------------------------------------------


def _do(move, repatriation, actor):
    arguments = {
        Status.SENT: lambda: services.repatriation_send(
            repatriation_id=repatriation.pk, actor=actor
        ),
        Status.ASSESSED: lambda: services.repatriation_assess(
            repatriation_id=repatriation.pk, actor=actor, assessment="พร้อม", assessed_on=TODAY()
        ),
        Status.SCHEDULED: lambda: services.repatriation_schedule(
            repatriation_id=repatriation.pk,
            actor=actor,
            handover_on=TODAY() + dt.timedelta(days=3),
            handover_place="แม่สอด",
        ),
        Status.HANDED_OVER: lambda: services.repatriation_hand_over(
            repatriation_id=repatriation.pk, actor=actor
        ),
        Status.CONFIRMED: lambda: services.repatriation_confirm(
            repatriation_id=repatriation.pk, actor=actor, confirmed_on=TODAY()
        ),
        Status.CANCELLED: lambda: services.repatriation_cancel(
            repatriation_id=repatriation.pk, actor=actor, reason="เปลี่ยนใจ"
        ),
    }
    return arguments[move]()


MOVES = [Status.SENT, Status.ASSESSED, Status.SCHEDULED, Status.HANDED_OVER]
MOVES += [Status.CONFIRMED, Status.CANCELLED]
ALLOWED = [
    (state, move) for state in REPATRIATION_STATES for move in MOVES if move in TRANSITIONS[state]
]
REFUSED = [
    (state, move)
    for state in REPATRIATION_STATES
    for move in MOVES
    if move not in TRANSITIONS[state]
]


@pytest.mark.parametrize(("state", "move"), ALLOWED)
def test_an_allowed_move_is_made(state, move, worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, state)
    assert _do(move, repatriation, worker_chiangmai).status == move


@pytest.mark.parametrize(("state", "move"), REFUSED)
def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    state, move, worker_chiangmai
):
    repatriation = repatriation_in_state(worker_chiangmai, state)
    events = repatriation.events.count()
    with translation.override("th"), pytest.raises(TransitionNotAllowed) as refused:
        _do(move, repatriation, worker_chiangmai)
    assert thai(str(refused.value))
    repatriation.refresh_from_db()
    assert repatriation.status == state and repatriation.events.count() == events


def test_every_state_is_reached_and_the_open_ones_keep_the_case_open():
    assert set(REPATRIATION_STATES) == set(Status.values)
    assert set(Status.values) - {Status.CONFIRMED, Status.CANCELLED} == OPEN_STATES


# --- Who may move it ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["director", "staff", "central"])
def test_those_who_see_it_but_do_not_own_the_case_cannot_move_it(
    who, worker_chiangmai, director_kredtrakarn, staff_kredtrakarn, central_reviewer
):
    placement = admission(worker_chiangmai, director_kredtrakarn, person={"nationality": "MM"})
    repatriation = repatriation_in_state(worker_chiangmai, "planned", case=placement.case)
    actor = {"director": director_kredtrakarn, "staff": staff_kredtrakarn}.get(
        who, central_reviewer
    )
    assert selectors.repatriation_get_visible(user=actor, repatriation_id=repatriation.pk)
    with pytest.raises(ActionForbidden):
        services.repatriation_send(repatriation_id=repatriation.pk, actor=actor)


def test_another_province_neither_sees_nor_plans(worker_chiangmai, worker_tak):
    repatriation = repatriation_in_state(worker_chiangmai, "planned")
    with pytest.raises(Http404):
        selectors.repatriation_get_visible(user=worker_tak, repatriation_id=repatriation.pk)
    case = register_case(worker_chiangmai, nationality="LA")
    with pytest.raises(ActionForbidden):
        services.repatriation_plan(
            actor=worker_tak,
            case_id=case.pk,
            counterpart=CounterpartAgency.objects.get(country="LA"),
            destination="เวียงจันทน์",
            plan="แผน",
        )


# --- Bad input: clear refusals in Thai ------------------------------------------------------


def test_the_plan_is_not_sent_without_the_persons_consent_to_return_home(worker_chiangmai):
    case = register_case(worker_chiangmai, nationality="MM")
    repatriation = services.repatriation_plan(
        actor=worker_chiangmai,
        case_id=case.pk,
        counterpart=CounterpartAgency.objects.get(country="MM"),
        destination="เมียวดี",
        plan="แผน",
    )
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        services.repatriation_send(repatriation_id=repatriation.pk, actor=worker_chiangmai)
    assert thai(" ".join(refused.value.messages))
    cases.consent_record(
        case=case, actor=worker_chiangmai, step="repatriation", decision="refused", reason="ไม่กลับ"
    )
    with pytest.raises(ValidationError):
        services.repatriation_send(repatriation_id=repatriation.pk, actor=worker_chiangmai)
    assert not DataTransfer.objects.exists()


def test_the_counterpart_must_be_of_the_persons_country(worker_chiangmai):
    case = register_case(worker_chiangmai, nationality="LA")
    with pytest.raises(ValidationError) as refused:
        services.repatriation_plan(
            actor=worker_chiangmai,
            case_id=case.pk,
            counterpart=CounterpartAgency.objects.get(country="MM"),
            destination="x",
            plan="y",
        )
    assert "counterpart" in refused.value.message_dict


def test_a_reintegration_needs_its_receiving_province(worker_chiangmai):
    case = register_case(worker_chiangmai, nationality="TH")
    with pytest.raises(ValidationError) as refused:
        services.repatriation_plan(
            actor=worker_chiangmai, case_id=case.pk, destination="x", plan="y"
        )
    assert "province" in refused.value.message_dict


def test_only_one_return_home_is_under_way_per_case(worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, "sent")
    with pytest.raises(TransitionNotAllowed):
        services.repatriation_plan(
            actor=worker_chiangmai,
            case_id=repatriation.case_id,
            counterpart=repatriation.counterpart,
            destination="x",
            plan="y",
        )


def test_a_hand_over_abroad_needs_a_travel_document_and_a_date_not_past(worker_chiangmai):
    case = register_case(worker_chiangmai, nationality="KH")
    cases.consent_record(case=case, actor=worker_chiangmai, step="repatriation", decision="given")
    repatriation = services.repatriation_plan(
        actor=worker_chiangmai,
        case_id=case.pk,
        counterpart=CounterpartAgency.objects.get(country="KH"),
        destination="ปอยเปต",
        plan="แผน",
    )
    services.repatriation_send(repatriation_id=repatriation.pk, actor=worker_chiangmai)
    services.repatriation_assess(
        repatriation_id=repatriation.pk,
        actor=worker_chiangmai,
        assessment="ok",
        assessed_on=TODAY(),
    )
    with pytest.raises(ValidationError) as refused:
        services.repatriation_schedule(
            repatriation_id=repatriation.pk,
            actor=worker_chiangmai,
            handover_on=TODAY() - dt.timedelta(days=1),
            handover_place="",
        )
    assert set(refused.value.message_dict) == {"handover_on", "handover_place", "travel_document"}


def test_a_confirmation_cannot_be_dated_in_the_future(worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, "handed_over")
    with pytest.raises(ValidationError):
        services.repatriation_confirm(
            repatriation_id=repatriation.pk,
            actor=worker_chiangmai,
            confirmed_on=TODAY() + dt.timedelta(days=2),
        )


# --- The case cannot close while it is under way ------------------------------------------------


@pytest.mark.parametrize("state", sorted(OPEN_STATES))
def test_the_case_cannot_close_while_a_return_home_is_under_way(
    state, supervisor_chiangmai, worker_chiangmai
):
    repatriation = repatriation_in_state(worker_chiangmai, state)
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        cases.case_close(case_id=repatriation.case_id, actor=supervisor_chiangmai, reason="จบ")
    message = " ".join(refused.value.messages)
    assert thai(message)
    with translation.override("th"):
        assert message == translation.gettext(WHY_OPEN)


@pytest.mark.parametrize("state", ["confirmed", "cancelled"])
def test_the_case_closes_once_the_return_home_is_over(
    state, supervisor_chiangmai, worker_chiangmai
):
    repatriation = repatriation_in_state(worker_chiangmai, state)
    case = cases.case_close(case_id=repatriation.case_id, actor=supervisor_chiangmai, reason="จบ")
    assert not case.is_open


def test_the_close_form_says_in_thai_why_the_case_stays_open(
    client, supervisor_chiangmai, worker_chiangmai
):
    repatriation = repatriation_in_state(worker_chiangmai, "scheduled")
    client.force_login(supervisor_chiangmai)
    response = client.post(
        reverse("outcomes:close", args=[repatriation.case_id]),
        {"reason": "จบ", "contact": "contact_lost"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("th"):
        expected = translation.gettext(WHY_OPEN)
    assert thai(expected) and expected in page
    repatriation.case.refresh_from_db()
    assert repatriation.case.is_open


# --- Who sees it (DESIGN.md §6) ------------------------------------------------------------------


@pytest.fixture
def resident_repatriation(worker_chiangmai, director_kredtrakarn):
    placement = admission(
        worker_chiangmai, director_kredtrakarn, person={"nationality": "MM", "estimated_age": 30}
    )
    return repatriation_in_state(worker_chiangmai, "sent", case=placement.case)


def _sees(user, repatriation) -> bool:
    return selectors.repatriation_list_visible_to(user=user).filter(pk=repatriation.pk).exists()


def test_who_sees_a_residents_repatriation(
    resident_repatriation,
    worker_chiangmai,
    supervisor_chiangmai,
    worker_tak,
    director_kredtrakarn,
    staff_kredtrakarn,
    central_reviewer,
    sysadmin,
):
    for user in (worker_chiangmai, supervisor_chiangmai, director_kredtrakarn):
        assert _sees(user, resident_repatriation), user
    assert _sees(staff_kredtrakarn, resident_repatriation)
    assert _sees(central_reviewer, resident_repatriation)
    assert not _sees(worker_tak, resident_repatriation)
    assert not _sees(sysadmin, resident_repatriation)


def test_a_shelter_does_not_see_the_repatriation_of_someone_who_never_lived_there(
    worker_chiangmai, director_kredtrakarn, staff_kredtrakarn
):
    repatriation = repatriation_in_state(worker_chiangmai, "sent")
    assert not _sees(director_kredtrakarn, repatriation)
    assert not _sees(staff_kredtrakarn, repatriation)


def test_a_partner_sees_it_only_with_a_live_access_grant(supervisor_chiangmai, worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, "sent")
    partner = UserFactory(username="iom.officer")
    assert not _sees(partner, repatriation)
    grant = cases.access_grant_give(
        case=repatriation.case,
        actor=supervisor_chiangmai,
        user=partner,
        purpose="ประสานการส่งกลับ",
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    assert _sees(partner, repatriation)
    client = APIClient()
    client.force_login(partner)
    assert client.get(reverse("repatriation:detail", args=[repatriation.pk])).status_code == 200
    cases.access_grant_revoke(grant_id=grant.pk, actor=supervisor_chiangmai)
    assert not _sees(partner, repatriation)
    assert client.get(reverse("repatriation:detail", args=[repatriation.pk])).status_code == 404


def test_showing_a_repatriation_is_audited(client, worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, "sent")
    client.force_login(worker_chiangmai)
    client.get(reverse("repatriation:detail", args=[repatriation.pk]))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW,
        object_type=ContentType.objects.get_for_model(repatriation),
        object_id=str(repatriation.pk),
    ).exists()


# --- Reminders reach the right people ------------------------------------------------------------


def test_the_hand_over_reminder_reaches_the_owning_office_and_the_breach_its_supervisor(
    worker_chiangmai, supervisor_chiangmai, worker_tak, central_reviewer
):
    repatriation = repatriation_in_state(worker_chiangmai, "scheduled")
    handover = clocks(repatriation)[Clock.REPATRIATION_HANDOVER]
    sweep(now=handover.remind_at + dt.timedelta(minutes=1))
    reminded = set(
        Notification.objects.filter(
            topic="deadline", message__contains=repatriation.case.number
        ).values_list("recipient__username", flat=True)
    )
    assert reminded == {worker_chiangmai.username, supervisor_chiangmai.username}
    sweep(now=handover.due_at + dt.timedelta(minutes=1))
    assert (
        Notification.objects.filter(
            recipient=supervisor_chiangmai, link=repatriation.get_absolute_url()
        ).count()
        >= 2
    )
    assert not Notification.objects.filter(recipient=worker_tak).exists()


def test_the_shelter_is_told_of_the_hand_over_date(
    worker_chiangmai, director_kredtrakarn, staff_kredtrakarn, central_reviewer
):
    placement = admission(worker_chiangmai, director_kredtrakarn, person={"nationality": "MM"})
    repatriation = repatriation_in_state(worker_chiangmai, "scheduled", case=placement.case)
    for user in (director_kredtrakarn, staff_kredtrakarn, central_reviewer):
        assert Notification.objects.filter(
            recipient=user, topic="repatriation", link=repatriation.get_absolute_url()
        ).exists(), user


def test_a_case_transferred_to_another_province_takes_its_repatriation_and_clocks_along(
    worker_chiangmai, worker_tak
):
    repatriation = repatriation_in_state(worker_chiangmai, "sent")
    referral_in_state(
        worker_chiangmai,
        "accepted",
        case=repatriation.case,
        kind="transfer",
        to=worker_tak.membership.organisation.code,
        receiver=worker_tak,
    )
    [answer] = clocks(repatriation).values()
    assert answer.organisation == worker_tak.membership.organisation
    assert _sees(worker_tak, repatriation) and not _sees(worker_chiangmai, repatriation)
    services.repatriation_assess(
        repatriation_id=repatriation.pk, actor=worker_tak, assessment="พร้อม", assessed_on=TODAY()
    )
