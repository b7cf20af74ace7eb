"""Court cases and compensation (issue 18, justice/): a social worker records the police case,
the charge, the hearings (whose reminders reach the case's office and the shelter where the
person lives), the person's part as a witness, the judgment, and compensation claims from
claim to money received; every move of the three workflows, who may see and do what, the
pages, the API and the exports."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from audit.models import AuditEvent
from cases import services as cases
from cases.models import CaseEvent
from core.domain import ActionForbidden, TransitionNotAllowed
from justice import selectors, services
from justice.models import CompensationClaim, Hearing, Prosecution
from justice.workflow import (
    CLAIM_TRANSITIONS,
    PROSECUTION_TRANSITIONS,
    ClaimStatus,
    HearingStatus,
    ProsecutionStatus,
)
from notifications.models import Notification
from sla.models import Clock, Deadline
from sla.sweep import sweep
from tests.factories import UserFactory, admission, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_thai():
    """The services' refusals are read in Thai, whatever language an earlier test left active."""
    with translation.override("th"):
        yield


THAI = re.compile(r"[\u0e00-\u0e7f]")
TODAY = dt.date(2026, 11, 20)


def _record(case, actor, **fields):
    return services.prosecution_record(
        case=case,
        actor=actor,
        offence="trafficking",
        police_station="สภ.เมืองเชียงใหม่",
        police_case_number="123/2569",
        officer_name="ร.ต.อ. สมชาย",
        reported_on=fields.pop("reported_on", timezone.localdate() - dt.timedelta(days=30)),
        **fields,
    )


def _charged(case, actor):
    prosecution = _record(case, actor)
    return services.prosecution_charge(
        prosecution_id=prosecution.pk,
        actor=actor,
        prosecutor_office="สำนักงานอัยการจังหวัดเชียงใหม่",
        court="ศาลอาญาคดีค้ามนุษย์",
        court_case_number="คม.45/2569",
        charged_on=timezone.localdate() - dt.timedelta(days=10),
    )


def _hearing(prosecution, actor, days=10):
    return services.hearing_schedule(
        prosecution_id=prosecution.pk,
        actor=actor,
        kind="witness",
        scheduled_at=timezone.now() + dt.timedelta(days=days),
        place="ห้องพิจารณาคดี 3",
    )


def _claim(case, actor, prosecution=None, source="fund", amount="50000"):
    return services.claim_file(
        case=case,
        actor=actor,
        source=source,
        prosecution=prosecution,
        amount_claimed=Decimal(amount),
        claimed_on=timezone.localdate() - dt.timedelta(days=5),
    )


def _clocks(hearing):
    return Deadline.objects.filter(
        object_id=hearing.pk, clock__in=[Clock.HEARING, Clock.HEARING_SHELTER]
    )


@pytest.fixture
def resident(worker_chiangmai, director_kredtrakarn, staff_kredtrakarn):
    """A Chiang Mai case whose person lives in Kredtrakarn."""
    placement = admission(
        worker_chiangmai, director_kredtrakarn, person={"name_th": "พักอยู่", "estimated_age": 30}
    )
    return placement.case


# --- The proceeding's workflow ---------------------------------------------------------------


def test_every_move_of_a_proceeding_and_the_timeline_it_leaves(worker_chiangmai):
    case = register_case(worker_chiangmai)
    prosecution = _charged(case, worker_chiangmai)
    assert prosecution.status == ProsecutionStatus.BEFORE_COURT
    concluded = services.prosecution_conclude(
        prosecution_id=prosecution.pk,
        actor=worker_chiangmai,
        verdict="convicted",
        judgment_on=timezone.localdate(),
        sentence="จำคุก 8 ปี",
    )
    assert concluded.status == ProsecutionStatus.CONCLUDED
    dropped_early = services.prosecution_drop(
        prosecution_id=_record(case, worker_chiangmai).pk,
        actor=worker_chiangmai,
        reason="ไม่พบตัวผู้กระทำผิด",
    )
    assert dropped_early.status == ProsecutionStatus.DROPPED
    dropped_in_court = services.prosecution_drop(
        prosecution_id=_charged(case, worker_chiangmai).pk,
        actor=worker_chiangmai,
        reason="ผู้เสียหายถอนคำร้องทุกข์",
    )
    assert dropped_in_court.status == ProsecutionStatus.DROPPED
    moves = {(a, b) for a, targets in PROSECUTION_TRANSITIONS.items() for b in targets}
    assert moves == {
        (ProsecutionStatus.INVESTIGATION, ProsecutionStatus.BEFORE_COURT),
        (ProsecutionStatus.INVESTIGATION, ProsecutionStatus.DROPPED),
        (ProsecutionStatus.BEFORE_COURT, ProsecutionStatus.CONCLUDED),
        (ProsecutionStatus.BEFORE_COURT, ProsecutionStatus.DROPPED),
    }
    # three police cases, two charges, a judgment, two closings without judgment
    assert case.events.filter(kind=CaseEvent.Kind.JUSTICE).count() == 8
    moved = AuditEvent.objects.filter(
        action=AuditEvent.Action.TRANSITION, object_type__model="prosecution"
    )
    assert moved.count() == 5


def test_a_proceeding_cannot_move_from_the_wrong_state(worker_chiangmai):
    case = register_case(worker_chiangmai)
    prosecution = _record(case, worker_chiangmai)
    with pytest.raises(TransitionNotAllowed):
        services.prosecution_conclude(
            prosecution_id=prosecution.pk,
            actor=worker_chiangmai,
            verdict="acquitted",
            judgment_on=timezone.localdate(),
        )
    services.prosecution_drop(prosecution_id=prosecution.pk, actor=worker_chiangmai, reason="x")
    with pytest.raises(TransitionNotAllowed):
        services.prosecution_charge(
            prosecution_id=prosecution.pk,
            actor=worker_chiangmai,
            prosecutor_office="",
            court="ศาล",
            court_case_number="1",
            charged_on=timezone.localdate(),
        )
    with pytest.raises(ValidationError):
        _hearing(prosecution, worker_chiangmai)


def test_bad_input_is_refused_with_a_thai_message(worker_chiangmai):
    case = register_case(worker_chiangmai)
    with pytest.raises(ValidationError) as refused:
        _record(case, worker_chiangmai, reported_on=timezone.localdate() + dt.timedelta(days=3))
    assert THAI.search(" ".join(refused.value.messages))
    prosecution = _record(case, worker_chiangmai)
    with pytest.raises(ValidationError) as refused:
        services.prosecution_drop(prosecution_id=prosecution.pk, actor=worker_chiangmai, reason=" ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.prosecution_witness_update(
            prosecution_id=prosecution.pk,
            actor=worker_chiangmai,
            witness="willing",
            interpreter=True,
        )
    assert "interpreter_language" in refused.value.message_dict


def test_a_judgment_waits_for_the_hearings_still_scheduled(worker_chiangmai):
    prosecution = _charged(register_case(worker_chiangmai), worker_chiangmai)
    _hearing(prosecution, worker_chiangmai)
    with pytest.raises(ValidationError, match="scheduled|นัด"):
        services.prosecution_conclude(
            prosecution_id=prosecution.pk,
            actor=worker_chiangmai,
            verdict="convicted",
            judgment_on=timezone.localdate(),
        )


def test_the_witness_record_keeps_willingness_support_and_the_impact_statement(worker_chiangmai):
    prosecution = _record(register_case(worker_chiangmai), worker_chiangmai)
    services.prosecution_witness_update(
        prosecution_id=prosecution.pk,
        actor=worker_chiangmai,
        witness="willing",
        interpreter=True,
        interpreter_language="พม่า",
        protection=True,
        video_testimony=True,
        advance_testimony=True,
        impact_statement="ได้รับผลกระทบทางจิตใจอย่างรุนแรง",
        impact_statement_on=timezone.localdate(),
    )
    prosecution.refresh_from_db()
    assert prosecution.witness == "willing"
    assert len(prosecution.support_labels) == 4
    assert prosecution.impact_statement_on == timezone.localdate()


def test_only_the_owning_office_records(
    worker_chiangmai, worker_tak, director_kredtrakarn, resident
):
    with pytest.raises(ActionForbidden):
        _record(resident, worker_tak)
    with pytest.raises(ActionForbidden):
        _record(resident, director_kredtrakarn)
    prosecution = _record(resident, worker_chiangmai)
    with pytest.raises(ActionForbidden):
        _hearing(prosecution, director_kredtrakarn)


def test_a_running_proceeding_keeps_the_case_open(worker_chiangmai, supervisor_chiangmai):
    case = register_case(worker_chiangmai)
    prosecution = _record(case, worker_chiangmai)
    with pytest.raises(ValidationError):
        cases.case_close(case_id=case.pk, actor=supervisor_chiangmai, reason="จบ")
    services.prosecution_drop(prosecution_id=prosecution.pk, actor=worker_chiangmai, reason="x")
    assert cases.case_close(case_id=case.pk, actor=supervisor_chiangmai, reason="จบ").status == (
        "closed"
    )


# --- Hearings and their reminders -------------------------------------------------------------


def test_a_hearing_opens_clocks_for_the_office_and_the_shelter_where_the_person_lives(
    worker_chiangmai, director_kredtrakarn, staff_kredtrakarn, resident
):
    prosecution = _charged(resident, worker_chiangmai)
    hearing = _hearing(prosecution, worker_chiangmai)
    clocks = {d.clock: d for d in _clocks(hearing)}
    assert clocks[Clock.HEARING].organisation_id == resident.owner_id
    assert clocks[Clock.HEARING_SHELTER].organisation.code == "shelter-kredtrakarn"
    day = timezone.localtime(hearing.scheduled_at).date()
    assert timezone.localtime(clocks[Clock.HEARING].due_at).date() == day
    told = Notification.objects.filter(topic="justice")
    assert {n.recipient for n in told} == {director_kredtrakarn, staff_kredtrakarn}
    assert resident.number in told.first().message


def test_a_case_without_a_shelter_stay_has_only_the_office_clock(worker_chiangmai):
    prosecution = _charged(register_case(worker_chiangmai), worker_chiangmai)
    hearing = _hearing(prosecution, worker_chiangmai)
    assert [d.clock for d in _clocks(hearing)] == [Clock.HEARING]


def test_the_sweep_reminds_the_office_a_week_before_and_the_shelter_three_days_before(
    worker_chiangmai, supervisor_chiangmai, director_kredtrakarn, staff_kredtrakarn, resident
):
    prosecution = _charged(resident, worker_chiangmai)
    hearing = _hearing(prosecution, worker_chiangmai, days=10)
    Notification.objects.all().delete()
    sweep(now=timezone.now() + dt.timedelta(days=4))
    reminded = set(
        Notification.objects.filter(topic="deadline").values_list("recipient", flat=True)
    )
    assert reminded == {worker_chiangmai.pk, supervisor_chiangmai.pk}
    sweep(now=timezone.now() + dt.timedelta(days=8))
    reminded = set(
        Notification.objects.filter(topic="deadline").values_list("recipient", flat=True)
    )
    assert reminded == {
        worker_chiangmai.pk,
        supervisor_chiangmai.pk,
        director_kredtrakarn.pk,
        staff_kredtrakarn.pk,
    }
    assert all(resident.number in n.message for n in Notification.objects.filter(topic="deadline"))
    assert hearing.status == HearingStatus.SCHEDULED


def test_a_postponed_hearing_moves_its_clocks_and_tells_the_shelter(
    worker_chiangmai, director_kredtrakarn, resident
):
    hearing = _hearing(_charged(resident, worker_chiangmai), worker_chiangmai)
    later = hearing.scheduled_at + dt.timedelta(days=20)
    services.hearing_postpone(hearing_id=hearing.pk, actor=worker_chiangmai, scheduled_at=later)
    running = _clocks(hearing).filter(closed_at__isnull=True)
    assert {d.clock for d in running} == {Clock.HEARING, Clock.HEARING_SHELTER}
    assert all(
        timezone.localtime(d.due_at).date() == timezone.localtime(later).date() for d in running
    )
    assert Notification.objects.filter(recipient=director_kredtrakarn, topic="justice").count() == 2
    with pytest.raises(ValidationError):
        services.hearing_postpone(
            hearing_id=hearing.pk, actor=worker_chiangmai, scheduled_at=timezone.now()
        )


def test_a_hearing_held_closes_its_clocks_on_time_and_a_cancelled_one_cancels_them(
    worker_chiangmai, resident
):
    prosecution = _charged(resident, worker_chiangmai)
    held = _hearing(prosecution, worker_chiangmai)
    with pytest.raises(ValidationError):  # its day has not come
        services.hearing_record_held(hearing_id=held.pk, actor=worker_chiangmai)
    Hearing.objects.filter(pk=held.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=1))
    Deadline.objects.filter(object_id=held.pk).update(due_at=timezone.now() + dt.timedelta(hours=1))
    services.hearing_record_held(hearing_id=held.pk, actor=worker_chiangmai, note="สืบพยานแล้ว")
    assert {d.state for d in _clocks(held)} == {Deadline.State.MET}
    cancelled = _hearing(prosecution, worker_chiangmai)
    with pytest.raises(ValidationError):  # a reason is needed
        services.hearing_cancel(hearing_id=cancelled.pk, actor=worker_chiangmai, note="")
    services.hearing_cancel(hearing_id=cancelled.pk, actor=worker_chiangmai, note="ศาลเลื่อน")
    assert {d.state for d in _clocks(cancelled)} == {Deadline.State.CANCELLED}
    with pytest.raises(TransitionNotAllowed):
        services.hearing_record_held(hearing_id=cancelled.pk, actor=worker_chiangmai)
    with pytest.raises(ValidationError):  # a hearing is in the future
        services.hearing_schedule(
            prosecution_id=prosecution.pk,
            actor=worker_chiangmai,
            kind="witness",
            scheduled_at=timezone.now() - dt.timedelta(hours=1),
        )


def test_a_transferred_case_takes_its_hearing_clock_to_the_new_office(worker_chiangmai, worker_tak):
    hearing = _hearing(
        _charged(register_case(worker_chiangmai), worker_chiangmai), worker_chiangmai
    )
    cases.case_transfer_ownership(
        case_id=hearing.case_id,
        to_organisation=worker_tak.membership.organisation,
        lead_worker=worker_tak,
        actor=worker_chiangmai,
    )
    assert _clocks(hearing).get().organisation == worker_tak.membership.organisation


# --- Compensation claims --------------------------------------------------------------------


def test_every_move_of_a_claim(worker_chiangmai):
    case = register_case(worker_chiangmai)
    prosecution = _charged(case, worker_chiangmai)
    today = timezone.localdate()
    paid = _claim(case, worker_chiangmai, prosecution, source="offender", amount="300000")
    services.claim_award(
        claim_id=paid.pk, actor=worker_chiangmai, amount_awarded=Decimal("200000"), decided_on=today
    )
    paid = services.claim_receive(
        claim_id=paid.pk,
        actor=worker_chiangmai,
        amount_received=Decimal("150000"),
        received_on=today,
    )
    assert (paid.status, paid.amount_received) == (ClaimStatus.RECEIVED, Decimal("150000"))
    unpaid = _claim(case, worker_chiangmai, prosecution, source="offender")
    services.claim_award(
        claim_id=unpaid.pk, actor=worker_chiangmai, amount_awarded=Decimal("1000"), decided_on=today
    )
    unpaid = services.claim_mark_unpaid(
        claim_id=unpaid.pk, actor=worker_chiangmai, reason="จำเลยไม่มีทรัพย์สิน"
    )
    rejected = services.claim_reject(
        claim_id=_claim(case, worker_chiangmai).pk,
        actor=worker_chiangmai,
        decided_on=today,
        reason="ไม่เข้าหลักเกณฑ์",
    )
    withdrawn = services.claim_withdraw(
        claim_id=_claim(case, worker_chiangmai).pk, actor=worker_chiangmai, reason="ตกลงกันได้"
    )
    assert [unpaid.status, rejected.status, withdrawn.status] == [
        ClaimStatus.UNPAID,
        ClaimStatus.REJECTED,
        ClaimStatus.WITHDRAWN,
    ]
    assert sum(len(targets) for targets in CLAIM_TRANSITIONS.values()) == 5  # all walked above
    with pytest.raises(TransitionNotAllowed):
        services.claim_award(
            claim_id=paid.pk, actor=worker_chiangmai, amount_awarded=Decimal(1), decided_on=today
        )


def test_claim_amounts_and_sources_are_checked(worker_chiangmai):
    case = register_case(worker_chiangmai)
    with pytest.raises(ValidationError) as refused:
        _claim(case, worker_chiangmai, source="offender")  # no proceeding
    assert "prosecution" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _claim(case, worker_chiangmai, amount="0")
    claim = _claim(case, worker_chiangmai, amount="1000")
    with pytest.raises(ValidationError) as refused:
        services.claim_award(
            claim_id=claim.pk,
            actor=worker_chiangmai,
            amount_awarded=Decimal("1001"),
            decided_on=timezone.localdate(),
        )
    assert THAI.search(refused.value.message_dict["amount_awarded"][0])
    services.claim_award(
        claim_id=claim.pk,
        actor=worker_chiangmai,
        amount_awarded=Decimal("800"),
        decided_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.claim_receive(
            claim_id=claim.pk,
            actor=worker_chiangmai,
            amount_received=Decimal("900"),
            received_on=timezone.localdate(),
        )


# --- Who sees what (DESIGN.md §6) ---------------------------------------------------------------


def test_justice_records_are_seen_as_their_case_is_seen(
    worker_chiangmai,
    supervisor_chiangmai,
    worker_tak,
    director_kredtrakarn,
    staff_kredtrakarn,
    central_reviewer,
    sysadmin,
    resident,
):
    prosecution = _record(resident, worker_chiangmai)
    claim = _claim(resident, worker_chiangmai)
    partner, expired = UserFactory(username="police.cm"), UserFactory(username="police.old")
    for user, days in ((partner, 5), (expired, 5)):
        cases.access_grant_give(
            case=resident,
            actor=supervisor_chiangmai,
            user=user,
            purpose="สอบปากคำ",
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
    from cases.models import AccessGrant

    AccessGrant.objects.filter(user=expired).update(
        expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    seeing = {
        "owner": worker_chiangmai,
        "supervisor": supervisor_chiangmai,
        "shelter director": director_kredtrakarn,
        "shelter staff": staff_kredtrakarn,
        "central": central_reviewer,
        "partner with a grant": partner,
    }
    blind = {"other province": worker_tak, "sysadmin": sysadmin, "expired grant": expired}
    for who, user in seeing.items():
        assert selectors.prosecution_list_visible_to(user=user).filter(pk=prosecution.pk), who
        assert selectors.claim_list_visible_to(user=user).filter(pk=claim.pk), who
    for who, user in blind.items():
        assert not selectors.prosecution_list_visible_to(user=user).exists(), who
        assert not selectors.claim_list_visible_to(user=user).exists(), who


def test_shelter_staff_no_longer_see_a_former_residents_court_case(
    worker_chiangmai, director_kredtrakarn, staff_kredtrakarn
):
    from shelters import services as shelters

    placement = admission(worker_chiangmai, director_kredtrakarn, person={"name_th": "ออกไปแล้ว"})
    prosecution = _record(placement.case, worker_chiangmai)
    shelters.placement_discharge(
        placement_id=placement.pk, actor=director_kredtrakarn, reason="left"
    )
    assert not selectors.prosecution_list_visible_to(user=staff_kredtrakarn).filter(
        pk=prosecution.pk
    )
    assert selectors.prosecution_list_visible_to(user=director_kredtrakarn).filter(
        pk=prosecution.pk
    )


# --- Pages ------------------------------------------------------------------------------------


def test_a_social_worker_records_a_court_case_hearing_and_claim_in_the_browser(
    client, worker_chiangmai
):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    section = reverse("cases:case_section", args=[case.pk, "justice"])  # below the case page's fold
    assert "justice-card" in client.get(section).content.decode()
    response = client.post(
        reverse("justice:record_prosecution", args=[case.pk]),
        {
            "offence": "forced_labour",
            "police_station": "สภ.แม่สอด",
            "police_case_number": "77/2569",
            "officer_name": "พ.ต.ท. ใจดี",
            "reported_on": "01/11/2569",  # Buddhist era, as typed in Thai
        },
    )
    prosecution = Prosecution.objects.get()
    assert response["Location"] == prosecution.get_absolute_url()
    assert prosecution.reported_on == dt.date(2026, 11, 1)
    when = timezone.localtime(timezone.now() + dt.timedelta(days=14))
    client.post(
        reverse("justice:schedule_hearing", args=[prosecution.pk]),
        {
            "kind": "advance_testimony",
            "scheduled_at": when.strftime("%d/%m/") + f"{when.year + 543} 09:30",
        },
    )
    assert prosecution.hearings.get().kind == "advance_testimony"
    client.post(
        reverse("justice:file_claim", args=[case.pk]),
        {"source": "fund", "amount_claimed": "45000", "claimed_on": "15/11/2569"},
    )
    claim = CompensationClaim.objects.get()
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert "77/2569" in page and claim.get_absolute_url() in page
    assert client.get(prosecution.get_absolute_url()).status_code == 200


def test_a_refused_form_shows_a_thai_message_not_an_error_page(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    response = client.post(
        reverse("justice:file_claim", args=[case.pk]),
        {"source": "offender", "amount_claimed": "1000", "claimed_on": "15/11/2569"},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and THAI.search(messages[0])
    assert not CompensationClaim.objects.exists()


def test_another_province_gets_a_404_on_every_justice_page(client, worker_chiangmai, worker_tak):
    case = register_case(worker_chiangmai)
    prosecution = _record(case, worker_chiangmai)
    claim = _claim(case, worker_chiangmai)
    client.force_login(worker_tak)
    for url in (
        reverse("justice:case", args=[case.pk]),
        prosecution.get_absolute_url(),
        claim.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("justice:drop", args=[prosecution.pk]), {"reason": "x"}).status_code
        == 404
    )
    prosecution.refresh_from_db()
    assert prosecution.status == ProsecutionStatus.INVESTIGATION


def test_the_claims_list_exports_in_a_file_and_the_audit_log_says_so(
    client, worker_chiangmai, supervisor_chiangmai
):
    case = register_case(worker_chiangmai)
    _claim(case, worker_chiangmai, amount="12345.50")
    client.force_login(supervisor_chiangmai)
    page = client.get(reverse("justice:claims"))
    assert case.number in page.content.decode()
    response = client.get(reverse("justice:claims_export"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert case.number in body and "12345.50" in body
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert export.changes["list"] == "compensation-claims" and export.changes["rows"] == 1
    client.force_login(worker_chiangmai)  # a social worker does not take data away in files
    assert client.get(reverse("justice:prosecutions_export"), {"format": "csv"}).status_code == 403


# --- API --------------------------------------------------------------------------------------


def test_the_api_records_a_proceeding_a_hearing_and_a_claim_with_its_moves(worker_chiangmai):
    case = register_case(worker_chiangmai)
    api = APIClient()
    api.force_authenticate(worker_chiangmai)
    created = api.post(
        "/api/v1/prosecutions/",
        {
            "case": case.pk,
            "offence": "trafficking",
            "police_station": "สภ.เมือง",
            "police_case_number": "9/2569",
            "officer_name": "ร.ต.ท. กล้า",
            "reported_on": "2026-10-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    charged = api.post(
        f"/api/v1/prosecutions/{pk}/charge/",
        {"court": "ศาลอาญาคดีค้ามนุษย์", "court_case_number": "1/2569", "charged_on": "2026-10-20"},
        format="json",
    )
    assert charged.data["status"] == "before_court"
    again = api.post(
        f"/api/v1/prosecutions/{pk}/charge/",
        {"court": "ศาล", "court_case_number": "1", "charged_on": "2026-10-20"},
        format="json",
    )
    assert again.status_code == 409
    when = (timezone.now() + dt.timedelta(days=9)).isoformat()
    hearing = api.post(
        "/api/v1/hearings/",
        {"prosecution": pk, "kind": "witness", "scheduled_at": when},
        format="json",
    )
    assert hearing.status_code == 201, hearing.data
    assert Deadline.objects.filter(clock=Clock.HEARING, object_id=hearing.data["id"]).exists()
    cancelled = api.post(
        f"/api/v1/hearings/{hearing.data['id']}/cancel/", {"note": "เลื่อน"}, format="json"
    )
    assert cancelled.data["status"] == "cancelled"
    claim = api.post(
        "/api/v1/compensation-claims/",
        {
            "case": case.pk,
            "prosecution": pk,
            "source": "offender",
            "amount_claimed": "90000",
            "claimed_on": "2026-10-20",
        },
        format="json",
    )
    assert claim.status_code == 201, claim.data
    bad = api.post(
        f"/api/v1/compensation-claims/{claim.data['id']}/award/",
        {"amount_awarded": "100000", "decided_on": "2026-11-01"},
        format="json",
    )
    assert bad.status_code == 400 and THAI.search(str(bad.data))
    awarded = api.post(
        f"/api/v1/compensation-claims/{claim.data['id']}/award/",
        {"amount_awarded": "60000", "decided_on": "2026-11-01"},
        format="json",
    )
    assert awarded.data["status"] == "awarded"
    received = api.post(
        f"/api/v1/compensation-claims/{claim.data['id']}/receive/",
        {"amount_received": "60000", "received_on": "2026-11-10"},
        format="json",
    )
    assert received.data["status"] == "received"


def test_the_api_hides_other_provinces_records_and_refuses_readers_moves(
    worker_chiangmai, worker_tak, central_reviewer
):
    prosecution = _record(register_case(worker_chiangmai), worker_chiangmai)
    api = APIClient()
    api.force_authenticate(worker_tak)
    assert api.get(f"/api/v1/prosecutions/{prosecution.pk}/").status_code == 404
    assert api.get("/api/v1/prosecutions/").data["results"] == []
    created = api.post(
        "/api/v1/compensation-claims/",
        {
            "case": prosecution.case_id,
            "source": "fund",
            "amount_claimed": "1",
            "claimed_on": "2026-10-20",
        },
        format="json",
    )
    assert created.status_code == 400  # a case they cannot see does not exist for them
    api.force_authenticate(central_reviewer)
    assert api.get(f"/api/v1/prosecutions/{prosecution.pk}/").status_code == 200
    refused = api.post(
        f"/api/v1/prosecutions/{prosecution.pk}/drop/", {"reason": "x"}, format="json"
    )
    assert refused.status_code == 403


def test_the_lists_cost_the_same_queries_for_2_rows_as_for_8(
    client, supervisor_chiangmai, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client.force_login(supervisor_chiangmai)

    def grow(n):
        for _ in range(n):
            case = register_case(supervisor_chiangmai)
            _claim(case, supervisor_chiangmai, _record(case, supervisor_chiangmai), "offender")

    def queries(url):
        with CaptureQueriesContext(connection) as run:
            assert client.get(url).status_code == 200
        return len(run)

    grow(2)
    urls = [reverse("justice:prosecutions"), reverse("justice:claims")]
    for url in urls:
        client.get(url)  # per-process caches filled
    few = [queries(url) for url in urls]
    grow(6)
    assert [queries(url) for url in urls] == few
    assert max(few) <= 9, few
