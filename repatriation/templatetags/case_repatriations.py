"""The repatriation section of a case's page: `cases` shows it without importing
`repatriation` (which is built on it), through `{% load case_repatriations %}` and
`{% case_repatriations case %}`."""

from django import template

from cases.permissions import can_work_on
from repatriation.selectors import repatriation_list_visible_to

register = template.Library()


@register.inclusion_tag("repatriation/_case_section.html", takes_context=True)
def case_repatriations(context, case):
    """The case's repatriations that the signed-in user may see, and the link to plan one for
    the office that owns an open case."""
    user = context["request"].user
    return {
        "case": case,
        "repatriations": repatriation_list_visible_to(user=user).filter(case=case),
        "may_plan": case.is_open and can_work_on(user, case),
    }
