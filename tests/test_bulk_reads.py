"""Bulk reads of personal data leave a trace (issue 24): every page of a list that shows
persons (the case search, the referrals, the stays, the residents, the bed board, the API's
lists) is one audit event naming the list, its filters and the rows shown; the persons API
list gives a summary of each person, not their documents."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from cases import services
from cases.models import IntakeBatch
from tests.factories import admission, register_case
from tests.test_intake import GOOD_ROWS, csv_upload, upload

pytestmark = pytest.mark.django_db


def listed(user, name):
    return AuditEvent.objects.filter(action="list", actor=user, changes__list=name)


def test_a_case_search_is_logged_with_its_filters_and_the_rows_shown(client, worker_chiangmai):
    cases = [register_case(worker_chiangmai, name_th=f"สมศรี {n}") for n in range(3)]
    client.force_login(worker_chiangmai)
    assert client.get(reverse("cases:list"), {"q": "สมศรี"}).status_code == 200
    [event] = listed(worker_chiangmai, "cases")
    assert event.changes["query"] == {"q": "สมศรี"}
    assert event.changes["count"] == 3
    assert sorted(event.changes["ids"]) == sorted(case.pk for case in cases)


def test_an_empty_result_shows_no_one_and_logs_nothing(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    client.get(reverse("cases:list"), {"q": "ไม่มีใคร"})
    assert not listed(worker_chiangmai, "cases").exists()


def test_the_shelters_lists_are_logged(client, worker_chiangmai, director_kredtrakarn):
    stay = admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})
    client.force_login(director_kredtrakarn)
    for name, url in [
        ("residents", reverse("shelters:residents")),
        ("bed board", reverse("shelters:home")),
        ("placements", reverse("shelters:placements")),
    ]:
        assert client.get(url).status_code == 200
        assert listed(director_kredtrakarn, name).get().changes["ids"] == [stay.pk], name


def test_the_api_lists_are_logged_and_persons_come_as_summaries(worker_chiangmai):
    case = register_case(worker_chiangmai)
    api = APIClient()
    api.force_authenticate(worker_chiangmai)
    persons = api.get("/api/v1/persons/").json()["results"]
    assert persons[0]["id"] == case.person_id
    assert "documents" not in persons[0] and "date_of_birth" not in persons[0]
    assert listed(worker_chiangmai, "/api/v1/persons/").get().changes["ids"] == [case.person_id]
    api.get("/api/v1/cases/")
    assert listed(worker_chiangmai, "/api/v1/cases/").get().changes["ids"] == [case.pk]
    detail = api.get(f"/api/v1/persons/{case.person_id}/").json()
    assert "documents" in detail  # one person at a time, each reading logged as a view


def test_the_operation_page_and_an_intake_preview_are_logged(client, worker_chiangmai):
    operation = services.operation_create(
        actor=worker_chiangmai,
        name="ปฏิบัติการ",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 20),
        custody_started_at=dt.datetime(2026, 11, 20, 5, tzinfo=dt.UTC),
    )
    client.force_login(worker_chiangmai)
    upload(client, operation, csv_upload(GOOD_ROWS))
    batch = IntakeBatch.objects.get()
    client.get(reverse("cases:intake_preview", args=[operation.pk, batch.pk]))
    assert AuditEvent.objects.filter(action="view", object_id=str(batch.pk)).exists()
    client.get(reverse("cases:operation_detail", args=[operation.pk]))
    assert AuditEvent.objects.filter(action="list", changes__list="operation").count() == 0
    case = register_case(worker_chiangmai)
    case.operation = operation
    case.save(update_fields=["operation"])
    client.get(reverse("cases:operation_detail", args=[operation.pk]))
    assert listed(worker_chiangmai, "operation").get().changes["ids"] == [case.pk]
