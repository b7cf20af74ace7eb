"""Builtin filters (nrm/settings.py TEMPLATES OPTIONS "builtins"): every page shows dates with
`local_date` and `local_datetime`, never Django's `date` filter, so Thai pages read in the
Buddhist era."""

from django import template

from core.dates import format_date, format_datetime, format_time

register = template.Library()


@register.filter
def local_date(value) -> str:
    """ "24 ส.ค. 2567" (Thai) or "24 Aug 2024" (English); "" for None."""
    return format_date(value)


@register.filter
def local_datetime(value) -> str:
    """ "24 ส.ค. 2567 14:05" (Thai) or "24 Aug 2024, 14:05" (English), in local time."""
    return format_datetime(value)


@register.filter
def local_time(value) -> str:
    """ "14:05" in local time; "" for None."""
    return format_time(value)
