"""The "waiting because ..." section of a case's page: `cases` shows it without importing
`insights` (which is built on it), through `{% load case_blockers %}` and
`{% case_blockers case %}`."""

from django import template

from cases.selectors import screening_list_visible_to
from referrals.selectors import referral_list_visible_to
from shelters.selectors import placement_list_visible_to

from ..forms import BlockerForm
from ..models import Blocker
from ..permissions import can_record_blocker, still_running

register = template.Library()


def _records(user, case):
    """(kind, record, its name) of the case's running records the user may say wait."""
    found = [
        *(
            ("screening", s)
            for s in screening_list_visible_to(user=user).filter(case=case).select_related("case")
        ),
        *(
            ("referral", r)
            for r in referral_list_visible_to(user=user)
            .filter(case=case)
            .select_related("to_organisation")
        ),
        *(
            ("placement", p)
            for p in placement_list_visible_to(user=user)
            .filter(case=case)
            .select_related("case", "unit__shelter__organisation")
        ),
    ]
    return [
        (kind, record)
        for kind, record in found
        if still_running(kind, record) and can_record_blocker(user, kind, record)
    ]


@register.inclusion_tag("insights/_case_blockers.html", takes_context=True)
def case_blockers(context, case):
    """The case's blockers (the case is visible: its page is shown) and, for each running
    record the user may speak for, the one-action "waiting because ..." or "the wait is
    over"."""
    user = context["request"].user
    blockers = list(Blocker.objects.filter(case=case).select_related("organisation"))
    open_on = {(b.record, getattr(b, f"{b.record}_id")): b for b in blockers if not b.ended_at}
    records = [
        {"kind": kind, "record": record, "open": open_on.get((kind, record.pk))}
        for kind, record in _records(user, case)
    ]
    return {
        "case": case,
        "blockers": blockers,
        "records": records,
        "form": BlockerForm(),
        "request": context["request"],
    }
