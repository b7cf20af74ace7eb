"""A referral's consent agrees with the person's recorded will (issue 15): a recorded refusal
is not overridden by ticking "the person consents", a lawful exemption still refers with its
reason, a note belongs to an exemption only, and a refusal recorded later shows on the
referral and its letter."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organisation
from cases import services as cases_services
from referrals import services
from tests.factories import referral_in_state, register_case

SHELTER = "shelter-kredtrakarn"


def record(case, actor, decision, reason=""):
    return cases_services.consent_record(
        case=case,
        actor=actor,
        step="referral",
        decision=decision,
        rights_notified=True,
        reason=reason,
    )


def refer(case, actor, consent, note=""):
    return services.referral_create(
        actor=actor,
        case_id=case.pk,
        to_organisation=Organisation.objects.get(code=SHELTER),
        kind="shelter_placement",
        reason="ต้องการที่พัก",
        consent=consent,
        consent_note=note,
    )


@pytest.fixture
def refused(worker_chiangmai):
    case = register_case(worker_chiangmai, estimated_age=30)
    record(case, worker_chiangmai, "refused")
    return case


@pytest.mark.django_db
def test_a_recorded_refusal_cannot_be_overridden_by_consent_given(refused, worker_chiangmai):
    with pytest.raises(ValidationError) as error:
        refer(refused, worker_chiangmai, "given")
    assert "consent" in error.value.message_dict
    assert not refused.referrals.exists()


@pytest.mark.django_db
def test_the_api_refuses_it_with_the_reason_on_the_consent_field(refused, worker_chiangmai):
    api = APIClient()
    api.force_authenticate(worker_chiangmai)
    response = api.post(
        "/api/v1/referrals/",
        {
            "case": refused.pk,
            "to_organisation": SHELTER,
            "kind": "shelter_placement",
            "reason": "ต้องการที่พัก",
            "consent": "given",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "consent" in response.json()


@pytest.mark.django_db
def test_the_web_form_shows_the_refusal_and_saves_nothing(client, refused, worker_chiangmai):
    client.force_login(worker_chiangmai)
    response = client.post(
        reverse("referrals:new", args=[refused.pk]),
        {
            "kind": "shelter_placement",
            "to_organisation": Organisation.objects.get(code=SHELTER).pk,
            "reason": "ต้องการที่พัก",
            "consent": "given",
        },
    )
    assert response.status_code == 200
    assert "ปฏิเสธ" in response.content.decode()  # "refused", in the user's language
    assert not refused.referrals.exists()


@pytest.mark.django_db
def test_a_lawful_exemption_still_refers_with_its_reason(refused, worker_chiangmai):
    referral = refer(refused, worker_chiangmai, "not_required", "หน้าที่ตามกฎหมาย")
    assert referral.consent_note == "หน้าที่ตามกฎหมาย"


@pytest.mark.django_db
def test_consent_given_again_after_a_refusal_governs(refused, worker_chiangmai):
    record(refused, worker_chiangmai, "given")
    assert refer(refused, worker_chiangmai, "given").consent == "given"


@pytest.mark.django_db
def test_a_note_is_kept_only_for_an_exemption(worker_chiangmai):
    case = register_case(worker_chiangmai, estimated_age=15)
    referral = refer(case, worker_chiangmai, "given", "เด็ก")
    assert referral.consent_note == ""


@pytest.mark.django_db
def test_a_refusal_recorded_later_shows_on_the_referral_and_its_letter(client, worker_chiangmai):
    referral = referral_in_state(worker_chiangmai, "submitted")
    record(referral.case, worker_chiangmai, "refused")
    client.force_login(worker_chiangmai)
    for name in ("referrals:detail", "referrals:letter"):
        page = client.get(reverse(name, args=[referral.pk]))
        assert page.status_code == 200
        assert 'data-testid="consent-withdrawn"' in page.content.decode()
