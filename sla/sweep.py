"""The periodic sweep over deadlines: remind before, mark the breach at the deadline, then
escalate step by step (DESIGN.md §5).

It reads only rows whose `next_action_at` has come (a partial index), locks them with SKIP
LOCKED, decides, writes the notifications and the rows' next step in the same transaction:
running it twice, or two beats at once, sends nothing twice.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, Role
from notifications.matrix import Audience, compose
from notifications.services import notify_many

from .models import CLOCK_ACTORS, Clock, ClockPolicy, Deadline, Escalation
from .selectors import deadline_subjects
from .templatetags.deadlines import time_left

BATCH = 1000

# Whom each escalation reaches: in the responsible organisation, or in the central division.
# The design's "head of the central division" has no role of its own yet: the division's
# reviewers receive it.
ESCALATION_TARGETS = {
    Escalation.SUPERVISOR: (False, (Role.SUPERVISOR,)),
    Escalation.RECEIVER_DIRECTOR: (False, (Role.SHELTER_DIRECTOR, Role.SUPERVISOR)),
    Escalation.SHELTER_DIRECTOR: (False, (Role.SHELTER_DIRECTOR,)),
    Escalation.CENTRAL: (True, (Role.CENTRAL_REVIEWER,)),
    Escalation.CENTRAL_HEAD: (True, (Role.CENTRAL_REVIEWER,)),
}

lazy_time_left = lazy(time_left, str)
lazy_case_record = lazy(lambda number: _("case %(number)s") % {"number": number}, str)
CLOCK_LABELS = dict(Clock.choices)


@dataclass
class _Context:
    """What the batch needs besides the rows, loaded in a fixed number of queries."""

    policies: dict
    subjects: dict  # (content type id, object id) -> (number, link, whether a case's)
    members: dict  # organisation id -> [(role, user)]
    central_id: int

    def people(self, organisation_id, roles):
        return [user for role, user in self.members.get(organisation_id, ()) if role in roles]


def _load(rows: list[Deadline]) -> _Context:
    central_id = Organisation.objects.values_list("pk", flat=True).get(
        kind=Organisation.Kind.CENTRAL
    )
    members = defaultdict(list)
    for membership in Membership.objects.filter(
        organisation_id__in={row.organisation_id for row in rows} | {central_id},
        is_active=True,
        user__is_active=True,
    ).select_related("user"):
        members[membership.organisation_id].append((membership.role, membership.user))
    return _Context(
        policies={p.clock: p for p in ClockPolicy.objects.all()},
        subjects=deadline_subjects(rows),
        members=members,
        central_id=central_id,
    )


def _escalation_people(context: _Context, row: Deadline, target: str):
    central, roles = ESCALATION_TARGETS[target]
    return context.people(context.central_id if central else row.organisation_id, roles)


def _step(row: Deadline, context: _Context, now: dt.datetime, messages: list) -> str:
    """Take the row's next step; return its name. Appends the messages it sends."""
    number, link, on_case = context.subjects.get(
        (row.object_type_id, row.object_id), ("?", "", False)
    )
    # "case NRM-2569-50-000001", or a record of no case by its own number (a breach).
    record = lazy_case_record(number) if on_case else number
    clock = CLOCK_LABELS[row.clock]
    policy = context.policies[row.clock]
    actors = context.people(row.organisation_id, CLOCK_ACTORS[row.clock])
    if row.state == Deadline.State.PENDING and now < row.due_at:
        row.reminded_at = now
        row.next_action_at = row.due_at
        messages.append(
            compose(
                "deadline.reminder",
                to={Audience.CLOCK_HOLDERS: actors},
                link=link,
                clock=clock,
                record=record,
                left=lazy_time_left(row.due_at),
            )
        )
        return "reminded"
    if row.state == Deadline.State.PENDING:
        row.state = Deadline.State.BREACHED
        row.escalation_level = 1
        row.next_action_at = (
            row.due_at + dt.timedelta(hours=policy.escalate_again_after_hours)
            if policy.escalate_second
            else None
        )
        escalated_to = _escalation_people(context, row, policy.escalate_first)
        others = [user for user in actors if user not in escalated_to]
        messages.append(
            compose(
                "deadline.missed",
                to={Audience.CLOCK_HOLDERS: others},
                link=link,
                subject=row,
                clock=clock,
                record=record,
            )
        )
        messages.append(
            compose(
                "deadline.escalated",
                to={Audience.ESCALATION: escalated_to},
                link=link,
                clock=clock,
                record=record,
            )
        )
        return "breached"
    row.escalation_level = 2
    row.next_action_at = None
    if not policy.escalate_second:  # the rule changed since: nobody left to escalate to
        return "escalated"
    messages.append(
        compose(
            "deadline.escalated",
            to={Audience.ESCALATION: _escalation_people(context, row, policy.escalate_second)},
            link=link,
            clock=clock,
            record=record,
        )
    )
    return "escalated"


def _save(groups: dict, now: dt.datetime) -> None:
    """Write the rows' new state: one UPDATE per kind of step (and per delay to the second
    escalation), not one CASE branch per row, so the cost stays linear in what is due."""
    for (step, delay), ids in groups.items():
        rows = Deadline.objects.filter(pk__in=ids)
        if step == "reminded":
            rows.update(reminded_at=now, next_action_at=F("due_at"))
        elif step == "breached":
            rows.update(
                state=Deadline.State.BREACHED,
                escalation_level=1,
                next_action_at=F("due_at") + delay if delay is not None else None,
            )
        else:
            rows.update(escalation_level=2, next_action_at=None)


def sweep(*, now: dt.datetime | None = None) -> Counter:
    """Remind, mark breaches and escalate every running deadline whose time has come.

    Side effects: updates the rows, writes in-app notifications and queues their e-mails in
    the outbox, one transaction per batch. Returns how many of each step it took.
    """
    now = now or timezone.now()
    done = Counter()
    while True:
        with transaction.atomic():
            rows = list(
                Deadline.objects.select_for_update(skip_locked=True)
                .filter(next_action_at__lte=now, closed_at__isnull=True)
                .order_by("next_action_at")[:BATCH]
            )
            if not rows:
                return done
            context = _load(rows)
            messages = []
            groups = defaultdict(list)
            for row in rows:
                step = _step(row, context, now, messages)
                done[step] += 1
                groups[
                    step, row.next_action_at - row.due_at if row.next_action_at else None
                ].append(row.pk)
            _save(groups, now)
            notify_many(messages)
        if len(rows) < BATCH:
            return done
