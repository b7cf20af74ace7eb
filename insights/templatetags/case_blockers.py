"""The "waiting because ..." section of a case's page: `cases` shows it without importing
`insights` (which is built on it), through `{% load case_blockers %}` and
`{% case_blockers case %}`."""

from django import template

from ..models import Blocker
from ..permissions import can_record_blocker, records_blockers, still_running
from ..selectors import records_of_shown_case

register = template.Library()


@register.inclusion_tag("insights/_case_blockers.html", takes_context=True)
def case_blockers(context, case):
    """The case's blockers (the case is visible: its page is shown) and, for each running
    record the user may speak for, "the wait is over" or a link to the "waiting because ..."
    form, which comes when opened (its language list is long: a form per record made most of
    the case page's weight)."""
    user = context["request"].user
    blockers = list(Blocker.objects.filter(case=case).select_related("organisation"))
    open_on = {(b.record, getattr(b, f"{b.record}_id")): b for b in blockers if not b.ended_at}
    records = [
        {"kind": kind, "record": record, "open": open_on.get((kind, record.pk))}
        for kind, record in (
            records_of_shown_case(case, user=user) if records_blockers(user) else []
        )
        if still_running(kind, record) and can_record_blocker(user, kind, record)
    ]
    return {"case": case, "blockers": blockers, "records": records, "request": context["request"]}
