"""Reading one cell of an intake file: text, dates, numbers, yes/no and coded values in
English or Thai."""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import BUDDHIST_ERA_OFFSET, FIRST_BUDDHIST_ERA_YEAR, parse_date, parse_datetime

from ..models import ExploitationType, IdentityDocument, IntakeChannel, RiskLevel, Sex
from ..reference import country_choices, language_choices

TRUE_WORDS = {"yes", "y", "true", "1", "x", "ใช่", "จริง"}
FALSE_WORDS = {"no", "n", "false", "0", "ไม่", "ไม่ใช่", "เท็จ"}
SEX_WORDS = {"f": Sex.FEMALE, "m": Sex.MALE, "หญิง": Sex.FEMALE, "ชาย": Sex.MALE}
# Names that CLDR spells otherwise ("Myanmar (Burma)", "เมียนมา (พม่า)").
COUNTRY_WORDS = {"myanmar": "MM", "burma": "MM", "เมียนมา": "MM", "พม่า": "MM", "เขมร": "KH"}
LANGUAGE_WORDS = {"myanmar": "my", "burmese": "my"}


def _lookup(choices: Callable[[], Iterable[tuple[str, Any]]], extra: dict | None = None) -> dict:
    """Every spelling accepted for a choice: its code, and its label in English and in Thai."""
    table = {}
    for language in ("en", "th"):
        with translation.override(language):
            for value, label in choices():
                table[str(label).casefold()] = value
    for value, _label in choices():
        table[str(value).casefold()] = value
    table.update(extra or {})
    return table


class Lookups:
    """The spellings of every coded column, built once per file in both languages."""

    def __init__(self):
        self.sex = _lookup(lambda: Sex.choices, SEX_WORDS)
        self.country = _lookup(country_choices, COUNTRY_WORDS)
        self.language = _lookup(language_choices, LANGUAGE_WORDS)
        self.document_kind = _lookup(lambda: IdentityDocument.Kind.choices)
        self.channel = _lookup(lambda: IntakeChannel.choices)
        self.exploitation = _lookup(lambda: ExploitationType.choices)
        self.risk = _lookup(lambda: RiskLevel.choices)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            return value.isoformat(sep=" ", timespec="minutes")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps a 13-digit ID number as a float
    return str(value).strip()


def cell_parts(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", cell_text(value)) if part.strip()]


def cell_date(value: Any) -> dt.date:
    """A date cell: a spreadsheet date, or text read by core.dates.parse_date as every date
    field of the application reads it (dd/mm/yyyy or yyyy-mm-dd, a year of 2400 or more in
    the Buddhist era)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # A spreadsheet date typed with a Buddhist-era year: the same rule as for text.
        try:
            date = (
                value.replace(year=value.year - BUDDHIST_ERA_OFFSET)
                if value.year >= FIRST_BUDDHIST_ERA_YEAR
                else value
            )
        except ValueError:  # 29 February of a year that is not a leap year in C.E.
            raise ValidationError(
                _("%(value)s is not a date that exists.") % {"value": cell_text(value)}
            ) from None
    else:
        text = cell_text(value)
        date = parse_date(text)
        if date is None:
            raise ValidationError(
                _("%(value)s is not a date: write it as YYYY-MM-DD, e.g. 1999-04-13.")
                % {"value": text}
            )
    # Nobody registered today was born, or came in, before 1900: a typing mistake.
    if date.year < 1900:
        raise ValidationError(_("The year %(year)s is not plausible.") % {"year": date.year})
    return date


def cell_datetime(value: Any) -> dt.datetime:
    """A date-and-time cell, in Thai time: a spreadsheet date and time, or text read by
    core.dates.parse_datetime as the forms read it (20/11/2569 14:30, 2026-11-20 14:30). A date
    alone is refused: the s.29 clock counts hours."""
    if isinstance(value, dt.datetime):
        moment = dt.datetime.combine(cell_date(value), value.time())
    else:
        text = cell_text(value)
        moment = None if isinstance(value, dt.date) else parse_datetime(text)
        if moment is None:
            raise ValidationError(
                _(
                    "%(value)s is not a date and time: write it as YYYY-MM-DD HH:MM, e.g. "
                    "2026-11-20 14:30."
                )
                % {"value": text}
            )
        cell_date(moment.date())
    return timezone.make_aware(moment)


def cell_whole_number(value: Any) -> int:
    text = cell_text(value)
    if not text.isdigit():
        raise ValidationError(_("%(value)s is not a whole number of years.") % {"value": text})
    return int(text)


def cell_yes_no(value: Any) -> bool:
    text = cell_text(value).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError(_("Write yes or no, not %(value)s.") % {"value": cell_text(value)})


def cell_coded(table: dict, unknown_message: str) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = cell_text(value)
        try:
            return table[text.casefold()]
        except KeyError:
            raise ValidationError(unknown_message % {"value": text}) from None

    return read


def cell_coded_list(table: dict, unknown_message: str) -> Callable[[Any], list[str]]:
    def read(value: Any) -> list[str]:
        codes, unknown = [], []
        for part in cell_parts(value):
            code = table.get(part.casefold())
            (codes if code else unknown).append(code or part)
        if unknown:
            raise ValidationError(unknown_message % {"value": ", ".join(unknown)})
        return list(dict.fromkeys(codes))

    return read
