"""The rows of a table of referrals (the review queue, the inbox, the sent list, a shelter's
urgent referrals), written in Python: labels translated and the link resolved once per table,
not once per row, which the template loop did (docs/PERFORMANCE.md)."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.lists import escaped, labels, url_for_pk
from sla.models import Clock
from sla.templatetags.deadlines import time_left

from ..models import Kind, Urgency
from ..workflow import ReviewState, State

register = template.Library()


@register.simple_tag
def referral_rows(referrals) -> str:
    """The <tr>s of `referrals` (with their `running_deadlines`, selectors.with_running_deadlines):
    the case and person, kind, sender, receiver, urgency, state, central review, and the next
    deadline with its time left; an overdue row in red, an urgent one in yellow."""
    kind, urgency, state = labels(Kind.choices), labels(Urgency.choices), labels(State.choices)
    review, clock = labels(ReviewState.choices), labels(Clock.choices)
    detail = url_for_pk("referrals:detail")
    now = timezone.now()
    overdue = format_html("<strong>{}</strong>", _("Overdue"))

    def row(referral):
        deadline = referral.running_deadlines[0] if referral.running_deadlines else None
        late = deadline is not None and deadline.due_at < now
        if deadline is None:
            next_deadline = "—"
        else:
            left = overdue if late else _("%(left)s left") % {"left": time_left(deadline.due_at)}
            next_deadline = format_html("{}: {}", clock(deadline.clock), left)
        css = (
            "table-danger"
            if late
            else "table-warning"
            if referral.urgency == Urgency.URGENT
            else ""
        )
        return (
            css,
            detail(referral.pk),
            referral.case.number,
            referral.case.person.display_name,
            kind(referral.kind),
            referral.from_organisation.name,
            referral.to_organisation.name,
            urgency(referral.urgency),
            state(referral.state),
            review(referral.review_state),
            next_deadline,
        )

    template = (
        '<tr class="{}"><td><a href="{}">{}</a><div class="small text-body-secondary">{}</div>'
        "</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"
    )
    return mark_safe(  # noqa: S308 (every value escaped)
        "\n".join(template.format(*map(escaped, row(referral))) for referral in referrals)
    )
