"""A date in an intake file is read as every date field of the application reads it
(core.dates.parse_date): the same text gives the same date, or is refused by both."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.intake.cells import cell_date
from core.dates import parse_date


@pytest.fixture(autouse=True)
def english():
    """Messages asserted in English, whatever the Thai catalogue says."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize("text", ["24/08/2567", "24/08/2024", "2567-08-24", "2024-08-24"])
def test_the_intake_reads_a_date_in_either_era_as_the_forms_do(text):
    assert cell_date(text) == parse_date(text) == dt.date(2024, 8, 24)


def test_a_year_of_2400_is_the_buddhist_era_for_the_intake_too():
    assert parse_date("01/01/2400") == dt.date(1857, 1, 1)
    # Read as 1857, as the forms read it, then refused as no one registered today.
    with pytest.raises(ValidationError, match="1857 is not plausible"):
        cell_date("01/01/2400")


@pytest.mark.parametrize("text", ["2567/08/24", "2024/08/24", "2024.08.24"])
def test_a_year_first_date_with_slashes_or_dots_is_read_by_both(text):
    assert cell_date(text) == parse_date(text) == dt.date(2024, 8, 24)


def test_a_spreadsheet_date_typed_with_a_buddhist_era_year_is_read_as_its_text_would_be():
    assert cell_date(dt.datetime(2567, 8, 24)) == parse_date("24/08/2567")
    assert cell_date(dt.date(2024, 8, 24)) == dt.date(2024, 8, 24)


def test_a_date_that_does_not_exist_is_refused():
    assert parse_date("31/02/2567") is None
    with pytest.raises(ValidationError):
        cell_date("31/02/2567")
