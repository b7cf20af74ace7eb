"""Repatriation pages: the plan's form from a case, each repatriation with its moves and
timeline, the list and its export. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import EXPORTING_ROLES, may_export, role_required
from audit.exports import list_export
from audit.reads import audited_list_page
from cases.models import ConsentStep
from cases.selectors import case_get_visible, consent_latest
from core.actions import perform
from core.domain import ActionForbidden, TransitionNotAllowed
from core.forms import add_service_errors
from core.lists import Column, labels
from core.versions import version_of

from . import selectors, services
from .filters import RepatriationFilter
from .forms import AssessForm, CancelForm, ConfirmForm, NoteForm, PlanForm, ScheduleForm
from .models import Kind
from .permissions import available_moves
from .workflow import Status

PROVINCIAL = (Role.SOCIAL_WORKER, Role.SUPERVISOR)
LIST_ROLES = (*PROVINCIAL, Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF, Role.CENTRAL_REVIEWER)


@role_required(*PROVINCIAL)
def new(request, case_id):
    """The plan of a person's return home, from their case."""
    case = case_get_visible(user=request.user, case_id=case_id)
    abroad = case.person.nationality != "TH"
    form = PlanForm(request.POST or None, abroad=abroad)
    if request.method == "POST" and form.is_valid():
        try:
            repatriation = services.repatriation_plan(
                actor=request.user, case_id=case.pk, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except (ActionForbidden, TransitionNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(repatriation)
    return render(
        request,
        "repatriation/new.html",
        {
            "case": case,
            "form": form,
            "abroad": abroad,
            "consent": consent_latest(case, ConsentStep.REPATRIATION),
        },
    )


@login_required  # who may see it is the selector's business (the case's visibility): else 404
def detail(request, repatriation_id):
    repatriation = selectors.repatriation_get_for_display(
        user=request.user, repatriation_id=repatriation_id
    )
    today = timezone.localdate()
    version = version_of(repatriation)
    return render(
        request,
        "repatriation/detail.html",
        {
            "repatriation": repatriation,
            "case": repatriation.case,
            "events": repatriation.events.select_related("actor"),
            "transfers": repatriation.transfers.select_related("sent_by"),
            "deadlines": selectors.running_deadlines(repatriation),
            "actions": available_moves(request.user, repatriation),
            "Status": Status,
            "note_form": NoteForm(auto_id="note_%s", initial={"version": version}),
            "assess_form": AssessForm(initial={"assessed_on": today, "version": version}),
            "schedule_form": ScheduleForm(
                initial={
                    "handover_on": repatriation.handover_on,
                    "handover_place": repatriation.handover_place,
                    "travel_document": repatriation.travel_document,
                    "travel_document_number": repatriation.travel_document_number,
                    "version": version,
                }
            ),
            "confirm_form": ConfirmForm(initial={"confirmed_on": today, "version": version}),
            "cancel_form": CancelForm(auto_id="cancel_%s", initial={"version": version}),
        },
    )


# Each move: the form it needs and how its fields map onto the service.
ACTIONS = {
    "send": (NoteForm, services.repatriation_send),
    "assess": (AssessForm, services.repatriation_assess),
    "schedule": (ScheduleForm, services.repatriation_schedule),
    "hand_over": (NoteForm, services.repatriation_hand_over),
    "confirm": (ConfirmForm, services.repatriation_confirm),
    "cancel": (CancelForm, services.repatriation_cancel),
}


@require_POST
@role_required(*PROVINCIAL)
def act(request, repatriation_id, move):
    """Run one move. A refusal or a conflict comes back as a message on the page."""
    if move not in ACTIONS:
        raise Http404
    repatriation = selectors.repatriation_get_visible(
        user=request.user, repatriation_id=repatriation_id
    )
    form_class, service = ACTIONS[move]
    perform(
        request,
        form_class(request.POST),
        lambda data: service(repatriation_id=repatriation.pk, actor=request.user, **data),
        _("Saved."),
        record=repatriation,
    )
    return redirect(repatriation)


# --- Every visible repatriation, filtered, and its export -------------------------------------


def _filtered(request) -> RepatriationFilter:
    """The one queryset behind the list and its export."""
    rows = selectors.repatriation_list_visible_to(user=request.user)
    return RepatriationFilter(request.GET, queryset=rows.order_by("-created_at", "-pk"))


@role_required(*LIST_ROLES)
def repatriation_list(request):
    return audited_list_page(
        request,
        _filtered(request),
        "repatriation/list.html",
        name="repatriations",
        columns=repatriation_columns(),
        may_export=may_export(request.user),
    )


def repatriation_columns() -> list[Column]:
    """The columns of the list and its export, in the active language."""
    kind, status = labels(Kind.choices), labels(Status.choices)
    return [
        Column(
            _("Case number"),
            ("case__number",),
            lambda row: row.case.number,
            html=lambda row: format_html(
                '<a href="{}">{}</a>', row.get_absolute_url(), row.case.number
            ),
            nowrap=True,
        ),
        Column(
            _("Person"),
            ("case__person__name_th", "case__person__name_latin", "case__person__name_native"),
            lambda row: row.case.person.display_name,
            in_export=False,
        ),
        Column(_("Kind"), ("kind",), lambda row: kind(row.kind)),
        Column(
            _("Receiving agency or province"),
            (
                "counterpart__name_th",
                "counterpart__name_en",
                "province__name_th",
                "province__name_en",
            ),
            lambda row: row.receiver,
        ),
        Column(
            _("Country"),
            ("counterpart__country",),
            lambda row: row.counterpart.country_name if row.counterpart_id else "",
        ),
        Column(_("Status"), ("status",), lambda row: status(row.status)),
        Column(_("Hand-over date"), ("handover_on",), lambda row: row.handover_on, nowrap=True),
        Column(_("Hand-over place"), ("handover_place",), lambda row: row.handover_place),
        Column(
            _("Confirmed on"),
            ("confirmed_on",),
            lambda row: row.confirmed_on,
            on_page=False,
        ),
        Column(
            _("Owning office"),
            ("case__owner__name_th", "case__owner__name_en"),
            lambda row: row.case.owner.name,
            on_page=False,
        ),
    ]


@role_required(*EXPORTING_ROLES)
def repatriation_export(request):
    return list_export(
        request, name="repatriations", filterset=_filtered(request), columns=repatriation_columns()
    )
