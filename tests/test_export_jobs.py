"""The Excel file of a long list is prepared in the background (issue 23): the user asks for it,
sees it being prepared, is told when it is ready and downloads it; nobody else can; each
download is in the audit log with its list, filters and rows; old files are purged; with the
broker down the user is told so at once, in Thai. CSV and short lists are made at once, as
before.

NRM_EXPORT_IMMEDIATE_ROWS is lowered to 1 here, so that a list of two cases is "long"."""

import datetime as dt
import io
import os
import socket
import time

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from exports import files
from exports.models import ExportJob
from exports.services import export_job_prepare, export_jobs_purge
from notifications.models import Notification
from nrm.celery import app
from tests.factories import register_case
from tests.test_delivery_integration import (  # noqa: F401 (fixtures)
    _forget_broker_connections,
    publisher,
    redis_server,
    smtp_sink,
    start_worker,
    wait_for,
)

pytestmark = pytest.mark.django_db

EXPORT = "cases:export"


@pytest.fixture(autouse=True)
def long_lists(settings, tmp_path):
    settings.NRM_EXPORT_IMMEDIATE_ROWS = 1
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def chiangmai_cases(worker_chiangmai, worker_tak):
    """Three cases of Chiang Mai (two of men from Myanmar) and one of Tak."""
    mine = [
        register_case(worker_chiangmai, name_th="อ่อง ทุน", sex="male", nationality="MM"),
        register_case(worker_chiangmai, name_th="มิน ทุน", sex="male", nationality="MM"),
        register_case(worker_chiangmai, name_th="สมศรี ใจดี", sex="female", nationality="TH"),
    ]
    register_case(worker_tak, name_th="วิไล ลับ", sex="male", nationality="MM")
    return mine


def export_url(**filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in {**filters, "format": "xlsx"}.items())
    return f"{reverse(EXPORT)}?{query}"


def ask(client, url, django_capture_on_commit_callbacks):
    """Press the Excel button of a long list (a POST): the task is queued at commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, {"next": "/cases/?nationality=MM"})


def sheet_numbers(content: bytes) -> list[str]:
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
    return sorted(row[0] for row in rows[1:])


def downloaded(response) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


@pytest.fixture
def eager(settings):
    """Tasks run in this process as they are queued (task_always_eager): the worker's code."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_a_long_list_in_excel_is_prepared_in_the_background_and_downloaded_by_who_asked(
    client, chiangmai_cases, supervisor_chiangmai, eager, django_capture_on_commit_callbacks
):
    client.force_login(supervisor_chiangmai)
    page = client.get(reverse("cases:list"), {"nationality": "MM"}).content.decode()
    assert f'method="post" action="{export_url(nationality="MM").replace("&", "&amp;")}"' in page

    response = ask(client, export_url(nationality="MM"), django_capture_on_commit_callbacks)

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ExportJob.Status.READY and job.total == 2
    told = Notification.objects.get(recipient=supervisor_chiangmai, topic="export")
    assert told.link == job.get_absolute_url()
    job_page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("exports:download", args=[job.pk]) in job_page
    assert 'href="/cases/?nationality=MM"' in job_page  # back to the list it was asked from
    # The list page shows the file asked in this session, with its download.
    assert (
        reverse("exports:download", args=[job.pk])
        in client.get(reverse("cases:list")).content.decode()
    )

    content = downloaded(client.get(reverse("exports:download", args=[job.pk])))

    # The two men from Myanmar of Chiang Mai, not Tak's: what the supervisor may see.
    assert sheet_numbers(content) == sorted(case.number for case in chiangmai_cases[:2])


def test_the_prepared_file_holds_the_same_rows_as_the_file_made_at_once(
    client, chiangmai_cases, central_reviewer, eager, settings, django_capture_on_commit_callbacks
):
    client.force_login(central_reviewer)
    ask(client, export_url(sex="male"), django_capture_on_commit_callbacks)
    prepared = downloaded(
        client.get(reverse("exports:download", args=[ExportJob.objects.get().pk]))
    )
    settings.NRM_EXPORT_IMMEDIATE_ROWS = 5000
    at_once = downloaded(client.get(export_url(sex="male")))

    assert sheet_numbers(prepared) == sheet_numbers(at_once)
    assert len(sheet_numbers(prepared)) == 3  # Tak's man too: the centre sees every case
    read = openpyxl.load_workbook(io.BytesIO(prepared)).active
    assert [cell.value for cell in next(read.iter_rows())][0] == "เลขที่รายกรณี"  # asked in Thai


def test_every_download_is_audited_with_its_list_filters_format_and_rows(
    client, chiangmai_cases, supervisor_chiangmai, eager, django_capture_on_commit_callbacks
):
    client.force_login(supervisor_chiangmai)
    ask(client, export_url(nationality="MM", sex="male"), django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()

    for _ in range(2):
        downloaded(client.get(reverse("exports:download", args=[job.pk])))

    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert [event.changes for event in events] == 2 * [
        {
            "list": "cases",
            "filters": {"nationality": "MM", "sex": "male"},
            "format": "xlsx",
            "rows": 2,
            "prepared_file": job.pk,
        }
    ]
    assert {event.actor for event in events} == {supervisor_chiangmai}
    asked = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(job.pk))
    assert asked.changes["rows"] == 2


def test_nobody_but_who_asked_reaches_the_file_not_even_the_central_division(
    client,
    chiangmai_cases,
    supervisor_chiangmai,
    central_reviewer,
    eager,
    django_capture_on_commit_callbacks,
):
    client.force_login(supervisor_chiangmai)
    ask(client, export_url(), django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()

    client.force_login(central_reviewer)
    for name in ("exports:job", "exports:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    client.logout()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 302  # sign in


def test_a_link_to_a_long_export_offers_the_file_and_starts_nothing(
    client, chiangmai_cases, central_reviewer
):
    client.force_login(central_reviewer)
    response = client.get(export_url(), HTTP_REFERER="http://testserver/cases/?page=2")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "เตรียมไฟล์ Excel" in page and 'href="/cases/?page=2"' in page
    assert not ExportJob.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_csv_and_short_lists_are_still_made_at_once(
    client, chiangmai_cases, central_reviewer, settings
):
    client.force_login(central_reviewer)
    response = client.get(reverse(EXPORT), {"format": "csv"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    settings.NRM_EXPORT_IMMEDIATE_ROWS = 4
    assert downloaded(client.get(export_url())).startswith(b"PK")  # an xlsx (zip) file
    page = client.get(reverse("cases:list")).content.decode()
    assert 'method="post"' not in page.split('data-testid="export"')[1].split("</div>")[0]
    assert not ExportJob.objects.exists()


def test_a_double_click_prepares_the_file_once(
    client, chiangmai_cases, supervisor_chiangmai, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("exports.services.enqueue", lambda task, *args: queued.append(args) or True)
    client.force_login(supervisor_chiangmai)
    first = ask(client, export_url(), django_capture_on_commit_callbacks)
    second = ask(client, export_url(), django_capture_on_commit_callbacks)

    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1 and len(queued) == 1
    progress = client.get(first["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="preparing"' in progress and "hx-trigger" in progress


def test_a_user_who_may_no_longer_export_gets_no_file_and_is_told(
    client, chiangmai_cases, supervisor_chiangmai, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("exports.services.enqueue", lambda task, *args: True)  # a busy worker
    client.force_login(supervisor_chiangmai)
    ask(client, export_url(), django_capture_on_commit_callbacks)
    supervisor_chiangmai.memberships.update(role="social_worker")

    job = export_job_prepare(job_id=ExportJob.objects.get().pk)

    assert job.status == ExportJob.Status.FAILED
    assert "ไม่มีสิทธิ์" in job.failure_message
    assert not list(files.export_folder().iterdir())
    assert Notification.objects.filter(recipient=supervisor_chiangmai, topic="export").exists()


@pytest.fixture
def broker_down(settings):
    """The Celery app publishes to a port where no Redis answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    previous = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    _forget_broker_connections()
    yield
    app.conf.broker_url = previous
    _forget_broker_connections()


def test_with_the_broker_down_the_user_is_told_at_once_in_thai(
    client, chiangmai_cases, supervisor_chiangmai, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(supervisor_chiangmai)
    started = time.monotonic()
    response = ask(client, export_url(), django_capture_on_commit_callbacks)
    page = client.get(response["Location"]).content.decode()

    assert time.monotonic() - started < 5
    assert "คิวงาน" in page and "CSV" in page
    assert ExportJob.objects.get().status == ExportJob.Status.FAILED
    assert not Notification.objects.filter(topic="export").exists()  # told on the page


ANNUAL = {"kind": "calendar", "year": 2025}


def report_url(name: str, format: str) -> str:
    return f"{reverse(name)}?kind=calendar&year=2025&format={format}"


def test_a_reports_file_is_prepared_in_the_background_and_its_user_told(
    client, central_reviewer, eager, django_capture_on_commit_callbacks
):
    client.force_login(central_reviewer)
    annual = client.get(reverse("reports:annual"), ANNUAL).content.decode()
    for name in ("reports:annual_export", "reports:anonymised_export"):
        url = report_url(name, "csv").replace("&", "&amp;")
        assert f'<form method="post" action="{url}">' in annual
    offer = client.get(report_url("reports:annual_export", "csv")).content.decode()
    assert "เตรียมไฟล์ CSV" in offer and "ดาวน์โหลดเป็น CSV ทันที" not in offer
    assert not ExportJob.objects.exists()  # a link starts nothing

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(report_url("reports:annual_export", "csv"), {"next": "/reports/"})

    job = ExportJob.objects.get()
    assert asked["Location"] == job.get_absolute_url()
    assert job.status == ExportJob.Status.READY and job.report and job.format == "csv"
    told = Notification.objects.get(recipient=central_reviewer, topic="export")
    assert told.link == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "ดาวน์โหลดไฟล์ CSV" in page and "กลับไปที่รายงาน" in page
    data = downloaded(client.get(reverse("exports:download", args=[job.pk])))
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "หมวด,รายการ,จำนวน" and len(lines) - 1 == job.total > 20
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.changes == {
        "report": "annual-figures",
        "from": "2025-01-01",
        "to": "2025-12-31",
        "format": "csv",
        "rows": job.total,
        "prepared_file": job.pk,
    }


def test_with_the_broker_down_a_reports_file_is_refused_at_once_in_thai(
    client, central_reviewer, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(central_reviewer)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(report_url("reports:anonymised_export", "xlsx"))
    page = client.get(asked["Location"]).content.decode()

    assert time.monotonic() - started < 5
    status = page.split('data-testid="export-job"')[1].split("</div>")[0]
    assert "คิวงาน" in status and "CSV" not in status  # no CSV offered: it needs the queue too
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert not list(files.export_folder().iterdir())  # nothing half-written
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_only_the_central_division_asks_for_the_reports_files(
    client, supervisor_chiangmai, django_capture_on_commit_callbacks
):
    client.force_login(supervisor_chiangmai)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(report_url("reports:annual_export", "xlsx"))
    assert asked.status_code == 403
    assert not ExportJob.objects.exists()


def test_the_purge_removes_files_and_jobs_past_their_day(
    client, chiangmai_cases, supervisor_chiangmai, eager, django_capture_on_commit_callbacks
):
    client.force_login(supervisor_chiangmai)
    ask(client, export_url(), django_capture_on_commit_callbacks)
    ask(client, export_url(nationality="MM"), django_capture_on_commit_callbacks)
    old, new = ExportJob.objects.order_by("pk")
    day_ago = timezone.now() - dt.timedelta(hours=25)
    ExportJob.objects.filter(pk=old.pk).update(created_at=day_ago)
    os.utime(files.export_path(old.file_name), (day_ago.timestamp(),) * 2)
    leftover = files.export_folder() / f"{files.PARTIAL_PREFIX}killed"  # a worker killed midway
    leftover.write_bytes(b"PK")
    os.utime(leftover, (day_ago.timestamp(),) * 2)

    assert export_jobs_purge() == 1

    assert list(ExportJob.objects.all()) == [new]
    assert sorted(files.export_folder().iterdir()) == [files.export_path(new.file_name)]
    assert client.get(reverse("exports:download", args=[old.pk])).status_code == 404


def test_a_file_is_readable_by_the_application_alone(
    client, chiangmai_cases, supervisor_chiangmai, eager, django_capture_on_commit_callbacks
):
    client.force_login(supervisor_chiangmai)
    ask(client, export_url(), django_capture_on_commit_callbacks)
    path = files.export_path(ExportJob.objects.get().file_name)

    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert "exports" in path.parts and path.name.endswith(".xlsx")
    assert "cases" not in path.name  # a random name, not the list's


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_celery_worker_prepares_the_file_the_user_then_downloads(
    client, chiangmai_cases, supervisor_chiangmai, settings, tmp_path, request
):
    broker, sink = request.getfixturevalue("redis_server"), request.getfixturevalue("smtp_sink")
    request.getfixturevalue("publisher")  # this process queues to that broker
    settings.MEDIA_ROOT = tmp_path / "var" / "media"  # the worker's (start_worker's NRM_VAR_DIR)
    worker = start_worker(broker, sink, tmp_path)
    try:
        client.force_login(supervisor_chiangmai)
        client.post(export_url(nationality="MM"))
        job = ExportJob.objects.get()
        worker.wait_for(
            lambda: ExportJob.objects.get().status != ExportJob.Status.PREPARING,
            60,
            "the worker to write the file",
        )
    finally:
        worker.stop()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY, job.failure_message
    assert "exports.tasks.prepare_export" in worker.text()
    content = downloaded(client.get(reverse("exports:download", args=[job.pk])))
    assert sheet_numbers(content) == sorted(case.number for case in chiangmai_cases[:2])


def test_a_reports_file_being_prepared_gives_no_count_of_rows_a_lists_file_does(
    client,
    chiangmai_cases,
    central_reviewer,
    supervisor_chiangmai,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """A report's rows are counted as its file is written: before then its page says it is
    being prepared, not "0 of 0 rows written"; a list's gives its progress."""
    monkeypatch.setattr("exports.services.enqueue", lambda task, *args: True)  # a busy worker
    client.force_login(central_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(report_url("reports:annual_export", "csv"))
    page = client.get(asked["Location"], HTTP_HX_REQUEST="true").content.decode()
    progress = page.split('data-testid="progress"')[1].split("</p>")[0]
    assert "แถว" not in progress  # rows
    assert "<meter" not in page and "<progress" in page  # no measure of an unknown total

    client.force_login(supervisor_chiangmai)
    asked = ask(client, export_url(), django_capture_on_commit_callbacks)
    page = client.get(asked["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "เขียนแล้ว 0 จาก 3 แถว" in page and "<meter" in page
