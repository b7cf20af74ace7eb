"""The deadline board (issue 16): the central division sees every running clock nationwide, a
supervisor their office's and those on its cases, a shelter director the shelter's; the same
rows and filters in the API; the dashboard's overdue counter opens it."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from sla.models import Clock, ClockStatus, Deadline, Escalation, EscalationLevel
from sla.selectors import deadline_board
from sla.sweep import sweep
from tests.factories import referral_in_state, register_case, screening_in_state

pytestmark = pytest.mark.django_db


def th(text) -> str:
    with translation.override("th"):
        return str(text)


def overdue_screening(worker, hours_late: int = 6):
    """A screening whose s.29 clock ran out `hours_late` hours ago, marked by the sweep (the
    breach escalated once, to the office's supervisor)."""
    screening = screening_in_state(
        worker, custody_started_at=timezone.now() - dt.timedelta(hours=24 + hours_late)
    )
    sweep(now=timezone.now())
    return screening


def board(client, **filters):
    response = client.get(reverse("sla:board"), filters)
    assert response.status_code == 200
    return response


def rows(response) -> list:
    return [row for row, _cells in response.context["rows"]]


def numbers(response) -> list[str]:
    return [row.case_number for row in rows(response)]


def test_central_sees_the_overdue_identification_clock_of_a_tak_case(
    client, worker_tak, central_reviewer
):
    screening = overdue_screening(worker_tak)
    client.force_login(central_reviewer)
    response = board(client)
    assert response.context["scope"] == "national"
    [row] = rows(response)
    assert row.case_number == screening.case.number
    assert row.link == reverse("cases:screening", args=[screening.pk])
    assert row.deadline.clock == Clock.IDENTIFICATION
    assert row.deadline.organisation.code == "pso-63"
    assert row.deadline.organisation.province.code == "63"
    assert row.status == ClockStatus.BREACHED
    assert row.escalated_to == th(Escalation.SUPERVISOR.label)
    page = response.content.decode()
    assert f'<a href="{row.link}">{row.case_number}</a>' in page
    assert f'data-number="{row.case_number}"' in page and 'data-status="breached"' in page
    assert ">2<" not in page.split('data-testid="board"')[1]  # no bare escalation level


def test_the_escalation_level_reads_in_words(client, worker_tak, central_reviewer):
    screening = overdue_screening(worker_tak, hours_late=30)  # past the second escalation too
    sweep(now=timezone.now())
    client.force_login(central_reviewer)
    [row] = rows(board(client))
    assert row.deadline.escalation_level == 2
    assert row.deadline.escalation_label == EscalationLevel.SECOND.label
    assert row.escalated_to == th(Escalation.CENTRAL.label)
    assert row.case_number == screening.case.number


def test_a_supervisor_of_another_province_does_not_see_it(
    client, worker_tak, worker_chiangmai, supervisor_chiangmai
):
    overdue_screening(worker_tak)
    own = screening_in_state(worker_chiangmai)
    client.force_login(supervisor_chiangmai)
    response = board(client)
    assert response.context["scope"] == "provincial"
    assert numbers(response) == [own.case.number]
    assert board(client, province="63").context["rows"] == []


def test_a_supervisor_sees_the_clocks_others_run_on_the_cases_of_their_office(
    client, worker_chiangmai, supervisor_chiangmai
):
    referral = referral_in_state(worker_chiangmai, "submitted")
    client.force_login(supervisor_chiangmai)
    listed = rows(board(client))
    # The shelter's acknowledgement and decision, and the central review: none are the
    # office's to answer, all are on its case.
    assert sorted(row.deadline.clock for row in listed) == sorted(
        [Clock.REFERRAL_ACK_NORMAL, Clock.REFERRAL_DECISION_NORMAL, Clock.CENTRAL_REVIEW]
    )
    assert {row.case_number for row in listed} == {referral.case.number}
    assert {row.deadline.organisation.code for row in listed} == {"shelter-kredtrakarn", "central"}


def test_a_director_sees_only_the_clocks_of_the_shelter(
    client, worker_tak, worker_chiangmai, director_kredtrakarn
):
    overdue_screening(worker_tak)
    referral = referral_in_state(worker_chiangmai, "submitted")  # to Kredtrakarn
    referral_in_state(worker_chiangmai, "submitted", to="shelter-narisawat")
    client.force_login(director_kredtrakarn)
    response = board(client)
    assert response.context["scope"] == "shelter"
    listed = rows(response)
    assert sorted(row.deadline.clock for row in listed) == sorted(
        [Clock.REFERRAL_ACK_NORMAL, Clock.REFERRAL_DECISION_NORMAL]
    )
    assert {row.case_number for row in listed} == {referral.case.number}
    assert {row.deadline.organisation.code for row in listed} == {"shelter-kredtrakarn"}


@pytest.mark.parametrize("persona", ["worker_tak", "staff_kredtrakarn", "sysadmin"])
def test_other_roles_have_their_own_deadlines_but_no_board(client, persona, request, worker_tak):
    overdue_screening(worker_tak)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("sla:board")).status_code == 403
    assert not deadline_board(user=user).exists()
    assert client.get(reverse("sla:mine")).status_code == 200
    assert 'data-testid="board-link"' not in client.get(reverse("sla:mine")).content.decode()


def test_the_menu_offers_the_board_to_those_who_oversee(
    client, central_reviewer, supervisor_chiangmai, director_kredtrakarn
):
    for user in (central_reviewer, supervisor_chiangmai, director_kredtrakarn):
        client.force_login(user)
        page = client.get(reverse("sla:mine")).content.decode()
        assert f'href="{reverse("sla:board")}" data-testid="board-link"' in page


@pytest.fixture
def clocks(worker_tak, worker_chiangmai, director_kredtrakarn):
    """A clock in each status: Tak's screening 10 hours overdue, Chiang Mai's 2 hours overdue,
    Chiang Mai's due in 3 hours, and a referral's clocks due in days."""
    tak = overdue_screening(worker_tak, hours_late=10)
    late = overdue_screening(worker_chiangmai, hours_late=2)
    soon = screening_in_state(
        worker_chiangmai, custody_started_at=timezone.now() - dt.timedelta(hours=21)
    )
    referral = referral_in_state(worker_chiangmai, "submitted")
    return {"tak": tak, "late": late, "soon": soon, "referral": referral}


def test_breached_first_the_longest_overdue_first_then_the_soonest_due(
    client, central_reviewer, clocks
):
    client.force_login(central_reviewer)
    listed = rows(board(client))
    assert [row.status for row in listed[:3]] == [
        ClockStatus.BREACHED,
        ClockStatus.BREACHED,
        ClockStatus.DUE_SOON,
    ]
    assert [row.case_number for row in listed[:3]] == [
        clocks["tak"].case.number,
        clocks["late"].case.number,
        clocks["soon"].case.number,
    ]
    assert {row.status for row in listed[3:]} == {ClockStatus.RUNNING}
    dues = [row.deadline.due_at for row in listed]
    assert dues == sorted(dues)


def test_each_filter_narrows_the_board(client, central_reviewer, clocks):
    client.force_login(central_reviewer)
    referral_number = clocks["referral"].case.number
    assert numbers(board(client, status="breached")) == [
        clocks["tak"].case.number,
        clocks["late"].case.number,
    ]
    assert numbers(board(client, status="due_soon")) == [clocks["soon"].case.number]
    assert set(numbers(board(client, status="running"))) == {referral_number}
    assert numbers(board(client, province="63")) == [clocks["tak"].case.number]
    assert numbers(board(client, organisation="pso-63")) == [clocks["tak"].case.number]
    assert numbers(board(client, organisation="shelter-kredtrakarn")) == [referral_number] * 2
    assert numbers(board(client, clock="central_review")) == [referral_number]
    assert numbers(board(client, clock="identification", escalation="1")) == [
        clocks["tak"].case.number,
        clocks["late"].case.number,
    ]
    assert len(numbers(board(client, escalation="0"))) == 4  # the one due soon, the referral's
    assert numbers(board(client, escalation="2")) == []
    both = board(client, status="breached", province="50")
    assert numbers(both) == [clocks["late"].case.number]
    assert both.context["page"].paginator.count == 1


def test_a_wrong_filter_is_explained_and_shows_nothing(client, central_reviewer, clocks):
    client.force_login(central_reviewer)
    response = board(client, status="late", province="99")
    assert response.context["rows"] == []
    assert set(response.context["filter"].form.errors) == {"status", "province"}


def test_several_provinces_give_the_clocks_of_any_of_them(client, central_reviewer, clocks):
    client.force_login(central_reviewer)
    chiangmai, tak = (
        set(numbers(board(client, province="50"))),
        numbers(board(client, province="63")),
    )
    assert tak == [clocks["tak"].case.number] and clocks["tak"].case.number not in chiangmai
    both = board(client, province=["50", "63"])
    assert set(numbers(both)) == chiangmai | set(tak)
    assert len(rows(both)) < len(rows(board(client)))  # the shelter's and the centre's not
    assert both.context["filter"].form["province"].value() == ["50", "63"]
    api_rows = api(central_reviewer, province=["50", "63"]).data["results"]
    assert [row["id"] for row in api_rows] == [row.deadline.pk for row in rows(both)]


def test_a_supervisors_provinces_never_show_more_than_their_board(
    client, supervisor_chiangmai, clocks
):
    client.force_login(supervisor_chiangmai)
    own = set(numbers(board(client, province="50")))
    asked = board(client, province=["50", "63"])
    assert set(numbers(asked)) == own and clocks["tak"].case.number not in own
    assert numbers(board(client, province="63")) == []
    api_rows = api(supervisor_chiangmai, province=["50", "63"]).data["results"]
    assert clocks["tak"].case.number not in {row["case_number"] for row in api_rows}


def test_a_wrong_province_among_several_is_explained_in_thai_and_shows_nothing(
    client, central_reviewer, clocks
):
    client.force_login(central_reviewer)
    response = board(client, province=["99", "50"])
    assert response.context["rows"] == []
    [message] = response.context["filter"].form.errors["province"]
    assert "99" in message and re.search(r"[\u0E00-\u0E7F]", message)
    refused = api(central_reviewer, province=["99", "50"])
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    [message] = refused.json()["errors"]["province"]
    assert "99" in message and re.search(r"[\u0E00-\u0E7F]", message)


def test_a_clock_past_its_deadline_is_breached_before_the_sweep_marks_it(
    client, central_reviewer, worker_tak
):
    screening = screening_in_state(worker_tak)
    Deadline.objects.filter(object_id=screening.pk).update(
        due_at=timezone.now() - dt.timedelta(minutes=5)
    )
    client.force_login(central_reviewer)
    [row] = rows(board(client, status="breached"))
    assert (row.deadline.state, row.deadline.escalation_level) == ("pending", 0)


def test_closed_clocks_are_not_on_the_board(client, central_reviewer, worker_tak):
    screening_in_state(worker_tak, "decided")  # its clock met
    client.force_login(central_reviewer)
    assert rows(board(client)) == []


# --- The API -------------------------------------------------------------------------------


def api(user, **filters):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(reverse("api:deadline_board"), filters)


def test_the_api_gives_the_same_rows_as_the_page(client, central_reviewer, clocks):
    client.force_login(central_reviewer)
    for filters in ({}, {"status": "breached"}, {"province": "50", "status": "due_soon"}):
        response = api(central_reviewer, **filters)
        assert response.status_code == 200
        page = rows(board(client, **filters))
        assert [row["id"] for row in response.data["results"]] == [row.deadline.pk for row in page]
    [first, *_rest] = api(central_reviewer, status="breached").data["results"]
    tak = clocks["tak"]
    assert first["case_number"] == tak.case.number
    assert first["object_type"] == "screening" and first["object_id"] == tak.pk
    assert first["link"] == reverse("cases:screening", args=[tak.pk])
    assert (first["clock"], first["organisation"], first["province"]) == (
        "identification",
        "pso-63",
        "63",
    )
    assert (first["status"], first["state"], first["escalation_level"]) == (
        "breached",
        "breached",
        1,
    )
    assert first["escalation"] and first["escalated_to"]


def test_the_api_scopes_the_board_like_the_page(supervisor_chiangmai, director_kredtrakarn, clocks):
    supervisor = api(supervisor_chiangmai).data["results"]
    assert {row["case_number"] for row in supervisor} == {
        clocks["late"].case.number,
        clocks["soon"].case.number,
        clocks["referral"].case.number,
    }
    director = api(director_kredtrakarn).data["results"]
    assert {row["organisation"] for row in director} == {"shelter-kredtrakarn"}


@pytest.mark.parametrize("persona", ["worker_tak", "staff_kredtrakarn", "sysadmin"])
def test_the_api_refuses_roles_without_a_board(persona, request, clocks):
    assert api(request.getfixturevalue(persona)).status_code == 403


def test_the_api_explains_a_wrong_filter(central_reviewer):
    response = api(central_reviewer, status="late")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


def test_the_api_board_is_documented_with_its_filters(client, central_reviewer):
    client.force_login(central_reviewer)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/deadlines/board/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"clock", "province", "organisation", "escalation", "status", "cursor"} <= names


# --- The dashboard -------------------------------------------------------------------------


def test_the_overdue_counter_of_the_dashboard_opens_the_board_of_breaches(
    client, central_reviewer, clocks
):
    client.force_login(central_reviewer)
    response = client.get(reverse("reports:dashboard"))
    url = response.context["breaches_url"]
    assert url == f"{reverse('sla:board')}?status=breached"
    assert re.search(
        rf'<a class="card kpi[^"]*kpi-alert" href="{re.escape(url)}" data-testid="kpi-breaches">',
        response.content.decode(),
    )
    listed = client.get(url)
    assert response.context["figures"]["breaches"] == listed.context["page"].paginator.count == 2


def test_the_counter_in_a_province_opens_the_board_of_that_province(
    client, central_reviewer, clocks
):
    client.force_login(central_reviewer)
    response = client.get(reverse("reports:dashboard"), {"province": "63"})
    url = response.context["breaches_url"]
    assert url == f"{reverse('sla:board')}?status=breached&province=63"
    assert f'href="{url.replace("&", "&amp;")}" data-testid="kpi-breaches"' in (
        response.content.decode()
    )
    assert numbers(client.get(url)) == [clocks["tak"].case.number]
    assert response.context["figures"]["breaches"] == 1


def test_a_supervisors_counter_counts_what_their_board_shows(
    client, supervisor_chiangmai, worker_chiangmai, clocks
):
    Deadline.objects.filter(clock=Clock.REFERRAL_ACK_NORMAL).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )  # the shelter has not acknowledged the office's referral in time
    client.force_login(supervisor_chiangmai)
    figures = client.get(reverse("reports:dashboard")).context["figures"]
    listed = board(client, status="breached")
    assert numbers(listed) == [clocks["late"].case.number, clocks["referral"].case.number]
    assert figures["breaches"] == listed.context["page"].paginator.count == 2


# --- Cost ----------------------------------------------------------------------------------


def test_the_board_costs_the_same_queries_for_few_clocks_as_for_many(
    client, supervisor_chiangmai, worker_chiangmai
):
    """A supervisor's board reads every kind of object (screenings and referrals here) in one
    query per kind, however many rows the page shows."""
    referral_in_state(worker_chiangmai, "submitted")
    screening_in_state(worker_chiangmai)
    client.force_login(supervisor_chiangmai)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("sla:board")).status_code == 200
        with CaptureQueriesContext(connection) as captured_api:
            assert api(supervisor_chiangmai).status_code == 200
        return len(captured), len(captured_api)

    queries()  # the first request pays once for what is then cached (content types...)
    few = queries()
    for _index in range(4):
        case = register_case(worker_chiangmai, estimated_age=25)
        screening_in_state(worker_chiangmai, case=case)
        referral_in_state(worker_chiangmai, "submitted", case=case)
    assert queries() == few
