"""The one way a page runs a service from a posted form: the outcome, good or bad, comes back
as a message on the page the user returns to (never an error page). What the user typed in a
refused form is put back into it there by static/js/keep-input.js (the message's
`data-refused` tells it the form was refused)."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from core.domain import ActionForbidden, TransitionNotAllowed


def perform(request, form, action, success: str):
    """Run `action(form.cleaned_data)` when the form is valid; return its result, or None when
    the form, the service's checks, the object's state or the user's authority refused it."""
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (TransitionNotAllowed, ActionForbidden) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
        return result
    return None
