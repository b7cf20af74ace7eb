import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def thai_id_is_valid(number: str) -> bool:
    """The 13-digit Thai ID's check digit: 11 minus the weighted sum (weights 13..2) mod 11,
    taken mod 10."""
    if len(number) != 13 or not number.isdigit() or number[0] == "0":
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(number[:12], range(13, 1, -1), strict=True)
    )
    return (11 - total % 11) % 10 == int(number[12])


def validate_thai_id(number: str) -> None:
    if not thai_id_is_valid(number):
        raise ValidationError(
            _(
                "%(number)s is not a valid Thai ID number: it needs 13 digits and a correct check "
                "digit."
            ),
            code="invalid_thai_id",
            params={"number": number},
        )


PHONE_CHARACTERS = re.compile(r"\+?[\d\s().-]+")
PHONE_DIGITS = (6, 15)


def normalise_phone(number: str) -> str:
    """A phone number as stored and searched: its digits, after a "+" if it began with one
    ("+95 9-123 456" -> "+959123456")."""
    number = number.strip()
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"+{digits}" if number.startswith("+") and digits else digits


def validate_phone(number: str) -> None:
    low, high = PHONE_DIGITS
    digits = sum(ch.isdigit() for ch in number)
    if not PHONE_CHARACTERS.fullmatch(number) or not low <= digits <= high:
        raise ValidationError(
            _(
                "%(number)s is not a phone number: give %(low)s to %(high)s digits, with spaces, "
                "dashes or a leading + if you like."
            ),
            code="invalid_phone",
            params={"number": number, "low": low, "high": high},
        )


def validate_not_future(value) -> None:
    now = timezone.now() if isinstance(value, dt.datetime) else timezone.localdate()
    if value > now:
        raise ValidationError(_("This date is in the future."), code="future_date")


OLDEST_AGE = 120  # as Person.estimated_age allows


def validate_plausible_birth(value: dt.date) -> None:
    """No one alive was born more than OLDEST_AGE years ago: 0001-01-01, or a Buddhist-era
    year typed in a Christian-era field, is a mistake to correct, not a date to keep."""
    today = timezone.localdate()
    if value < today.replace(year=today.year - OLDEST_AGE, day=min(today.day, 28)):
        raise ValidationError(
            _("A date of birth more than %(years)d years ago is not possible: check the year.")
            % {"years": OLDEST_AGE},
            code="implausible_birth",
        )
