"""The case page's forms that wait behind a "details" toggle, served when it is opened.

The screening, consent, permit and access forms carry long choice lists (languages, countries,
colleagues): rendered into every case page they were most of its weight and time
(docs/PERFORMANCE.md). The page now holds a link per form; htmx swaps the form in when the user
opens it, and without JavaScript the link opens the same form on a page of its own. Who gets a
form is who the case page offers it to. A posted form that is refused (its own checks or the
service's) comes back on its page with what the user typed and the reason beside the field,
rather than as a message over an empty form.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.domain import ActionForbidden, TransitionNotAllowed

from .. import selectors
from ..forms import AccessGrantForm, ConsentForm, PermitForm, ScreeningStartForm
from ..permissions import can_grant, can_start_screening, can_work_on


@dataclass(frozen=True)
class CaseForm:
    form_class: type
    action: str  # the URL name the form posts to, with the case's id
    title: object
    button: object
    offered: Callable  # offered(user, case): the case page shows it to this user


CASE_FORMS = {
    "screening": CaseForm(
        ScreeningStartForm,
        "cases:start_screening",
        _("Start a screening"),
        _("Start the screening"),
        can_start_screening,
    ),
    "consent": CaseForm(
        ConsentForm, "cases:add_consent", _("Record consent"), _("Record"), can_work_on
    ),
    "permit": CaseForm(
        PermitForm, "cases:add_permit", _("Record a permit"), _("Record"), can_work_on
    ),
    "access": CaseForm(
        AccessGrantForm,
        "cases:give_access",
        _("Share with a partner agency"),
        _("Share"),
        can_grant,
    ),
}


@login_required  # who may see the case is the selector's business: otherwise 404
def case_form(request, case_id, name):
    spec = CASE_FORMS.get(name)
    if spec is None:
        raise Http404
    case = selectors.case_get_visible(user=request.user, case_id=case_id)
    if not spec.offered(request.user, case):
        raise PermissionDenied
    return form_on_demand(
        request,
        case,
        spec.form_class(),
        action=reverse(spec.action, args=[case.pk]),
        title=spec.title,
        button=spec.button,
    )


def form_on_demand(request, case, form, *, action, title, button):
    """A form of the case page that comes when its toggle opens
    (templates/includes/form_on_demand.html): the form alone for htmx, else on a page of its
    own (without JavaScript), with the way back to the case. Also for the sections of the
    apps built on `cases` (the plan's tasks, the "waiting because ..." form)."""
    context = {"case": case, "form": form, "action": action, "title": title, "button": button}
    if request.headers.get("HX-Request"):
        return render(request, "cases/_case_form.html", context)
    return render(request, "cases/case_form.html", context)


def case_form_post(request, case_id, name, action, success, *, go_to_result=False):
    """Run `action(case, cleaned_data)` for the posted form `name` on a visible case. Done:
    back to the case (or to what the service made, `go_to_result`) with `success` as a message.
    Refused: the form's page, with the user's input and the reasons."""
    case = selectors.case_get_visible(user=request.user, case_id=case_id)
    spec = CASE_FORMS[name]
    return form_on_demand_post(
        request,
        case,
        spec.form_class(request.POST),
        lambda data: action(case, data),
        success,
        action=reverse(spec.action, args=[case.pk]),
        title=spec.title,
        button=spec.button,
        go_to_result=go_to_result,
    )


def form_on_demand_post(
    request, case, form, run, success, *, action, title, button, go_to_result=False
):
    """Run `run(cleaned_data)` for a posted form of the case page (form_on_demand). Done: back
    to the case (or to what the service made, `go_to_result`) with `success` as a message.
    Refused (the form's checks or the service's): the form's page, with the user's input and
    each reason beside the field it concerns."""
    if form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        except (TransitionNotAllowed, ActionForbidden) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(result if go_to_result and result is not None else case)
    context = {"case": case, "form": form, "action": action, "title": title, "button": button}
    return render(request, "cases/case_form.html", context)


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal beside the field it names, when the form has that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
