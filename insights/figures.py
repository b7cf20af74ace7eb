"""The stage figures: for each stage of the journey, how many people went through it, the
median and 90th percentile of its length, and the share done within its limit, by a
dimension (insights/dimensions.py), over the cases the viewer may see (a regional officer:
over its provinces' cases, counted only); read from the stages' rows as last counted
(insights.StageSpan, insights/spans.py).

Counted by the database: PostgreSQL's percentile_cont, one grouped query per stage. The
embedded SQLite has no percentile function: there the lengths are read and the same
percentiles (linear interpolation between the closest ranks) are computed in Python.
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import Province, Role
from accounts.permissions import has_role
from accounts.selectors import covered_provinces
from cases.selectors import case_list_visible_to

from .dimensions import DIMENSION_BY_KEY, Dimension
from .models import StageSpan, StageSpanForm
from .stages import STAGES, Stage

PERCENTILES = {"median": 0.5, "p90": 0.9}


class Percentile(Aggregate):
    """PostgreSQL's continuous percentile (linear interpolation) of an expression."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile(values: list[float], fraction: float) -> float | None:
    """percentile_cont in Python: `values` sorted ascending."""
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


@dataclass(frozen=True)
class Filters:
    """Stages that started from `start` to `end` inclusive (Bangkok days), of cases taken in
    in one province or region, or all the viewer may see; broken down by `by`."""

    start: dt.date
    end: dt.date
    province: Province | None = None
    region: str = ""
    by: str = "all"

    @property
    def dimension(self) -> Dimension:
        return DIMENSION_BY_KEY[self.by]

    def query(self) -> dict:
        """The GET parameters of these filters (for links to the cases behind a figure)."""
        query = {"start": self.start.isoformat(), "end": self.end.isoformat(), "by": self.by}
        if self.province is not None:
            query["province"] = self.province.code
        if self.region:
            query["region"] = self.region
        return query


@dataclass
class Figure:
    """One stage in one group."""

    key: object
    label: str | Promise
    count: int = 0
    median: float | None = None  # seconds
    p90: float | None = None
    total: float = 0.0
    within: int = 0  # done within the stage's limit
    limited: int = 0  # with a limit to be within
    blocked: float = 0.0  # seconds of `total` spent waiting on a blocker
    blocked_count: int = 0  # people held up by one

    @property
    def blocked_share(self) -> float | None:
        """The percentage of the stage's time spent waiting on blockers."""
        return round(100 * self.blocked / self.total, 1) if self.total else None

    @property
    def share(self) -> float | None:
        """The percentage done within the limit, or None for a stage without one."""
        return round(100 * self.within / self.limited, 1) if self.limited else None

    @property
    def late(self) -> int:
        return self.limited - self.within


@dataclass
class StageFigures:
    stage: Stage
    groups: list[Figure] = field(default_factory=list)


def midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def counted_cases(user, *, listed: bool = False) -> Q | None:
    """The cases behind the user's figures, as a filter over rows with a `case` (None: all):
    the cases the user may see; for a regional officer's figures, those taken in in the
    provinces its office covers, which it counts but never lists (`listed`: the cases it may
    open, none unless one was granted to it)."""
    if not listed and has_role(user, Role.REGIONAL_OFFICER):
        return Q(case__intake_province__in=covered_provinces(user=user))
    visible = case_list_visible_to(user=user)
    if visible.query.has_filters():
        return Q(case__in=visible.order_by().values("pk"))
    return None


def stage_rows(stage: Stage, *, user, filters: Filters, listed: bool = False) -> QuerySet:
    """The stage's rows that the figures count, as last counted (insights.StageSpan, or
    StageSpanForm by form of exploitation): begun in the period, in the province or region,
    on the user's cases (`counted_cases`)."""
    model = StageSpanForm if filters.dimension.many else StageSpan
    rows = model.objects.filter(
        stage=stage.key,
        start__gte=midnight(filters.start),
        start__lt=midnight(filters.end + dt.timedelta(days=1)),
    )
    if filters.province is not None:
        rows = rows.filter(province=filters.province.code)
    if filters.region:
        rows = rows.filter(region=filters.region)
    counted = counted_cases(user, listed=listed)
    if counted is not None:
        rows = rows.filter(counted)
    return rows


def _aggregates(condition: Q | None = None) -> dict:
    def where(extra: Q | None = None) -> Q | None:
        if condition is None:
            return extra
        return condition if extra is None else condition & extra

    return {
        "count": Count("pk", filter=where()),
        **{
            name: Percentile("seconds", fraction, filter=where())
            for name, fraction in PERCENTILES.items()
        },
        "total": Sum("seconds", filter=where()),
        "blocked": Sum("waited", filter=where()),
        "blocked_count": Count("pk", filter=where(Q(waited__gt=0))),
        "within": Count("pk", filter=where(Q(in_time=True))),
        "limited": Count("pk", filter=where(Q(in_time__isnull=False))),
    }


def _in_database(rows: QuerySet, dimension: Dimension, stage: Stage) -> dict:
    """{group: {count, median, ...}} counted by PostgreSQL."""
    grouped = (
        rows.annotate(group=dimension.expression(stage))
        .order_by()
        .values("group")
        .annotate(**_aggregates())
    )
    return {row.pop("group"): row for row in grouped}


def in_python(rows: QuerySet, dimension: Dimension, stage: Stage) -> dict:
    """The same figures as the database counts them, from the rows' lengths (SQLite)."""
    lengths = defaultdict(list)
    within = defaultdict(lambda: [0, 0])
    blocked = defaultdict(list)
    listed = rows.annotate(group=dimension.expression(stage)).values_list(
        "group", "seconds", "in_time", "waited"
    )
    for key, seconds, done_within, waited in listed:
        lengths[key].append(seconds)
        blocked[key].append(waited)
        if done_within is not None:
            within[key][0] += bool(done_within)
            within[key][1] += 1
    found = {}
    for key, values in lengths.items():
        values.sort()
        found[key] = {
            "count": len(values),
            **{name: percentile(values, p) for name, p in PERCENTILES.items()},
            "total": sum(values),
            "within": within[key][0],
            "limited": within[key][1],
            "blocked": sum(blocked[key]),
            "blocked_count": sum(1 for waited in blocked[key] if waited > 0),
        }
    return found


def stage_figures(*, user, filters: Filters) -> list[StageFigures]:
    """Every stage's figures by the filters' dimension (a stage that has no such group, like
    the shelter of a screening, is left out)."""
    dimension = filters.dimension
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                # A national stage's lengths (190,000 on the load data) are sorted for its
                # percentiles in memory, not in temporary files.
                cursor.execute("SET LOCAL work_mem = '32MB'")
            return _figures(user, filters, dimension, _in_database)
    return _figures(user, filters, dimension, in_python)


def _figures(user, filters: Filters, dimension: Dimension, count) -> list[StageFigures]:
    result = []
    for stage in STAGES:
        if dimension.expression(stage) is None:
            continue
        found = count(stage_rows(stage, user=user, filters=filters), dimension, stage)
        labels = dimension.labels([key for key in found if key is not None])
        groups = [
            Figure(key=key, label=labels.get(key, key), **numbers)
            for key, numbers in found.items()
            if numbers.get("count")
        ]
        for figure in groups:
            figure.total = figure.total or 0.0
            figure.blocked = figure.blocked or 0.0
        # Periods in time order, other groups by name.
        groups.sort(key=lambda f: (f.key if isinstance(f.key, int) else 0, str(f.label)))
        result.append(StageFigures(stage=stage, groups=groups))
    return result


RANKED = 15


def time_lost(figures: list[StageFigures]) -> list[tuple[Stage, Figure]]:
    """Where time is lost: the groups of the stages held to a limit, the most people past
    it first (then the slowest tenth), the first RANKED of them."""
    cells = [
        (stages.stage, figure) for stages in figures for figure in stages.groups if figure.late > 0
    ]
    cells.sort(key=lambda cell: (-cell[1].late, -(cell[1].p90 or 0)))
    return cells[:RANKED]
