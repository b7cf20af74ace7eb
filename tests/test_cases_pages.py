"""The social worker's pages: register (with likely duplicates), the case, the screening."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from cases.models import Case, Person
from cases.services import DocumentInput
from notifications.models import Notification
from tests.factories import register_case

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "name_th": "ขิ่น มา",
    "name_latin": "Khin Ma",
    "sex": "female",
    "nationality": "MM",
    "estimated_age": "19",
    "intake_channel": "police_raid",
    "intake_date": "2026-11-01",
    "exploitation_types": ["sexual"],
    "risk_level": "high",
}


def registration(worker, **overrides):
    data = {**REGISTRATION, "intake_province": worker.membership.organisation.province.pk}
    data.update(overrides)
    return data


def test_a_worker_registers_a_new_person_in_thai(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:register"))
    assert "ลงทะเบียน" in page.content.decode()
    response = client.post(reverse("cases:register"), registration(worker_chiangmai))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert case.person.name_latin == "Khin Ma"
    assert case.exploitation_types == ["sexual"]


def test_a_likely_duplicate_is_shown_and_can_be_linked(client, worker_chiangmai):
    existing = register_case(worker_chiangmai, name_th="", name_latin="Khin Ma", nationality="MM")
    client.force_login(worker_chiangmai)
    shown = client.post(reverse("cases:register"), registration(worker_chiangmai))
    assert shown.status_code == 200
    assert [m.person for m in shown.context["matches"]] == [existing.person]
    assert Case.objects.count() == 1
    linked = client.post(
        reverse("cases:register"),
        registration(worker_chiangmai, link_person=existing.person.pk),
    )
    assert linked.status_code == 302
    assert Person.objects.count() == 1
    assert existing.person.cases.count() == 2


def test_the_worker_may_register_a_different_person_after_seeing_the_matches(
    client, worker_chiangmai
):
    register_case(worker_chiangmai, name_th="", name_latin="Khin Ma", nationality="MM")
    client.force_login(worker_chiangmai)
    response = client.post(
        reverse("cases:register"), registration(worker_chiangmai, confirmed_new="1")
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_another_offices_match_is_no_oracle_and_the_centre_is_told(
    client, worker_chiangmai, worker_tak, central_reviewer
):
    """Issue 24: the worker learns only that another office may know the person, not which
    case or office; registering them tells the central division, by case numbers only."""
    theirs = register_case(
        worker_tak, name_th="ขิ่น มา", name_latin="Khin Ma", nationality="MM", estimated_age=19
    )
    client.force_login(worker_chiangmai)
    page = client.post(reverse("cases:register"), registration(worker_chiangmai))
    assert page.context["matches"] == []
    html = page.content.decode()
    assert 'data-testid="match-elsewhere"' in html
    for secret in (theirs.number, worker_tak.membership.organisation.name_th, "ขิ่น มา"):
        assert secret not in html.split('data-testid="match-elsewhere"')[1].split("</p>")[0]
    assert theirs.number not in html
    assert reverse("cases:person", args=[theirs.person.pk]) not in html
    registered = client.post(
        reverse("cases:register"), registration(worker_chiangmai, confirmed_new="1")
    )
    assert registered.status_code == 302
    told = Notification.objects.get(recipient=central_reviewer, topic="case")
    assert theirs.number in told.message and "Khin" not in told.message


def test_a_person_known_elsewhere_by_their_document_gets_a_second_case_here(
    client, worker_chiangmai, worker_tak, central_reviewer
):
    """Journey 2: the same passport is the same person; the worker opens a case for them in
    their office without being shown the other office's record, and the centre is told."""
    theirs = register_case(
        worker_tak,
        name_latin="Soe Lwin La",
        nationality="MM",
        documents=[DocumentInput("passport", "MD100003", "MM")],
    )
    client.force_login(worker_chiangmai)
    form = registration(
        worker_chiangmai,
        name_latin="Soe LwinLa",
        document_kind="passport",
        document_number="md 100003",
        document_country="MM",
    )
    page = client.post(reverse("cases:register"), form).content.decode()
    assert 'data-testid="document-elsewhere"' in page and theirs.number not in page
    assert 'name="confirmed_new"' not in page  # a document is one person's
    opened = client.post(reverse("cases:register"), {**form, "link_document_holder": "1"})
    assert opened.status_code == 302
    assert theirs.person.cases.count() == 2 and Person.objects.count() == 1
    told = Notification.objects.get(recipient=central_reviewer, topic="case")
    assert theirs.number in told.message


def test_a_bad_thai_id_is_reported_on_the_field_and_nothing_is_saved(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    page = client.post(
        reverse("cases:register"),
        registration(
            worker_chiangmai,
            confirmed_new="1",
            document_kind="thai_id",
            document_number="1234567890123",
        ),
    )
    assert page.status_code == 200
    assert "document_number" in page.context["person_form"].errors
    assert not Person.objects.exists() and not Case.objects.exists()


def test_the_case_page_is_audited_and_another_provinces_case_is_a_404(
    client, worker_chiangmai, worker_tak
):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert case.number in page.content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(case.pk)).exists()
    client.force_login(worker_tak)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_documents_are_limited_in_type_and_served_only_to_those_who_see_the_case(
    client, worker_chiangmai, worker_tak
):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    refused = client.post(
        reverse("cases:add_document", args=[case.pk]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ", content_type="application/x-msdownload")},
    )
    assert refused.status_code == 302  # back to the case page, which says why
    assert not case.files.exists()
    added = client.post(
        reverse("cases:add_document", args=[case.pk]),
        {"file": SimpleUploadedFile("statement.pdf", b"%PDF-1.4", content_type="application/pdf")},
    )
    assert added.status_code == 302
    document = case.files.get()
    url = reverse("cases:document", args=[case.pk, document.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    assert "attachment" in download["Content-Disposition"]
    client.force_login(worker_tak)
    assert client.get(url).status_code == 404


def test_a_screening_from_start_to_decision_in_the_browser_forms(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    started = client.post(
        reverse("cases:start_screening", args=[case.pk]),
        {
            "custody_started_at": (timezone.localtime() - dt.timedelta(hours=3)).strftime(
                "%Y-%m-%dT%H:%M"
            )
        },
    )
    screening = case.screenings.get()
    assert started["Location"] == screening.get_absolute_url()
    for url, data in [
        (
            reverse("cases:screening_add_member", args=[screening.pk]),
            {"name": "ร.ต.อ. สมชาย", "agency": "police"},
        ),
        (
            reverse("cases:screening_indicators", args=[screening.pk]),
            {"indicators": ["deception", "isolation"]},
        ),
        (
            reverse("cases:add_consent", args=[case.pk]),
            {"step": "screening", "decision": "given", "rights_notified": "on"},
        ),
    ]:
        assert client.post(url, data).status_code == 302, url
    page = client.post(
        reverse("cases:screening_decide", args=[screening.pk]),
        {"outcome": "victim_trafficking", "reason": "หลอกลวงและกักขัง"},
        follow=True,
    )
    screening.refresh_from_db()
    assert screening.status == "decided"
    assert screening.outcome == "victim_trafficking"
    assert "บันทึกผลการพิจารณาแล้ว" in page.content.decode()


def test_a_wrong_move_is_shown_as_a_message_not_an_error_page(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    page = client.post(reverse("cases:reopen", args=[case.pk]), {"reason": "again"}, follow=True)
    assert page.status_code == 200
    assert list(page.context["messages"])


def test_the_central_reviewer_finds_not_victim_decisions_on_their_page(
    client, worker_chiangmai, central_reviewer
):
    case = register_case(worker_chiangmai)
    screening = services.screening_start(
        case_id=case.pk,
        actor=worker_chiangmai,
        custody_started_at=timezone.now(),
        members=[services.MemberInput(name="MDT", agency="police")],
    )
    services.consent_record(
        case=case, actor=worker_chiangmai, step="screening", decision="given", rights_notified=True
    )
    services.screening_decide(
        screening_id=screening.pk, actor=worker_chiangmai, outcome="not_victim", reason="r"
    )
    client.force_login(central_reviewer)
    page = client.get(reverse("referrals:home"))
    assert [row["url"] for row in page.context["second_reviews"]] == [
        reverse("cases:screening", args=[screening.pk])
    ]
    review = client.post(
        reverse("cases:screening_second_review", args=[screening.pk]),
        {"confirm": "1", "note": "เห็นด้วย"},
    )
    assert review.status_code == 302
    screening.refresh_from_db()
    assert screening.status == "confirmed"
