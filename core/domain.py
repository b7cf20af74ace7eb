"""Errors that every app's services raise, and the one helper that checks a state move.

The web views turn them into a message on the page; the API turns them into 409 and 403
(nrm/api.py). Validation errors stay Django's ValidationError (400 in the API).
"""

from django.utils.translation import gettext as _


class TransitionNotAllowed(Exception):
    """The object is not in a state from which this move is allowed (API: 409 Conflict)."""


class ActionForbidden(Exception):
    """The user may see the object but may not do this to it (API: 403)."""


def ensure_transition(current: str, target: str, transitions: dict, labels: dict) -> None:
    """Raise TransitionNotAllowed unless `transitions[current]` allows `target`."""
    if target not in transitions.get(current, ()):
        raise TransitionNotAllowed(
            _("This cannot be done now: it is %(current)s, and it cannot become %(target)s.")
            % {"current": labels.get(current, current), "target": labels.get(target, target)}
        )


def ensure(allowed: bool, message: str) -> None:
    if not allowed:
        raise ActionForbidden(message)


class StaleVersion(Exception):
    """The change was based on a version of the record that another change has replaced
    (API: 412 Precondition Failed; a form: its conflict message, the user's input kept)."""
