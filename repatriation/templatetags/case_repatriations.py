"""The repatriation section of a case's page: `cases` shows it without importing
`repatriation` (which is built on it), through `{% load case_repatriations %}` and
`{% case_repatriations case %}`."""

from django import template

from cases.permissions import can_work_on
from repatriation.selectors import repatriations_of_shown_case

register = template.Library()


@register.inclusion_tag("repatriation/_case_section.html", takes_context=True)
def case_repatriations(context, case):
    """The case's repatriations (the page has shown the case to the signed-in user, who
    therefore sees them), and the link to plan one for the office that owns an open case."""
    user = context["request"].user
    return {
        "case": case,
        "repatriations": repatriations_of_shown_case(case),
        "may_plan": case.is_open and can_work_on(user, case),
    }
