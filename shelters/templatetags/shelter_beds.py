"""The shelters' beds beside the referral pages: `referrals` shows them without importing
`shelters` (which is built on it), through `{% load shelter_beds %}`."""

from django import template

from shelters.selectors import (
    fit_warnings,
    redirect_choices,
    residence_warning,
    shelter_list_with_units,
)

register = template.Library()


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
