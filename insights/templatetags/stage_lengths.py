from django import template
from django.utils.translation import gettext as _

register = template.Library()

HOUR = 3600


@register.filter
def stage_length(seconds) -> str:
    """A stage's length in words: hours under two days, days beyond."""
    if seconds is None:
        return "–"
    if seconds < 48 * HOUR:
        return _("%(hours)s hours") % {"hours": f"{seconds / HOUR:,.1f}"}
    return _("%(days)s days") % {"days": f"{seconds / (24 * HOUR):,.1f}"}
