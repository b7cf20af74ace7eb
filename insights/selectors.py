"""Reads of the stage figures' rows that depend on the viewer."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from accounts.models import Role

from .dimensions import Dimension
from .figures import Filters, has_value, stage_rows
from .stages import Stage


def sees_many_provinces(user) -> bool:
    """Whether the viewer's figures span provinces (and may be narrowed to one)."""
    return user.membership is not None and user.membership.role == Role.CENTRAL_REVIEWER


def _in_group(rows: QuerySet, dimension: Dimension, stage: Stage, group: str) -> QuerySet:
    if dimension.many:
        return rows.filter(has_value(dimension, group))
    expression = dimension.expression(stage)
    if expression is None:
        return rows.none()
    rows = rows.annotate(group=expression)
    if group == "":
        return rows.filter(group__isnull=True)
    try:
        return rows.filter(group=group)
    except (ValueError, ValidationError):  # not a value of the group's kind ("abc" for a year)
        return rows.none()


def stage_cases_visible_to(*, user, stage: Stage, filters: Filters, group: str) -> QuerySet:
    """The rows of `stage` in one group of the filters' dimension, on cases the user may
    see, the longest first, with their case."""
    rows = stage_rows(stage, user=user, filters=filters)
    return (
        _in_group(rows, filters.dimension, stage, group)
        .select_related("case__intake_province")
        .order_by("-seconds", "pk")
    )
