"""Benchmark of the deadline sweep (sla/sweep.py). The issue's target: with 1,000,000 deadlines
of which 1,000 are due, one sweep takes under 1 second.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/nrm .venv/bin/python \
        bench/sla_sweep.py [--total 1000000] [--due 1000] [--repeat N] [--profile] [--keep]

PostgreSQL only (the partial index, SKIP LOCKED and the bulk load are what is measured). Like
bench/intake.py it creates a throwaway database `<name>_bench_<pid>` on that server, migrates
it (the reference data and deadline rules come from the migrations) and drops it at the end
unless --keep: the named database itself is never written to.

What it builds (not timed):
- the demo accounts plus a few more, so that every clock has people to remind and escalate to;
- one case per due deadline, each with the object its clock runs on (a screening, a referral,
  a placement or a permit), so the sweep loads real rows to name the case;
- the bulk of the deadlines with one INSERT ... SELECT generate_series: most closed (met,
  cancelled or breached; no next look), the rest running with their next look in the future
  (a reminder, the deadline, or a second escalation) or with nothing more to do;
- exactly --due rows whose next look has come: reminders, breaches and second escalations.

Then it prints the EXPLAIN ANALYZE of the sweep's selecting query (run on the due rows, rolled
back), times one call of sla.sweep.sweep() (wall clock, commits included; --repeat N puts the
due rows back and times N calls, reporting the median), and calls it a second time, which must
find nothing. Before the timing it loads what a running worker already holds (URL resolver,
translations, content types, broker producer): a worker's first beat after it starts pays
that once more. The Celery side is kept out: REDIS_URL is unset, so the settings use the
embedded file-system broker in a temporary NRM_VAR_DIR, and the "send the outbox now" that the
sweep queues after its commit is one small file written, not an e-mail sent.
"""

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 1.0
# The bulk rows' next look is at least this far ahead of the load, so that none of them falls
# due while the rest of the data is being built.
MARGIN = dt.timedelta(minutes=30)

# Hours each clock runs and its reminder comes before the deadline (close to the rules of
# sla/migrations/0002; working days counted as 1.4 calendar days). Permit: a one-year permit.
CLOCK_HOURS = {
    "identification": (24, 6),
    "mdt_interview": (15 * 24, 3 * 24),
    "referral_ack_urgent": (4, 2),
    "referral_ack_normal": (34, 4),
    "referral_decision_urgent": (34, 4),
    "referral_decision_normal": (101, 34),
    "central_review": (168, 34),
    "second_review": (67, 34),
    "care_plan": (7 * 24, 2 * 24),
    "permit_expiry": (365 * 24, 30 * 24),
    "follow_up": (91 * 24, 7 * 24),
}
# How often each clock occurs among all deadlines (out of 20).
CLOCK_WEIGHTS = {
    "identification": 4,
    "mdt_interview": 2,
    "referral_ack_urgent": 1,
    "referral_ack_normal": 2,
    "referral_decision_urgent": 1,
    "referral_decision_normal": 2,
    "central_review": 3,
    "second_review": 1,
    "care_plan": 2,
    "permit_expiry": 1,
    "follow_up": 1,
}
# Clocks with a second escalation (escalate_second set in the default rules).
SECOND_ESCALATION = {
    "identification",
    "mdt_interview",
    "referral_ack_urgent",
    "referral_ack_normal",
    "referral_decision_urgent",
    "referral_decision_normal",
}
# More accounts than the demo ones: a supervisor in each demo province, staff in both shelters.
EXTRA_USERS = [
    ("sup.bangkok", "pso-10", "supervisor", "th"),
    ("sup.tak", "pso-63", "supervisor", "th"),
    ("sw.tak2", "pso-63", "social_worker", "en"),
    ("staff.pathumthani", "shelter-pathumthani", "shelter_staff", "th"),
    ("central.reviewer2", "central", "central_reviewer", "en"),
]
OFFICES = ["pso-50", "pso-10", "pso-63"]  # the provinces with demo accounts
SHELTERS = ["shelter-kredtrakarn", "shelter-pathumthani"]

NAMES = [
    ("สมชาย ใจดี", "Somchai Jaidee", "", "TH"),
    ("มาลี ศรีสุข", "Malee Srisuk", "", "TH"),
    ("อ่อง จ่อ", "Aung Kyaw", "အောင် ကျော်", "MM"),
    ("ธิดา วิน", "Thida Win", "သီတာ ဝင်း", "MM"),
    ("ขิ่น โม", "Khin Moe", "ခင် မိုး", "MM"),
    ("คำแพง วงศา", "Khampheng Vongsa", "ຄຳແພງ ວົງສາ", "LA"),
    ("สุขา ดารา", "Sokha Dara", "សុខា ដារា", "KH"),
]

# --- The bulk: one statement ----------------------------------------------------------------

BULK_SQL = """
WITH base AS (
    SELECT n,
           c.clock,
           c.type_id,
           make_interval(hours => c.due_hours) AS dur,
           make_interval(hours => c.remind_hours) AS rem,
           c.second,
           CASE c.org_kind
               WHEN 'office' THEN (%(offices)s::bigint[])
                   [1 + floor(random() * cardinality(%(offices)s::bigint[]))::int]
               WHEN 'shelter' THEN (%(shelters)s::bigint[])
                   [1 + floor(random() * cardinality(%(shelters)s::bigint[]))::int]
               WHEN 'receiver' THEN (%(receivers)s::bigint[])
                   [1 + floor(random() * cardinality(%(receivers)s::bigint[]))::int]
               ELSE %(central)s::bigint
           END AS organisation_id,
           random() AS fate,
           random() AS s,
           random() AS u
    FROM generate_series(1, %(count)s) AS g(n)
    JOIN unnest(
        %(slots_clock)s::text[], %(slots_type)s::int[], %(slots_due)s::int[],
        %(slots_remind)s::int[], %(slots_second)s::bool[], %(slots_org)s::text[],
        %(slots_index)s::int[]
    ) AS c(clock, type_id, due_hours, remind_hours, second, org_kind, slot)
        ON c.slot = mod(n, %(slots)s)
),
shaped AS (
    SELECT *,
           CASE
               WHEN fate < 0.62 THEN 'met'
               WHEN fate < 0.67 THEN 'cancelled'
               WHEN fate < 0.72 THEN 'late'
               WHEN fate < 0.95 THEN 'running'
               WHEN fate < 0.98 AND second THEN 'escalating'
               ELSE 'escalated'
           END AS kind
    FROM base
),
timed AS (
    SELECT *,
           CASE kind
               -- closed: started up to three years ago
               WHEN 'met' THEN %(now)s - interval '3 years' * s - dur
               WHEN 'cancelled' THEN %(now)s - interval '3 years' * s - dur
               WHEN 'late' THEN %(now)s - interval '3 years' * s - dur
               -- running, next look in the future: due between the margin and one run ahead
               WHEN 'running' THEN %(ahead)s + dur * s - dur
               -- breached less than 24 hours ago: the second escalation is still ahead
               WHEN 'escalating' THEN %(now)s - interval '20 hours' * s - dur
               -- breached long ago, both escalations done, still not closed
               ELSE %(now)s - interval '60 days' * s - interval '2 days' - dur
           END AS started
    FROM shaped
)
INSERT INTO sla_deadline (
    clock, object_type_id, object_id, organisation_id, started_at, due_at, state, closed_at,
    escalation_level, remind_at, reminded_at, next_action_at
)
SELECT clock,
       type_id,
       %(first_id)s + n,
       organisation_id,
       started,
       started + dur,
       CASE kind
           WHEN 'met' THEN 'met'
           WHEN 'cancelled' THEN 'cancelled'
           WHEN 'running' THEN 'pending'
           ELSE 'breached'
       END,
       CASE kind
           WHEN 'met' THEN started + dur * u
           WHEN 'cancelled' THEN started + dur * u
           WHEN 'late' THEN started + dur + interval '3 days' * u
       END,
       CASE kind
           WHEN 'late' THEN 1 + (u > 0.5 AND second)::int
           WHEN 'escalating' THEN 1
           WHEN 'escalated' THEN 1 + second::int
           ELSE 0
       END,
       started + dur - rem,
       CASE
           WHEN kind IN ('late', 'escalating', 'escalated') THEN started + dur - rem
           WHEN kind = 'running' AND started + dur - rem <= %(ahead)s
               THEN least(started + dur - rem, %(now)s)
           WHEN kind = 'met' AND started + dur * u > started + dur - rem
               THEN started + dur - rem
       END,
       CASE kind
           WHEN 'running' THEN greatest(
               CASE WHEN started + dur - rem > %(ahead)s THEN started + dur - rem
                    ELSE started + dur END,
               %(ahead)s
           )
           WHEN 'escalating' THEN started + dur + interval '24 hours'
       END
FROM timed
"""


def bulk_insert(*, count: int, now: dt.datetime, seed: float) -> None:
    """Insert `count` deadlines that are not due, in one statement."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from accounts.models import Organisation
    from cases.models import Permit, Screening
    from referrals.models import Referral
    from shelters.models import Placement

    types = ContentType.objects.get_for_models(Screening, Referral, Placement, Permit)
    on = {
        "identification": (Screening, "office"),
        "mdt_interview": (Screening, "office"),
        "second_review": (Screening, "central"),
        "referral_ack_urgent": (Referral, "receiver"),
        "referral_ack_normal": (Referral, "receiver"),
        "referral_decision_urgent": (Referral, "receiver"),
        "referral_decision_normal": (Referral, "receiver"),
        "central_review": (Referral, "central"),
        "care_plan": (Placement, "shelter"),
        "permit_expiry": (Permit, "office"),
        "follow_up": (Placement, "office"),
    }
    slots = [clock for clock, weight in CLOCK_WEIGHTS.items() for _ in range(weight)]
    offices = list(
        Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL_OFFICE).values_list(
            "pk", flat=True
        )
    )
    shelters = list(
        Organisation.objects.filter(kind=Organisation.Kind.SHELTER).values_list("pk", flat=True)
    )
    central = Organisation.objects.get(kind=Organisation.Kind.CENTRAL).pk
    ahead = now + MARGIN
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            BULK_SQL,
            {
                "count": count,
                "now": now,
                "ahead": ahead,
                # Far above any real object id: these rows point at nothing the sweep reads.
                "first_id": 1_000_000_000,
                "offices": offices,
                "shelters": shelters,
                "receivers": offices + shelters,
                "central": central,
                "slots": len(slots),
                "slots_index": list(range(len(slots))),
                "slots_clock": slots,
                "slots_type": [types[on[clock][0]].pk for clock in slots],
                "slots_due": [CLOCK_HOURS[clock][0] for clock in slots],
                "slots_remind": [CLOCK_HOURS[clock][1] for clock in slots],
                "slots_second": [clock in SECOND_ESCALATION for clock in slots],
                "slots_org": [on[clock][1] for clock in slots],
            },
        )


# --- The due rows and the objects they run on -----------------------------------------------


def create_people() -> dict:
    """The demo accounts and a few more; returns organisations by code."""
    from accounts.models import Organisation
    from accounts.services import user_create
    from devdata.demo_users import seed_demo_users

    seed_demo_users(password="bench-password-not-used-1")  # noqa: S106
    organisations = Organisation.objects.in_bulk(
        {*OFFICES, *SHELTERS, *(code for _u, code, _r, _l in EXTRA_USERS)}, field_name="code"
    )
    for username, code, role, language in EXTRA_USERS:
        user_create(
            username=username,
            password="bench-password-not-used-1",  # noqa: S106
            organisation=organisations[code],
            role=role,
            email=f"{username}@nrm.localhost",
            language=language,
        )
    organisations["central"] = Organisation.objects.get(kind=Organisation.Kind.CENTRAL)
    return organisations


def due_plan(count: int, random_: random.Random) -> list[tuple[str, str]]:
    """(clock, step) for each due row: 40 % reminders, 40 % breaches, 20 % second
    escalations (on the clocks that have one)."""
    clocks = list(CLOCK_WEIGHTS)
    weights = list(CLOCK_WEIGHTS.values())
    escalating = [clock for clock in clocks if clock in SECOND_ESCALATION]
    plan = []
    for index in range(count):
        share = index % 10
        if share < 4:
            plan.append((random_.choices(clocks, weights)[0], "reminder"))
        elif share < 8:
            plan.append((random_.choices(clocks, weights)[0], "breach"))
        else:
            weights_escalating = [CLOCK_WEIGHTS[clock] for clock in escalating]
            plan.append((random_.choices(escalating, weights_escalating)[0], "escalation"))
    return plan


def create_due(*, count: int, now: dt.datetime, organisations: dict, seed: int) -> Counter:
    """One case per due deadline, with the object the clock runs on, and the deadline itself,
    due now: bulk-inserted (test data, not through the services, not timed)."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import User
    from cases.models import Case, Permit, Person, Screening
    from cases.names import name_key
    from cases.workflow import ScreeningStatus
    from referrals.models import Referral
    from referrals.workflow import ReviewState, State
    from shelters.models import Placement, PlacementStatus, ShelterUnit
    from sla.models import Deadline

    random_ = random.Random(seed)  # noqa: S311 (reproducible test data, no secret)
    plan = due_plan(count, random_)
    workers = {
        code: User.objects.filter(memberships__organisation__code=code).order_by("pk").first()
        for code in OFFICES
    }
    units = {
        code: list(
            ShelterUnit.objects.filter(shelter__organisation__code=code).select_related(
                "shelter__organisation"
            )
        )
        for code in SHELTERS
    }
    offices = [organisations[code] for code in OFFICES]

    persons = []
    for _index in range(count):
        name_th, name_latin, name_native, nationality = random_.choice(NAMES)
        persons.append(
            Person(
                name_th=name_th,
                name_latin=name_latin,
                name_native=name_native,
                name_key=name_key(name_th, name_latin),
                nationality=nationality,
                created_by_organisation=random_.choice(offices),
            )
        )
    persons = Person.objects.bulk_create(persons, batch_size=1000)
    cases = []
    for index, person in enumerate(persons, start=1):
        owner = person.created_by_organisation
        cases.append(
            Case(
                number=f"NRM-2568-{owner.province.code}-{900000 + index:06d}",
                person=person,
                owner=owner,
                lead_worker=workers[owner.code],
                intake_channel=random_.choice(["police_raid", "hotline_1300", "ngo"]),
                intake_date=(now - dt.timedelta(days=random_.randint(1, 120))).date(),
                intake_province=owner.province,
                exploitation_types=[random_.choice(["scam_compound", "labour_fishing"])],
                created_by=workers[owner.code],
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=1000)

    # The times of each row: a reminder whose time has come, a deadline just passed (less than
    # 24 hours ago, so the second escalation is still ahead), a second escalation due.
    rows = []  # (clock, step, case, times)
    for (clock, step), case in zip(plan, cases, strict=True):
        due_hours, remind_hours = CLOCK_HOURS[clock]
        due, remind = dt.timedelta(hours=due_hours), dt.timedelta(hours=remind_hours)
        if step == "reminder":
            due_at = now + remind * random_.uniform(0.3, 0.9)
        elif step == "breach":
            due_at = now - dt.timedelta(minutes=random_.randint(1, 20 * 60))
        else:
            due_at = now - dt.timedelta(hours=24, minutes=random_.randint(1, 6 * 60))
        rows.append((clock, step, case, due_at - due, due_at, due_at - remind))

    screenings, referrals, placements, permits = {}, {}, {}, {}
    for index, (clock, _step, case, started, due_at, _remind) in enumerate(rows):
        if clock in ("identification", "mdt_interview", "second_review"):
            screenings[index] = Screening(
                case=case,
                status={
                    "identification": ScreeningStatus.OPEN,
                    "mdt_interview": ScreeningStatus.DECIDED,
                    "second_review": ScreeningStatus.PENDING_SECOND_REVIEW,
                }[clock],
                custody_started_at=started if clock == "identification" else started - due,
                deadline_at=due_at if clock == "identification" else started,
                outcome={"mdt_interview": "reasonable_grounds", "second_review": "not_victim"}.get(
                    clock, ""
                ),
            )
        elif clock.startswith("referral_") or clock == "central_review" or clock == "care_plan":
            shelter = random_.choice(SHELTERS)
            referrals[index] = Referral(
                case=case,
                from_organisation=case.owner,
                to_organisation=organisations[shelter],
                kind="shelter_placement",
                urgency="urgent" if clock.endswith("_urgent") else "normal",
                services_requested=["shelter", "psychosocial"],
                reason="Released from a scam compound; needs a safe place to stay.",
                consent="given",
                state=State.COMPLETED if clock == "care_plan" else State.SUBMITTED,
                review_state=ReviewState.ENDORSED if clock == "care_plan" else ReviewState.PENDING,
                created_by=case.created_by,
                submitted_at=started,
            )
    Screening.objects.bulk_create(screenings.values(), batch_size=1000)
    Referral.objects.bulk_create(referrals.values(), batch_size=1000)
    for index, (clock, _step, case, started, due_at, _remind) in enumerate(rows):
        if clock == "care_plan":
            referral = referrals[index]
            unit = random_.choice(units[referral.to_organisation.code])
            placements[index] = Placement(
                case=case,
                person_id=case.person_id,
                unit=unit,
                referral=referral,
                admitted_at=started,
                admitted_by=case.created_by,
            )
        elif clock == "follow_up":
            shelter = random_.choice(SHELTERS)
            referral = Referral.objects.create(
                case=case,
                from_organisation=case.owner,
                to_organisation=organisations[shelter],
                kind="shelter_placement",
                reason="Shelter placement before reintegration.",
                consent="given",
                state=State.COMPLETED,
                created_by=case.created_by,
                submitted_at=started - dt.timedelta(days=120),
            )
            placements[index] = Placement(
                case=case,
                person_id=case.person_id,
                unit=random_.choice(units[shelter]),
                referral=referral,
                status=PlacementStatus.DISCHARGED,
                admitted_at=started - dt.timedelta(days=110),
                discharged_at=started,
                discharge_reason="reintegrated",
                admitted_by=case.created_by,
            )
        elif clock == "permit_expiry":
            permits[index] = Permit(
                case=case,
                reference=f"TAK-37/{2568}/{index:05d}",
                issued_on=started.date(),
                expires_on=due_at.date(),
                recorded_by=case.created_by,
            )
    Placement.objects.bulk_create(placements.values(), batch_size=1000)
    Permit.objects.bulk_create(permits.values(), batch_size=1000)

    objects = screenings | referrals | placements | permits
    types = ContentType.objects.get_for_models(Screening, Referral, Placement, Permit)
    deadlines = []
    for index, (clock, step, case, started, due_at, remind_at) in enumerate(rows):
        obj = objects[index]
        if clock in ("second_review", "central_review"):
            organisation = organisations["central"]
        elif clock.startswith("referral_"):
            organisation = obj.to_organisation
        elif clock == "care_plan":
            organisation = obj.unit.shelter.organisation
        else:
            organisation = case.owner
        deadlines.append(
            Deadline(
                clock=clock,
                object_type=types[type(obj)],
                object_id=obj.pk,
                organisation=organisation,
                started_at=started,
                due_at=due_at,
                remind_at=remind_at,
                state=Deadline.State.BREACHED if step == "escalation" else Deadline.State.PENDING,
                escalation_level=1 if step == "escalation" else 0,
                reminded_at=None if step == "reminder" else remind_at,
                next_action_at={
                    "reminder": remind_at,
                    "breach": due_at,
                    "escalation": due_at + dt.timedelta(hours=24),
                }[step],
            )
        )
    Deadline.objects.bulk_create(deadlines, batch_size=1000)
    return Counter(type(obj).__name__ for obj in objects.values())


# --- The measurement ------------------------------------------------------------------------


def selecting_query(now: dt.datetime):
    """The sweep's own selecting query (sla/sweep.py), to EXPLAIN."""
    from sla.models import Deadline
    from sla.sweep import BATCH

    return (
        Deadline.objects.select_for_update(skip_locked=True)
        .filter(next_action_at__lte=now, closed_at__isnull=True)
        .order_by("next_action_at")[:BATCH]
    )


def warm_up() -> float:
    """Load what a long-running worker has loaded before its beat: the URL resolver, both
    languages' translations, the content types, and the broker's producer (one delivery request
    published). Returns the seconds that first publication took."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from django.utils import translation

    from notifications.services import request_delivery
    from sla.templatetags.deadlines import time_left

    reverse("cases:detail", args=[1])
    for language in ("th", "en"):
        with translation.override(language):
            str(time_left(dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)))
    for content_type in ContentType.objects.all():
        ContentType.objects.get_for_id(content_type.pk)
    started = time.perf_counter()
    request_delivery()
    return time.perf_counter() - started


def run(args) -> dict:
    from django.db import connection, transaction
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notifications.models import Delivery, Notification
    from sla.models import Deadline
    from sla.sweep import sweep

    figures = {}
    started = time.perf_counter()
    organisations = create_people()
    now = timezone.now()
    objects = create_due(count=args.due, now=now, organisations=organisations, seed=args.seed)
    figures["due_seconds"] = time.perf_counter() - started
    figures["objects"] = objects

    started = time.perf_counter()
    bulk_insert(count=args.total - args.due, now=now, seed=args.seed / 10_000)
    figures["bulk_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # As on a table that has lived: vacuumed (so autovacuum does not start on the fresh
        # million rows in the middle of the measurement), analysed, flushed to disk.
        cursor.execute("VACUUM (ANALYZE) sla_deadline")
        cursor.execute("ANALYZE")
        cursor.execute("CHECKPOINT")
    figures["analyze_seconds"] = time.perf_counter() - started

    now = timezone.now()
    deadlines = Deadline.objects.all()
    figures["total"] = deadlines.count()
    figures["closed"] = deadlines.filter(closed_at__isnull=False).count()
    figures["running"] = figures["total"] - figures["closed"]
    figures["waiting"] = deadlines.filter(next_action_at__gt=now).count()
    figures["due"] = deadlines.filter(next_action_at__lte=now, closed_at__isnull=True).count()
    if figures["due"] != args.due:
        raise SystemExit(f"{figures['due']} rows are due instead of {args.due}; nothing timed.")
    figures["due_kinds"] = Counter(
        "escalation"
        if state == Deadline.State.BREACHED
        else "reminder"
        if due_at > now
        else "breach"
        for state, due_at in Deadline.objects.filter(
            next_action_at__lte=now, closed_at__isnull=True
        ).values_list("state", "due_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('sla_deadline')),"
            " pg_size_pretty(pg_relation_size('deadline_next_action_idx')),"
            " (SELECT count(*) FROM sla_deadline WHERE next_action_at IS NOT NULL)"
        )
        figures["table_size"], figures["index_size"], figures["indexed"] = cursor.fetchone()

    figures["first_publish"] = warm_up()
    published = broker_messages()
    # The plan of the selecting query, run for real (EXPLAIN ANALYZE) on the rows the sweep is
    # about to take, then rolled back: it reads the same pages the sweep will read.
    with transaction.atomic():
        figures["plan"] = selecting_query(now).explain(analyze=True, buffers=True)
        transaction.set_rollback(True)

    due_rows = list(
        Deadline.objects.filter(next_action_at__lte=now, closed_at__isnull=True).values_list(
            "pk", "state", "escalation_level", "reminded_at", "next_action_at"
        )
    )
    last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    notifications = Notification.objects.count()
    deliveries = Delivery.objects.count()
    figures["runs"] = []
    for attempt in range(args.repeat):
        if attempt:
            restore(due_rows, last_notification)
        profile = cProfile.Profile() if args.profile and not attempt else None
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            if profile:
                profile.enable()
            done = sweep()
            if profile:
                profile.disable()
            figures["runs"].append(time.perf_counter() - started)
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
            figures["profile"] = out.getvalue()
            figures["query_list"] = [
                (float(query["time"]), query["sql"][:150]) for query in queries.captured_queries
            ]
    figures["seconds"] = statistics.median(figures["runs"])
    # The counts below are those of the last run (every run does the same work).
    figures["done"] = done
    figures["queries"] = len(queries.captured_queries)
    figures["query_seconds"] = sum(float(q["time"]) for q in queries.captured_queries)
    figures["published"] = (broker_messages() - published) // args.repeat
    figures["notifications"] = Notification.objects.count() - notifications
    figures["deliveries"] = Delivery.objects.count() - deliveries
    figures["left_due"] = Deadline.objects.filter(
        next_action_at__lte=timezone.now(), closed_at__isnull=True
    ).count()

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        again = sweep()
        figures["again_seconds"] = time.perf_counter() - started
    figures["again"] = again
    figures["again_queries"] = len(queries.captured_queries)
    figures["again_notifications"] = (
        Notification.objects.count() - notifications - figures["notifications"]
    )
    return figures


def restore(rows: list[tuple], last_notification: int) -> None:
    """Put the due rows back as they were before the sweep and remove what it wrote, for the
    next run of --repeat; vacuumed and flushed as before the first run."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sla_deadline AS d SET state = v.state, escalation_level = v.level,"
            " reminded_at = v.reminded_at, next_action_at = v.next_action_at"
            " FROM unnest(%s::bigint[], %s::text[], %s::smallint[], %s::timestamptz[],"
            " %s::timestamptz[]) AS v(id, state, level, reminded_at, next_action_at)"
            " WHERE d.id = v.id",
            [list(column) for column in zip(*rows, strict=True)],
        )
        cursor.execute(
            "DELETE FROM notifications_delivery WHERE notification_id > %s", [last_notification]
        )
        cursor.execute("DELETE FROM notifications_notification WHERE id > %s", [last_notification])
        for table in ("sla_deadline", "notifications_notification", "notifications_delivery"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("CHECKPOINT")


def broker_messages() -> int:
    """Messages waiting in the embedded broker's queue folder."""
    from django.conf import settings

    return sum(1 for path in (settings.BROKER_DIR / "queue").iterdir() if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--total", type=int, default=1_000_000, help="deadlines in all")
    parser.add_argument("--due", type=int, default=1000, help="deadlines whose next look came")
    parser.add_argument("--seed", type=int, default=2568)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time the sweep N times (the due rows put back in between); report the median",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the sweep (the time is then inflated)"
    )
    args = parser.parse_args()
    if not 0 < args.due <= args.total:
        parser.error("--due must be between 1 and --total")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: the sweep is measured there.")

    scratch = tempfile.mkdtemp(prefix="nrm-bench-")
    # The embedded file-system broker in a folder of its own: publishing is a local file write.
    os.environ.pop("REDIS_URL", None)
    os.environ["NRM_VAR_DIR"] = scratch
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.db import connection

    for folder in ("queue", "processed", "control"):
        (settings.BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    logging.getLogger("celery").setLevel(logging.WARNING)
    logging.getLogger("kombu").setLevel(logging.ERROR)  # "no hostname": the file broker has none
    # DEBUG=1 only lets the script start without production secrets; a deployed worker does not
    # log every query, so neither does the measurement.
    settings.DEBUG = False
    # The accounts are test data: a fast hasher spares seconds of PBKDF2 nobody measures.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A name of its own: never the test database that a pytest run may be using right now.
    connection.settings_dict["TEST"]["NAME"] = (
        f"{connection.settings_dict['NAME']}_bench_{os.getpid()}"
    )
    original_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    bench_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=False
    )
    setup_seconds = time.perf_counter() - started
    try:
        figures = run(args)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
    finally:
        if args.keep:
            print(f"database kept: {bench_name}")
        else:
            connection.creation.destroy_test_db(original_name, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)

    done, again = figures["done"], figures["again"]
    seconds = figures["seconds"]
    kinds = figures["due_kinds"]
    objects = figures["objects"]
    print(f"database            PostgreSQL {server} (throwaway; migrated in {setup_seconds:.1f} s)")
    print(
        f"set-up              {figures['due_seconds']:.1f} s accounts, cases and due rows; "
        f"{figures['bulk_seconds']:.1f} s bulk insert; {figures['analyze_seconds']:.1f} s ANALYZE"
    )
    print(
        f"deadlines           {figures['total']:,} in all: {figures['closed']:,} closed, "
        f"{figures['running']:,} running, of which {figures['waiting']:,} with a next look ahead"
    )
    print(
        f"table / index       sla_deadline {figures['table_size']}; deadline_next_action_idx "
        f"{figures['index_size']} ({figures['indexed']:,} rows)"
    )
    print(
        f"due                 {figures['due']:,}: {kinds['reminder']} reminders, "
        f"{kinds['breach']} breaches, {kinds['escalation']} second escalations"
    )
    print(
        "objects loaded      "
        + ", ".join(f"{count} {name.lower()}s" for name, count in sorted(objects.items()))
    )
    print(
        "broker              embedded file-system broker (REDIS_URL unset) in a temporary "
        f"NRM_VAR_DIR; the sweep published {figures['published']} delivery request(s) a run, "
        "no e-mail sent"
    )
    print(
        "warm-up             URL resolver, translations, content types, broker producer "
        f"(first publication of the process: {figures['first_publish'] * 1000:.0f} ms)"
    )
    print()
    print("EXPLAIN ANALYZE of the sweep's selecting query:")
    for line in figures["plan"].splitlines():
        print(f"    {line}")
    print()
    print(
        f"steps               {done['reminded']} reminded, {done['breached']} breached, "
        f"{done['escalated']} escalated"
    )
    print(
        f"written             {figures['notifications']:,} notifications, "
        f"{figures['deliveries']:,} e-mails in the outbox"
    )
    print(
        f"queries             {figures['queries']} "
        f"({figures['query_seconds']:.3f} s of them in the database driver)"
    )
    print(f"still due after     {figures['left_due']}")
    verdict = "OK" if seconds < TARGET_SECONDS else "MISSED"
    runs = figures["runs"]
    if len(runs) > 1:
        print(
            f"runs                {', '.join(f'{run:.3f}' for run in runs)} s "
            f"(the due rows put back between runs)"
        )
    print(
        f"sweep               {seconds:.3f} s{' (median)' if len(runs) > 1 else ''}  "
        f"(target: under {TARGET_SECONDS:.0f} s) {verdict}"
    )
    print(
        f"second sweep        {'nothing to do' if not again else dict(again)} in "
        f"{figures['again_seconds'] * 1000:.1f} ms ({figures['again_queries']} queries, "
        f"{figures['again_notifications']} notifications)"
    )
    if "profile" in figures:
        print()
        print("Queries of the sweep (seconds, statement):")
        for seconds, sql in figures["query_list"]:
            print(f"    {seconds:.3f}  {sql}")
        print()
        print(figures["profile"])


if __name__ == "__main__":
    main()
