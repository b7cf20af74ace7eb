"""Scoped lists cost a fixed number of queries, however many rows they show (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organisation
from referrals import services as referrals
from tests.factories import register_case

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/persons/",
    "/api/v1/cases/",
    "/api/v1/screenings/",
    "/api/v1/referrals/",
    "/api/v1/placements/",
]
PAGES = [
    "cases:home",
    "referrals:sent",
    "referrals:inbox",
    "sla:mine",
    "cases:list",
    "referrals:list",
    "shelters:placements",
]


def add_cases(worker, count):
    from django.utils import timezone

    from cases.services import screening_start

    kredtrakarn = Organisation.objects.get(code="shelter-kredtrakarn")
    for index in range(count):
        case = register_case(worker, name_th=f"บุคคล {index} {count}", estimated_age=30)
        screening_start(case_id=case.pk, actor=worker, custody_started_at=timezone.now())
        referrals.referral_create(
            actor=worker,
            case_id=case.pk,
            to_organisation=kredtrakarn,
            kind="shelter_placement",
            reason="r",
            consent="given",
            submit=True,
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", LISTS + PAGES)
def test_a_list_costs_the_same_queries_for_2_rows_as_for_8(url, worker_chiangmai):
    client = APIClient()
    client.force_login(worker_chiangmai)
    url = url if url.startswith("/") else reverse(url)
    add_cases(worker_chiangmai, 2)
    few = queries(client, url)
    add_cases(worker_chiangmai, 6)
    assert queries(client, url) == few
