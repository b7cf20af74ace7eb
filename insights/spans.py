"""The stages' rows counted into a table of their own (insights.StageSpan), with the groups
the figures break down by written beside each row: the stage querysets (insights/stages.py)
join screenings, referrals, stays and clocks to their cases, persons and blockers, which takes
seconds on national data; the figures then read one narrow table.

Beat counts them again every few minutes (insights.tasks.count_stage_spans), and so do the
demo and load data at their end; the pages say when the figures were counted.
"""

from django.db import connection, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
    TruncDate,
)
from django.db.models.lookups import LessThan
from django.utils import timezone

from cases.models import CHILD_AGE

from .models import Blocker, StageSpan
from .stages import STAGES, Stage

CHILD, ADULT = "child", "adult"


class Seconds(Func):
    """The seconds from `start` to `end`, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def __init__(self, start, end):
        super().__init__(end, start)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float",
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )


def blocked_seconds(stage: Stage, now):
    """The seconds of a row's stage spent waiting on a blocker (insights.Blocker) of its
    record: each blocker's time within the stage's start and end (a running one until now)."""
    if stage.blocked_on is None:
        return Value(0.0)
    field, path = stage.blocked_on
    overlapping = Blocker.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef("start")),
        **{field: OuterRef(path)},
        started_at__lt=OuterRef("end"),
    )
    overlap = Seconds(
        Greatest("started_at", OuterRef("start")),
        Least(Coalesce("ended_at", Value(now)), OuterRef("end")),
    )
    total = overlapping.order_by().values(field).annotate(total=Sum(overlap)).values("total")
    # Most rows never waited: a hashed look-up of the records with blockers spares them the
    # correlated sum (PostgreSQL runs the uncorrelated IN once, as a hash).
    held_up = Blocker.objects.filter(**{f"{field}__isnull": False}).values(field)
    return Case(
        # A record whose blockers all lie outside this stage's time sums no row: 0, not NULL.
        When(
            Q(**{f"{path}__in": held_up}),
            then=Coalesce(Subquery(total, output_field=FloatField()), Value(0.0)),
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _years_to_intake(date: str):
    """Whole years from `date` to the case's intake date (the birthday rule), in SQL."""
    intake = "case__intake_date"
    not_yet = Case(
        When(
            Q(**{f"{intake}__month__lt": ExtractMonth(date)})
            | Q(**{f"{intake}__month": ExtractMonth(date), f"{intake}__day__lt": ExtractDay(date)}),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear(intake) - ExtractYear(date) - not_yet


def child_at_intake():
    """ "child" or "adult" at the case's intake, by Person.is_child's presumption of minority:
    under 18, of disputed age or of unknown age is a child."""
    person = "case__person__"
    age = Coalesce(
        _years_to_intake(f"{person}date_of_birth"),
        F(f"{person}estimated_age")
        + _years_to_intake(Coalesce(f"{person}age_estimated_on", TruncDate(f"{person}created_at"))),
        output_field=IntegerField(),
    )
    return Case(
        When(Q(**{f"{person}age_disputed": True}), then=Value(CHILD)),
        When(
            Q(**{f"{person}date_of_birth__isnull": True, f"{person}estimated_age__isnull": True}),
            then=Value(CHILD),
        ),
        When(LessThan(age, CHILD_AGE), then=Value(CHILD)),
        default=Value(ADULT),
    )


def _columns(stage: Stage, now) -> dict:
    """StageSpan's columns, in its order, as expressions on the stage's rows."""
    return {
        "stage": Value(stage.key),
        "record_id": F("pk"),
        "case_id": F("case_id"),
        "start": F("start"),
        "end": F("end"),
        "seconds": Seconds("start", "end"),
        "in_time": F("in_time"),
        "waited": blocked_seconds(stage, now),
        "province": F("case__intake_province__code"),
        "region": F("case__intake_province__region"),
        "shelter_id": F(stage.shelter) if stage.shelter else Value(None, IntegerField()),
        "exploitation_types": F("case__exploitation_types"),
        "nationality": F("case__person__nationality"),
        "age": child_at_intake(),
        "counted_at": Value(now),
    }


def stage_source(stage: Stage, now=None):
    """The stage's rows as StageSpan's columns (a values queryset, in the table's order)."""
    columns = _columns(stage, now or timezone.now())
    aliases = {f"span_{name}": expression for name, expression in columns.items()}
    return stage.rows().order_by().annotate(**aliases).values_list(*aliases)


def count_stage_spans() -> int:
    """Count every stage's rows again, in one transaction: the pages read the former count
    until it commits. Returns the number of rows."""
    now = timezone.now()
    table = connection.ops.quote_name(StageSpan._meta.db_table)
    names = ", ".join(
        connection.ops.quote_name(StageSpan._meta.get_field(name).column)
        for name in _columns(STAGES[0], now)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One count at a time (beat and a command); readers are not held up.
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the model's own table name)
        for stage in STAGES:
            sql, params = stage_source(stage, now).query.sql_with_params()
            # The model's own table and columns; the stage's query is Django's, with params.
            cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # noqa: S608
    return StageSpan.objects.count()


def counted_at():
    """When the figures were last counted (None before the first count)."""
    return StageSpan.objects.values_list("counted_at", flat=True).first()
