"""Dates as Thai users read and type them: the Buddhist era (Gregorian + 543) and Thai
abbreviated month names when the language is Thai, local time in Asia/Bangkok.

English pages show "24 Aug 2024" and "24 Aug 2024, 14:05"; Thai pages "24 ส.ค. 2567" and
"24 ส.ค. 2567 14:05". Input accepts dd/mm/yyyy (a year of 2400 or more is Buddhist era,
anything lower is Gregorian), with an optional HH:MM, and ISO yyyy-mm-dd always.
"""

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import get_language

BUDDHIST_ERA_OFFSET = 543
# A Gregorian year this large is centuries away; a Buddhist-era year this small, centuries ago.
FIRST_BUDDHIST_ERA_YEAR = 2400

THAI_MONTHS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
# Month names are fixed here rather than taken from the locale so that the English page reads
# the same whatever the server's C locale is.
ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def is_thai(language: str | None = None) -> bool:
    return (language or get_language() or "").lower().startswith("th")


def _as_local(value):
    """A datetime in the current time zone (Asia/Bangkok unless activated otherwise); a plain
    date is returned as it is."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def format_date(value, language: str | None = None) -> str:
    """ "24 ส.ค. 2567" in Thai, "24 Aug 2024" otherwise; "" for None or ""."""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    if is_thai(language):
        return f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + BUDDHIST_ERA_OFFSET}"
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value, language: str | None = None) -> str:
    """ "24 ส.ค. 2567 14:05" in Thai, "24 Aug 2024, 14:05" otherwise; a plain date shows
    without a time."""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    if not isinstance(value, dt.datetime):
        return format_date(value, language)
    day = format_date(value, language)
    separator = " " if is_thai(language) else ", "
    return f"{day}{separator}{value:%H:%M}"


def format_time(value) -> str:
    """ "14:05" in local time; "" for None."""
    if value in (None, ""):
        return ""
    return f"{_as_local(value):%H:%M}"


def input_date(value, language: str | None = None) -> str:
    """How a date appears in a text input: 24/08/2567 in Thai, 24/08/2024 otherwise."""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    year = value.year + (BUDDHIST_ERA_OFFSET if is_thai(language) else 0)
    return f"{value.day:02d}/{value.month:02d}/{year:04d}"


def input_datetime(value, language: str | None = None) -> str:
    """How a date and time appear in a text input: 24/08/2567 14:05 in Thai."""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    if not isinstance(value, dt.datetime):
        return input_date(value, language)
    return f"{input_date(value, language)} {value:%H:%M}"


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2})(?:\.\d+)?)?$")


def parse_date(text: str) -> dt.date | None:
    """The date in "24/08/2567", "24/08/2024", "2024-08-24" or "2567/08/24" (day first or year
    first, with "/", "." or "-"); None when it is not a date.

    A year of 2400 or more is read as Buddhist era whatever the page's language, so a Thai
    user who types 2567 on an English page is understood too.
    """
    text = (text or "").strip()
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YEAR_FIRST.match(text)
        if not match:
            return None
        year, month, day = (int(part) for part in match.groups())
    if year >= FIRST_BUDDHIST_ERA_YEAR:
        year -= BUDDHIST_ERA_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_datetime(text: str) -> dt.datetime | None:
    """The naive local date and time in "24/08/2567 14:05", "2024-08-24T14:05" or
    "2024-08-24 14:05[:00]"; None when it is not one. The caller makes it aware."""
    text = (text or "").strip()
    if "T" in text:
        date_part, _, time_part = text.partition("T")
    else:
        date_part, _, time_part = text.partition(" ")
    day = parse_date(date_part)
    match = _TIME.match(time_part.strip())
    if day is None or not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    try:
        return dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        return None
