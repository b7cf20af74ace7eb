"""The shelters' beds beside the referral pages: `referrals` shows them without importing
`shelters` (which is built on it), through `{% load shelter_beds %}`; and a section's free
beds, wherever a table shows them."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from shelters.selectors import (
    fit_warnings,
    redirect_choices,
    residence_warning,
    shelter_list_with_units,
)

register = template.Library()


@register.simple_tag
def free_beds(unit) -> str:
    """A section's free beds with its state in words, not in colour only: full, or over
    capacity as an alarm. A tag rather than an include: the occupancy tables show one per
    section of every shelter, and an include each cost more than the rest of the row."""
    if unit.free_beds < 0:
        return format_html(
            '<span class="fw-bold text-danger" role="alert" data-testid="over-capacity">{} '
            '<span class="badge text-bg-danger">{}</span></span>',
            unit.free_beds,
            _("Over capacity: %(residents)s residents in %(beds)s beds")
            % {"residents": unit.occupied, "beds": unit.capacity},
        )
    if unit.free_beds == 0:
        return format_html(
            '<span class="fw-bold text-danger" data-testid="full">0 '
            '<span class="badge text-bg-danger">{}</span></span>',
            _("Full"),
        )
    return format_html('<span class="fw-semibold">{}</span>', unit.free_beds)


@register.simple_tag
def shelters_with_beds():
    """Every government shelter with its units and their free beds."""
    return shelter_list_with_units()


@register.simple_tag
def shelters_for(person):
    """Every government shelter with its free beds, each with the reasons the person does not
    fit it (target group, age, sex): the sender sees them before choosing."""
    return [
        (shelter, fit_warnings(shelter=shelter, person=person))
        for shelter in shelter_list_with_units()
    ]


@register.simple_tag
def bed_elsewhere(case, sender_id=None) -> str:
    """Where the case's person lives now, or "": a shelter referral warns its sender and its
    receiver (selectors.residence_warning), and is refused at acceptance and admission when
    the bed is under another of their cases."""
    return residence_warning(case, sender_id=sender_id)


@register.simple_tag
def redirect_groups(referral):
    """Where a declined referral may be redirected, grouped by kind for the form's optgroups:
    shelters first, with their free beds by section and whether one fits the person."""
    return redirect_choices(referral=referral)
