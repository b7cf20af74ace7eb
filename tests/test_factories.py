"""The builders of tests/factories.py make what the services make: the state asked for, with
the events, the deadlines and the audit entries of the path a user would take."""

import pytest

from audit.models import AuditEvent
from sla.models import Deadline
from tests.factories import (
    CASE_STATES,
    REFERRAL_STATES,
    SCREENING_STATES,
    admission,
    case_in_state,
    referral_in_state,
    screening_in_state,
)

pytestmark = pytest.mark.django_db


def running_clocks(obj) -> set[str]:
    rows = Deadline.objects.filter(object_id=obj.pk, object_type__model=obj._meta.model_name)
    return set(rows.filter(closed_at=None).values_list("clock", flat=True))


@pytest.mark.parametrize("state", CASE_STATES)
def test_a_case_in_each_state(state, worker_chiangmai):
    case = case_in_state(worker_chiangmai, state)
    case.refresh_from_db()
    assert case.status == state
    kinds = list(case.events.order_by("pk").values_list("kind", flat=True))
    assert (
        kinds
        == {
            "open": ["opened"],
            "closed": ["opened", "closed"],
            "reopened": ["opened", "closed", "reopened"],
        }[state]
    )


@pytest.mark.parametrize("state", SCREENING_STATES)
def test_a_screening_in_each_state(state, worker_chiangmai, central_reviewer):
    screening = screening_in_state(worker_chiangmai, state, reviewer=central_reviewer)
    screening.refresh_from_db()
    assert screening.status == state
    assert screening.members.count() == 1
    assert (
        running_clocks(screening)
        == {
            "open": {"identification"},
            "decided": set(),
            "awaiting_mdt": {"mdt_interview"},
            "pending_second_review": {"second_review"},
            "confirmed": set(),
            "reopened": {"identification"},
        }[state]
    )


@pytest.mark.parametrize("state", REFERRAL_STATES)
def test_a_referral_in_each_state(state, worker_chiangmai, director_kredtrakarn):
    referral = referral_in_state(worker_chiangmai, state, receiver=director_kredtrakarn)
    assert referral.state == state
    assert referral.review_state == ("" if state == "draft" else "pending")
    path = list(referral.events.filter(field="state").values_list("to_state", flat=True))
    assert path[0] == "draft" and path[-1] == state
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action="transition").count() == (
        len(path) - 1
    )
    clocks = running_clocks(referral)
    if state in ("draft", "withdrawn"):
        assert clocks == set()
    else:
        assert "central_review" in clocks  # nobody has reviewed it yet


@pytest.mark.parametrize("review", ["endorsed", "queried", "escalated"])
def test_a_referral_with_its_central_review(review, worker_chiangmai, central_reviewer):
    referral = referral_in_state(
        worker_chiangmai, "submitted", reviewer=central_reviewer, review=review
    )
    assert (referral.state, referral.review_state) == ("submitted", review)
    assert referral.events.filter(field="review_state", to_state=review).exists()


def test_a_builder_refuses_a_state_it_cannot_reach_honestly(worker_chiangmai):
    with pytest.raises(ValueError, match="receiver"):
        referral_in_state(worker_chiangmai, "accepted")
    with pytest.raises(ValueError, match="reviewer"):
        referral_in_state(worker_chiangmai, "submitted", review="endorsed")
    with pytest.raises(ValueError, match="reviewer"):
        screening_in_state(worker_chiangmai, "confirmed")
    with pytest.raises(ValueError):
        case_in_state(worker_chiangmai, "archived")


def test_an_admission_is_a_stay_in_the_section(worker_chiangmai, director_kredtrakarn):
    placement = admission(
        worker_chiangmai, director_kredtrakarn, section="girls", person={"estimated_age": 12}
    )
    assert placement.status == "admitted"
    assert placement.unit.section == "girls"
    placement.referral.refresh_from_db()
    assert placement.referral.state == "completed"
    assert running_clocks(placement) == {"care_plan"}
    assert placement.case.events.filter(kind="admitted").exists()
