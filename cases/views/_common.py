"""What the case pages share: who works on cases, and running one service on a visible case."""

from django.shortcuts import redirect

from accounts.models import Role
from core.actions import perform

from .. import selectors

PROVINCIAL = (Role.SOCIAL_WORKER, Role.SUPERVISOR)


def case_action(request, case_id, form_class, action, success, go_to_result=False):
    """Run one service on a visible case from a posted form (one that carries the case's
    version acts only on the case as the user saw it). Back to the case afterwards, or to what
    the service made when `go_to_result`."""
    case = selectors.case_get_visible(user=request.user, case_id=case_id)
    form = form_class(request.POST, request.FILES)
    result = perform(request, form, lambda data: action(case, data), success, record=case)
    return redirect(result if go_to_result and result is not None else case)
