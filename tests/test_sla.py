"""The Thai working-day calendar and how a deadline's time left reads."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation

from sla.calendar import add_working_days, is_working_day
from sla.templatetags.deadlines import time_left

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")

# The calendar reads the sysadmin's holiday changes (tests/test_holidays.py) from the database.
pytestmark = pytest.mark.django_db


def test_weekends_and_thai_holidays_are_not_working_days():
    assert is_working_day(dt.date(2026, 4, 10))  # a Friday
    assert not is_working_day(dt.date(2026, 4, 11))  # Saturday
    assert not is_working_day(dt.date(2026, 4, 13))  # Songkran
    assert not is_working_day(dt.date(2026, 1, 1))  # New Year's Day
    assert not is_working_day(dt.date(2026, 12, 7))  # substitution day for 5 December


def test_one_working_day_from_the_friday_before_songkran_is_the_thursday_after():
    friday = dt.datetime(2026, 4, 10, 16, 0, tzinfo=BANGKOK)
    # Sat 11, Sun 12, Songkran 13-15: the next working day is Thursday 16 April.
    assert add_working_days(friday, 1) == dt.datetime(2026, 4, 16, 16, 0, tzinfo=BANGKOK)


def test_a_clock_started_on_a_saturday_counts_from_monday():
    saturday = dt.datetime(2026, 11, 21, 10, 0, tzinfo=BANGKOK)
    assert add_working_days(saturday, 1) == dt.datetime(2026, 11, 23, 10, 0, tzinfo=BANGKOK)
    assert add_working_days(saturday, 3) == dt.datetime(2026, 11, 25, 10, 0, tzinfo=BANGKOK)


def test_the_time_left_reads_in_thai_and_english():
    soon = timezone.now() + dt.timedelta(days=2, hours=4, seconds=30)
    with translation.override("th"):
        assert time_left(soon) == "2 วัน 4 ชั่วโมง"
        assert time_left(timezone.now() - dt.timedelta(minutes=1)) == "เกินกำหนด"
    with translation.override("en"):
        assert (
            time_left(timezone.now() + dt.timedelta(minutes=90, seconds=30)) == "1 hour 30 minutes"
        )
