"""How a deadline reads on a page: the time left in the user's language, whether it passed, and
how far its reminder and escalations have gone."""

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


@register.filter
def escalation_in_words(row) -> str:
    """Where a running clock's reminder and escalations stand (a `selectors.BoardRow`), in
    words: "Not reminded yet", "Reminded", "Escalated to: Central division" (whom the clock's
    rule escalated it to, sla.sweep), rather than a bare escalation level."""
    deadline = row.deadline
    if deadline.escalation_level >= 2 and row.escalated_to:
        return _("Escalated a second time, to: %(whom)s") % {"whom": row.escalated_to}
    if deadline.escalation_level >= 1 and row.escalated_to:
        return _("Escalated to: %(whom)s") % {"whom": row.escalated_to}
    if deadline.escalation_level:
        return deadline.escalation_label
    return _("Reminded") if deadline.reminded_at else _("Not reminded yet")
