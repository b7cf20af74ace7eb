"""Reading a victim's record leaves a trace.

Every detail page, print view, download and API retrieve fetches its object with a
`<model>_get_for_display` selector (`cases.selectors.case_get_for_display`, ...): the object
comes through the visibility selector (404 when the user may not see it) and the reading is
recorded here, in one call, so a page cannot show a record without it being logged.

A list that shows persons (a search's results, the residents, an API page) is one event per
page shown: which list, with which filters, how many rows and which (the first MAX_IDS ids),
so that a bulk read is as visible in the log as the reading of one record.
"""

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import models
from django_filters import FilterSet

from core.lists import list_page

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


MAX_IDS = 200


def record_list(
    rows: Sequence[models.Model] | Sequence[dict],
    *,
    user,
    name: str,
    query: dict | None = None,
    model: type[models.Model] | None = None,
):
    """Log that `user` was shown the `rows` of the list `name` (nothing when it showed none):
    model instances, or plain rows of `model` (a `.values()` with their `pk`)."""
    if not rows:
        return
    plain = isinstance(rows[0], dict)
    audit_record(
        action=AuditEvent.Action.LIST,
        actor=user,
        changes={
            "list": name,
            "model": (model or type(rows[0]))._meta.label_lower,
            "query": {key: value for key, value in (query or {}).items() if value},
            "count": len(rows),
            "ids": [row["pk"] if plain else row.pk for row in rows[:MAX_IDS]],
        },
    )


def query_asked(params) -> dict:
    """A list's GET parameters as the log keeps them: a filter given several values
    (`?province=50&province=63`) with them all."""
    return {key: values[0] if len(values) == 1 else values for key, values in params.lists()}


def audited_list_page(request, filterset: FilterSet, template: str, *, name: str, **options):
    """core.lists.list_page, with the page's rows logged as shown (record_list)."""
    prepare = options.pop("prepare", None)

    def shown(rows):
        record_list(rows, user=request.user, name=name, query=query_asked(request.GET))
        return prepare(rows) if prepare is not None else rows

    return list_page(request, filterset, template, prepare=shown, **options)
