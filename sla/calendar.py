"""The Thai working-day calendar: weekends and the public and government holidays that MSDHS
offices observe, as the `holidays` package knows them (including substitution days), with the
changes a sysadmin recorded on top of it (HolidayChange: a holiday the cabinet declared, a
package holiday worked this year).

The changes are read from the database at each count, not cached: they are a few rows a year,
one indexed query costs what a cache lookup would, and a change made in one process holds at
once in every other (the web workers, Celery) with nothing to invalidate.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

from .models import HolidayChange

CATEGORIES = ("public", "government")


@lru_cache(maxsize=32)
def _thai_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("TH", years=year, categories=CATEGORIES)


@lru_cache(maxsize=32)
def package_holidays(year: int, language: str = "th") -> dict[dt.date, str]:
    """The package's holidays of `year`: date -> name, in Thai or (any other language)
    English. Several holidays on one date are joined with a semicolon."""
    names = holidays.country_holidays(
        "TH", years=year, categories=CATEGORIES, language="th" if language == "th" else "en_US"
    )
    return dict(sorted(names.items()))


def is_package_holiday(day: dt.date) -> bool:
    return day in _thai_holidays(day.year)


def holiday_changes() -> dict[dt.date, str]:
    """The sysadmin's changes in force: date -> HolidayChange.Kind."""
    return dict(HolidayChange.objects.filter(withdrawn_at__isnull=True).values_list("date", "kind"))


@dataclass(frozen=True)
class WorkingCalendar:
    """The working days as they stand at one moment: the package's holidays with the
    sysadmin's changes then in force. A caller counting many clocks at once (the load data
    generator) takes one and counts with it, instead of reading the changes at every count."""

    changes: dict[dt.date, str]

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False  # a change never falls on a weekend (sla.services.holiday_change_add)
        change = self.changes.get(day)
        if change is not None:
            return change == HolidayChange.Kind.REMOVED
        return not is_package_holiday(day)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The moment `days` working days after `start` (before it when negative), at the
        same time of day.

        A clock started on a weekend or holiday counts from the next working day: a referral
        sent on Saturday morning with one working day to answer is due on Monday morning.
        """
        step = dt.timedelta(days=1 if days >= 0 else -1)
        moment = start
        remaining = abs(days)
        while remaining:
            moment += step
            if self.is_working_day(moment.date()):
                remaining -= 1
        return moment


def working_calendar() -> WorkingCalendar:
    """The calendar in force now (one query)."""
    return WorkingCalendar(holiday_changes())


def is_working_day(day: dt.date) -> bool:
    return working_calendar().is_working_day(day)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """`days` working days after `start` by the calendar in force now (the package's with the
    sysadmin's changes): WorkingCalendar.add_working_days."""
    return working_calendar().add_working_days(start, days)
