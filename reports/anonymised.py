"""Statistics that may leave the system: counts of persons in which no group is smaller than
11 (the CTDC/IOM rule), so that nobody can be singled out.

Each breakdown is a one-way table whose groups share no person (a person with two forms of
exploitation counts under the first recorded). A group of fewer than 11 persons is never
shown: the small groups are combined into one "other" row; when that row would still be
smaller than 11, the next smallest groups join it until it is not, so a suppressed number
cannot be worked back out of the total either. A table of fewer than 11 persons in all is not
shown at all.
"""

from collections import Counter

from django.db.models import Count, Min, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from justice.selectors import claim_list_visible_to
from outcomes.models import Contact, Moment, Outcome
from outcomes.selectors import outcome_list_visible_to, retrafficked

from .annual import victims_identified
from .statistics import (
    breakdowns,
    by_main_exploitation,
    by_nationality,
    by_province,
    moments_between,
)

SMALLEST_GROUP = 11


def suppress_small_groups(rows: list[dict]) -> list[dict] | None:
    """Rows ({"label", "count"}) with every group of 1 to 10 folded into an "other" row of at
    least 11; None when the whole table holds fewer than 11. Empty groups are left out."""
    rows = sorted((row for row in rows if row["count"]), key=lambda row: row["count"])
    if sum(row["count"] for row in rows) < SMALLEST_GROUP:
        return None
    small = [row for row in rows if row["count"] < SMALLEST_GROUP]
    shown = [row for row in rows if row["count"] >= SMALLEST_GROUP]
    if not small:
        return list(reversed(shown))
    other = sum(row["count"] for row in small)
    while other < SMALLEST_GROUP:  # the rows hold 11 or more in all, so this ends
        other += shown.pop(0)["count"]
    combined = {"label": _("Other groups combined"), "count": other}
    return list(reversed(shown)) + [combined]


def anonymised_tables(*, user, start, end) -> list[tuple[str, list[dict] | None]]:
    """(title, rows or None when suppressed) for each breakdown of the persons identified as
    victims in the period."""
    victims = victims_identified(user=user, start=start, end=end)
    figures = breakdowns(victims, persons=True)
    total = [{"label": _("All identified victims"), "count": figures["total"]}]
    return [
        (_("Identified victims"), suppress_small_groups(total)),
        (_("By sex"), suppress_small_groups(figures["by_sex"])),
        (_("By age at registration"), suppress_small_groups(figures["by_age_group"])),
        (_("By nationality"), suppress_small_groups(by_nationality(victims, persons=True))),
        # One form per person (the first recorded): counts per form would count a person of
        # two forms twice, and a combined group could then hold fewer persons than it shows.
        (
            _("By main form of exploitation"),
            suppress_small_groups(by_main_exploitation(victims, persons=True)),
        ),
        (_("By province of intake"), suppress_small_groups(by_province(victims, persons=True))),
        *outcome_tables(user=user, start=start, end=end),
        *compensation_tables(user=user, start=start, end=end),
    ]


# --- Outcomes (issue 18): persons whose case closed in the year, each once (by the first of
# their outcomes at closure), in one-way tables whose groups share no person.


def outcome_tables(*, user, start, end) -> list[tuple[str, list[dict] | None]]:
    """(title, rows or None when suppressed) for the outcomes of the cases closed in the year:
    by the result of the 12-month follow-up, and by re-trafficking within 24 months."""
    closed = outcome_list_visible_to(user=user).filter(
        moment=Moment.CLOSURE, **moments_between("recorded_at", start, end)
    )
    first = closed.order_by().values("case__person_id").annotate(first=Min("pk")).values("first")
    persons = Outcome.objects.filter(pk__in=first)
    twelve = Outcome.objects.filter(case_id=OuterRef("case_id"), moment=Moment.MONTHS_12)
    results = Counter(
        persons.annotate(result=Subquery(twelve.order_by("-recorded_at").values("contact")[:1]))
        .values_list("result", flat=True)
        .order_by()
    )
    labels = dict(Contact.choices) | {None: _("No 12-month follow-up recorded")}
    again = persons.filter(retrafficked()).count()
    return [
        (
            _("Persons whose case closed, by the 12-month follow-up"),
            suppress_small_groups(
                [{"label": labels[key], "count": count} for key, count in results.items()]
            ),
        ),
        (
            _("Persons whose case closed, by re-trafficking within 24 months"),
            suppress_small_groups(
                [
                    {"label": _("Re-trafficked"), "count": again},
                    {"label": _("Not known to be re-trafficked"), "count": persons.count() - again},
                ]
            ),
        ),
    ]


def compensation_tables(*, user, start, end) -> list[tuple[str, list[dict] | None]]:
    """Persons who claimed compensation in the period, and persons who received some: each a
    one-row table, left out under 11 persons (sums of money are not published here: a sum over
    few persons tells what each received)."""
    claims = claim_list_visible_to(user=user)
    persons = Count("case__person", distinct=True)
    claimed = claims.filter(claimed_on__gte=start, claimed_on__lte=end).aggregate(n=persons)
    received = claims.filter(received_on__gte=start, received_on__lte=end).aggregate(n=persons)
    return [
        (
            _("Persons who claimed compensation"),
            suppress_small_groups([{"label": _("All"), "count": claimed["n"]}]),
        ),
        (
            _("Persons who received compensation"),
            suppress_small_groups([{"label": _("All"), "count": received["n"]}]),
        ),
    ]
