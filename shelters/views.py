"""The shelter's pages: the bed board, residents, a resident's page; and the national view.
Thin: parse, call one selector or service, render."""

import datetime as dt

from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import EXPORTING_ROLES, has_role, may_export, role_required
from audit.exports import list_export
from audit.reads import audited_list_page, record_list
from core.actions import perform
from core.lists import Column, labels
from core.versions import version_of
from referrals.selectors import referral_get_visible

from . import selectors, services
from .filters import PlacementFilter
from .forms import (
    AdmitForm,
    CapacityForm,
    CarePlanItemForm,
    CarePlanItemUpdateForm,
    DischargeForm,
    MovementEndForm,
    MovementForm,
    MoveSectionForm,
    TransferForm,
)
from .models import DischargeReason, PlacementStatus, Section
from .permissions import is_director_of, works_at

SHELTER_ROLES = (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF)
DEPARTURES_WITHIN = dt.timedelta(days=14)


@role_required(*SHELTER_ROLES)
def home(request):
    """The bed board: each section's beds, residents, free beds and children, and who does
    not fit it; departures planned in the next two weeks; for the director, the referrals
    coming (`coming`), loaded once the board is shown."""
    shelter, units = selectors.shelter_and_sections(request.user)
    residents = selectors.residents_on_board(units=units)
    selectors.bed_board(units=units, residents=residents)
    record_list(residents, user=request.user, name="bed board")
    today = timezone.localdate()
    soon = today + DEPARTURES_WITHIN
    return render(
        request,
        "shelters/home.html",
        {
            "shelter": shelter,
            "units": units,
            "total_beds": sum(unit.capacity for unit in units),
            "today": today,
            "departures": [r for r in residents if r.planned_end and r.planned_end <= soon],
            # Who is coming is the director's business; staff see residents only.
            "is_director": is_director_of(request.user, shelter),
        },
    )


@role_required(Role.SHELTER_DIRECTOR)
def coming(request):
    """The director's part of the bed board: urgent referrals waiting for an answer (with
    the time left) and accepted referrals waiting for a bed, each with its admit form. The
    board loads it once it is shown (htmx; it cost the board as much as the sections and
    residents together, docs/PERFORMANCE.md); without JavaScript, a page of its own."""
    shelter, units = selectors.shelter_and_sections(request.user)
    referrals = selectors.board_referrals(user=request.user)
    record_list(referrals.waiting, user=request.user, name="bed board: waiting for a bed")
    return render(
        request,
        "shelters/_coming.html" if request.headers.get("HX-Request") else "shelters/coming.html",
        {
            "shelter": shelter,
            "urgent": referrals.urgent,
            "waiting": _admit_forms(shelter, units, referrals.waiting),
        },
    )


ADMIT_PREFIX = "r__prefix__"  # each referral's form is prefixed "r<its id>" (admit)


def _admit_forms(shelter, units, waiting) -> list[tuple]:
    """(referral, its admit form's fields): the fields rendered once for the page and given
    each referral's prefix, as a formset's empty form is; the same sections for every
    referral, where each form's own rendering cost the board a template per field."""
    if not waiting:
        return []
    form = AdmitForm(shelter=shelter, units=units, prefix=ADMIT_PREFIX)
    fields = render_to_string("shelters/_admit_fields.html", {"form": form, "button": _("Admit")})
    return [
        # The fields are the form's own escaped HTML; the id put in is a number.
        (referral, mark_safe(fields.replace(ADMIT_PREFIX, f"r{referral.pk}")))  # noqa: S308
        for referral in waiting
    ]


@role_required(*SHELTER_ROLES)
def resident_list(request):
    shelter = selectors.shelter_of(request.user)
    residents = list(selectors.residents(shelter=shelter))
    record_list(residents, user=request.user, name="residents")
    return render(request, "shelters/residents.html", {"shelter": shelter, "residents": residents})


@role_required(*SHELTER_ROLES, Role.CENTRAL_REVIEWER)
def resident(request, placement_id):
    placement = selectors.placement_get_for_display(user=request.user, placement_id=placement_id)
    shelter = placement.unit.shelter
    active = placement.status == PlacementStatus.ADMITTED
    version = {"version": version_of(placement)}
    return render(
        request,
        "shelters/resident.html",
        {
            "placement": placement,
            "case": placement.case,
            "care_plan": [
                (
                    item,
                    CarePlanItemUpdateForm(
                        instance=item,
                        prefix=f"item{item.pk}",
                        initial={"version": version_of(item)},
                    ),
                )
                for item in placement.care_plan.prefetch_related("history__changed_by")
            ],
            # Each open outing's return form carries that outing's version.
            "movements": [
                (
                    movement,
                    MovementEndForm(
                        auto_id=f"movement_end_{movement.pk}_%s",
                        initial={"version": version_of(movement)},
                    ),
                )
                for movement in placement.movements.select_related("recorded_by")
            ],
            "may_care": active and works_at(request.user, shelter),
            "may_direct": active and is_director_of(request.user, shelter),
            # Several forms on one page: distinct ids, so each label names its own field.
            "care_form": CarePlanItemForm(auto_id="care_%s"),
            "movement_form": MovementForm(auto_id="movement_%s"),
            "discharge_form": DischargeForm(auto_id="discharge_%s", initial=version),
            "transfer_form": TransferForm(auto_id="transfer_%s", initial=version),
            "move_form": MoveSectionForm(placement=placement, auto_id="move_%s", initial=version),
        },
    )


@require_POST
@role_required(Role.SHELTER_DIRECTOR)
def admit(request, referral_id):
    shelter = selectors.shelter_of(request.user)
    referral_get_visible(user=request.user, referral_id=referral_id)  # else 404
    placement = perform(
        request,
        AdmitForm(request.POST, shelter=shelter, prefix=f"r{referral_id}"),
        lambda data: services.placement_admit(
            referral_id=referral_id,
            unit_id=data["unit"].pk,
            actor=request.user,
            planned_end=data["planned_end"],
            override_reason=data["override_reason"],
        ),
        _("The person is admitted."),
    )
    return redirect(placement if placement is not None else "shelters:home")


@require_POST
@role_required(Role.SHELTER_DIRECTOR)
def set_capacity(request, unit_id):
    shelter = selectors.shelter_of(request.user)
    unit = get_object_or_404(shelter.units, pk=unit_id)
    perform(
        request,
        CapacityForm(request.POST),
        lambda data: services.unit_set_capacity(
            unit_id=unit.pk, actor=request.user, capacity=data["capacity"]
        ),
        _("Capacity saved."),
        record=unit,
    )
    return redirect("shelters:home")


def _resident_action(request, placement_id, form_class, action, success):
    """Run `action` on the stay; a form that carries the stay's version (discharge, transfer)
    acts only on the stay as the user saw it."""
    placement = selectors.placement_get_visible(user=request.user, placement_id=placement_id)
    perform(
        request,
        form_class(request.POST),
        lambda data: action(placement, data),
        success,
        record=placement,
    )
    return redirect(placement)


@require_POST
@role_required(*SHELTER_ROLES)
def add_care_plan_item(request, placement_id):
    return _resident_action(
        request,
        placement_id,
        CarePlanItemForm,
        lambda p, data: services.care_plan_item_add(placement_id=p.pk, actor=request.user, **data),
        _("Care plan saved."),
    )


@require_POST
@role_required(*SHELTER_ROLES)
def update_care_plan_item(request, placement_id, item_id):
    """A care-plan item's new status, due date or note (on the stay's page)."""
    placement = selectors.placement_get_visible(user=request.user, placement_id=placement_id)
    item = get_object_or_404(placement.care_plan, pk=item_id)
    perform(
        request,
        CarePlanItemUpdateForm(request.POST, prefix=f"item{item.pk}"),
        lambda data: services.care_plan_item_update(item_id=item.pk, actor=request.user, **data),
        _("Care plan saved."),
        record=item,
    )
    return redirect(placement)


@require_POST
@role_required(*SHELTER_ROLES)
def add_movement(request, placement_id):
    return _resident_action(
        request,
        placement_id,
        MovementForm,
        lambda p, data: services.movement_record(placement_id=p.pk, actor=request.user, **data),
        _("Recorded."),
    )


@require_POST
@role_required(*SHELTER_ROLES)
def end_movement(request, placement_id, movement_id):
    """The person is back from an outing: its end is recorded (on the stay's page)."""
    placement = selectors.placement_get_visible(user=request.user, placement_id=placement_id)
    movement = get_object_or_404(placement.movements, pk=movement_id)
    perform(
        request,
        MovementEndForm(request.POST),
        lambda data: services.movement_end(
            movement_id=movement.pk, actor=request.user, ended_at=data["ended_at"]
        ),
        _("Recorded."),
        record=movement,
    )
    return redirect(placement)


@require_POST
@role_required(Role.SHELTER_DIRECTOR)
def move_section(request, placement_id):
    placement = selectors.placement_get_visible(user=request.user, placement_id=placement_id)
    perform(
        request,
        MoveSectionForm(request.POST, placement=placement),
        lambda data: services.placement_move_section(
            placement_id=placement.pk,
            unit_id=data["unit"].pk,
            actor=request.user,
            override_reason=data["override_reason"],
        ),
        _("The person moved to another section."),
        record=placement,
    )
    return redirect(placement)


@require_POST
@role_required(Role.SHELTER_DIRECTOR)
def discharge(request, placement_id):
    return _resident_action(
        request,
        placement_id,
        DischargeForm,
        lambda p, data: services.placement_discharge(
            placement_id=p.pk, actor=request.user, reason=data["reason"], note=data["note"]
        ),
        _("The person has left the shelter."),
    )


@require_POST
@role_required(Role.SHELTER_DIRECTOR)
def transfer(request, placement_id):
    return _resident_action(
        request,
        placement_id,
        TransferForm,
        lambda p, data: services.placement_transfer(placement_id=p.pk, actor=request.user, **data),
        _("Transfer requested: the other shelter's director decides."),
    )


@role_required(Role.CENTRAL_REVIEWER)
def national(request):
    """Occupancy of every shelter at a glance, for the central division."""
    return render(
        request, "shelters/national.html", {"shelters": selectors.shelter_list_with_units()}
    )


# --- Every visible stay, filtered, and its export ---------------------------------------------

PLACEMENT_LIST_ROLES = (*SHELTER_ROLES, Role.CENTRAL_REVIEWER, Role.SOCIAL_WORKER, Role.SUPERVISOR)


def _filtered_placements(request) -> PlacementFilter:
    """The one queryset behind the list of stays and its export: the placements the user may
    see, narrowed by the GET parameters (shelters/filters.py)."""
    placements = selectors.placement_list_visible_to(user=request.user)
    return PlacementFilter(request.GET, queryset=placements.order_by("-admitted_at", "-pk"))


@role_required(*PLACEMENT_LIST_ROLES)
def placement_list(request):
    """Shelters and the central division open a stay's page; a provincial office its case."""
    return audited_list_page(
        request,
        _filtered_placements(request),
        "shelters/placements.html",
        name="placements",
        columns=placement_columns(
            opens_stay=has_role(request.user, *SHELTER_ROLES, Role.CENTRAL_REVIEWER)
        ),
        may_export=may_export(request.user),
    )


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def placement_columns(*, opens_stay: bool = False) -> list[Column]:
    """The columns of the list of stays and its export, in the active language. The case
    number opens the stay's page for a shelter or the central division (`opens_stay`), the
    case's page for a provincial office."""
    section, status = labels(Section.choices), labels(PlacementStatus.choices)
    reason = labels(DischargeReason.choices)
    return [
        Column(
            _("Case number"),
            ("case__number",),
            lambda stay: stay.case.number,
            html=lambda stay: format_html(
                '<a href="{}">{}</a>',
                stay.get_absolute_url() if opens_stay else stay.case.get_absolute_url(),
                stay.case.number,
            ),
            nowrap=True,
        ),
        Column(
            _("Person"),
            ("case__person__name_th", "case__person__name_latin", "case__person__name_native"),
            lambda stay: stay.case.person.display_name,
        ),
        Column(
            _("Shelter"),
            ("unit__shelter__organisation__name_th", "unit__shelter__organisation__name_en"),
            lambda stay: stay.unit.shelter.organisation.name,
        ),
        Column(_("Section"), ("unit__section",), lambda stay: section(stay.unit.section)),
        Column(
            _("Admitted"), ("admitted_at",), lambda stay: _local_date(stay.admitted_at), nowrap=True
        ),
        Column(_("Status"), ("status",), lambda stay: status(stay.status)),
        Column(
            _("Discharged on"),
            ("discharged_at",),
            lambda stay: _local_date(stay.discharged_at),
            nowrap=True,
        ),
        Column(
            _("Reason for leaving"), ("discharge_reason",), lambda s: reason(s.discharge_reason)
        ),
    ]


@role_required(*EXPORTING_ROLES)
def placement_export(request):
    return list_export(
        request,
        name="placements",
        filterset=_filtered_placements(request),
        columns=placement_columns(),
    )
