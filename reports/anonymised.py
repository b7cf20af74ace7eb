"""Statistics that may leave the system: counts of persons in which no group is smaller than
11 (the CTDC/IOM rule), so that nobody can be singled out.

Each breakdown is a one-way table whose groups share no person (a person with two forms of
exploitation counts under the first recorded). A group of fewer than 11 persons is never
shown: the small groups are combined into one "other" row; when that row would still be
smaller than 11, the next smallest groups join it until it is not, so a suppressed number
cannot be worked back out of the total either. A table of fewer than 11 persons in all is not
shown at all.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from justice.selectors import claim_list_visible_to

from .annual import victims_identified
from .statistics import breakdowns, by_main_exploitation, by_nationality, by_province

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
        *compensation_tables(user=user, start=start, end=end),
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
