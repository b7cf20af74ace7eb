"""A referral's consent agrees with the person's recorded will (issue 15): "the person
consented" needs a consent on record or one given now (recorded with the referral, with the
s.33 rights notice), a recorded refusal is not overridden by a tick, a lawful exemption still
refers with its reason, a note belongs to an exemption only, and a refusal recorded later
shows on the referral and its letter."""

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


def refer(case, actor, consent, note="", now=False):
    return services.referral_create(
        actor=actor,
        case_id=case.pk,
        to_organisation=Organisation.objects.get(code=SHELTER),
        kind="shelter_placement",
        reason="ต้องการที่พัก",
        consent=consent,
        consent_note=note,
        consent_now=now,
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
    assert "consent" in response.json()["errors"]


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
    referral = refer(case, worker_chiangmai, "given", "เด็ก", now=True)
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


@pytest.mark.django_db
def test_consent_given_needs_a_consent_on_record(worker_chiangmai):
    case = register_case(worker_chiangmai, estimated_age=30)
    with pytest.raises(ValidationError) as error:
        refer(case, worker_chiangmai, "given")
    assert "consent" in error.value.message_dict
    assert not case.referrals.exists() and not case.consents.exists()


@pytest.mark.django_db
def test_consent_given_now_is_recorded_with_the_rights_notice(worker_chiangmai):
    case = register_case(worker_chiangmai, estimated_age=30)
    refer(case, worker_chiangmai, "given", now=True)
    consent = case.consents.get()
    assert (consent.step, consent.decision, consent.rights_notified) == ("referral", "given", True)
    assert consent.recorded_by == worker_chiangmai
    assert case.events.filter(kind="consent").exists()


@pytest.mark.django_db
def test_a_person_who_refused_and_now_agrees_is_referred_with_their_new_consent(
    refused, worker_chiangmai
):
    refer(refused, worker_chiangmai, "given", now=True)
    assert refused.consents.first().decision == "given"  # the latest governs from now on


@pytest.mark.django_db
def test_a_refused_referral_records_no_consent(worker_chiangmai):
    """Consent given now belongs to the referral: when the referral is refused for another
    reason, no consent is left on the case."""
    case = register_case(worker_chiangmai, estimated_age=30)
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=worker_chiangmai,
            case_id=case.pk,
            to_organisation=Organisation.objects.get(code=SHELTER),
            kind="shelter_placement",
            reason="",
            consent="given",
            consent_now=True,
        )
    assert not case.consents.exists()


@pytest.mark.django_db
def test_the_web_form_records_consent_given_now(client, worker_chiangmai):
    case = register_case(worker_chiangmai, estimated_age=30)
    client.force_login(worker_chiangmai)
    form = {
        "kind": "shelter_placement",
        "to_organisation": Organisation.objects.get(code=SHELTER).pk,
        "reason": "ต้องการที่พัก",
        "consent": "given",
    }
    page = client.get(reverse("referrals:new", args=[case.pk])).content.decode()
    assert 'data-testid="consent-on-record"' in page
    refused = client.post(reverse("referrals:new", args=[case.pk]), form)
    assert refused.status_code == 200 and not case.referrals.exists()
    assert "สิทธิ" in refused.content.decode()  # "rights", in the user's language
    saved = client.post(reverse("referrals:new", args=[case.pk]), {**form, "consent_now": "on"})
    assert saved.status_code == 302
    assert case.consents.get().decision == "given"


@pytest.mark.django_db
def test_the_web_form_does_not_choose_an_exemption_for_a_child(client, worker_chiangmai):
    case = register_case(worker_chiangmai, estimated_age=15)
    client.force_login(worker_chiangmai)
    form = client.get(reverse("referrals:new", args=[case.pk])).context["form"]
    assert form["consent"].value() is None
    assert form["consent_note"].value() is None
