"""The outcomes on the case page: `cases` shows them without importing `outcomes` (which is
built on it), through `{% load case_outcomes %}{% case_outcomes case %}`."""

from django import template

from cases.permissions import can_close, can_work_on

from ..selectors import case_outcomes_for, follow_up_due

register = template.Library()


@register.inclusion_tag("outcomes/_case_outcomes.html", takes_context=True)
def case_outcomes(context, case):
    """The case's outcomes the user may see, the follow-up due (recorded with its outcome by
    the owning office), and closing the case with the person's outcome (its lead worker or a
    supervisor)."""
    user = context["request"].user
    due = follow_up_due(case) if can_work_on(user, case) else None
    return {
        "case": case,
        "outcomes": list(case_outcomes_for(user=user, case=case)),
        "due": due,
        # A follow-up still due keeps the case open (its clock runs): record it first.
        "may_close": case.is_open and can_close(user, case) and due is None,
    }
