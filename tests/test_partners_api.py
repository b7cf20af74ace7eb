"""A partner officer's shared cases through the API, as their pages: only the parts shared,
and the plan; a task added to the plan by the case's office; the cases behind a stage time."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import partner_officer, register_case, share_case
from tests.test_api_problems import THAI, assert_problem, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(worker_chiangmai, supervisor_chiangmai):
    case = register_case(worker_chiangmai, name_th="แบ่งปัน", estimated_age=30)
    officer = partner_officer("police", "police9")
    share_case(case, supervisor_chiangmai, officer, ["screening"])
    return case, officer


def test_a_partner_officer_reads_only_the_parts_shared(shared):
    case, officer = shared
    client = token_client(officer)
    [row] = client.get("/api/v1/partners/cases/").json()
    assert row["case_number"] == case.number and row["person_name"] is None
    detail = client.get(f"/api/v1/partners/cases/{case.pk}/").json()
    assert detail["parts"] == ["screening"]
    assert detail["person"] is None and detail["interviews"] == [] and detail["documents"] == []
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_a_case_not_shared_is_not_found_and_others_are_refused(shared, worker_chiangmai):
    case, officer = shared
    other = register_case(worker_chiangmai, name_th="ไม่แบ่ง", estimated_age=30)
    assert_problem(token_client(officer).get(f"/api/v1/partners/cases/{other.pk}/"), 404)
    assert_problem(token_client(worker_chiangmai).get("/api/v1/partners/cases/"), 403)


def test_the_case_office_adds_a_task_for_the_partner(shared, supervisor_chiangmai):
    case, officer = shared
    client = token_client(supervisor_chiangmai)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    added = client.post(
        "/api/v1/plan-tasks/",
        {
            "case": case.pk,
            "organisation": officer.membership.organisation.code,
            "title": "สอบปากคำ",
            "due_on": due,
        },
        format="json",
    )
    assert added.status_code == 201, added.content
    tasks = token_client(officer).get(f"/api/v1/partners/cases/{case.pk}/").json()["tasks"]
    assert [task["title"] for task in tasks] == ["สอบปากคำ"]
    blank = client.post(
        "/api/v1/plan-tasks/",
        {
            "case": case.pk,
            "organisation": officer.membership.organisation.code,
            "title": " ",
            "due_on": due,
        },
        format="json",
    )
    assert THAI.search(assert_problem(blank, 400)["errors"]["title"][0])
    refused = token_client(officer).post(
        "/api/v1/plan-tasks/",
        {
            "case": case.pk,
            "organisation": officer.membership.organisation.code,
            "title": "x",
            "due_on": due,
        },
        format="json",
    )
    assert refused.status_code in (403, 404)


def test_the_cases_behind_a_stage_time_are_listed(central_reviewer, worker_chiangmai):
    register_case(worker_chiangmai, name_th="ระยะ", estimated_age=30)
    client = token_client(central_reviewer)
    page = client.get("/api/v1/insights/stage-times/identification/cases/")
    assert page.status_code == 200, page.content
    assert_problem(client.get("/api/v1/insights/stage-times/nowhere/cases/"), 404)
    assert_problem(
        token_client(worker_chiangmai).get("/api/v1/insights/stage-times/identification/cases/"),
        403,
    )
