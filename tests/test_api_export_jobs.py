"""Files asked through the API (POST /api/v1/exports/): any list or report, in CSV or Excel,
with the list page's own filters (several values of one filter too), prepared by a worker,
then downloaded. The file holds exactly the list the user sees on the page with the same
filters, never another province's rows; the reports' files come the same way."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases.models import Case
from exports.models import ExportJob
from tests.factories import member, register_case
from tests.test_api_problems import THAI, assert_problem, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def worker_runs_now(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def three_provinces(worker_chiangmai, worker_tak):
    """Two cases of Chiang Mai (50), one of Tak (63), one of Bangkok (10); one of Chiang Mai's
    closed."""
    bangkok = member(Role.SOCIAL_WORKER, "pso-10", "wipa")
    cases = {
        "chiangmai": register_case(worker_chiangmai, name_th="อ่อง ทุน"),
        "chiangmai_closed": register_case(worker_chiangmai, name_th="มิน ทุน"),
        "tak": register_case(worker_tak, name_th="วิไล ลับ"),
        "bangkok": register_case(bangkok, name_th="วิภา ทอง"),
    }
    Case.objects.filter(pk=cases["chiangmai_closed"].pk).update(status="closed")
    return cases


def ask_for_file(client, django_capture_on_commit_callbacks, **body) -> dict:
    """POST /api/v1/exports/ (its task queued at commit runs here), then the job as the API
    shows it once the worker is done."""
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post("/api/v1/exports/", body, format="json")
    assert asked.status_code == 201, asked.json()
    job = client.get(f"/api/v1/exports/{asked.json()['id']}/").json()
    assert job["status"] == "ready", job
    return job


def content(response) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def sheet_numbers(data: bytes) -> list[str]:
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    return sorted(row[0] for row in rows[1:])


def csv_numbers(data: bytes) -> list[str]:
    return sorted(row[0] for row in list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:])


def test_a_csv_file_of_two_provinces_holds_exactly_the_list_filtered_the_same_way(
    client, central_reviewer, three_provinces, django_capture_on_commit_callbacks
):
    api = token_client(central_reviewer)
    job = ask_for_file(
        api,
        django_capture_on_commit_callbacks,
        list="cases",
        format="csv",
        filters={"province": ["50", "63"]},
    )
    file = api.get(job["download"])
    assert file["Content-Type"].startswith("text/csv")
    assert job["download"].endswith("/download/") and job["expires_at"]

    client.force_login(central_reviewer)
    query = "?province=50&province=63"
    page = client.get(reverse("cases:list") + query).content.decode()
    on_the_page = sorted(case.number for case in three_provinces.values() if case.number in page)
    # The page's filter holds both provinces, and its own download links keep them.
    assert '<option value="50" selected>' in page and '<option value="63" selected>' in page
    assert "?province=50&amp;province=63&amp;format=csv" in page
    web_file = content(client.get(reverse("cases:export") + query + "&format=csv"))

    data = content(file)
    assert data == web_file  # the same columns, rows and order as the page's own file
    assert (
        csv_numbers(data)
        == on_the_page
        == sorted(three_provinces[key].number for key in ("chiangmai", "chiangmai_closed", "tak"))
    )
    assert job["total"] == 3 and job["filters"] == {"province": ["50", "63"]}


def test_several_statuses_and_a_single_value_are_both_understood(
    central_reviewer, three_provinces, django_capture_on_commit_callbacks
):
    api = token_client(central_reviewer)
    both = ask_for_file(
        api,
        django_capture_on_commit_callbacks,
        list="cases",
        format="xlsx",
        filters={"status": ["open", "closed"], "province": "50"},
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(content(api.get(both["download"])))).active.values
    )
    assert sorted(row[0] for row in rows[1:]) == sorted(
        three_provinces[key].number for key in ("chiangmai", "chiangmai_closed")
    )
    closed = ask_for_file(
        api,
        django_capture_on_commit_callbacks,
        list="cases",
        format="csv",
        filters={"status": "closed"},
    )
    assert csv_numbers(content(api.get(closed["download"]))) == [
        three_provinces["chiangmai_closed"].number
    ]


def test_another_provinces_cases_are_never_in_the_file_even_when_asked_for(
    supervisor_chiangmai, three_provinces, django_capture_on_commit_callbacks
):
    api = token_client(supervisor_chiangmai)
    job = ask_for_file(
        api,
        django_capture_on_commit_callbacks,
        list="cases",
        format="csv",
        filters={"province": ["50", "63", "10"]},
    )
    data = content(api.get(job["download"]))
    assert csv_numbers(data) == sorted(
        three_provinces[key].number for key in ("chiangmai", "chiangmai_closed")
    )
    assert "วิไล".encode() not in data and "วิภา".encode() not in data
    event = AuditEvent.objects.get(action="export")
    assert event.changes["filters"] == {"province": ["50", "63", "10"]}
    assert event.changes["format"] == "csv" and event.changes["rows"] == 2


def test_a_filter_value_not_on_the_page_is_refused_in_thai(supervisor_chiangmai):
    api = token_client(supervisor_chiangmai)
    for filters in ({"province": ["50", "99"]}, {"status": ["open", "lost"]}, {"status": {}}):
        asked = api.post(
            "/api/v1/exports/",
            {"list": "cases", "format": "csv", "filters": filters},
            format="json",
        )
        assert assert_problem(asked, 400)
    wrong_format = api.post("/api/v1/exports/", {"list": "cases", "format": "pdf"}, format="json")
    assert "format" in assert_problem(wrong_format, 400)["errors"]
    refused = api.post(
        "/api/v1/exports/",
        {"list": "cases", "format": "csv", "filters": {"province": ["50", "99"]}},
        format="json",
    )
    assert THAI.search(assert_problem(refused, 400)["detail"])
    assert not ExportJob.objects.exists()


def test_the_annual_figures_are_prepared_through_the_api_and_downloaded(
    central_reviewer, three_provinces, django_capture_on_commit_callbacks
):
    api = token_client(central_reviewer)
    job = ask_for_file(
        api,
        django_capture_on_commit_callbacks,
        list="annual-figures",
        format="xlsx",
        filters={"kind": "fiscal", "year": "2027"},
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(content(api.get(job["download"])))).active.values)
    assert rows[0] == ("หมวด", "รายการ", "จำนวน") and len(rows) > 20
    assert job["total"] == len(rows) - 1 and job["percent"] == 100
    event = AuditEvent.objects.get(action="export")
    assert event.changes["report"] == "annual-figures"
    assert (event.changes["from"], event.changes["to"]) == ("2026-10-01", "2027-09-30")
    assert event.changes["rows"] == len(rows) - 1
