"""The one way a page runs a service from a posted form: the outcome, good or bad, comes back
as a message on the page the user returns to (never an error page). What the user typed in a
refused form is put back into it there by static/js/keep-input.js (the message's
`data-refused` tells it the form was refused).

A form that changes a versioned record (core/versions.py) carries the record's version when
the page was drawn (`VersionField`, named `version`) and names the record to `perform`: if
someone else changed it since, nothing is done and the message says so. The page the user
returns to is drawn anew: the record as it is now, the form with its new version (keep-input
never puts back a hidden field), so a form sent again is checked against what the user has now
been shown."""

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import ValidationError

from core.domain import ActionForbidden, StaleVersion, TransitionNotAllowed
from core.versions import form_versions, version_checked


def perform(request, form, action, success: str, *, record=None):
    """Run `action(data)`, `data` the form's cleaned data without its `version`, when the form
    is valid and `record` (a versioned record the action changes, if any) is still at the
    form's version; return its result, or None when the form, someone else's change, the
    service's checks, the object's state or the user's authority refused it."""
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return None
    data = dict(form.cleaned_data)
    accepted = form_versions(data.pop("version", ""))
    try:
        with version_checked(type(record), record.pk, accepted) if record else nullcontext():
            result = action(data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (TransitionNotAllowed, ActionForbidden, StaleVersion) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
        return result
    return None
