"""The figures of the dashboards, computed from the same visibility selectors and filters as the
lists, so that a figure and the list behind it always agree.

Every function takes the user (whose visibility scopes the figures) and a `Filters` (period and
province). Each breakdown is one aggregate query; the dashboard as a whole costs a fixed number
of queries, whatever the amount of data.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Province, Role
from cases.models import CHILD_AGE, ExploitationType, Outcome, Screening, Sex
from cases.reference import country_name
from cases.selectors import case_list_visible_to
from cases.workflow import CaseStatus
from referrals.selectors import referral_list_visible_to
from referrals.workflow import State as ReferralState
from shelters.selectors import shelter_list_with_units
from sla.models import Clock, Deadline
from sla.selectors import deadlines_answered_by

OPEN_CASE_STATES = [CaseStatus.OPEN, CaseStatus.REOPENED]
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

    def list_query(self) -> dict[str, str]:
        """The same filters as the lists' GET parameters (cases:list and friends)."""
        query = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.province is not None:
            query["province"] = self.province.code
        return query


def _age_at_intake():
    """Whole years between the date of birth and the intake date; else the estimated age as
    recorded; else None. Exact on every database (no division of days by 365)."""
    birthday_still_ahead = Case(
        When(
            Q(intake_month__lt=F("birth_month"))
            | Q(intake_month=F("birth_month"), intake_day__lt=F("birth_day")),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Coalesce(
        ExtractYear("intake_date") - ExtractYear("person__date_of_birth") - birthday_still_ahead,
        F("person__estimated_age"),
        output_field=IntegerField(),
    )


def with_age_group(cases):
    """Cases annotated with `age_group` (a key of AGE_GROUPS, or "unknown")."""
    cases = cases.annotate(
        intake_month=ExtractMonth("intake_date"),
        intake_day=ExtractDay("intake_date"),
        birth_month=ExtractMonth("person__date_of_birth"),
        birth_day=ExtractDay("person__date_of_birth"),
    ).annotate(age_at_intake=_age_at_intake())
    groups = [
        When(
            Q(age_at_intake__gte=low) & (Q() if high is None else Q(age_at_intake__lt=high)),
            then=Value(key),
        )
        for key, _label, low, high in AGE_GROUPS
    ]
    return cases.annotate(
        age_group=Case(*groups, default=Value(AGE_UNKNOWN), output_field=CharField())
    )


def _has_exploitation(kind: str) -> Q:
    # The forms of exploitation are a JSON list of codes; codes never contain one another
    # within quotes, so a text match on the quoted code is exact on SQLite and PostgreSQL.
    return Q(exploitation_types__icontains=f'"{kind}"')


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
    """Counts of `cases` in all, by sex, age group at intake and form of exploitation, in one
    query; of distinct persons when `persons` (a person may have several cases)."""

    def counter(condition=None):
        return Count("person" if persons else "pk", filter=condition, distinct=persons)

    counts = {
        "total": counter(),
        "open": counter(Q(status__in=OPEN_CASE_STATES)),
        "children": counter(Q(age_at_intake__lt=CHILD_AGE) | Q(person__age_disputed=True)),
    }
    counts |= {f"sex_{sex}": counter(Q(person__sex=sex)) for sex in Sex.values}
    counts |= {f"age_{key}": counter(Q(age_group=key)) for key, *_ in AGE_GROUPS}
    counts[f"age_{AGE_UNKNOWN}"] = counter(Q(age_group=AGE_UNKNOWN))
    counts |= {
        f"exploitation_{kind}": counter(_has_exploitation(kind)) for kind in ExploitationType.values
    }
    totals = with_age_group(cases).aggregate(**counts)
    age_groups = [(key, label) for key, label, *_ in AGE_GROUPS]
    age_groups.append((AGE_UNKNOWN, _("Age unknown")))
    return {
        "total": totals["total"],
        "open": totals["open"],
        "children": totals["children"],
        "by_sex": [
            {"key": sex, "label": label, "count": totals[f"sex_{sex}"]}
            for sex, label in Sex.choices
        ],
        "by_age_group": [
            {"key": key, "label": label, "count": totals[f"age_{key}"]} for key, label in age_groups
        ],
        "by_exploitation": [
            {"key": kind, "label": label, "count": totals[f"exploitation_{kind}"]}
            for kind, label in ExploitationType.choices
        ],
    }


def case_figures(*, user, filters: Filters) -> dict:
    """The breakdowns of the cases registered in the period, and the cases open now (whatever
    their date)."""
    figures = breakdowns(cases_registered(user=user, filters=filters))
    open_now = cases_in_scope(user=user, filters=filters).filter(status__in=OPEN_CASE_STATES)
    return figures | {"open_now": open_now.count()}


def by_nationality(cases, *, persons: bool = False) -> list[dict]:
    rows = (
        cases.values(key=F("person__nationality"), stateless=F("person__stateless"))
        .annotate(n=Count("person" if persons else "pk", distinct=persons))
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
    rows = (
        cases.values(key=F("intake_province__code"))
        .annotate(n=Count("person" if persons else "pk", distinct=persons))
        .order_by("-n", "key")
    )
    names = {province.code: province.name for province in Province.objects.all()}
    return _labelled(rows, names)


def monthly_trend(*, user, filters: Filters) -> list[dict]:
    """Per month of the period: cases registered, and victims identified among them."""
    rows = (
        cases_registered(user=user, filters=filters)
        .annotate(month=TruncMonth("intake_date"))
        .values("month")
        .annotate(
            n=Count("pk"),
            identified=Count(
                "pk",
                filter=Q(screenings__outcome__in=VICTIM_OUTCOMES),
                distinct=True,
            ),
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


def referrals_in_scope(*, user, filters: Filters):
    """Referrals the user may see, submitted in the period, of cases of the province."""
    referrals = referral_list_visible_to(user=user).filter(
        submitted_at__date__gte=filters.start, submitted_at__date__lte=filters.end
    )
    if filters.province is not None:
        referrals = referrals.filter(case__intake_province=filters.province)
    return referrals


def referrals_by_state(*, user, filters: Filters) -> list[dict]:
    referrals = referrals_in_scope(user=user, filters=filters)
    rows = referrals.values(key=F("state")).annotate(n=Count("pk"))
    counts = {row["key"]: row["n"] for row in rows}
    return [
        {"key": value, "label": label, "count": counts.get(value, 0)}
        for value, label in ReferralState.choices
        if value != ReferralState.DRAFT
    ]


def deadlines_in_scope(*, user, filters: Filters):
    deadlines = deadlines_answered_by(user=user)
    if filters.province is not None:
        deadlines = deadlines.filter(organisation__province=filters.province)
    return deadlines


def sla_compliance(*, user, filters: Filters) -> dict:
    """Of the clocks due in the period that have finished or run out, the share met on time:
    by clock and by province of the organisation answering for it."""
    due = deadlines_in_scope(user=user, filters=filters).filter(
        due_at__date__gte=filters.start,
        due_at__date__lte=filters.end,
        state__in=[Deadline.State.MET, Deadline.State.BREACHED],
    )
    met = Count("pk", filter=Q(state=Deadline.State.MET))
    by_clock = {
        row["clock"]: row for row in due.values("clock").annotate(n=Count("pk"), met=met).order_by()
    }
    by_province = (
        due.values(key=F("organisation__province__code"))
        .annotate(n=Count("pk"), met=met)
        .order_by("key")
    )
    names = {p.code: p.name for p in Province.objects.all()}
    clocks = [
        _share(value, label, by_clock[value]) for value, label in Clock.choices if value in by_clock
    ]
    provinces = [_share(row["key"], names.get(row["key"], row["key"]), row) for row in by_province]
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
    """Clocks that have run out and are still running, the longest overdue first."""
    return (
        deadlines_in_scope(user=user, filters=filters)
        .filter(state=Deadline.State.BREACHED, closed_at__isnull=True)
        .select_related("organisation")
        .order_by("due_at")
    )


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


def dashboard_figures(*, user, filters: Filters) -> dict:
    """Everything a dashboard shows, in a fixed number of queries."""
    registered = cases_registered(user=user, filters=filters)
    return {
        "cases": case_figures(user=user, filters=filters),
        "by_nationality": by_nationality(registered),
        "by_province": by_province(registered),
        "monthly": monthly_trend(user=user, filters=filters),
        "screenings": screenings_by_outcome(user=user, filters=filters),
        "referrals": referrals_by_state(user=user, filters=filters),
        "sla": sla_compliance(user=user, filters=filters),
        "breaches": current_breaches(user=user, filters=filters).count(),
        "shelters": list(occupancy(user=user)),
    }
