"""The referral letter and the case summary: printable pages in Thai, for offices that file on
paper, seen by exactly those who see the referral or the case, and audited as reads."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases import services as cases
from tests.factories import referral_in_state, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(worker_chiangmai):
    case = register_case(worker_chiangmai, name_th="มะลิ ใจดี", estimated_age=24)
    cases.consent_record(
        case=case, actor=worker_chiangmai, step="referral", decision="given", rights_notified=True
    )
    return referral_in_state(
        worker_chiangmai,
        "submitted",
        case=case,
        reason="ต้องการที่พักที่ปลอดภัย",
        services_requested=["shelter", "medical"],
    )


def reads_of(obj):
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_id=str(obj.pk)).count()


def test_the_referral_letter_reads_as_a_thai_official_letter(
    client, referral, director_kredtrakarn
):
    client.force_login(director_kredtrakarn)
    before = reads_of(referral)
    page = client.get(reverse("referrals:letter", args=[referral.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert referral.case.number in html
    assert "มะลิ ใจดี" in html
    assert "ต้องการที่พักที่ปลอดภัย" in html
    assert referral.from_organisation.name in html and referral.to_organisation.name in html
    year = referral.submitted_at.year + 543
    assert str(year) in html  # the letter's date, in the Buddhist era
    assert 'href="/static/css/print.css"' in html or "css/print" in html
    assert "data-print" in html
    assert "ยินยอม" in html or "consent" in html.lower()  # the consent recorded
    assert reads_of(referral) == before + 1


def test_the_case_summary_shows_the_case_and_its_referrals(client, referral, worker_chiangmai):
    client.force_login(worker_chiangmai)
    case = referral.case
    page = client.get(reverse("cases:summary", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html and "มะลิ ใจดี" in html
    assert referral.to_organisation.name in html
    assert reads_of(case) >= 1


def test_someone_who_cannot_see_the_case_gets_not_found(client, referral, worker_tak):
    client.force_login(worker_tak)
    assert client.get(reverse("cases:summary", args=[referral.case_id])).status_code == 404
    assert client.get(reverse("referrals:letter", args=[referral.pk])).status_code == 404


def test_the_pages_link_to_their_printable_version(client, referral, worker_chiangmai):
    client.force_login(worker_chiangmai)
    case_page = client.get(referral.case.get_absolute_url()).content.decode()
    assert reverse("cases:summary", args=[referral.case_id]) in case_page
    referral_page = client.get(referral.get_absolute_url()).content.decode()
    assert reverse("referrals:letter", args=[referral.pk]) in referral_page
