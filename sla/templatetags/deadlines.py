"""How a deadline reads on a page: the time left in the user's language, and whether it passed."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _days(n):
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def _hours(n):
    return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}


def _minutes(n):
    return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}


@register.filter
def time_left(moment: dt.datetime | None) -> str:
    """ "2 days 4 hours", "3 hours 20 minutes", "12 minutes" until `moment`, or "overdue"."""
    if moment is None:
        return ""
    seconds = int((moment - timezone.now()).total_seconds())
    if seconds <= 0:
        return _("Overdue")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{_days(days)} {_hours(hours)}" if hours else _days(days)
    if hours:
        return f"{_hours(hours)} {_minutes(minutes)}" if minutes else _hours(hours)
    return _minutes(max(minutes, 1))


@register.filter
def is_past(moment) -> bool:
    return moment is not None and moment < timezone.now()
