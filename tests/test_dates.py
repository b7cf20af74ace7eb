"""Dates read in the Buddhist era on Thai pages and in Bangkok time, and a date typed in either
era is understood."""

import datetime as dt

import pytest
from django.template import engines
from django.utils import translation

from nrm.dates import parse_date, parse_datetime

BANGKOK = dt.timezone(dt.timedelta(hours=7))


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


def test_a_thai_page_shows_a_date_in_the_buddhist_era_with_a_thai_month():
    assert render("{{ d|local_date }}", "th", d=dt.date(2024, 8, 24)) == "24 ส.ค. 2567"


def test_an_english_page_shows_a_gregorian_date():
    assert render("{{ d|local_date }}", "en", d=dt.date(2024, 8, 24)) == "24 Aug 2024"


def test_a_moment_stored_in_utc_shows_in_bangkok_time():
    moment = dt.datetime(2024, 8, 24, 7, 5, tzinfo=dt.UTC)
    assert render("{{ m|local_datetime }}", "th", m=moment) == "24 ส.ค. 2567 14:05"
    assert render("{{ m|local_datetime }}", "en", m=moment) == "24 Aug 2024, 14:05"
    assert render("{{ m|local_time }}", "en", m=moment) == "14:05"


def test_a_late_evening_in_utc_is_the_next_day_in_bangkok():
    moment = dt.datetime(2024, 12, 31, 20, 0, tzinfo=dt.UTC)
    assert render("{{ m|local_date }}", "th", m=moment) == "1 ม.ค. 2568"


def test_nothing_renders_as_an_empty_string():
    assert (
        render("[{{ d|local_date }}|{{ d|local_datetime }}|{{ e|local_date }}]", "th", d=None, e="")
        == "[||]"
    )


@pytest.mark.parametrize(
    "text",
    ["24/08/2567", "24/08/2024", "2024-08-24", " 24.8.2567 ", "24-08-2567"],
)
def test_a_date_typed_in_either_era_or_iso_is_understood(text):
    assert parse_date(text) == dt.date(2024, 8, 24)


@pytest.mark.parametrize(
    "text", ["", "31/02/2567", "24/13/2567", "yesterday", "24/08/67", "2567-08"]
)
def test_what_is_not_a_date_is_refused(text):
    assert parse_date(text) is None


def test_a_date_and_time_typed_in_the_buddhist_era_is_understood():
    expected = dt.datetime(2024, 8, 24, 14, 5)
    assert parse_datetime("24/08/2567 14:05") == expected
    assert parse_datetime("2024-08-24T14:05") == expected
    assert parse_datetime("2024-08-24 14:05:00") == expected
    assert parse_datetime("24/08/2567 25:00") is None
    assert parse_datetime("24/08/2567") is None


def test_no_template_uses_the_gregorian_date_filter():
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "|date:" in path.read_text() or "|date }}" in path.read_text()
    ]
    assert offenders == []
