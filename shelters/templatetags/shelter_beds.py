"""The shelters' beds beside the referral pages: `referrals` shows them without importing
`shelters` (which is built on it), through `{% load shelter_beds %}`; and a section's free
beds, wherever a table shows them."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.lists import escaped, url_for_pk
from core.versions import version_of
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


@register.simple_tag(takes_context=True)
def bed_board_rows(context, units, is_director: bool) -> str:
    """The bed board's <tr>s, one per section (shelters.selectors.bed_board's `units`): its
    name with its children and the residents who do not fit it, its beds, residents and free
    beds, the occupancy bar (not on a narrow screen), and for the director the form that
    changes its beds. Written in Python with the labels and the form's address once for the
    board, where a template loop cost the board more than its sections' rows
    (docs/PERFORMANCE.md)."""
    occupancy, beds, save = _("Occupancy"), _("Beds"), _("Save")
    capacity_url = url_for_pk("shelters:set_capacity")
    csrf = escaped(context.get("csrf_token", ""))
    rows = []
    for unit in units:
        section = escaped(unit.get_section_display())
        notes = "".join(
            f'<div class="small text-warning-emphasis fw-semibold" data-testid="misfit">⚠ '
            f'<a href="{resident.url}">{escaped(resident.name)}</a>: '
            f"{escaped(' '.join(warnings))}</div>"
            for resident, warnings in unit.misfits
        )
        if unit.children:
            children = ngettext("%(children)s child", "%(children)s children", unit.children) % {
                "children": unit.children
            }
            notes = f'<div class="small" data-testid="children">{escaped(children)}</div>{notes}'
        capacity, occupied = unit.capacity, unit.occupied
        form = (
            f'<td><form method="post" action="{capacity_url(unit.pk)}" class="d-flex gap-1">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
            f'<input type="hidden" name="version" value="{version_of(unit)}">'
            f'<label class="visually-hidden" for="cap-{unit.pk}">{escaped(beds)}</label>'
            f'<input id="cap-{unit.pk}" class="form-control form-control-sm capacity-input" '
            f'type="number" min="0" name="capacity" value="{capacity}">'
            f'<button class="btn btn-sm btn-outline-secondary">{escaped(save)}</button></form></td>'
            if is_director
            else ""
        )
        alarm = ' class="table-danger"' if unit.free_beds < 0 else ""
        rows.append(
            f'<tr data-testid="unit-{unit.section}"{alarm}>'
            f"<td>{section}{notes}</td>"
            f'<td class="text-end">{capacity}</td><td class="text-end">{occupied}</td>'
            f'<td class="text-end">{free_beds(unit)}</td>'
            f'<td class="d-none d-md-table-cell"><meter class="occupancy" min="0" '
            f'max="{capacity}" low="{capacity - 1}" high="{capacity - 1}" optimum="0" '
            f'value="{occupied}" aria-label="{escaped(occupancy)} {section}: '
            f'{occupied}/{capacity}">{occupied}/{capacity}</meter></td>{form}</tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (every value escaped or a number)


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
