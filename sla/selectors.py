"""Reads of deadlines and of the holiday calendar."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from accounts.models import Role
from core.dates import BUDDHIST_ERA_OFFSET, FIRST_BUDDHIST_ERA_YEAR

from .calendar import package_holidays
from .models import (
    CLOCK_ACTORS,
    Clock,
    ClockPolicy,
    ClockStatus,
    Deadline,
    Escalation,
    EscalationLevel,
    HolidayChange,
)

# Who oversees clocks beyond their own: the central division nationwide, a supervisor their
# office's cases, a director their shelter. Others have their own clocks ("My deadlines").
BOARD_ROLES = (Role.CENTRAL_REVIEWER, Role.SUPERVISOR, Role.SHELTER_DIRECTOR)


def deadline_subjects(deadlines) -> dict[tuple[int, int], tuple[str, str, bool]]:
    """(content type id, object id) -> (case number, link) for each deadline's object (a
    screening, referral, placement or permit), one query per kind of object."""
    by_type = defaultdict(set)
    for deadline in deadlines:
        by_type[deadline.object_type_id].add(deadline.object_id)
    subjects = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        on_case = _on_a_case(model)
        objects = model.objects.filter(pk__in=ids)
        for obj in objects.select_related("case") if on_case else objects:
            # An object answered elsewhere than on its own page says where (a stay's
            # follow-up is the owning office's, on the case).
            link = getattr(obj, "deadline_url", obj.get_absolute_url)()
            # A clock on no case (a breach, a data subject's request) names its own record.
            number = obj.case.number if on_case else obj.number
            subjects[(type_id, obj.pk)] = (number, link, on_case)
    return subjects


def _on_a_case(model) -> bool:
    return any(field.name == "case" for field in model._meta.get_fields())


def running_deadlines_of(*, user) -> QuerySet[Deadline]:
    """The clocks still running that the user's organisation answers for and the user's role
    acts on (CLOCK_ACTORS), soonest first."""
    membership = user.membership if user.is_authenticated else None
    if membership is None or membership.role == Role.SYSADMIN:
        return Deadline.objects.none()  # a sysadmin sees no victim's case, not even its number
    clocks = [clock for clock, roles in CLOCK_ACTORS.items() if membership.role in roles]
    return Deadline.objects.filter(
        organisation_id=membership.organisation_id, closed_at__isnull=True, clock__in=clocks
    ).order_by("due_at")


def deadlines_answered_by(*, user) -> QuerySet[Deadline]:
    """Every clock (running or finished) the user's organisation answers for; all of them for
    the central division, which watches deadlines nationwide."""
    membership = user.membership if user.is_authenticated else None
    if membership is None or membership.role == Role.SYSADMIN:
        return Deadline.objects.none()
    if membership.role == Role.CENTRAL_REVIEWER:
        return Deadline.objects.all()
    return Deadline.objects.filter(organisation_id=membership.organisation_id)


def _on_cases_owned_by(organisation_id: int) -> Q:
    """The clocks on the cases the organisation owns, whoever answers for them (a shelter's
    answer to its referral, the central review). Every object a clock runs on belongs to a
    case by its `case` field (as `deadline_subjects` reads it): one subquery per kind of
    object that has clocks, found with the deadlines' (object type, object id) index."""
    condition = Q(pk__in=[])
    kinds = ContentType.objects.filter(Exists(Deadline.objects.filter(object_type=OuterRef("pk"))))
    for kind in kinds:
        if not _on_a_case(kind.model_class()):
            continue
        objects = kind.model_class().objects.filter(case__owner_id=organisation_id)
        condition |= Q(object_type=kind, object_id__in=objects.values("pk"))
    return condition


def deadline_board(*, user) -> QuerySet[Deadline]:
    """The running clocks the user oversees, past their deadline first (the longest overdue
    first), then the soonest due: every clock nationwide for the central division; for a
    supervisor those their office answers for and those on the cases it owns; for a shelter
    director those the shelter answers for. None for anyone else (BOARD_ROLES).

    The deadline board's page and API list these through `sla.filters.DeadlineBoardFilter`;
    the dashboards count its breached rows, so a figure and the board behind it agree."""
    membership = user.membership if user.is_authenticated else None
    if membership is None or membership.role not in BOARD_ROLES:
        return Deadline.objects.none()
    deadlines = Deadline.objects.filter(closed_at__isnull=True)
    if membership.role == Role.SUPERVISOR:
        deadlines = deadlines.filter(
            Q(organisation_id=membership.organisation_id)
            | _on_cases_owned_by(membership.organisation_id)
        )
    elif membership.role == Role.SHELTER_DIRECTOR:
        deadlines = deadlines.filter(organisation_id=membership.organisation_id)
    return deadlines.select_related("organisation__province").order_by("due_at", "pk")


@dataclass(frozen=True)
class BoardRow:
    """One line of a deadline board: the clock, its case, and how it stands now."""

    deadline: Deadline
    case_number: str
    link: str
    status: ClockStatus
    escalated_to: str  # whom the escalation reached, by the clock's rule; "" if not escalated

    @property
    def object_type(self) -> str:
        """What the clock runs on: screening, referral, placement or permit."""
        return ContentType.objects.get_for_id(self.deadline.object_type_id).model


def _escalated_to(deadline: Deadline, policy: ClockPolicy) -> str:
    """Whom the clock's escalation has reached so far, by its rule; "" before any."""
    target = {
        EscalationLevel.FIRST: policy.escalate_first,
        EscalationLevel.SECOND: policy.escalate_second,
    }.get(deadline.escalation_level, "")
    return str(Escalation(target).label) if target else ""


def board_rows(deadlines, *, now: dt.datetime) -> list[BoardRow]:
    """The rows of a page of `deadline_board`, with their case numbers and links (one query
    per kind of object) and whom each escalation reached (the rules: one query)."""
    deadlines = list(deadlines)
    subjects = deadline_subjects(deadlines)
    policies = {policy.clock: policy for policy in ClockPolicy.objects.all()}
    rows = []
    for deadline in deadlines:
        number, link, _on_case = subjects.get(
            (deadline.object_type_id, deadline.object_id), ("—", "", False)
        )
        rows.append(
            BoardRow(
                deadline=deadline,
                case_number=number,
                link=link,
                status=ClockStatus.at(deadline.due_at, now),
                escalated_to=_escalated_to(deadline, policies[deadline.clock]),
            )
        )
    return rows


@dataclass(frozen=True)
class HolidayRow:
    """One day of the holiday calendar page: a package holiday (`name`), a sysadmin's change in
    force (`change`), or both (a package holiday worked this year)."""

    date: dt.date
    name: str
    change: HolidayChange | None

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]

    @property
    def is_holiday(self) -> bool:
        if self.change is not None:
            return self.change.kind == HolidayChange.Kind.ADDED
        return True


def calendar_year(text: str) -> int:
    """The year a holiday calendar is asked for ("2026", or its Buddhist-era "2569"); this
    year when `text` is no year from 2000 to 2100."""
    try:
        year = int(text)
    except (TypeError, ValueError):
        return timezone.localdate().year
    if year >= FIRST_BUDDHIST_ERA_YEAR:
        year -= BUDDHIST_ERA_OFFSET
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def holiday_calendar(*, year: int, language: str) -> list[HolidayRow]:
    """The holidays of `year` as the working-day clocks count them: the `holidays` package's
    (named in `language`) with the sysadmin's changes in force, by date."""
    changes = {
        change.date: change
        for change in HolidayChange.objects.filter(
            date__year=year, withdrawn_at__isnull=True
        ).select_related("created_by")
    }
    names = package_holidays(year, language)
    return [
        HolidayRow(date=day, name=names.get(day, ""), change=changes.get(day))
        for day in sorted(set(names) | set(changes))
    ]


def holiday_changes_withdrawn(*, year: int) -> QuerySet[HolidayChange]:
    """The changes of `year` deleted from the calendar, with who recorded and who deleted them."""
    return (
        HolidayChange.objects.filter(date__year=year, withdrawn_at__isnull=False)
        .select_related("created_by", "withdrawn_by")
        .order_by("date", "created_at")
    )


@dataclass
class Compliance:
    """One province's (or one clock's) deadlines: those that ended in a period, met or
    missed, and those running now, in time or past due."""

    key: str
    label: str
    met: int = 0
    missed: int = 0
    running: int = 0
    overdue: int = 0

    @property
    def share(self) -> float | None:
        """The percentage met of the clocks that ended."""
        ended = self.met + self.missed
        return round(100 * self.met / ended, 1) if ended else None


def compliance_by_province(
    *, provinces, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> tuple[list[Compliance], list[Compliance]]:
    """The deadlines answered by the organisations of `provinces` (offices, shelters and
    partners there), by province and by clock: met and missed of those that ended from
    `start` to `end`, running in time and past due at `now`. Counts only: no case is named."""
    rows = (
        Deadline.objects.filter(organisation__province__in=provinces)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start, closed_at__lt=end))
        .order_by()
        .values("clock", province=F("organisation__province__code"))
        .annotate(
            met=Count("pk", filter=Q(closed_at__isnull=False, state=Deadline.State.MET)),
            missed=Count("pk", filter=Q(closed_at__isnull=False, state=Deadline.State.BREACHED)),
            running=Count("pk", filter=Q(closed_at__isnull=True, due_at__gt=now)),
            overdue=Count("pk", filter=Q(closed_at__isnull=True, due_at__lte=now)),
        )
    )
    by_province = {p.code: Compliance(p.code, p.name) for p in provinces}
    by_clock = {}
    for row in rows:
        clock = by_clock.setdefault(
            row["clock"], Compliance(row["clock"], Clock(row["clock"]).label)
        )
        for totals in (by_province[row["province"]], clock):
            for name in ("met", "missed", "running", "overdue"):
                setattr(totals, name, getattr(totals, name) + row[name])
    clocks = [by_clock[value] for value in Clock.values if value in by_clock]
    return list(by_province.values()), clocks
