"""Every page that shows one record (detail, print view, download) logs its reading once, and
an invisible record is a 404 that logs nothing (audit.reads, the *_get_for_display selectors)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from cases import services
from tests.factories import admission, screening_in_state


def views_of(obj) -> int:
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_type__model=obj._meta.model_name, object_id=obj.pk
    ).count()


@pytest.fixture
def records(worker_chiangmai, director_kredtrakarn):
    placement = admission(worker_chiangmai, director_kredtrakarn)
    case = placement.case
    screening = screening_in_state(worker_chiangmai, "open", case=case)
    document = services.case_document_add(
        case=case,
        actor=worker_chiangmai,
        uploaded_file=SimpleUploadedFile("note.txt", b"hello", content_type="text/plain"),
    )
    referral = case.referrals.get()
    return {
        "case": case,
        "person": case.person,
        "screening": screening,
        "document": document,
        "referral": referral,
        "placement": placement,
    }


PAGES = [
    ("cases:detail", "case", lambda r: [r["case"].pk]),
    ("cases:summary", "case", lambda r: [r["case"].pk]),
    ("cases:person", "person", lambda r: [r["person"].pk]),
    ("cases:screening", "screening", lambda r: [r["screening"].pk]),
    ("cases:document", "document", lambda r: [r["case"].pk, r["document"].pk]),
    ("referrals:detail", "referral", lambda r: [r["referral"].pk]),
    ("referrals:letter", "referral", lambda r: [r["referral"].pk]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "record", "args"), PAGES)
def test_showing_a_record_logs_one_reading_of_it(
    client, records, worker_chiangmai, url_name, record, args
):
    client.force_login(worker_chiangmai)
    before = views_of(records[record])
    response = client.get(reverse(url_name, args=args(records)))
    assert response.status_code == 200
    assert views_of(records[record]) == before + 1


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "record", "args"), PAGES)
def test_a_record_of_another_province_is_not_found_and_no_reading_is_logged(
    client, records, worker_tak, url_name, record, args
):
    client.force_login(worker_tak)
    response = client.get(reverse(url_name, args=args(records)))
    assert response.status_code == 404
    assert views_of(records[record]) == 0


@pytest.mark.django_db
def test_a_stay_shown_to_its_shelter_logs_one_reading(client, records, director_kredtrakarn):
    client.force_login(director_kredtrakarn)
    placement = records["placement"]
    response = client.get(reverse("shelters:resident", args=[placement.pk]))
    assert response.status_code == 200
    assert views_of(placement) == 1
