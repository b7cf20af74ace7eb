"""The year's figures that the annual report under Act s.40 and the US TIP report's questionnaire
ask for: persons screened and identified (by sex, age, nationality and form of exploitation),
referrals, shelter admissions and discharges, permits, and deadlines met.

Persons are counted once however many cases or screenings they had in the year.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from cases.models import Outcome, Permit, Screening
from cases.selectors import case_list_visible_to
from cases.workflow import ScreeningStatus
from outcomes.models import Answer, Contact, Health, OwnView
from outcomes.models import Moment as OutcomeMoment
from outcomes.selectors import outcome_list_visible_to
from referrals.models import Kind
from referrals.selectors import referral_list_visible_to
from referrals.workflow import State as ReferralState
from shelters.models import DischargeReason, Placement

from .statistics import (
    VICTIM_OUTCOMES,
    Filters,
    breakdowns,
    by_nationality,
    compensation_figures,
    moments_between,
    outcome_figures,
    sla_compliance,
)


@dataclass(frozen=True)
class Figure:
    section: str
    label: str
    count: int | float | None


def _during(field: str, start: dt.date, end: dt.date) -> dict:
    return moments_between(field, start, end)


def annual_figures(*, user, start: dt.date, end: dt.date) -> list[Figure]:
    cases = case_list_visible_to(user=user)
    screenings = Screening.objects.filter(case__in=cases.values("pk"))
    persons = Count("case__person", distinct=True)
    figures: list[Figure] = []

    def add(section, rows, key="label", value="count"):
        figures.extend(Figure(str(section), str(row[key]), row[value]) for row in rows)

    identification = _("Screening and identification (persons)")
    screened = screenings.filter(**_during("custody_started_at", start, end)).aggregate(n=persons)
    decided = screenings.filter(**_during("decided_at", start, end))
    by_outcome = dict(decided.values_list("outcome").annotate(n=persons))
    not_victim = dict(
        decided.filter(outcome=Outcome.NOT_VICTIM).values_list("status").annotate(n=persons)
    )
    add(identification, [{"label": _("Persons screened"), "count": screened["n"]}])
    add(
        identification,
        [
            {"label": label, "count": by_outcome.get(value, 0)}
            for value, label in Outcome.choices
            if value != Outcome.NOT_VICTIM
        ]
        + [
            {
                "label": _("Not a victim, confirmed by the second review"),
                "count": not_victim.get(ScreeningStatus.CONFIRMED, 0),
            },
            {
                "label": _("Not a victim, waiting for the second review"),
                "count": not_victim.get(ScreeningStatus.PENDING_SECOND_REVIEW, 0),
            },
        ],
    )

    victims = victims_identified(user=user, start=start, end=end)
    victim_figures = breakdowns(victims, persons=True)
    identified = _("Identified victims (persons)")
    add(identified, [{"label": _("All identified victims"), "count": victim_figures["total"]}])
    add(
        identified,
        [
            {
                "label": _("Children (under 18, or age disputed or unknown)"),
                "count": victim_figures["children"],
            }
        ],
    )
    add(_("Identified victims by sex"), victim_figures["by_sex"])
    add(_("Identified victims by age at registration"), victim_figures["by_age_group"])
    add(_("Identified victims by nationality"), by_nationality(victims, persons=True))
    add(_("Identified victims by form of exploitation"), victim_figures["by_exploitation"])

    referrals = referral_list_visible_to(user=user).filter(**_during("submitted_at", start, end))
    by_kind = dict(referrals.values_list("kind").annotate(n=Count("pk")))
    accepted = referrals.filter(state__in=[ReferralState.ACCEPTED, ReferralState.COMPLETED])
    assistance = _("Referrals and assistance")
    add(
        assistance,
        [{"label": label, "count": by_kind.get(value, 0)} for value, label in Kind.choices]
        + [{"label": _("Referrals accepted"), "count": accepted.count()}],
    )
    placements = Placement.objects.filter(case__in=cases.values("pk"))
    admitted = placements.filter(**_during("admitted_at", start, end)).aggregate(
        n=Count("case__person", distinct=True)
    )
    add(
        assistance,
        [{"label": _("Persons admitted to a government shelter"), "count": admitted["n"]}],
    )
    permits = Permit.objects.filter(
        case__in=cases.values("pk"), issued_on__gte=start, issued_on__lte=end
    )
    add(
        assistance,
        [{"label": _("Stay and work permits issued (s.37)"), "count": permits.count()}],
    )
    discharged = dict(
        placements.filter(**_during("discharged_at", start, end))
        .values_list("discharge_reason")
        .annotate(n=Count("pk"))
    )
    add(
        _("Departures from the shelters, by reason"),
        [
            {"label": label, "count": discharged.get(value, 0)}
            for value, label in DischargeReason.choices
        ],
    )

    figures.extend(compensation_annual(user=user, start=start, end=end))

    sla = sla_compliance(user=user, filters=Filters(start=start, end=end))
    add(
        _("Deadlines met on time (%)"),
        [{"label": row["label"], "count": row["percent"]} for row in sla["by_clock"]],
    )
    figures.extend(outcome_annual_figures(user=user, start=start, end=end))
    return figures


def victims_identified(*, user, start: dt.date, end: dt.date):
    """The cases of the persons identified as victims in the period (for the anonymised
    statistics)."""
    cases = case_list_visible_to(user=user)
    return cases.filter(
        pk__in=Screening.objects.filter(
            case__in=cases.values("pk"),
            outcome__in=VICTIM_OUTCOMES,
            **_during("decided_at", start, end),
        ).values("case_id")
    )


# --- Outcomes (issue 18): the cases closed in the period with the person's outcome, counted on
# the list of outcomes' FilterSet (outcomes.filters) as the dashboard counts them.


def outcome_annual_figures(*, user, start: dt.date, end: dt.date) -> list[Figure]:
    """The outcome indicators of the period: the cases closed with the person's outcome, those
    with a 12-month follow-up outcome (and the share), the persons re-trafficked within 24
    months; the follow-ups made, by result; the persons reached at the 12-month follow-up,
    by their situation."""
    period = Filters(start=start, end=end)
    closed = outcome_figures(user=user, filters=period)
    section = _("Outcomes of the cases closed in the period")
    figures = [
        Figure(str(section), str(label), count)
        for label, count in [
            (_("Cases closed with the person's outcome"), closed["closed"]),
            (_("Of which with a 12-month follow-up outcome"), closed["twelve_months"]),
            (_("Share with a 12-month follow-up outcome (%)"), closed["twelve_months_percent"]),
            (_("Re-trafficked within 24 months of closure"), closed["retrafficked"]),
        ]
    ]
    outcomes = outcome_list_visible_to(user=user).filter(**_during("recorded_at", start, end))
    follow_ups = outcomes.exclude(moment=OutcomeMoment.CLOSURE)
    by_contact = dict(follow_ups.order_by().values_list("contact").annotate(n=Count("pk")))
    section = _("Follow-ups after a shelter stay, by result")
    figures += [
        Figure(str(section), str(label), by_contact.get(value, 0))
        for value, label in Contact.choices
    ]
    reached = outcomes.filter(moment=OutcomeMoment.MONTHS_12, contact=Contact.REACHED)
    persons = Count("case__person", distinct=True)
    situation = reached.aggregate(
        total=persons,
        **{
            field: Count("case__person", distinct=True, filter=Q(**{field: value}))
            for field, value in TWELVE_MONTH_SITUATION
        },
    )
    section = _("Persons reached at the 12-month follow-up, by their situation")
    figures.append(Figure(str(section), str(_("Persons reached")), situation["total"]))
    figures += [
        Figure(str(section), str(label), situation[field])
        for (field, _value), label in zip(TWELVE_MONTH_SITUATION, TWELVE_MONTH_LABELS, strict=True)
    ]
    return figures


# What counts as doing well at 12 months, one figure each (a person may count in several).
TWELVE_MONTH_SITUATION = [
    ("safe_housing", Answer.YES),
    ("income", Answer.YES),
    ("documents", Answer.YES),
    ("compensation", Answer.YES),
    ("education", Answer.YES),
    ("health", Health.GOOD),
    ("own_view", OwnView.BETTER),
]
TWELVE_MONTH_LABELS = [
    _("In safe housing"),
    _("With an income or work"),
    _("With identity documents or a permit"),
    _("Compensation received"),
    _("In education or training"),
    _("In good health"),
    _("Say their situation is better"),
]


def compensation_annual(*, user, start: dt.date, end: dt.date) -> list[Figure]:
    """The year's compensation (justice): claims made, awarded and paid to the persons, each
    counted in the year of its step, as numbers of claims and sums in baht, by source."""
    compensation = compensation_figures(user=user, filters=Filters(start=start, end=end))
    words = {
        "claimed": (_("Claims made"), _("Baht claimed")),
        "awarded": (_("Claims awarded"), _("Baht awarded")),
        "received": (_("Claims paid to the person"), _("Baht received")),
    }
    figures = []
    for group in [{"label": _("All sources")} | compensation, *compensation["by_source"]]:
        section = str(_("Compensation: %(source)s")) % {"source": group["label"]}
        for step, (count_label, amount_label) in words.items():
            figures.append(Figure(section, str(count_label), group[step]["count"]))
            figures.append(Figure(section, str(amount_label), float(group[step]["amount"])))
    return figures
