"""Screening and victim identification within the 24-hour clock of Act s.29."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.models import Indicator
from core.domain import ActionForbidden, TransitionNotAllowed
from sla.models import Deadline
from tests.factories import ready_to_decide, register_case, screening_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(worker_chiangmai):
    return register_case(worker_chiangmai)


@pytest.fixture
def screening(case, worker_chiangmai):
    """Under way for two hours, with one MDT member."""
    return screening_in_state(
        worker_chiangmai,
        "open",
        case=case,
        custody_started_at=timezone.now() - dt.timedelta(hours=2),
    )


def deadlines(screening, clock=None):
    rows = Deadline.objects.filter(object_id=screening.pk)
    return rows.filter(clock=clock) if clock else rows


def test_the_clock_runs_24_hours_from_custody_not_from_typing(screening):
    assert screening.deadline_at == screening.custody_started_at + dt.timedelta(hours=24)
    clock = deadlines(screening, "identification").get()
    assert clock.state == "pending"
    assert clock.due_at == screening.deadline_at
    assert clock.organisation == screening.case.owner


def test_a_custody_start_in_the_future_is_refused(case, worker_chiangmai):
    with pytest.raises(ValidationError):
        services.screening_start(
            case_id=case.pk,
            actor=worker_chiangmai,
            custody_started_at=timezone.now() + dt.timedelta(hours=1),
        )


def test_only_one_screening_runs_at_a_time(screening, worker_chiangmai):
    with pytest.raises(ValidationError):
        services.screening_start(
            case_id=screening.case_id, actor=worker_chiangmai, custody_started_at=timezone.now()
        )


def test_a_court_order_extends_the_deadline_by_up_to_seven_days(screening, worker_chiangmai):
    limit = screening.custody_started_at + dt.timedelta(hours=24, days=7)
    extended = services.screening_extend(
        screening_id=screening.pk, actor=worker_chiangmai, until=limit, order_reference="คร.12/2569"
    )
    assert extended.deadline_at == limit
    assert deadlines(screening, "identification").get().due_at == limit
    assert extended.case.events.filter(kind="screening_extended").exists()


def test_an_extension_beyond_seven_days_is_refused(screening, worker_chiangmai):
    too_far = screening.custody_started_at + dt.timedelta(hours=24, days=7, minutes=1)
    with pytest.raises(ValidationError) as error:
        services.screening_extend(
            screening_id=screening.pk, actor=worker_chiangmai, until=too_far, order_reference="x"
        )
    assert "until" in error.value.message_dict


def test_an_extension_needs_the_court_orders_reference(screening, worker_chiangmai):
    with pytest.raises(ValidationError) as error:
        services.screening_extend(
            screening_id=screening.pk,
            actor=worker_chiangmai,
            until=screening.deadline_at + dt.timedelta(days=1),
            order_reference=" ",
        )
    assert "order_reference" in error.value.message_dict


def test_a_victim_decision_closes_the_clock_in_time(screening, worker_chiangmai):
    ready_to_decide(screening, worker_chiangmai)
    decided = services.screening_decide(
        screening_id=screening.pk,
        actor=worker_chiangmai,
        outcome="victim_forced_labour",
        reason="Debt bondage on a fishing boat",
    )
    assert decided.status == "decided"
    assert decided.decided_by == worker_chiangmai
    assert deadlines(screening, "identification").get().state == "met"


def test_a_decision_after_the_deadline_records_the_breach(case, worker_chiangmai):
    late = services.screening_start(
        case_id=case.pk,
        actor=worker_chiangmai,
        custody_started_at=timezone.now() - dt.timedelta(hours=30),
        members=[services.MemberInput(name="MDT", agency="msdhs")],
    )
    assert late.is_overdue
    ready_to_decide(late, worker_chiangmai)
    services.screening_decide(
        screening_id=late.pk, actor=worker_chiangmai, outcome="victim_trafficking", reason="r"
    )
    assert deadlines(late, "identification").get().state == "breached"


def test_a_decision_without_its_required_fields_is_refused(case, worker_chiangmai):
    bare = services.screening_start(
        case_id=case.pk, actor=worker_chiangmai, custody_started_at=timezone.now()
    )
    with pytest.raises(ValidationError) as error:
        services.screening_decide(
            screening_id=bare.pk, actor=worker_chiangmai, outcome="victim_trafficking", reason=""
        )
    assert set(error.value.message_dict) == {"reason", "members", "indicators", "consent"}
    bare.refresh_from_db()
    assert bare.status == "open"
    assert deadlines(bare, "identification").get().state == "pending"


def test_reasonable_grounds_opens_the_15_day_mdt_interview_clock(screening, worker_chiangmai):
    ready_to_decide(screening, worker_chiangmai)
    services.screening_decide(
        screening_id=screening.pk,
        actor=worker_chiangmai,
        outcome="reasonable_grounds",
        reason="Needs the MDT interview",
    )
    clock = deadlines(screening, "mdt_interview").get()
    assert clock.due_at - clock.started_at == dt.timedelta(days=15)
    screening.refresh_from_db()
    assert screening.status == "awaiting_mdt"
    # The MDT interview decides: the 15-day clock is met, the identification is final.
    final = services.screening_decide(
        screening_id=screening.pk,
        actor=worker_chiangmai,
        outcome="victim_forced_labour",
        reason="Confirmed at the MDT interview",
    )
    assert final.status == "decided"
    assert deadlines(screening, "mdt_interview").get().state == "met"


def test_not_a_victim_waits_for_a_central_second_review(
    screening, worker_chiangmai, central_reviewer
):
    services.consent_record(
        case=screening.case,
        actor=worker_chiangmai,
        step="screening",
        decision="given",
        rights_notified=True,
    )
    pending = services.screening_decide(
        screening_id=screening.pk,
        actor=worker_chiangmai,
        outcome="not_victim",
        reason="No indicator",
    )
    assert pending.status == "pending_second_review"
    assert deadlines(screening, "second_review").get().organisation.code == "central"
    with pytest.raises(ActionForbidden):
        services.screening_second_review(
            screening_id=screening.pk, actor=worker_chiangmai, confirm=True, note="ok"
        )
    confirmed = services.screening_second_review(
        screening_id=screening.pk, actor=central_reviewer, confirm=True, note="Agreed"
    )
    assert confirmed.status == "confirmed"
    assert deadlines(screening, "second_review").get().state == "met"
    with pytest.raises(TransitionNotAllowed):
        services.screening_second_review(
            screening_id=screening.pk, actor=central_reviewer, confirm=False, note="changed mind"
        )


def test_a_second_review_can_reopen_the_screening(screening, worker_chiangmai, central_reviewer):
    services.consent_record(
        case=screening.case,
        actor=worker_chiangmai,
        step="screening",
        decision="given",
        rights_notified=True,
    )
    services.screening_decide(
        screening_id=screening.pk, actor=worker_chiangmai, outcome="not_victim", reason="r"
    )
    reopened = services.screening_second_review(
        screening_id=screening.pk, actor=central_reviewer, confirm=False, note="Interview again"
    )
    assert reopened.status == "reopened"
    assert reopened.outcome == ""
    assert deadlines(screening, "identification").filter(state="pending").exists()
    ready_to_decide(reopened, worker_chiangmai)
    again = services.screening_decide(
        screening_id=screening.pk, actor=worker_chiangmai, outcome="victim_trafficking", reason="r"
    )
    assert again.status == "decided"


def test_a_decided_screening_cannot_be_decided_again(screening, worker_chiangmai):
    ready_to_decide(screening, worker_chiangmai)
    services.screening_decide(
        screening_id=screening.pk, actor=worker_chiangmai, outcome="victim_trafficking", reason="r"
    )
    with pytest.raises(TransitionNotAllowed):
        services.screening_decide(
            screening_id=screening.pk, actor=worker_chiangmai, outcome="not_victim", reason="r"
        )


def test_another_provinces_worker_cannot_screen(screening, worker_tak):
    with pytest.raises(ActionForbidden):
        services.screening_update(
            screening_id=screening.pk, actor=worker_tak, indicator_codes=["deception"]
        )


def test_every_interview_is_recorded_on_the_timeline(screening, worker_chiangmai):
    services.interview_record(
        screening_id=screening.pk,
        actor=worker_chiangmai,
        held_at=timezone.now() - dt.timedelta(hours=1),
        interviewer="นางสาว ก",
        interpreter="Ko Min",
        language="my",
        summary="Recruited in Myawaddy with a false job offer.",
    )
    assert screening.interviews.count() == 1
    assert screening.case.events.filter(kind="interview").exists()


def test_the_checklist_holds_all_indicator_groups():
    groups = set(Indicator.objects.values_list("group", flat=True))
    assert groups == {"forced_labour", "sexual", "child", "criminal"}
    assert Indicator.objects.filter(group="forced_labour").count() == 11


def test_consent_not_required_needs_a_reason(case, worker_chiangmai):
    with pytest.raises(ValidationError):
        services.consent_record(
            case=case,
            actor=worker_chiangmai,
            step="referral",
            decision="not_required",
            rights_notified=True,
        )
