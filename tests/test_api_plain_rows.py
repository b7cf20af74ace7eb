"""The API lists written from plain rows (core.api.PlainRowsSerializer) say exactly what the
serializer says of the same records as model instances, and their pages are logged as before."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers
from rest_framework.test import APIClient

from audit.models import AuditEvent
from cases.api import CaseSerializer
from cases.models import Case
from core.api import row_plan
from referrals.api import ReferralListSerializer
from referrals.models import Referral
from tests.factories import SHELTER_CODE, case_in_state, referral_in_state, register_case

pytestmark = pytest.mark.django_db


def listed(user, path):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_case_list_writes_each_case_as_the_serializer_writes_the_case(worker_chiangmai):
    case_in_state(worker_chiangmai, "closed", name_latin="Aung Kyaw")
    register_case(worker_chiangmai, estimated_age=15)

    rows = listed(worker_chiangmai, "/api/v1/cases/")

    cases = Case.objects.filter(pk__in=[row["id"] for row in rows]).order_by("-pk")
    assert len(rows) == 2
    assert rows == CaseSerializer(list(cases), many=True).data
    assert rows[1]["closed_reason"] == "งานเสร็จสิ้น" and rows[1]["created_at"].endswith("+07:00")
    assert rows[0]["owner"] and rows[0]["intake_province"] == "50"


def test_the_referral_list_writes_each_referral_as_its_serializer_does(
    worker_chiangmai, director_kredtrakarn
):
    referral_in_state(worker_chiangmai, "draft")
    referral_in_state(
        worker_chiangmai, "declined", receiver=director_kredtrakarn, services_requested=["shelter"]
    )

    rows = listed(worker_chiangmai, "/api/v1/referrals/")

    referrals = Referral.objects.filter(pk__in=[row["id"] for row in rows]).order_by("-pk")
    assert len(rows) == 2
    assert rows == ReferralListSerializer(list(referrals), many=True).data
    assert rows[0]["to_organisation"] == SHELTER_CODE and rows[0]["decline_reason"] == "no_bed"
    assert rows[1]["submitted_at"] is None


def test_a_page_of_plain_rows_is_logged_with_its_model_and_ids(worker_chiangmai):
    cases = [register_case(worker_chiangmai) for _ in range(2)]

    listed(worker_chiangmai, "/api/v1/cases/")

    event = AuditEvent.objects.filter(action=AuditEvent.Action.LIST).latest("pk")
    assert event.changes["model"] == "cases.case"
    assert event.changes["ids"] == [case.pk for case in reversed(cases)]


def test_a_field_that_is_not_one_column_is_refused_when_the_list_is_first_written():
    class Computed(CaseSerializer):
        label = serializers.SerializerMethodField()

        class Meta(CaseSerializer.Meta):
            fields = [*CaseSerializer.Meta.fields, "label"]

    with pytest.raises(ImproperlyConfigured, match="Computed.label"):
        row_plan(Computed)
