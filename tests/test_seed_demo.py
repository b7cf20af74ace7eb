"""`manage.py seed_demo` creates the demo accounts of DESIGN.md §9, once, never in production."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import RequestFactory

from accounts.models import User
from cases.models import Person
from devdata.demo_users import DEMO_USERS
from shelters.models import Placement
from tests.shared_data import built_once

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # the whole demo data set


@pytest.fixture(scope="class")
def demo_database(django_db_setup, django_db_blocker):
    """seed_demo run once for a class of tests (on one xdist worker: tests/parallel.py), as on a
    test system with DEBUG off: with --force (without, it refuses: see below)."""
    with built_once(django_db_blocker, DEBUG=False):
        call_command("seed_demo", "--force")
        yield


# --- Once the demo is seeded: what a newcomer finds in it ---------------------------------------
@pytest.mark.usefixtures("demo_database")
class TestTheSeededDemo:
    def test_seed_demo_forced_creates_every_demo_login_with_the_demo_password(self, settings):
        assert User.objects.count() == len(DEMO_USERS)
        for username, organisation_code, role, *_ in DEMO_USERS:
            request = RequestFactory().post("/accounts/login/")
            user = authenticate(request, username=username, password=settings.NRM_DEMO_PASSWORD)
            assert user is not None, username
            assert user.membership.role == role
            assert user.membership.organisation.code == organisation_code

    def test_the_demo_shows_the_safeguards_children_and_a_person_with_two_cases(self):
        """Issue 15: the rules for children and for one bed per person are visible in the demo."""
        persons = Person.objects.annotate(n_cases=Count("cases"))
        assert any(person.is_child for person in persons)
        assert persons.filter(n_cases__gte=2).exists()
        assert Placement.objects.filter(status="admitted").exists()

    def test_the_demo_shows_repatriations_in_several_states(self, settings):
        """Issue 18: a repatriation to Myanmar confirmed, one under way, a Thai reintegration."""
        from repatriation.models import Repatriation

        rows = {(r.kind, r.status, r.case.person.nationality) for r in Repatriation.objects.all()}
        assert ("repatriation", "confirmed", "MM") in rows
        assert ("repatriation", "scheduled", "MM") in rows
        assert ("reintegration", "assessed", "TH") in rows
        settings.DEBUG = True
        call_command("seed_demo")  # idempotent
        assert Repatriation.objects.count() == 3

    def test_the_demo_shows_the_lessons_learned_register_raised_and_answered(self, settings):
        """Issue 20: an issue answered with actions (one done), another waiting for the centre."""
        from lessons.models import Lesson

        states = dict(Lesson.objects.values_list("organisation__code", "status"))
        assert states == {"pso-63": "answered", "shelter-kredtrakarn": "raised"}
        answered = Lesson.objects.get(status="answered")
        assert sorted(answered.actions.values_list("status", flat=True)) == ["done", "open"]
        assert answered.endorsements.count() == 1 and answered.cases.exists()
        settings.DEBUG = True
        call_command("seed_demo")  # idempotent
        assert Lesson.objects.count() == 2

    def test_seed_demo_is_idempotent(self, settings):
        settings.DEBUG = True
        call_command("seed_demo")  # the second time
        assert User.objects.count() == len(DEMO_USERS)

    def test_the_demo_sysadmin_can_open_the_admin(self, client):
        client.force_login(User.objects.get(username="sysadmin"))
        assert client.get("/admin/accounts/organisation/").status_code == 200

    def test_the_demo_shows_outcomes_in_every_state(self):
        """Issue 18: at closure, at 3, 6 and 12 months, not possible with its reason, contact lost,
        and a sign of re-victimisation; a case closed after its 12-month follow-up."""
        from outcomes.models import Outcome

        outcomes = Outcome.objects.all()
        assert set(outcomes.values_list("moment", flat=True)) == {
            "closure",
            "months_3",
            "months_6",
            "months_12",
        }
        assert set(outcomes.values_list("contact", flat=True)) == {
            "reached",
            "not_possible",
            "contact_lost",
        }
        assert outcomes.filter(contact="not_possible").exclude(not_possible_reason="").exists()
        assert outcomes.filter(revictimised=True).exists()
        twelve = outcomes.get(moment="months_12")
        assert twelve.case.status == "closed" and twelve.case.outcomes.filter(moment="closure")

    def test_the_demo_shows_court_cases_and_compensation_in_several_states(self, settings):
        """Issue 18: proceedings, hearings and claims in their states, a hearing the shelter where
        the person lives is reminded of, and an s.37 permit."""
        from justice.models import CompensationClaim, Prosecution
        from sla.models import Deadline

        assert set(Prosecution.objects.values_list("status", flat=True)) == {
            "investigation",
            "before_court",
            "concluded",
            "dropped",
        }
        assert set(CompensationClaim.objects.values_list("status", flat=True)) == {
            "filed",
            "awarded",
            "received",
            "unpaid",
            "rejected",
            "withdrawn",
        }
        assert Deadline.objects.filter(clock="hearing_shelter", closed_at__isnull=True).exists()
        settings.DEBUG = True
        call_command("seed_demo")  # idempotent
        assert Prosecution.objects.count() == 6


# --- On a database of its own -------------------------------------------------------------------
def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_if_empty_leaves_a_database_with_users_alone(settings, worker_chiangmai):
    settings.DEBUG = True
    call_command("seed_demo", "--if-empty")
    assert User.objects.count() == 1
