"""The outcome pages: record a follow-up with its outcome, close a case with its outcome, and
the list of outcomes with its export. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import EXPORTING_ROLES, may_export, role_required
from audit.exports import list_export
from audit.reads import audited_list_page
from cases.models import Case
from cases.permissions import can_close
from cases.selectors import case_get_visible
from cases.services import case_close_blockers
from core.domain import ActionForbidden, StaleVersion, TransitionNotAllowed
from core.lists import Column, labels
from core.versions import form_versions, show_version_now, version_checked, version_of

from . import selectors, services
from .filters import OutcomeFilter
from .forms import ClosureOutcomeForm, OutcomeForm
from .models import (
    SITUATION_FIELDS,
    Answer,
    Contact,
    Health,
    Moment,
    NotPossibleReason,
    OwnView,
)

PROVINCIAL = (Role.SOCIAL_WORKER, Role.SUPERVISOR)
LIST_ROLES = (*PROVINCIAL, Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF, Role.CENTRAL_REVIEWER)


def _errors_onto(form, error: ValidationError) -> None:
    """The service's refusals, each on its field (the rest above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _record(request, case, form, action, success: str, template: str, **context):
    """Show the form; on a valid post run the service, back to the case with the outcome as
    a message; a refusal of the answers keeps the form and its answers with the messages. A
    form that carries the case's version (closing) is refused, its answers kept, when someone
    else changed the case since the form was drawn."""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with version_checked(Case, case.pk, form_versions(data.pop("version", ""))):
                action(data)
        except ValidationError as error:
            _errors_onto(form, error)
        except StaleVersion as error:
            form.add_error(None, str(error))
            show_version_now(form, case)
        except (TransitionNotAllowed, ActionForbidden) as error:
            messages.error(request, str(error))
            return redirect(case)
        else:
            messages.success(request, success)
            return redirect(case)
    return render(
        request,
        template,
        {"case": case, "form": form, "situation_fields": SITUATION_FIELDS, **context},
    )


@role_required(*PROVINCIAL)
def follow_up(request, case_id):
    """The follow-up due on a case, recorded with the person's outcome: this is the visit's
    record (the clock is met and the next one opens)."""
    case = case_get_visible(user=request.user, case_id=case_id)
    due = selectors.follow_up_due(case)
    if due is None:
        messages.error(request, _("No follow-up visit is due for this case."))
        return redirect(case)
    return _record(
        request,
        case,
        OutcomeForm(request.POST or None),
        lambda data: services.follow_up_outcome_record(case_id=case.pk, actor=request.user, **data),
        _("Follow-up visit recorded."),
        "outcomes/record.html",
        due=due,
        title=due.moment.label,
    )


@role_required(*PROVINCIAL)
def close(request, case_id):
    """Close a case with the person's outcome at closure."""
    case = case_get_visible(user=request.user, case_id=case_id)
    if not case.is_open or not can_close(request.user, case):
        messages.error(request, _("Only the lead worker or a supervisor closes a case."))
        return redirect(case)
    return _record(
        request,
        case,
        ClosureOutcomeForm(request.POST or None, initial={"version": version_of(case)}),
        lambda data: services.closure_outcome_record(case_id=case.pk, actor=request.user, **data),
        _("The case is closed."),
        "outcomes/record.html",
        title=_("Close the case with the person's outcome"),
        # Said before the form is filled in, not after (the service checks them again).
        blockers=case_close_blockers(case) if request.method == "GET" else [],
    )


# --- Every visible outcome, filtered, and its export ------------------------------------------


def _filtered_outcomes(request) -> OutcomeFilter:
    """The one queryset behind the list of outcomes and its export."""
    outcomes = selectors.outcome_list_visible_to(user=request.user)
    return OutcomeFilter(request.GET, queryset=outcomes.order_by("-recorded_at", "-pk"))


@role_required(*LIST_ROLES)
def outcome_list(request):
    return audited_list_page(
        request,
        _filtered_outcomes(request),
        "outcomes/list.html",
        name="outcomes",
        columns=outcome_columns(),
        may_export=may_export(request.user),
    )


@role_required(*EXPORTING_ROLES)
def outcome_export(request):
    return list_export(
        request, name="outcomes", filterset=_filtered_outcomes(request), columns=outcome_columns()
    )


def outcome_columns() -> list[Column]:
    """The columns of the list of outcomes and its export, in the active language."""
    moment, contact = labels(Moment.choices), labels(Contact.choices)
    reason, answer = labels(NotPossibleReason.choices), labels(Answer.choices)
    health, view = labels(Health.choices), labels(OwnView.choices)
    yes, no = _("Yes"), _("No")

    def answered(field, words):
        return lambda outcome: words(getattr(outcome, field)) if getattr(outcome, field) else ""

    return [
        Column(
            _("Case number"),
            ("case__number",),
            lambda outcome: outcome.case.number,
            html=lambda outcome: format_html(
                '<a href="{}">{}</a>', outcome.case.get_absolute_url(), outcome.case.number
            ),
            nowrap=True,
        ),
        Column(
            _("Person"),
            ("case__person__name_th", "case__person__name_latin", "case__person__name_native"),
            lambda outcome: outcome.case.person.display_name,
        ),
        Column(_("When"), ("moment",), lambda outcome: moment(outcome.moment)),
        Column(
            _("Recorded"),
            ("recorded_at",),
            lambda outcome: timezone.localdate(outcome.recorded_at),
            nowrap=True,
        ),
        Column(_("Contact with the person"), ("contact",), lambda o: contact(o.contact)),
        Column(
            _("Why it could not be done"),
            ("not_possible_reason",),
            answered("not_possible_reason", reason),
        ),
        Column(_("Safe housing"), ("safe_housing",), answered("safe_housing", answer)),
        Column(_("Income or work"), ("income",), answered("income", answer)),
        Column(_("Identity documents or permit"), ("documents",), answered("documents", answer)),
        Column(_("Compensation received"), ("compensation",), answered("compensation", answer)),
        Column(_("Education or training"), ("education",), answered("education", answer)),
        Column(_("Health"), ("health",), answered("health", health)),
        Column(_("The person's own view"), ("own_view",), answered("own_view", view)),
        Column(
            _("In the person's own words"),
            ("own_words",),
            lambda outcome: outcome.own_words,
            on_page=False,
        ),
        Column(
            _("Sign of re-victimisation"),
            ("revictimised",),
            lambda outcome: yes if outcome.revictimised else no,
        ),
        Column(_("Note"), ("note",), lambda outcome: outcome.note, on_page=False),
    ]
