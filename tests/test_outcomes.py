"""Outcomes (issue 18): the person's situation recorded at the 3-, 6- and 12-month follow-ups
after a shelter stay (recording it is the follow-up: its clock is met, the next opens, the
timeline says what was found) and at the case's closure (closing asks for it); who sees them;
the list, its export and the API."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from audit.models import AuditEvent
from cases import services as cases
from cases.models import Case
from core.domain import ActionForbidden, TransitionNotAllowed
from notifications.models import Notification
from outcomes import services
from outcomes.models import Outcome
from shelters import services as shelters
from sla.models import Deadline
from tests.factories import UserFactory, admission, member, register_case

pytestmark = pytest.mark.django_db

REACHED = {
    "contact": "reached",
    "safe_housing": "yes",
    "income": "partly",
    "documents": "yes",
    "compensation": "no",
    "education": "unknown",
    "health": "good",
    "own_view": "better",
    "own_words": "ได้ทำงานร้านอาหาร อยู่กับแม่",
}


def left_shelter(worker, director, reviewer=None, **person):
    """A case of `worker`'s office whose person stayed at Kredtrakarn and went home: the
    3-month follow-up clock runs (and the referral's central review, unless `reviewer`
    endorsed it)."""
    review = {"review": "endorsed", "reviewer": reviewer} if reviewer else {}
    placement = admission(worker, director, person={"estimated_age": 30, **person}, **review)
    shelters.placement_discharge(placement_id=placement.pk, actor=director, reason="reintegrated")
    return Case.objects.get(pk=placement.case_id)


def running_follow_up(case):
    return Deadline.objects.get(
        clock="follow_up", closed_at=None, object_id__in=case.placements.values("pk")
    )


def th(text):
    with translation.override("th"):
        return translation.gettext(text)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Follow-ups ---------------------------------------------------------------------------


def test_recording_a_follow_up_outcome_meets_its_clock_opens_the_next_and_writes_the_timeline(
    worker_chiangmai, director_kredtrakarn
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    first = running_follow_up(case)
    with translation.override("th"):
        outcome = services.follow_up_outcome_record(
            case_id=case.pk, actor=worker_chiangmai, **REACHED
        )
    assert outcome.moment == "months_3" and outcome.placement == case.placements.get()
    first.refresh_from_db()
    assert first.state == "met"
    following = running_follow_up(case)
    discharged = case.placements.get().discharged_at
    assert following.due_at.month == (discharged.month + 5) % 12 + 1  # six months after leaving
    event = case.events.get(kind="follow_up")
    assert (
        th("3-month follow-up") in event.summary
        and th("Safe housing").lower() in event.summary.lower()
    )
    assert AuditEvent.objects.filter(action="create", object_id=str(outcome.pk)).exists()


def test_the_follow_ups_are_those_of_3_6_and_12_months_and_no_fourth(
    worker_chiangmai, director_kredtrakarn
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    moments = [
        services.follow_up_outcome_record(case_id=case.pk, actor=worker_chiangmai, **REACHED).moment
        for _ in range(3)
    ]
    assert moments == ["months_3", "months_6", "months_12"]
    with pytest.raises(TransitionNotAllowed):
        services.follow_up_outcome_record(case_id=case.pk, actor=worker_chiangmai, **REACHED)
    assert case.outcomes.count() == 3


def test_no_follow_up_is_recorded_on_a_case_whose_person_never_left_a_shelter(worker_chiangmai):
    case = register_case(worker_chiangmai)
    with pytest.raises(TransitionNotAllowed):
        services.follow_up_outcome_record(case_id=case.pk, actor=worker_chiangmai, **REACHED)
    assert not Outcome.objects.exists()


def test_a_person_reached_is_asked_about_every_part_of_their_situation(
    worker_chiangmai, director_kredtrakarn
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        services.follow_up_outcome_record(
            case_id=case.pk, actor=worker_chiangmai, contact="reached", safe_housing="yes"
        )
    problems = refused.value.message_dict
    assert set(problems) == {
        "income",
        "documents",
        "compensation",
        "education",
        "health",
        "own_view",
    }
    assert problems["income"] == [th("Choose an answer (or “not known”).")]
    assert running_follow_up(case).state == "pending"  # nothing happened
    assert not case.events.filter(kind="follow_up").exists()


def test_a_follow_up_that_could_not_be_done_says_why(worker_chiangmai, director_kredtrakarn):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        services.follow_up_outcome_record(
            case_id=case.pk, actor=worker_chiangmai, contact="not_possible"
        )
    assert refused.value.message_dict == {
        "not_possible_reason": [th("Say why the follow-up could not be done.")]
    }
    with pytest.raises(ValidationError, match="note"):
        services.follow_up_outcome_record(
            case_id=case.pk,
            actor=worker_chiangmai,
            contact="not_possible",
            not_possible_reason="other",
        )
    outcome = services.follow_up_outcome_record(
        case_id=case.pk,
        actor=worker_chiangmai,
        contact="not_possible",
        not_possible_reason="abroad",
        safe_housing="yes",  # nobody was asked: not kept
    )
    assert outcome.not_possible_reason == "abroad" and outcome.safe_housing == ""
    assert running_follow_up(case)  # the 6-month one: the office tries again


def test_contact_lost_is_recorded_as_a_follow_up(worker_chiangmai, director_kredtrakarn):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    outcome = services.follow_up_outcome_record(
        case_id=case.pk, actor=worker_chiangmai, contact="contact_lost", note="ย้ายที่อยู่ โทรไม่ติด"
    )
    assert outcome.contact == "contact_lost" and outcome.not_possible_reason == ""


def test_a_sign_of_revictimisation_is_described_and_told_to_the_team_and_the_centre(
    worker_chiangmai, supervisor_chiangmai, director_kredtrakarn, central_reviewer
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    with pytest.raises(ValidationError, match="note"):
        services.follow_up_outcome_record(
            case_id=case.pk, actor=worker_chiangmai, revictimised=True, **REACHED
        )
    services.follow_up_outcome_record(
        case_id=case.pk,
        actor=worker_chiangmai,
        revictimised=True,
        note="นายหน้าคนเดิมติดต่อชวนไปทำงานอีก",
        **REACHED,
    )
    told = set(Notification.objects.filter(topic="outcome").values_list("recipient", flat=True))
    assert told == {supervisor_chiangmai.pk, central_reviewer.pk}  # not its own author
    assert all(case.person.name_th not in message.body for message in mail.outbox)


def test_another_office_records_no_follow_up_on_a_case_it_does_not_own(
    worker_chiangmai, worker_tak, director_kredtrakarn
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    with pytest.raises(ActionForbidden):
        services.follow_up_outcome_record(case_id=case.pk, actor=worker_tak, **REACHED)
    with pytest.raises(ActionForbidden):
        services.follow_up_outcome_record(case_id=case.pk, actor=director_kredtrakarn, **REACHED)
    assert running_follow_up(case).state == "pending"


def test_the_follow_up_reminder_reaches_the_owning_office_and_opens_the_case(
    client, worker_chiangmai, supervisor_chiangmai, director_kredtrakarn
):
    """Seven days before the follow-up is due, the sweep reminds the lead worker and the
    supervisor; the reminder opens the case page, where the follow-up is recorded (not the
    stay's page, which is the shelter's)."""
    from sla.sweep import sweep

    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    clock = running_follow_up(case)
    sweep(now=clock.due_at - dt.timedelta(days=6))
    told = Notification.objects.filter(topic="deadline")
    assert {note.recipient for note in told} == {worker_chiangmai, supervisor_chiangmai}
    link = told.first().link
    assert link == case.get_absolute_url()
    client.force_login(worker_chiangmai)
    assert client.get(link).status_code == 200
    page = client.get(reverse("cases:case_section", args=[case.pk, "outcomes"]))  # on the case
    assert reverse("outcomes:follow_up", args=[case.pk]) in page.content.decode()


# --- Closure ------------------------------------------------------------------------------


def test_closing_a_case_asks_for_the_outcome_in_thai_and_closes_with_it(worker_chiangmai):
    case = register_case(worker_chiangmai)
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        services.closure_outcome_record(case_id=case.pk, actor=worker_chiangmai, reason="กลับบ้าน")
    message = " ".join(refused.value.messages)
    assert "ผลลัพธ์" in message and "Record" not in message
    assert Case.objects.get(pk=case.pk).status == "open"
    outcome = services.closure_outcome_record(
        case_id=case.pk, actor=worker_chiangmai, reason="กลับบ้าน", **REACHED
    )
    assert outcome.moment == "closure" and outcome.placement is None
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_reason == "กลับบ้าน"
    assert list(case.events.values_list("kind", flat=True)[:1]) == ["closed"]


def test_closing_needs_its_reason_as_well_as_the_outcome(worker_chiangmai):
    case = register_case(worker_chiangmai)
    with pytest.raises(ValidationError) as refused:
        services.closure_outcome_record(
            case_id=case.pk, actor=worker_chiangmai, reason=" ", **REACHED
        )
    assert set(refused.value.message_dict) == {"reason"}


def test_only_the_lead_worker_or_a_supervisor_closes_a_case_with_its_outcome(
    worker_chiangmai, supervisor_chiangmai, worker_tak
):
    case = register_case(worker_chiangmai)
    colleague = member("social_worker", "pso-50", "colleague")
    for someone in (colleague, worker_tak):
        with pytest.raises(ActionForbidden):
            services.closure_outcome_record(case_id=case.pk, actor=someone, reason="x", **REACHED)
    services.closure_outcome_record(
        case_id=case.pk, actor=supervisor_chiangmai, reason="x", **REACHED
    )
    with pytest.raises(TransitionNotAllowed):  # closed already
        services.closure_outcome_record(
            case_id=case.pk, actor=supervisor_chiangmai, reason="x", **REACHED
        )
    assert Outcome.objects.count() == 1


def test_a_case_closes_with_its_outcome_once_its_follow_ups_are_done(
    worker_chiangmai, director_kredtrakarn, central_reviewer
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn, central_reviewer)
    for _ in range(2):
        services.follow_up_outcome_record(case_id=case.pk, actor=worker_chiangmai, **REACHED)
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            services.closure_outcome_record(
                case_id=case.pk, actor=worker_chiangmai, reason="x", **REACHED
            )
        [why] = refused.value.messages  # the next follow-up's clock still runs, by its name
        assert why.startswith("The clock “Follow-up after reintegration” still runs on the case")
    assert not case.outcomes.filter(moment="closure").exists()
    assert Case.objects.get(pk=case.pk).status == "open"
    services.follow_up_outcome_record(case_id=case.pk, actor=worker_chiangmai, **REACHED)
    services.closure_outcome_record(case_id=case.pk, actor=worker_chiangmai, reason="x", **REACHED)
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_a_reopened_case_closes_again_with_a_new_outcome(worker_chiangmai):
    case = register_case(worker_chiangmai)
    services.closure_outcome_record(case_id=case.pk, actor=worker_chiangmai, reason="x", **REACHED)
    cases.case_reopen(case_id=case.pk, actor=worker_chiangmai, reason="กลับมาขอความช่วยเหลือ")
    services.closure_outcome_record(
        case_id=case.pk, actor=worker_chiangmai, reason="y", contact="contact_lost"
    )
    assert list(case.outcomes.values_list("contact", flat=True)) == ["contact_lost", "reached"]


# --- Pages ---------------------------------------------------------------------------------


def test_a_social_worker_records_a_follow_up_in_the_browser(
    client, worker_chiangmai, director_kredtrakarn
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:case_section", args=[case.pk, "outcomes"]))  # on the case
    html = page.content.decode()
    assert reverse("outcomes:follow_up", args=[case.pk]) in html
    assert f"/shelters/cases/{case.pk}/follow-up/" not in html  # one way: with its outcome
    url = reverse("outcomes:follow_up", args=[case.pk])
    form = client.get(url)
    assert form.status_code == 200 and th("3-month follow-up") in form.content.decode()
    refused = client.post(url, {"contact": "reached", "safe_housing": "yes"})
    assert refused.status_code == 200  # the answers stay on the form, with the messages
    body = refused.content.decode()
    assert th("Choose an answer (or “not known”).") in body and 'value="yes" selected' in body
    done = client.post(url, REACHED, follow=True)
    assert done.redirect_chain[-1][0] == case.get_absolute_url()
    assert [str(m) for m in done.context["messages"]] == [th("Follow-up visit recorded.")]
    outcomes = client.get(reverse("cases:case_section", args=[case.pk, "outcomes"]))
    assert th("6-month follow-up") in outcomes.content.decode()  # the next one is due
    assert case.outcomes.get().own_words == REACHED["own_words"]


def test_the_closing_page_says_first_what_keeps_the_case_open(
    client, worker_chiangmai, director_kredtrakarn
):
    case = admission(worker_chiangmai, director_kredtrakarn).case  # lives in a shelter
    client.force_login(worker_chiangmai)
    page = client.get(reverse("outcomes:close", args=[case.pk]))
    assert page.context["blockers"] == [
        th("The person still lives in a shelter under this case: discharge first.")
    ]
    html = page.content.decode()
    assert 'data-testid="close-blockers"' in html and "disabled>" in html
    refused = client.post(reverse("outcomes:close", args=[case.pk]), {"reason": "x", **REACHED})
    assert th("The person still lives in a shelter under this case: discharge first.") in (
        refused.content.decode()
    )
    assert Case.objects.get(pk=case.pk).status == "open"
    open_case = register_case(worker_chiangmai)
    ready = client.get(reverse("outcomes:close", args=[open_case.pk]))
    assert ready.context["blockers"] == [] and "close-blockers" not in ready.content.decode()


def test_the_follow_up_page_of_a_case_with_none_due_says_so(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    page = client.get(reverse("outcomes:follow_up", args=[case.pk]), follow=True)
    assert [str(m) for m in page.context["messages"]] == [
        th("No follow-up visit is due for this case.")
    ]


def test_another_province_cannot_open_the_follow_up_page(
    client, worker_tak, worker_chiangmai, director_kredtrakarn
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    client.force_login(worker_tak)
    assert client.get(reverse("outcomes:follow_up", args=[case.pk])).status_code == 404
    assert client.post(reverse("outcomes:follow_up", args=[case.pk]), REACHED).status_code == 404
    assert not Outcome.objects.exists()


def test_closing_in_the_browser_asks_for_the_outcome(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:case_section", args=[case.pk, "outcomes"])).content.decode()
    assert reverse("outcomes:close", args=[case.pk]) in page
    # No closing without the outcome: the case's plain close is gone.
    assert client.post(f"/cases/{case.pk}/close/", {"reason": "x"}).status_code == 404
    assert Case.objects.get(pk=case.pk).is_open
    url = reverse("outcomes:close", args=[case.pk])
    refused = client.post(url, {"reason": "กลับบ้านแล้ว", "contact": "reached"})
    assert refused.status_code == 200
    assert (
        th(
            "Record the person's outcome at closure before closing the case: their housing, "
            "income, documents, compensation, education, health and their own view, or why they "
            "could not be asked."
        )
        in refused.content.decode()
    )
    assert Case.objects.get(pk=case.pk).status == "open"
    done = client.post(url, {"reason": "กลับบ้านแล้ว", **REACHED}, follow=True)
    assert [str(m) for m in done.context["messages"]] == [th("The case is closed.")]
    assert Case.objects.get(pk=case.pk).status == "closed"
    assert reverse("cases:reopen", args=[case.pk]) in done.content.decode()


def test_a_colleague_who_is_not_the_lead_worker_is_sent_back_from_the_closing_page(
    client, worker_chiangmai
):
    case = register_case(worker_chiangmai)
    client.force_login(member("social_worker", "pso-50", "colleague"))
    page = client.post(
        reverse("outcomes:close", args=[case.pk]), {"reason": "x", **REACHED}, follow=True
    )
    assert [str(m) for m in page.context["messages"]] == [
        th("Only the lead worker or a supervisor closes a case.")
    ]
    assert Case.objects.get(pk=case.pk).status == "open"


# --- Who sees outcomes (DESIGN.md §6) ------------------------------------------------------


@pytest.fixture
def recorded(worker_chiangmai, director_kredtrakarn):
    """A follow-up after a stay at Kredtrakarn, and a closure elsewhere in Chiang Mai."""
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    follow_up = services.follow_up_outcome_record(
        case_id=case.pk, actor=worker_chiangmai, **REACHED
    )
    other = register_case(worker_chiangmai, name_th="ปิดแล้ว")
    closure = services.closure_outcome_record(
        case_id=other.pk, actor=worker_chiangmai, reason="x", **REACHED
    )
    return follow_up, closure


def visible(user):
    from outcomes.selectors import outcome_list_visible_to

    return set(outcome_list_visible_to(user=user))


def test_each_role_sees_the_outcomes_of_the_cases_it_may_see(
    recorded,
    supervisor_chiangmai,
    worker_tak,
    director_kredtrakarn,
    staff_kredtrakarn,
    central_reviewer,
    sysadmin,
):
    follow_up, closure = recorded
    assert visible(supervisor_chiangmai) == {follow_up, closure}
    assert visible(central_reviewer) == {follow_up, closure}
    assert visible(director_kredtrakarn) == {follow_up}  # a past resident's
    assert visible(staff_kredtrakarn) == set()  # current residents only
    assert visible(worker_tak) == set()
    assert visible(sysadmin) == set()
    director_other = member("shelter_director", "shelter-narisawat", "dir.other")
    assert visible(director_other) == set()


def test_a_partner_sees_outcomes_only_with_a_live_grant(recorded, supervisor_chiangmai):
    import datetime as dt

    from django.utils import timezone

    follow_up, closure = recorded
    partner = UserFactory(username="ngo.partner")
    assert visible(partner) == set()
    grant = cases.access_grant_give(
        case=closure.case,
        actor=supervisor_chiangmai,
        user=partner,
        purpose="ติดตามผล",
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    assert visible(partner) == {closure}
    cases.access_grant_revoke(grant_id=grant.pk, actor=supervisor_chiangmai)
    assert visible(partner) == set()


# --- The list, its export and the API -------------------------------------------------------


def test_the_list_of_outcomes_filters_and_is_logged(client, recorded, supervisor_chiangmai):
    follow_up, closure = recorded
    client.force_login(supervisor_chiangmai)
    page = client.get(reverse("outcomes:list"), {"moment": "closure"})
    assert page.status_code == 200
    assert [row for row, _cells in page.context["rows"]] == [closure]
    assert AuditEvent.objects.filter(action="list", actor=supervisor_chiangmai).exists()
    wrong = client.get(reverse("outcomes:list"), {"from": "ไม่ใช่วันที่"})
    assert wrong.status_code == 200 and not wrong.context["rows"]


@pytest.fixture
def closures(worker_chiangmai, worker_tak):
    """A case closed with its outcome in Chiang Mai (50), one in Tak (63), one in Bangkok (10)."""
    worker_bangkok = member("social_worker", "pso-10", "wipa")
    outcomes = {}
    for province, worker in (("50", worker_chiangmai), ("63", worker_tak), ("10", worker_bangkok)):
        case = register_case(worker, name_th=f"ปิดแล้ว {province}")
        outcomes[province] = services.closure_outcome_record(
            case_id=case.pk, actor=worker, reason="กลับบ้าน", **REACHED
        )
    return outcomes


def listed(client, **filters) -> list:
    page = client.get(reverse("outcomes:list"), filters)
    assert page.status_code == 200
    return [row for row, _cells in page.context["rows"]]


def test_several_provinces_moments_or_contacts_give_the_outcomes_of_any_of_them(
    client, closures, recorded, central_reviewer
):
    follow_up, closure = recorded
    client.force_login(central_reviewer)
    both = {closures["50"], closures["63"], follow_up, closure}
    assert set(listed(client, province=["50", "63"])) == both
    assert set(listed(client, moment=["closure", "months_3"], province="63")) == {closures["63"]}
    assert set(listed(client, moment=["closure", "months_3"])) == {*closures.values(), *recorded}
    assert set(listed(client, contact=["reached", "contact_lost"], province="10")) == {
        closures["10"]
    }
    found = api(central_reviewer).get("/api/v1/outcomes/?province=50&province=63").json()
    assert {row["id"] for row in found["results"]} == {outcome.pk for outcome in both}
    exported = client.get(reverse("outcomes:export"), {"format": "csv", "province": ["50", "63"]})
    lines = b"".join(exported.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(both)
    event = AuditEvent.objects.get(action="export", actor=central_reviewer)
    assert event.changes["filters"] == {"province": ["50", "63"]}


def test_a_supervisors_provinces_never_show_another_offices_outcomes(
    client, closures, supervisor_chiangmai
):
    client.force_login(supervisor_chiangmai)
    shown = set(listed(client, province=["50", "63"]))
    assert closures["50"] in shown and closures["63"] not in shown
    assert listed(client, province="63") == []
    found = api(supervisor_chiangmai).get("/api/v1/outcomes/?province=50&province=63").json()
    assert {row["id"] for row in found["results"]} == {outcome.pk for outcome in shown}


def test_a_wrong_value_among_several_is_explained_in_thai(client, closures, central_reviewer):
    client.force_login(central_reviewer)
    page = client.get(reverse("outcomes:list"), {"province": ["99", "50"], "moment": "closure"})
    assert page.status_code == 200 and not page.context["rows"]
    [message] = page.context["filter"].form.errors["province"]
    assert "99" in message and re.search(r"[\u0E00-\u0E7F]", message)
    refused = api(central_reviewer).get("/api/v1/outcomes/?contact=lost&contact=reached")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["contact"]


def test_the_export_of_outcomes_is_audited_and_for_the_accountable_roles_only(
    client, recorded, supervisor_chiangmai, worker_chiangmai
):
    client.force_login(worker_chiangmai)
    assert client.get(reverse("outcomes:export"), {"format": "csv"}).status_code == 403
    client.force_login(supervisor_chiangmai)
    response = client.get(reverse("outcomes:export"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3 and th("Safe housing") in rows[0]
    assert REACHED["own_words"] in rows[1]
    export = AuditEvent.objects.get(action="export", actor=supervisor_chiangmai)
    assert export.changes["rows"] == 2 if "rows" in export.changes else True
    assert client.get(reverse("outcomes:export"), {"format": "pdf"}).status_code == 400


def test_a_follow_up_and_a_closure_through_the_api(
    worker_chiangmai, director_kredtrakarn, worker_tak
):
    case = left_shelter(worker_chiangmai, director_kredtrakarn)
    client = api(worker_chiangmai)
    made = client.post("/api/v1/outcomes/follow-up/", {"case": case.pk, **REACHED}, format="json")
    assert made.status_code == 201 and made.json()["moment"] == "months_3"
    bad = client.post(
        "/api/v1/outcomes/follow-up/", {"case": case.pk, "contact": "not_possible"}, format="json"
    )
    assert bad.status_code == 400 and "not_possible_reason" in bad.json()["errors"]
    assert (
        api(worker_tak)
        .post("/api/v1/outcomes/follow-up/", {"case": case.pk, **REACHED}, format="json")
        .status_code
        == 404
    )
    open_case = register_case(worker_chiangmai)
    assert (
        client.post(
            "/api/v1/outcomes/follow-up/", {"case": open_case.pk, **REACHED}, format="json"
        ).status_code
        == 409
    )
    missing = client.post(
        "/api/v1/outcomes/close-case/",
        {"case": open_case.pk, "reason": "x", "contact": "reached"},
        format="json",
    )
    assert missing.status_code == 400
    closed = client.post(
        "/api/v1/outcomes/close-case/",
        {"case": open_case.pk, "reason": "x", **REACHED},
        format="json",
    )
    assert closed.status_code == 201 and Case.objects.get(pk=open_case.pk).status == "closed"
    listed = client.get("/api/v1/outcomes/", {"moment": "closure"}).json()["results"]
    assert [row["case_number"] for row in listed] == [open_case.number]
    one = client.get(f"/api/v1/outcomes/{listed[0]['id']}/")
    assert one.status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=str(listed[0]["id"])).exists()
    assert api(worker_tak).get(f"/api/v1/outcomes/{listed[0]['id']}/").status_code == 404
