"""The Thai working-day calendar: weekends and the public and government holidays that MSDHS
offices observe, as the `holidays` package knows them (including substitution days)."""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _thai_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("TH", years=year, categories=("public", "government"))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _thai_holidays(day.year)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The moment `days` working days after `start` (before it when negative), at the same
    time of day.

    A clock started on a weekend or holiday counts from the next working day: a referral sent
    on Saturday morning with one working day to answer is due on Monday morning.
    """
    step = dt.timedelta(days=1 if days >= 0 else -1)
    moment = start
    remaining = abs(days)
    while remaining:
        moment += step
        if is_working_day(moment.date()):
            remaining -= 1
    return moment
