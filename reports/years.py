"""Calendar and Thai fiscal years (1 October to 30 September, named after the year it ends:
fiscal year 2570 BE runs from 1 October 2026 to 30 September 2027)."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.dates import BUDDHIST_ERA_OFFSET, is_thai


class YearKind(models.TextChoices):
    FISCAL = "fiscal", _("Thai fiscal year (October to September)")
    CALENDAR = "calendar", _("Calendar year")

    def bounds(self, year: int) -> tuple[dt.date, dt.date]:
        """First and last day of the year `year` (Gregorian number of the year it ends in)."""
        if self == YearKind.FISCAL:
            return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    def containing(self, day: dt.date) -> int:
        if self == YearKind.FISCAL and day.month >= 10:
            return day.year + 1
        return day.year


def year_label(year: int, kind: str, language: str | None) -> str:
    """'2570' / 'ปีงบประมาณ 2570' in Thai (Buddhist era), '2027' / 'fiscal year 2027' in
    English."""
    with override(language):
        shown = year + BUDDHIST_ERA_OFFSET if is_thai(language) else year
        if kind == YearKind.FISCAL:
            return _("fiscal year %(year)s") % {"year": shown}
        return str(shown)
