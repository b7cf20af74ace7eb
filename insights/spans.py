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
    ExtractQuarter,
    ExtractYear,
    Greatest,
    Least,
    TruncDate,
)
from django.db.models.lookups import LessThan
from django.utils import timezone

from cases.models import CHILD_AGE
from cases.models import Case as CaseRecord

from .models import Blocker, StageSpan, StageSpanForm
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
        "nationality": F("case__person__nationality"),
        "age": child_at_intake(),
        "year": ExtractYear("start"),
        "quarter": ExtractYear("start") * 10 + ExtractQuarter("start"),
        "counted_at": Value(now),
    }


def stage_source(stage: Stage, now=None):
    """The stage's rows as StageSpan's columns (a values queryset, in the table's order)."""
    columns = _columns(stage, now or timezone.now())
    aliases = {f"span_{name}": expression for name, expression in columns.items()}
    # A row whose end comes before its start (times typed or imported out of order, as in the
    # demo's back-dated stays) has no length to count: it is left out, not counted negative.
    rows = stage.rows().filter(end__gte=F("start"))
    return rows.order_by().annotate(**aliases).values_list(*aliases)


# The columns a stage's row keeps once for each form of exploitation of its case.
FORM_COLUMNS = (
    "stage",
    "case_id",
    "start",
    "end",
    "seconds",
    "in_time",
    "waited",
    "province",
    "region",
)
# Each form of exploitation of the row's case (a JSON list): a set-returning function.
EACH_FORM = {
    "postgresql": "CROSS JOIN LATERAL jsonb_array_elements_text(c.exploitation_types) AS e(value)",
    "sqlite": ", json_each(c.exploitation_types) AS e",
}


def _names(model, columns) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(name).column) for name in columns]


def count_stage_spans() -> int:
    """Count every stage's rows again, in one transaction: the pages read the former count
    until it commits. Returns the number of rows."""
    now = timezone.now()
    quote = connection.ops.quote_name
    spans, forms = quote(StageSpan._meta.db_table), quote(StageSpanForm._meta.db_table)
    cases = quote(CaseRecord._meta.db_table)
    span_columns = ", ".join(_names(StageSpan, _columns(STAGES[0], now)))
    form_columns = _names(StageSpanForm, FORM_COLUMNS)
    # The model's own tables and columns (no input of anyone's); the stages' queries are
    # Django's, with their parameters.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One count at a time (beat and a command); readers are not held up.
            cursor.execute(f"LOCK TABLE {spans} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {forms}")  # noqa: S608
        cursor.execute(f"DELETE FROM {spans}")  # noqa: S608
        for stage in STAGES:
            sql, params = stage_source(stage, now).query.sql_with_params()
            cursor.execute(f"INSERT INTO {spans} ({span_columns}) {sql}", params)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {forms} ({', '.join(form_columns)}, {quote('exploitation')}) "  # noqa: S608
            f"SELECT {', '.join(f's.{name}' for name in form_columns)}, e.value "
            f"FROM {spans} s JOIN {cases} c ON c.id = s.{quote('case_id')} "
            f"{EACH_FORM[connection.vendor]}"
        )
    if not connection.in_atomic_block and connection.vendor == "postgresql":
        # The rows deleted are reclaimed and the new ones marked visible to all, so that the
        # first pages after a count do not do that work; the planner learns the new rows.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {spans}, {forms}")
    return StageSpan.objects.count()


def counted_at():
    """When the figures were last counted (None before the first count)."""
    return StageSpan.objects.values_list("counted_at", flat=True).first()
