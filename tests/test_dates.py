"""Dates read in the Buddhist era on Thai pages and in Bangkok time, and a date typed in either
era is understood."""

import datetime as dt

import pytest
from django import forms
from django.template import engines
from django.urls import reverse
from django.utils import translation

from cases.models import Case
from core.dates import parse_date, parse_datetime
from core.forms import DateInput, DateTimeInput, StyledFormMixin

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


class MeetingForm(StyledFormMixin, forms.Form):
    day = forms.DateField(label="Day", widget=DateInput())
    starts = forms.DateTimeField(label="Starts", widget=DateTimeInput(), required=False)


def test_a_date_typed_in_the_buddhist_era_is_read_by_the_form():
    with translation.override("th"):
        form = MeetingForm({"day": "24/08/2567", "starts": "24/08/2567 14:05"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2024, 8, 24)
    assert form.cleaned_data["starts"] == dt.datetime(2024, 8, 24, 14, 5, tzinfo=BANGKOK)


def test_iso_and_gregorian_dates_are_still_read():
    with translation.override("en"):
        assert MeetingForm({"day": "24/08/2024", "starts": "2024-08-24T14:05"}).is_valid()
        assert MeetingForm({"day": "2024-08-24"}).is_valid()


def test_a_bad_date_gets_a_translated_message_naming_the_format():
    with translation.override("th"):
        form = MeetingForm({"day": "31/02/2567", "starts": "พรุ่งนี้"})
        assert not form.is_valid()
        assert "24/08/2567" in form.errors["day"][0]
        assert "24/08/2567 14:05" in form.errors["starts"][0]


def test_a_thai_date_input_shows_the_buddhist_year_and_a_format_hint_tied_to_it():
    with translation.override("th"):
        html = str(MeetingForm(initial={"day": dt.date(2024, 8, 24)})["day"].as_field_group())
    assert 'type="text"' in html
    assert 'value="24/08/2567"' in html
    assert 'aria-describedby="id_day_format"' in html
    assert 'id="id_day_format"' in html


def test_an_error_is_tied_to_its_input():
    with translation.override("en"):
        form = MeetingForm({"day": "someday"})
        form.is_valid()
        html = str(form["day"].as_field_group())
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_day_format id_day_error"' in html
    assert 'id="id_day_error"' in html
    # Seen too: the input's border turns red, its own class kept.
    assert 'class="form-control is-invalid"' in html
    assert "is-invalid" not in str(form["starts"].as_field_group())  # no error there
    # What the user typed is shown back to be corrected.
    assert 'value="someday"' in html


@pytest.mark.django_db
def test_a_worker_registers_a_person_born_on_a_buddhist_era_date(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:register")).content.decode()
    assert "24/08/2567" in page  # the format hint, in the Buddhist era
    response = client.post(
        reverse("cases:register"),
        {
            "name_th": "ขิ่น มา",
            "name_latin": "Khin Ma",
            "sex": "female",
            "nationality": "MM",
            "date_of_birth": "05/03/2548",
            "intake_channel": "police_raid",
            "intake_date": "01/11/2569",
            "intake_province": worker_chiangmai.membership.organisation.province.pk,
            "exploitation_types": ["sexual"],
            "risk_level": "high",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.person.date_of_birth == dt.date(2005, 3, 5)
    assert case.intake_date == dt.date(2026, 11, 1)
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "1 พ.ย. 2569" in detail


def test_a_record_named_in_the_admin_shows_its_date_in_bangkok_time_and_the_buddhist_era():
    from sla.models import Deadline

    deadline = Deadline(clock="care_plan", due_at=dt.datetime(2024, 8, 24, 7, 5, tzinfo=dt.UTC))
    with translation.override("th"):
        assert str(deadline).endswith("24 ส.ค. 2567 14:05")
