"""The figures of the dashboards, computed from the same visibility selectors and filters as the
lists, so that a figure and the list behind it always agree.

Every function takes the user (whose visibility scopes the figures) and a `Filters` (period and
province). Each breakdown is one aggregate query; the dashboard as a whole costs a fixed number
of queries, whatever the amount of data.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, Min, OuterRef, Q, Value
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
    TruncMonth,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Province, Role
from cases.models import CHILD_AGE, Case, ExploitationType, Interview, Outcome, Screening, Sex
from cases.reference import country_name
from cases.selectors import case_list_visible_to
from cases.workflow import OPEN_CASE_STATES
from core.lists import filtered
from justice.models import ClaimSource
from justice.selectors import claim_list_visible_to
from outcomes.filters import OutcomeFilter
from outcomes.models import Moment as OutcomeMoment
from outcomes.selectors import has_twelve_month_outcome, outcome_list_visible_to, retrafficked
from referrals.models import DeclineReason
from referrals.selectors import referral_list_visible_to
from referrals.workflow import State as ReferralState
from shelters.selectors import shelter_list_with_units
from sla.models import Clock, ClockStatus, Deadline
from sla.selectors import deadline_board, deadlines_answered_by

# Beat counts the national default view every minute (reports.tasks): kept twice as long, it
# never runs out while beat runs.
CACHE_SECONDS = 120
# Raised whenever the figures change shape, so that a release never reads the older shape that
# its predecessor left in the cache (2: declines by reason; 3: outcomes; 4: compensation).
FIGURES_VERSION = 5

VICTIM_OUTCOMES = [Outcome.VICTIM_TRAFFICKING, Outcome.VICTIM_FORCED_LABOUR]

# Age at registration, in the groups the national and US TIP figures use.
AGE_GROUPS = [
    ("0-14", _("0–14 years"), 0, 15),
    ("15-17", _("15–17 years"), 15, CHILD_AGE),
    ("18-24", _("18–24 years"), CHILD_AGE, 25),
    ("25-34", _("25–34 years"), 25, 35),
    ("35-49", _("35–49 years"), 35, 50),
    ("50+", _("50 years and over"), 50, None),
]
AGE_UNKNOWN = "unknown"
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class Filters:
    """What the figures cover: cases registered (intake date) from `start` to `end`
    inclusive, in one province (its 2-digit code) or all the user may see."""

    start: dt.date
    end: dt.date
    province: Province | None = None

    @classmethod
    def last_twelve_months(cls, province=None) -> "Filters":
        """This month and the eleven before it."""
        today = timezone.localdate()
        start = today.replace(day=1)
        for _month in range(11):
            start = (start - dt.timedelta(days=1)).replace(day=1)
        return cls(start=start, end=today, province=province)

    def moments(self, field: str) -> dict:
        """A lookup of the datetimes `field` within the period's days in local time (a range
        on the column itself, which an index can serve, rather than on its date)."""
        return moments_between(field, self.start, self.end)

    def list_query(self) -> dict[str, str]:
        """The same filters as the lists' GET parameters (cases:list and friends)."""
        query = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.province is not None:
            query["province"] = self.province.code
        return query


def moments_between(field: str, start: dt.date, end: dt.date) -> dict:
    midnight = dt.time()
    return {
        f"{field}__gte": timezone.make_aware(dt.datetime.combine(start, midnight)),
        f"{field}__lt": timezone.make_aware(
            dt.datetime.combine(end + dt.timedelta(days=1), midnight)
        ),
    }


def _years_since(year, month, day):
    """Whole years from a date (given by its parts) to the intake date: the birthday rule."""
    not_yet = models.Case(
        models.When(
            Q(intake_month__lt=month) | Q(intake_month=month, intake_day__lt=day), then=Value(1)
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear("intake_date") - year - not_yet


def with_age(cases):
    """Cases annotated with `age_at_intake`: whole years from the date of birth to the intake
    date; else the estimated age plus the whole years since it was estimated (Person.age's
    rule); else None. Computed by the database, exactly, on SQLite and PostgreSQL alike."""
    estimated_on = Coalesce("person__age_estimated_on", TruncDate("person__created_at"))
    cases = cases.annotate(
        intake_month=ExtractMonth("intake_date"),
        intake_day=ExtractDay("intake_date"),
        birth_year=ExtractYear("person__date_of_birth"),
        birth_month=ExtractMonth("person__date_of_birth"),
        birth_day=ExtractDay("person__date_of_birth"),
        estimate_year=ExtractYear(estimated_on),
        estimate_month=ExtractMonth(estimated_on),
        estimate_day=ExtractDay(estimated_on),
    )
    return cases.annotate(
        age_at_intake=Coalesce(
            _years_since(F("birth_year"), F("birth_month"), F("birth_day")),
            F("person__estimated_age")
            + _years_since(F("estimate_year"), F("estimate_month"), F("estimate_day")),
            output_field=IntegerField(),
        )
    )


def age_group(age: int | None) -> str:
    """The key of the AGE_GROUPS group of an age, or "unknown"."""
    if age is None:
        return AGE_UNKNOWN
    for key, _label, low, high in AGE_GROUPS:
        if age >= low and (high is None or age < high):
            return key
    return AGE_UNKNOWN  # a negative age: a date of birth after the intake


def one_case_per_person(cases):
    """The first of each person's cases among `cases`: counting these counts persons."""
    first_cases = cases.order_by().values("person_id").annotate(first=Min("pk")).values("first")
    return Case.objects.filter(pk__in=first_cases)


def cases_in_scope(*, user, filters: Filters):
    """All cases the user may see in the province (whatever their date)."""
    cases = case_list_visible_to(user=user)
    if filters.province is not None:
        cases = cases.filter(intake_province=filters.province)
    return cases


def cases_registered(*, user, filters: Filters):
    """The cases the user may see, registered in the period and province."""
    return cases_in_scope(user=user, filters=filters).filter(
        intake_date__gte=filters.start, intake_date__lte=filters.end
    )


def _labelled(rows, labels: dict, key: str = "key") -> list[dict]:
    return [
        {"key": row[key], "label": labels.get(row[key], row[key]), "count": row["n"]}
        for row in rows
    ]


def breakdowns(cases, *, persons: bool = False) -> dict:
    """How many of `cases` there are in all, open, children, by sex, age group at intake and
    form of exploitation; of persons rather than cases when `persons` (a person may have
    several cases: each counts once, by their first case).

    Two grouped queries, each computing its expressions once per row (a filtered count per
    figure would evaluate the age for every one of them), summed up here."""
    if persons:
        cases = one_case_per_person(cases)
    groups = (
        with_age(cases)
        .order_by()
        .values("age_at_intake", "status", sex=F("person__sex"), disputed=F("person__age_disputed"))
        .annotate(n=Count("pk"))
    )
    total = open_ = children = 0
    by_sex = dict.fromkeys(Sex.values, 0)
    by_age = dict.fromkeys([key for key, *_ in AGE_GROUPS] + [AGE_UNKNOWN], 0)
    for row in groups:
        count, age = row["n"], row["age_at_intake"]
        total += count
        open_ += count if row["status"] in OPEN_CASE_STATES else 0
        # Presumption of minority (Person.is_child): disputed or unknown age counts as a child.
        children += count if row["disputed"] or age is None or age < CHILD_AGE else 0
        by_sex[row["sex"]] = by_sex.get(row["sex"], 0) + count
        by_age[age_group(age)] += count
    by_exploitation = dict.fromkeys(ExploitationType.values, 0)
    combinations = cases.order_by().values("exploitation_types").annotate(n=Count("pk"))
    for row in combinations:
        for kind in set(row["exploitation_types"] or []):
            by_exploitation[kind] = by_exploitation.get(kind, 0) + row["n"]
    age_labels = [(key, label) for key, label, *_ in AGE_GROUPS]
    age_labels.append((AGE_UNKNOWN, _("Age unknown")))
    return {
        "total": total,
        "open": open_,
        "children": children,
        "by_sex": [
            {"key": key, "label": label, "count": by_sex[key]} for key, label in Sex.choices
        ],
        "by_age_group": [
            {"key": key, "label": label, "count": by_age[key]} for key, label in age_labels
        ],
        "by_exploitation": [
            {"key": key, "label": label, "count": by_exploitation[key]}
            for key, label in ExploitationType.choices
        ],
    }


def case_figures(*, user, filters: Filters) -> dict:
    """The breakdowns of the cases registered in the period, and the cases open now (whatever
    their date)."""
    figures = breakdowns(cases_registered(user=user, filters=filters))
    open_now = cases_in_scope(user=user, filters=filters).filter(status__in=OPEN_CASE_STATES)
    return figures | {"open_now": open_now.count()}


def by_main_exploitation(cases, *, persons: bool = False) -> list[dict]:
    """Cases (or persons) by their main form of exploitation, the first one recorded: unlike
    `breakdowns`' count per form, each is counted once, so the groups add up to the total."""
    if persons:
        cases = one_case_per_person(cases)
    counts = Counter()
    for row in cases.order_by().values("exploitation_types").annotate(n=Count("pk")):
        counts[(row["exploitation_types"] or [NOT_RECORDED])[0]] += row["n"]
    labels = dict(ExploitationType.choices) | {NOT_RECORDED: _("Not recorded")}
    return [
        {"key": key, "label": labels.get(key, key), "count": count}
        for key, count in counts.most_common()
    ]


def by_nationality(cases, *, persons: bool = False) -> list[dict]:
    if persons:
        cases = one_case_per_person(cases)
    rows = (
        cases.values(key=F("person__nationality"), stateless=F("person__stateless"))
        .annotate(n=Count("pk"))
        .order_by("-n", "key")
    )
    return [
        {
            "key": row["key"] or ("stateless" if row["stateless"] else "unknown"),
            "label": country_name(row["key"])
            if row["key"]
            else (_("Stateless") if row["stateless"] else _("Not known")),
            "count": row["n"],
        }
        for row in rows
    ]


def by_province(cases, *, persons: bool = False) -> list[dict]:
    if persons:
        cases = one_case_per_person(cases)
    rows = (
        cases.values(key=F("intake_province__code")).annotate(n=Count("pk")).order_by("-n", "key")
    )
    names = {province.code: province.name for province in Province.objects.all()}
    return _labelled(rows, names)


def monthly_trend(*, user, filters: Filters) -> list[dict]:
    """Per month of the period: cases registered, and victims identified among them."""
    identified = Screening.objects.filter(case_id=OuterRef("pk"), outcome__in=VICTIM_OUTCOMES)
    rows = (
        cases_registered(user=user, filters=filters)
        .annotate(month=TruncMonth("intake_date"))
        .values("month")
        .annotate(
            n=Count("pk"),
            identified=Count("pk", filter=Q(Exists(identified))),
        )
        .order_by("month")
    )
    counts = {_month_start(row["month"]): row for row in rows}
    months = []
    month = filters.start.replace(day=1)
    while month <= filters.end:
        row = counts.get(month, {"n": 0, "identified": 0})
        months.append({"month": month, "count": row["n"], "identified": row["identified"]})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_start(value) -> dt.date:
    return value.date().replace(day=1) if isinstance(value, dt.datetime) else value.replace(day=1)


def screenings_by_outcome(*, user, filters: Filters) -> list[dict]:
    """Screenings of the cases registered in the period, by their outcome so far."""
    rows = (
        Screening.objects.filter(case__in=cases_registered(user=user, filters=filters).values("pk"))
        .values(key=F("outcome"))
        .annotate(n=Count("pk"))
    )
    counts = {row["key"]: row["n"] for row in rows}
    figures = [{"key": "", "label": _("Not decided yet"), "count": counts.get("", 0)}]
    figures += [
        {"key": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Outcome.choices
    ]
    return figures


# Interview once (the MDT reads the record instead of asking again): at most two interviews
# of a person is the target.
INTERVIEW_TARGET = 2


def interview_figures(*, user, filters: Filters) -> dict:
    """How often the persons of the cases registered in the period were interviewed, over
    those cases: persons interviewed, interviews, the average per person, and the persons
    interviewed more often than the target. One grouped query (a row per person)."""
    registered = cases_registered(user=user, filters=filters).values("pk")
    counts = list(
        Interview.objects.filter(screening__case__in=registered)
        .order_by()
        .values("screening__case__person_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    persons, interviews = len(counts), sum(counts)
    return {
        "persons": persons,
        "interviews": interviews,
        "average": round(interviews / persons, 1) if persons else None,
        "over_target": sum(1 for n in counts if n > INTERVIEW_TARGET),
        "target": INTERVIEW_TARGET,
    }


def referrals_in_scope(*, user, filters: Filters):
    """Referrals the user may see, submitted in the period, of cases of the province."""
    referrals = referral_list_visible_to(user=user).filter(**filters.moments("submitted_at"))
    if filters.province is not None:
        referrals = referrals.filter(case__intake_province=filters.province)
    return referrals


def referral_figures(*, user, filters: Filters) -> tuple[list[dict], list[dict]]:
    """The referrals submitted in the period by state, and those declined by the receiver's
    reason (every reason, in DeclineReason's order): one grouped query for both, so that the
    declines by reason add up to the declined ones."""
    rows = (
        referrals_in_scope(user=user, filters=filters)
        .order_by()
        .values("state", "decline_reason")
        .annotate(n=Count("pk"))
    )
    states, reasons = Counter(), Counter()
    for row in rows:
        states[row["state"]] += row["n"]
        if row["state"] == ReferralState.DECLINED:
            reasons[row["decline_reason"]] += row["n"]
    by_state = [
        {"key": value, "label": label, "count": states[value]}
        for value, label in ReferralState.choices
        if value != ReferralState.DRAFT
    ]
    declined_by_reason = [
        {"key": value, "label": label, "count": reasons[value]}
        for value, label in DeclineReason.choices
    ]
    return by_state, declined_by_reason


def declines_query(filters: Filters) -> dict[str, str]:
    """The referral list's GET parameters for the declines `referral_figures` counts (each
    reason adds its own `decline_reason`)."""
    query = {
        "state": ReferralState.DECLINED.value,
        "from": filters.start.isoformat(),
        "to_date": filters.end.isoformat(),
    }
    if filters.province is not None:
        query["province"] = filters.province.code
    return query


def deadlines_in_scope(*, user, filters: Filters):
    deadlines = deadlines_answered_by(user=user)
    if filters.province is not None:
        deadlines = deadlines.filter(organisation__province=filters.province)
    return deadlines


def sla_compliance(*, user, filters: Filters) -> dict:
    """Of the clocks due in the period that have finished or run out, the share met on time:
    by clock and by province of the organisation answering for it."""
    due = deadlines_in_scope(user=user, filters=filters).filter(
        **filters.moments("due_at"),
        state__in=[Deadline.State.MET, Deadline.State.BREACHED],
    )
    rows = (
        due.order_by()
        .values("clock", province=F("organisation__province__code"))
        .annotate(n=Count("pk"), met=Count("pk", filter=Q(state=Deadline.State.MET)))
    )
    by_clock, by_province = defaultdict(Counter), defaultdict(Counter)
    for row in rows:
        by_clock[row["clock"]].update(n=row["n"], met=row["met"])
        by_province[row["province"]].update(n=row["n"], met=row["met"])
    names = {p.code: p.name for p in Province.objects.all()}
    clocks = [
        _share(value, label, by_clock[value]) for value, label in Clock.choices if value in by_clock
    ]
    names[None] = _("No province (partner organisations)")
    provinces = [
        _share(code, names.get(code, code), by_province[code])
        for code in sorted(by_province, key=lambda code: (code is None, code or ""))
    ]
    total = sum(row["total"] for row in clocks)
    total_met = sum(row["met"] for row in clocks)
    return {
        "total": total,
        "met": total_met,
        "percent": _percent(total_met, total),
        "by_clock": clocks,
        "by_province": provinces,
    }


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _share(key, label, row) -> dict:
    return {
        "key": key,
        "label": label,
        "total": row["n"],
        "met": row["met"],
        "percent": _percent(row["met"], row["n"]),
    }


def current_breaches(*, user, filters: Filters):
    """Clocks still running past their deadline, the longest overdue first: the deadline
    board's breached rows in the province (the figure links to them, sla:board)."""
    deadlines = deadline_board(user=user).filter(ClockStatus.BREACHED.condition(timezone.now()))
    if filters.province is not None:
        deadlines = deadlines.filter(organisation__province=filters.province)
    return deadlines


def breaches_query(filters: Filters) -> dict[str, str]:
    """The deadline board's GET parameters for the clocks `current_breaches` counts."""
    query = {"status": ClockStatus.BREACHED.value}
    if filters.province is not None:
        query["province"] = filters.province.code
    return query


def dashboard_scope(user) -> str:
    """Which dashboard the user sees: national, provincial (their office) or their shelter."""
    role = user.membership.role
    if role == Role.CENTRAL_REVIEWER:
        return "national"
    if role == Role.SHELTER_DIRECTOR:
        return "shelter"
    return "provincial"


def occupancy(*, user):
    """Shelters with their beds: the user's own shelter for a shelter, all for others."""
    shelters = shelter_list_with_units()
    if dashboard_scope(user) == "shelter":
        shelters = shelters.filter(organisation_id=user.membership.organisation_id)
    return shelters


def figures_key(user, filters: Filters) -> str:
    # The central division all sees the same; anyone else may hold grants of their own.
    scope = "national" if dashboard_scope(user) == "national" else f"user-{user.pk}"
    province = filters.province.code if filters.province else "all"
    period = f"{filters.start}:{filters.end}"
    return f"dashboard:v{FIGURES_VERSION}:{scope}:{period}:{province}:{get_language()}"


def dashboard_figures(*, user, filters: Filters, fresh: bool = False) -> dict:
    """Everything a dashboard shows, in a fixed number of queries.

    National figures over 200,000 cases take most of a second to count, so the figures are
    kept for CACHE_SECONDS (by scope, period, province and language) and say when they were
    counted; `fresh` counts them again. Shelter beds are always counted live."""
    key = figures_key(user, filters)
    figures = None if fresh else cache.get(key)
    if figures is None:
        figures = _plain(_count_figures(user=user, filters=filters))
        cache.set(key, figures, CACHE_SECONDS)
    return figures | {"shelters": list(occupancy(user=user))}


def _plain(value):
    """The figures with their labels as plain text (the key names the language): lazy
    translations are slow to unpickle from the cache."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return str(value) if isinstance(value, Promise) else value


def _count_figures(*, user, filters: Filters) -> dict:
    registered = cases_registered(user=user, filters=filters)
    referrals, declines = referral_figures(user=user, filters=filters)
    return {
        "counted_at": timezone.now(),
        "cases": case_figures(user=user, filters=filters),
        "by_nationality": by_nationality(registered),
        "by_province": by_province(registered),
        "monthly": monthly_trend(user=user, filters=filters),
        "screenings": screenings_by_outcome(user=user, filters=filters),
        "interviews": interview_figures(user=user, filters=filters),
        "referrals": referrals,
        "declines": declines,
        "sla": sla_compliance(user=user, filters=filters),
        "breaches": current_breaches(user=user, filters=filters).count(),
        "outcomes": outcome_figures(user=user, filters=filters),
        "compensation": compensation_figures(user=user, filters=filters),
    }


# --- Outcomes (issue 18): the outcome indicators, counted on the list of outcomes' own
# FilterSet (outcomes.filters), so that each figure is the number of rows its link shows.


def outcomes_query(filters: Filters, **narrower) -> dict[str, str]:
    """The GET parameters of the list of outcomes (outcomes:list) for the cases closed with
    their outcome in the period and province, narrowed by `narrower` (a None drops one)."""
    query = {"moment": OutcomeMoment.CLOSURE.value} | filters.list_query()
    query |= narrower
    return {key: value for key, value in query.items() if value is not None}


def _outcomes_counted(user, query: dict):
    return filtered(OutcomeFilter(query, queryset=outcome_list_visible_to(user=user)))


def outcome_figures(*, user, filters: Filters) -> dict:
    """Of the cases closed with the person's outcome in the period: how many, how many have an
    outcome of the 12-month follow-up (and the share), how many persons were re-trafficked
    within 24 months (identified again in a new case, or a sign of re-victimisation); and the
    outcomes of the period with a sign of re-victimisation. Two queries; each figure comes with
    the query string of the list it counts."""
    closed = _outcomes_counted(user, outcomes_query(filters)).aggregate(
        total=Count("pk"),
        twelve_months=Count("pk", filter=has_twelve_month_outcome()),
        retrafficked=Count("pk", filter=retrafficked()),
    )
    flagged_query = outcomes_query(filters, moment=None, revictimised="yes")
    return {
        "closed": closed["total"],
        "twelve_months": closed["twelve_months"],
        "twelve_months_percent": _percent(closed["twelve_months"], closed["total"]),
        "retrafficked": closed["retrafficked"],
        "revictimised": _outcomes_counted(user, flagged_query).count(),
        "queries": {
            "closed": urlencode(outcomes_query(filters)),
            "twelve_months": urlencode(outcomes_query(filters, twelve_months="yes")),
            "retrafficked": urlencode(outcomes_query(filters, retrafficked="yes")),
            "revictimised": urlencode(flagged_query),
        },
    }


# --- Compensation (justice) -----------------------------------------------------------------

# Each step of a claim, counted on the day it happened: (the step's date, its amount).
COMPENSATION_STEPS = {
    "claimed": ("claimed_on", "amount_claimed"),
    "awarded": ("decided_on", "amount_awarded"),
    "received": ("received_on", "amount_received"),
}
BAHT = models.DecimalField(max_digits=16, decimal_places=2)


def claims_in_scope(*, user, filters: Filters):
    """The compensation claims of the cases the user may see, in the province (by intake)."""
    claims = claim_list_visible_to(user=user)
    if filters.province is not None:
        claims = claims.filter(case__intake_province=filters.province)
    return claims


def compensation_figures(*, user, filters: Filters) -> dict:
    """Compensation claimed, awarded and received in the period, each counted on the day of its
    step (claimed, decided, received): the number of claims and the sum in baht, in all and by
    source (the offender through the court, the Anti-Trafficking Fund). One aggregate query."""
    period = {"gte": filters.start, "lte": filters.end}
    aggregates = {}
    for source in ("all", *ClaimSource.values):
        for step, (day, amount) in COMPENSATION_STEPS.items():
            condition = Q(**{f"{day}__{lookup}": value for lookup, value in period.items()})
            condition &= Q(**{f"{amount}__isnull": False})
            if source != "all":
                condition &= Q(source=source)
            aggregates[f"{source}_{step}_count"] = Count("pk", filter=condition)
            aggregates[f"{source}_{step}_amount"] = Coalesce(
                models.Sum(amount, filter=condition), Value(Decimal(0)), output_field=BAHT
            )
    row = claims_in_scope(user=user, filters=filters).order_by().aggregate(**aggregates)

    def steps(source):
        return {
            step: {"count": row[f"{source}_{step}_count"], "amount": row[f"{source}_{step}_amount"]}
            for step in COMPENSATION_STEPS
        }

    return steps("all") | {
        "by_source": [
            {"key": source, "label": label} | steps(source) for source, label in ClaimSource.choices
        ]
    }
