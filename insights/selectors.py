"""Reads of the stage figures' rows that depend on the viewer."""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Province, Role
from accounts.permissions import has_role
from accounts.selectors import covered_provinces
from cases.models import Case
from cases.reference import language_name
from cases.selectors import case_stays
from referrals.selectors import referral_list_visible_to
from sla.selectors import compliance_by_province

from .dimensions import Dimension
from .figures import Filters, counted_cases, midnight, stage_rows
from .models import Blocker, Reason
from .spans import Seconds
from .stages import Stage


def figure_places(user) -> QuerySet[Province] | None:
    """The provinces the viewer's figures span and may be narrowed to: all of them for the
    central division, a regional officer's own; None for a viewer of one office's figures."""
    if has_role(user, Role.CENTRAL_REVIEWER):
        return Province.objects.order_by("name_th")
    if has_role(user, Role.REGIONAL_OFFICER):
        return covered_provinces(user=user)
    return None


def _in_group(rows: QuerySet, dimension: Dimension, stage: Stage, group: str) -> QuerySet:
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
    """The counted rows of `stage` in one group of the filters' dimension, on cases the user
    may see, the longest first, with their case."""
    rows = stage_rows(stage, user=user, filters=filters, listed=True)
    return (
        _in_group(rows, filters.dimension, stage, group)
        .select_related("case__intake_province")
        .order_by("-seconds", "pk")
    )


TOP = 10


def blocker_list_visible_to(*, user) -> QuerySet[Blocker]:
    """The blockers of the cases the user may see."""
    visible = counted_cases(user, listed=True)
    return Blocker.objects.all() if visible is None else Blocker.objects.filter(visible)


def _blocker_label(reason: str, language: str) -> str:
    label = str(Reason(reason).label)
    return f"{label} ({language_name(language)})" if language else label


def top_blockers(*, user, filters: Filters) -> dict:
    """The most frequent blockers begun in the period, the first TOP nationally (all the
    user's figures count: `counted_cases`) and in each province: [{label, count, people
    waiting now, days waited}]."""
    now = timezone.now()
    counted = counted_cases(user)
    blockers = (
        Blocker.objects.all() if counted is None else Blocker.objects.filter(counted)
    ).filter(
        started_at__gte=midnight(filters.start),
        started_at__lt=midnight(filters.end + dt.timedelta(days=1)),
    )
    if filters.province is not None:
        blockers = blockers.filter(case__intake_province=filters.province)
    if filters.region:
        blockers = blockers.filter(case__intake_province__region=filters.region)
    rows = (
        blockers.order_by()
        .values("reason", "language", province=F("case__intake_province__code"))
        .annotate(
            count=Count("pk"),
            open=Count("pk", filter=Q(ended_at__isnull=True)),
            seconds=Sum(Seconds("started_at", Coalesce("ended_at", Value(now)))),
        )
    )
    national, provinces = defaultdict(lambda: [0, 0, 0.0]), defaultdict(dict)
    for row in rows:
        key = (row["reason"], row["language"])
        for totals in (national[key], provinces[row["province"]].setdefault(key, [0, 0, 0.0])):
            totals[0] += row["count"]
            totals[1] += row["open"]
            totals[2] += row["seconds"] or 0.0

    def ranked(found: dict) -> list[dict]:
        ordered = sorted(found.items(), key=lambda item: (-item[1][0], -item[1][2]))
        return [
            {
                "reason": reason,
                "language": language,
                "label": _blocker_label(reason, language),
                "count": count,
                "open": open_now,
                "days": round(seconds / 86400, 1),
            }
            for (reason, language), (count, open_now, seconds) in ordered[:TOP]
        ]

    names = {p.code: p.name for p in Province.objects.filter(code__in=provinces)}
    return {
        "national": ranked(national),
        "provinces": sorted(
            (
                {"code": code, "name": names[code], "top": ranked(found)}
                for code, found in provinces.items()
            ),
            key=lambda province: province["name"],
        ),
    }


def records_of_shown_case(case: Case, *, user) -> list[tuple[str, object]]:
    """(kind, record) of the case's screenings, referrals and stays, for a case that the caller
    has already read through cases.selectors (the case page), to say which of them wait. The
    case's visibility is not worked out again: whoever may say that a screening or a stay waits
    (`permissions.can_record_blocker`: the case's office, the stay's shelter) sees it on the
    shown case. A referral is read through the user's own referrals (a draft is not its
    receiver's to see), a filter on the user's organisation without the case's visibility.
    Never for a case id taken from a request."""
    referrals = referral_list_visible_to(user=user).filter(case=case)
    return [
        *(("screening", screening) for screening in case.screenings.all()),
        *(("referral", referral) for referral in referrals.select_related("to_organisation")),
        *(("placement", placement) for placement in case_stays(case)),
    ]


def regional_deadlines(*, user, filters: Filters):
    """A regional officer's provinces (the filters' one, or all it covers) and their deadlines
    met, missed and running, by province and by clock (sla.selectors.compliance_by_province):
    counts only, no case named."""
    provinces = covered_provinces(user=user)
    if filters.province is not None:
        provinces = provinces.filter(pk=filters.province.pk)
    provinces = list(provinces)
    return provinces, compliance_by_province(
        provinces=provinces,
        start=midnight(filters.start),
        end=midnight(filters.end + dt.timedelta(days=1)),
        now=timezone.now(),
    )
