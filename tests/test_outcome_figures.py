"""The outcome indicators (issue 18) on the dashboard, in the annual figures and in the
anonymised statistics: each is the number of rows of the list of outcomes it links to."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from cases import services as cases
from outcomes import services
from outcomes.models import Outcome
from outcomes.selectors import retrafficked
from reports.annual import annual_figures
from reports.anonymised import outcome_tables
from shelters import services as shelters
from tests.factories import admission, register_case, screening_in_state
from tests.test_outcomes import REACHED

pytestmark = pytest.mark.django_db


def stay_ended(worker, director, reviewer, **person):
    """A stay at Kredtrakarn (its referral endorsed by the central division) that ended with
    the person going home: the follow-up clock runs, nothing else does."""
    placement = admission(
        worker,
        director,
        person={"estimated_age": 30, **person},
        review="endorsed",
        reviewer=reviewer,
    )
    shelters.placement_discharge(placement_id=placement.pk, actor=director, reason="reintegrated")
    return placement


def close(worker, case):
    return services.closure_outcome_record(case_id=case.pk, actor=worker, reason="x", **REACHED)


@pytest.fixture
def closed(worker_chiangmai, worker_tak, director_kredtrakarn, central_reviewer):
    """In Chiang Mai: a case closed after its 12-month follow-up, a case closed whose person
    was identified again in a new case, a case closed with nothing after; in Tak, a case
    closed; and a follow-up in Chiang Mai with a sign of re-victimisation."""
    placement = stay_ended(worker_chiangmai, director_kredtrakarn, central_reviewer)
    for _ in range(3):
        services.follow_up_outcome_record(
            case_id=placement.case_id, actor=worker_chiangmai, **REACHED
        )
    followed = close(worker_chiangmai, placement.case)
    again = close(worker_chiangmai, register_case(worker_chiangmai, name_th="กลับมาอีก"))
    new_case = cases.case_open(
        actor=worker_chiangmai,
        person=again.case.person,
        intake_channel="police_raid",
        intake_date=timezone.localdate(),
        intake_province=worker_chiangmai.membership.organisation.province,
    )
    screening_in_state(worker_chiangmai, "decided", case=new_case)
    plain = close(worker_chiangmai, register_case(worker_chiangmai, name_th="จบดี"))
    tak = close(worker_tak, register_case(worker_tak, name_th="ตาก"))
    left = stay_ended(worker_chiangmai, director_kredtrakarn, central_reviewer, name_th="อีกครั้ง")
    flagged = services.follow_up_outcome_record(
        case_id=left.case_id, actor=worker_chiangmai, revictimised=True, note="ถูกชักชวนอีก", **REACHED
    )
    return {"followed": followed, "again": again, "plain": plain, "tak": tak, "flagged": flagged}


def period():
    today = timezone.localdate()
    return {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat()}


def dashboard(client, **params):
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    return response.context["figures"]["outcomes"]


def listed(client, query: str) -> int:
    page = client.get(f"{reverse('outcomes:list')}?{query}")
    assert page.status_code == 200
    return page.context["page"].paginator.count


def test_every_outcome_figure_of_the_dashboard_is_the_count_of_its_list(
    client, central_reviewer, closed
):
    client.force_login(central_reviewer)
    figures = dashboard(client, **period())
    assert (figures["closed"], figures["twelve_months"], figures["retrafficked"]) == (4, 1, 1)
    assert figures["twelve_months_percent"] == 25.0
    assert figures["revictimised"] == 1
    for key in ("closed", "twelve_months", "retrafficked", "revictimised"):
        assert figures[key] == listed(client, figures["queries"][key]), key
    page = client.get(reverse("reports:dashboard"), period()).content.decode()
    assert (
        f"{reverse('outcomes:list')}?{figures['queries']['retrafficked']}".replace("&", "&amp;")
        in page
    )


def test_the_outcome_figures_follow_the_province_and_the_supervisors_office(
    client, central_reviewer, supervisor_chiangmai, closed
):
    client.force_login(central_reviewer)
    tak = dashboard(client, province="63", **period())
    assert tak["closed"] == 1 == listed(client, tak["queries"]["closed"])
    client.force_login(supervisor_chiangmai)
    office = dashboard(client, **period())
    assert office["closed"] == 3 == listed(client, office["queries"]["closed"])


def test_the_api_gives_the_outcome_figures_of_the_page(client, central_reviewer, closed):
    client.force_login(central_reviewer)
    data = client.get(reverse("api:dashboard"), period()).json()["outcomes"]
    assert (data["closed"], data["retrafficked"], data["revictimised"]) == (4, 1, 1)


def test_the_annual_figures_show_the_outcome_indicators_as_the_list_counts_them(
    client, central_reviewer, closed
):
    client.force_login(central_reviewer)
    year = timezone.localdate().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    figures = {
        (figure.section, figure.label): figure.count
        for figure in annual_figures(user=central_reviewer, start=start, end=end)
    }
    section = "Outcomes of the cases closed in the period"
    from django.utils.translation import gettext as _

    section = _(section)
    query = f"moment=closure&from={start}&to={end}"
    assert figures[(section, _("Cases closed with the person's outcome"))] == listed(client, query)
    assert figures[(section, _("Of which with a 12-month follow-up outcome"))] == listed(
        client, query + "&twelve_months=yes"
    )
    assert figures[(section, _("Re-trafficked within 24 months of closure"))] == 1
    follow_ups = _("Follow-ups after a shelter stay, by result")
    assert figures[(follow_ups, _("Met or spoken to"))] == 4
    page = client.get(reverse("reports:annual"))
    assert section in page.content.decode()


def test_a_new_identification_counts_as_re_trafficking_only_within_24_months(closed):
    again = closed["again"]
    assert set(Outcome.objects.filter(moment="closure").filter(retrafficked())) == {again}
    Outcome.objects.filter(pk=again.pk).update(
        recorded_at=timezone.now() - relativedelta(months=23)
    )
    assert Outcome.objects.filter(pk=again.pk).filter(retrafficked()).exists()
    Outcome.objects.filter(pk=again.pk).update(
        recorded_at=timezone.now() - relativedelta(months=25)
    )
    assert not Outcome.objects.filter(pk=again.pk).filter(retrafficked()).exists()


def test_a_sign_of_re_victimisation_on_the_case_counts_as_re_trafficking(
    worker_chiangmai, director_kredtrakarn, central_reviewer
):
    placement = stay_ended(worker_chiangmai, director_kredtrakarn, central_reviewer)
    for revictimised in (False, True, False):
        services.follow_up_outcome_record(
            case_id=placement.case_id,
            actor=worker_chiangmai,
            revictimised=revictimised,
            note="สัญญาณ" if revictimised else "",
            **REACHED,
        )
    at_closure = close(worker_chiangmai, placement.case)
    assert Outcome.objects.filter(pk=at_closure.pk).filter(retrafficked()).exists()


def test_the_anonymised_outcome_tables_show_no_group_under_eleven(
    worker_chiangmai, central_reviewer
):
    year = timezone.localdate().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for index in range(5):
        close(worker_chiangmai, register_case(worker_chiangmai, name_th=f"คนที่ {index}"))
    assert all(
        rows is None for _title, rows in outcome_tables(user=central_reviewer, start=start, end=end)
    )
    for index in range(6):
        close(worker_chiangmai, register_case(worker_chiangmai, name_th=f"อีกคน {index}"))
    tables = dict(outcome_tables(user=central_reviewer, start=start, end=end))
    for rows in tables.values():
        assert rows is not None and all(row["count"] >= 11 for row in rows)
    assert sum(row["count"] for row in next(iter(tables.values()))) == 11
