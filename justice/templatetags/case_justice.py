"""The court case and compensation section of a case's page: `cases` shows it without
importing `justice` (which is built on it), through `{% load case_justice %}` and
`{% case_justice case %}`."""

from django import template

from justice.permissions import can_record
from justice.selectors import prosecutions_and_claims_of_shown_case

register = template.Library()


@register.inclusion_tag("justice/_case_card.html", takes_context=True)
def case_justice(context, case):
    """The case's proceedings (with their next hearing) and claims: the page has shown the case
    to the signed-in user, who therefore sees these."""
    user = context["request"].user
    prosecutions, claims = prosecutions_and_claims_of_shown_case(case)
    return {
        "case": case,
        "prosecutions": prosecutions,
        "claims": claims,
        "may_record": can_record(user, case) and case.is_open,
        "request": context["request"],
    }
