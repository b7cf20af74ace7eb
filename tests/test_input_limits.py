"""Limits before expensive work (issue 24): an intake cell longer than any field, or a workbook
that unpacks to far more than it weighs, is refused before it is read or searched; a name is
never compared at more than a field's length; a database search that runs too long is cut
with a clear message; a date of birth before anyone alive is refused."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from openpyxl import Workbook

from cases.duplicates import Candidate, _Probe, find_duplicates_bulk
from cases.intake import read_table
from cases.intake.reading import MAX_CELL_CHARS
from core.db import statement_timeout

HEADER = (
    "name_th,name_latin,name_native,sex,date_of_birth,nationality,languages,"
    "document_kind,document_number,exploitation_types,risk_level\r\n"
)


def test_a_cell_longer_than_any_field_is_refused_before_any_check():
    text = HEADER + "ก" * (MAX_CELL_CHARS + 1) + ",Ma La,,female,,MM,my,,,sexual,\r\n"
    with pytest.raises(ValidationError) as error:
        read_table(file_name="raid.csv", content=text.encode("utf-8-sig"))
    assert error.value.code == "cell_too_long"


def test_a_small_workbook_that_unpacks_to_far_more_is_refused_unread():
    book = Workbook()
    book.active.append(["name_th", "name_latin", "sex"])
    content = io.BytesIO()
    book.save(content)
    with zipfile.ZipFile(content, "a", compression=zipfile.ZIP_DEFLATED) as packed_file:
        packed_file.writestr("xl/sharedStrings2.xml", "x" * 45_000_000)  # packs to ~50 KB
    packed = content.getvalue()
    assert len(packed) < 5 * 1024 * 1024
    assert sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(packed)).infolist()) > 40 << 20
    with pytest.raises(ValidationError) as error:
        read_table(file_name="raid.xlsx", content=packed)
    assert error.value.code == "too_large"


def test_a_name_is_compared_at_a_fields_length_at_most():
    probe = _Probe.of(
        Candidate(name_th="", name_latin="Ma La " * 100_000, name_native="", aliases=()),
        dt.date(2026, 12, 1),
    )
    assert all(len(name) <= 200 for name in probe.names)


@pytest.mark.django_db
def test_a_search_that_runs_too_long_is_cut_with_a_clear_message():
    assert connection.vendor == "postgresql"
    with (
        pytest.raises(ValidationError) as error,
        statement_timeout(0.2, "Too long."),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(2)")
    assert error.value.messages == ["Too long."]
    with connection.cursor() as cursor:  # the transaction goes on, with its usual limit
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.django_db
def test_the_duplicate_search_still_finds_within_its_limit(worker_chiangmai):
    from tests.factories import register_case

    register_case(worker_chiangmai, name_latin="Ma La", name_th="มะ ลา")
    [matches] = find_duplicates_bulk(
        [Candidate(name_th="มะ ลา", name_latin="Ma La", name_native="", aliases=())]
    )
    assert matches


@pytest.mark.django_db
def test_a_date_of_birth_before_anyone_alive_is_refused_in_the_form_and_the_api(
    client, worker_chiangmai
):
    from django.urls import reverse
    from rest_framework.test import APIClient

    from cases.models import Person

    api = APIClient()
    api.force_authenticate(worker_chiangmai)
    response = api.post(
        "/api/v1/persons/",
        {"name_latin": "Ma La", "sex": "female", "date_of_birth": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "date_of_birth" in response.json()["errors"]
    client.force_login(worker_chiangmai)
    page = client.post(
        reverse("cases:register"),
        {"name_latin": "Ma La", "sex": "female", "date_of_birth": "01/01/0001"},
    )
    assert page.status_code == 200 and not Person.objects.exists()
