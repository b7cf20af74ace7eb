"""What the case page, the inbox and the audit log page do, through /api/v1/: a case's notes,
documents, consents, permits and access grants; notifications read; the audit log read by the
central division."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from notifications.services import Message, notify_many
from tests.factories import UserFactory, register_case, screening_in_state

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_worker_writes_and_reads_the_notes_of_a_case(worker_chiangmai, worker_tak):
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    url = f"/api/v1/cases/{case.pk}/notes/"
    made = client.post(url, {"text": "  โทรหาญาติแล้ว "}, format="json")
    assert made.status_code == 201 and made.json()["text"] == "โทรหาญาติแล้ว"
    assert [n["author"] for n in client.get(url).json()] == [worker_chiangmai.username]
    empty = client.post(url, {"text": "   "}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()["errors"]
    assert api(worker_tak).get(url).status_code == 404


def test_a_document_is_uploaded_and_downloaded_and_the_download_is_logged(
    worker_chiangmai, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    url = f"/api/v1/cases/{case.pk}/documents/"
    upload = SimpleUploadedFile("รายงาน.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    made = client.post(url, {"file": upload, "description": "รายงานแพทย์"}, format="multipart")
    assert made.status_code == 201, made.json()
    document = made.json()
    assert (document["original_name"], document["size"]) == ("รายงาน.pdf", 10)
    wrong = SimpleUploadedFile("a.exe", b"MZ", content_type="application/x-msdownload")
    refused = client.post(url, {"file": wrong}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["errors"]

    download = client.get(f"{url}{document['id']}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_type__model="casedocument", object_id=document["id"]
    ).exists()
    assert client.get(f"{url}999999/").status_code == 404


def test_consents_and_permits_are_listed_and_recorded(worker_chiangmai):
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    consent = {"step": "screening", "rights_notified": True, "decision": "given"}
    assert client.post(f"/api/v1/cases/{case.pk}/consents/", consent).status_code == 201
    assert [c["step"] for c in client.get(f"/api/v1/cases/{case.pk}/consents/").json()] == [
        "screening"
    ]
    permit = {"reference": "ตม. 1/2569", "issued_on": "2026-11-01", "expires_on": "2027-11-01"}
    assert client.post(f"/api/v1/cases/{case.pk}/permits/", permit).status_code == 201
    listed = client.get(f"/api/v1/cases/{case.pk}/permits/").json()
    assert [p["reference"] for p in listed] == ["ตม. 1/2569"]


def test_only_the_supervisor_gives_sees_and_revokes_named_access(
    worker_chiangmai, supervisor_chiangmai
):
    case = register_case(worker_chiangmai)
    police = UserFactory(username="police9")
    url = f"/api/v1/cases/{case.pk}/access-grants/"
    grant = {
        "user": "police9",
        "purpose": "สอบปากคำ",
        "expires_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
    }
    assert api(worker_chiangmai).post(url, grant, format="json").status_code == 403
    assert api(worker_chiangmai).get(url).status_code == 403
    supervisor = api(supervisor_chiangmai)
    made = supervisor.post(url, grant, format="json")
    assert made.status_code == 201 and made.json()["user"] == police.username
    unknown = supervisor.post(url, {**grant, "user": "nobody"}, format="json")
    assert unknown.status_code == 400 and "user" in unknown.json()["errors"]
    assert api(police).get(f"/api/v1/cases/{case.pk}/").status_code == 200
    revoked = supervisor.post(f"{url}{made.json()['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert api(police).get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_a_user_reads_their_notifications_and_marks_them_read(worker_chiangmai, worker_tak):
    first, second = notify_many(
        [Message([worker_chiangmai], "หนึ่ง", "/"), Message([worker_chiangmai], "สอง", "/")]
    )
    [other] = notify_many([Message([worker_tak], "ของคนอื่น", "/")])
    client = api(worker_chiangmai)
    listed = client.get("/api/v1/notifications/").json()["results"]
    assert [n["message"] for n in listed] == ["สอง", "หนึ่ง"]
    assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    read = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    unread = client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [n["id"] for n in unread] == [second.pk]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert not client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]


def test_the_central_division_reads_the_audit_log_and_nobody_else(
    worker_chiangmai, central_reviewer
):
    case = register_case(worker_chiangmai, name_th="สมชาย")
    api(worker_chiangmai).get(f"/api/v1/cases/{case.pk}/")
    assert api(worker_chiangmai).get("/api/v1/audit-log/").status_code == 403
    client = api(central_reviewer)
    page = client.get("/api/v1/audit-log/", {"case": case.number, "action": "view"})
    assert page.status_code == 200
    [entry] = page.json()["results"]
    assert entry["username"] == worker_chiangmai.username
    assert entry["subject"]["label"] == case.number
    logged = AuditEvent.objects.filter(action=AuditEvent.Action.LIST, actor=central_reviewer)
    assert logged.get().changes["list"] == "audit-log"
    bad = client.get("/api/v1/audit-log/", {"action": "nonsense"})
    assert bad.status_code == 400 and "action" in bad.json()["errors"]


def test_my_deadlines_are_my_organisations_running_clocks(worker_chiangmai, worker_tak):
    screening = screening_in_state(worker_chiangmai, "open")
    mine = api(worker_chiangmai).get("/api/v1/deadlines/mine/")
    assert mine.status_code == 200
    rows = mine.json()["results"]
    assert screening.pk in [row["object_id"] for row in rows if row["object_type"] == "screening"]
    assert api(worker_tak).get("/api/v1/deadlines/mine/").json()["results"] == []
