"""The court case and compensation section of a case's page: `cases` shows it without
importing `justice` (which is built on it), through `{% load case_justice %}` and
`{% case_justice case %}`."""

from django import template
from django.db.models import Min, Q

from justice.permissions import can_record
from justice.selectors import claim_list_visible_to, prosecution_list_visible_to
from justice.workflow import HearingStatus

register = template.Library()


@register.inclusion_tag("justice/_case_card.html", takes_context=True)
def case_justice(context, case):
    """The case's proceedings (with their next hearing) and claims the signed-in user may see."""
    user = context["request"].user
    prosecutions = (
        prosecution_list_visible_to(user=user)
        .filter(case=case)
        .annotate(
            next_hearing=Min(
                "hearings__scheduled_at", filter=Q(hearings__status=HearingStatus.SCHEDULED)
            )
        )
    )
    return {
        "case": case,
        "prosecutions": prosecutions,
        "claims": claim_list_visible_to(user=user).filter(case=case),
        "may_record": can_record(user, case) and case.is_open,
        "request": context["request"],
    }
