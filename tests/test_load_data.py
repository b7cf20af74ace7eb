"""The load generator (devdata/load_data.py): sizes, determinism, coherence with the workflows,
visibility of what it makes, and its refusal to mix test data into real records."""

import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from accounts.models import User
from cases.models import Case, CaseEvent, Person, Screening
from cases.selectors import case_list_visible_to
from devdata.load_data import LoadDataRefused, generate
from referrals.models import Referral
from shelters.models import Placement, ShelterUnit
from sla.models import Deadline
from tests.factories import register_case
from tests.shared_data import built_once

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # generates development data sets

TODAY = dt.date(2026, 11, 20)
SIZE = 400


def snapshot():
    """What the generated data says, without database ids."""
    return {
        "cases": list(
            Case.objects.order_by("number").values_list(
                "number", "person__name_key", "status", "intake_date", "owner__code"
            )
        ),
        "screenings": list(
            Screening.objects.order_by("case__number").values_list(
                "case__number", "status", "outcome"
            )
        ),
        "referrals": list(
            Referral.objects.order_by("case__number", "submitted_at").values_list(
                "case__number", "to_organisation__code", "state", "review_state"
            )
        ),
        "deadlines": Deadline.objects.count(),
    }


def generated(seed):
    with transaction.atomic():
        generate(cases=SIZE, seed=seed, today=TODAY)
        data = snapshot()
        transaction.set_rollback(True)
    return data


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = generated(seed=7)
    assert first["cases"]
    assert generated(seed=7) == first
    assert generated(seed=8) != first


@pytest.fixture(scope="class")
def load_data(django_db_setup, django_db_blocker):
    """One generated data set for the tests that read it (the counts generate returned), on
    one xdist worker (tests/parallel.py)."""
    with built_once(django_db_blocker):
        yield generate(cases=SIZE, seed=1, today=TODAY)


@pytest.mark.usefixtures("load_data")
class TestAGeneratedDataSet:
    def test_it_makes_the_cases_asked_for_with_their_persons_and_unique_numbers(self, load_data):
        counts = load_data
        assert counts["Case"] == SIZE == Case.objects.count()
        assert Person.objects.count() == SIZE
        assert counts["Screening"] > SIZE * 0.8
        assert counts["Referral"] > 0 and counts["Placement"] > 0 and counts["Deadline"] > SIZE
        numbers = list(Case.objects.values_list("number", flat=True))
        assert len(set(numbers)) == SIZE
        assert all(re.fullmatch(r"NRM-25\d\d-\d\d-\d{6}", n) for n in numbers)
        # Ten years of data, ending on the given day.
        first = Case.objects.order_by("intake_date").first().intake_date
        assert first < TODAY - dt.timedelta(days=365 * 8)
        assert Case.objects.order_by("-intake_date").first().intake_date <= TODAY
        assert CaseEvent.objects.filter(kind="opened").count() == SIZE

    def test_generated_states_follow_the_workflows(self):
        # A closed case has nothing running.
        closed = Case.objects.filter(status="closed")
        assert closed.exists()
        assert not Screening.objects.filter(
            case__in=closed, status__in=["open", "awaiting_mdt", "pending_second_review"]
        ).exists()
        assert not Referral.objects.filter(
            case__in=closed, state__in=["submitted", "acknowledged", "accepted"]
        ).exists()
        assert not Placement.objects.filter(case__in=closed, status="admitted").exists()
        # A screening's outcome matches its state.
        assert not Screening.objects.filter(status="open").exclude(outcome="").exists()
        assert (
            not Screening.objects.filter(status="decided")
            .exclude(outcome__in=["victim_trafficking", "victim_forced_labour"])
            .exists()
        )
        assert (
            not Screening.objects.filter(status__in=["confirmed", "pending_second_review"])
            .exclude(outcome="not_victim")
            .exists()
        )
        assert not Screening.objects.filter(status="confirmed", second_reviewer=None).exists()
        # Every submitted referral is in central review; an admission completed its referral.
        assert not Referral.objects.filter(review_state="").exists()
        assert not Placement.objects.exclude(referral__state="completed").exists()
        # Never more people in a section than its beds.
        for unit in ShelterUnit.objects.annotate(
            active=Count("placements", filter=Q(placements__status="admitted"))
        ):
            assert unit.active <= unit.capacity
        # A deadline is running (pending or breached) exactly when it has no closing time.
        assert not Deadline.objects.filter(closed_at=None, state__in=["met", "cancelled"]).exists()
        assert not Deadline.objects.filter(closed_at__isnull=False, state="pending").exists()
        assert Deadline.objects.filter(state="met").exists()
        assert Deadline.objects.filter(state="breached").exists()

    def test_a_provincial_worker_sees_the_generated_cases_of_their_office(self, client, worker_tak):
        own = Case.objects.filter(owner__code="pso-63")
        assert own.exists()  # Tak carries the largest share
        visible = case_list_visible_to(user=worker_tak)
        assert set(own.values_list("pk", flat=True)) <= set(visible.values_list("pk", flat=True))
        assert (
            not visible.exclude(owner__code="pso-63")
            .exclude(referrals__to_organisation__code="pso-63")
            .exists()
        )
        client.force_login(worker_tak)
        page = client.get(reverse("cases:home"))
        assert page.status_code == 200
        newest_open = own.exclude(status="closed").order_by("-created_at").first()
        assert newest_open.number in page.content.decode()

    def test_generated_accounts_cannot_sign_in_with_a_password(self):
        accounts = User.objects.filter(username__startswith="load.")
        assert accounts.exists()
        assert not any(user.has_usable_password() for user in accounts)


def test_case_numbers_continue_after_the_generated_ones(worker_tak):
    generate(cases=SIZE, seed=6, today=dt.date.today())
    case = register_case(worker_tak)
    assert Case.objects.filter(number=case.number).count() == 1


def test_it_refuses_a_database_with_real_cases_unless_forced(worker_chiangmai):
    register_case(worker_chiangmai)
    with pytest.raises(LoadDataRefused):
        generate(cases=10, seed=1, today=TODAY)
    with pytest.raises(CommandError):
        call_command("generate_load_data", cases=10, verbosity=0)
    assert Case.objects.count() == 1
    generate(cases=10, seed=1, today=TODAY, force=True)
    assert Case.objects.count() == 11
