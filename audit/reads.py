"""Reading a victim's record leaves a trace.

Every detail page, print view, download and API retrieve fetches its object with a
`<model>_get_for_display` selector (`cases.selectors.case_get_for_display`, ...): the object
comes through the visibility selector (404 when the user may not see it) and the reading is
recorded here, in one call, so a page cannot show a record without it being logged.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import models

from .models import AuditEvent
from .services import audit_record

Record = TypeVar("Record", bound=models.Model)


def record_display(obj: Record, *, user) -> Record:
    """Log that `user` was shown `obj`, and return it."""
    audit_record(action=AuditEvent.Action.VIEW, actor=user, obj=obj)
    return obj


def read_for_display(get_visible: Callable[..., Record], *, user, **lookup) -> Record:
    """`get_visible(user=user, **lookup)`, the object then logged as shown to the user."""
    return record_display(get_visible(user=user, **lookup), user=user)
