"""The case page's forms that wait behind a "details" toggle, served when it is opened.

The screening, consent, permit and access forms carry long choice lists (languages, countries,
colleagues): rendered into every case page they were most of its weight and time
(docs/PERFORMANCE.md). The page now holds a link per form; htmx swaps the form in when the user
opens it, and without JavaScript the link opens the same form on a page of its own. Who gets a
form is who the case page offers it to; posting it runs the same views as before.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..forms import AccessGrantForm, ConsentForm, PermitForm, ScreeningStartForm
from ..permissions import can_grant, can_work_on


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
        lambda user, case: can_work_on(user, case) and case.is_open,
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
        _("Give a named person access"),
        _("Give access"),
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
    context = {
        "case": case,
        "form": spec.form_class(),
        "action": reverse(spec.action, args=[case.pk]),
        "title": spec.title,
        "button": spec.button,
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/_case_form.html", context)
    return render(request, "cases/case_form.html", context)
