"""Ten years of national data, generated for performance work (`generate_load_data`).

Persons, cases, screenings, referrals with their central review, shelter placements, deadlines
and the events of each, coherent with the workflows (DESIGN.md §4, §5): a case is closed only
with nothing running, a screening's outcome matches its state, a referral's review matches its
state, active placements never exceed a section's beds, a deadline is met, breached or still
running as its times say. Numbers follow the case numbering (NRM-<BE year>-<province>-<seq>)
and the per-province counters are moved past them, so cases opened afterwards continue the
sequence.

Distributions follow the published picture of the NRM: most persons met at the western and
southern borders and in Bangkok (Tak, Samut Sakhon, Ranong, Songkhla, Chiang Rai ...), Myanmar
nationals the largest group, then Thai, Lao and Cambodian, forced criminality in scam compounds
rising from 2021, mass rescues of hundreds of persons in a day at Mae Sot (Tak), the last one
today.

The rows are written with COPY on PostgreSQL (executemany elsewhere), in chunks, with explicit
primary keys after the largest existing one; the same seed and end date give the same data.
Generated accounts get an unusable password.
"""

import datetime as dt
import io
import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Max

from accounts.models import Membership, Organisation, Role, User
from cases.models import (
    Case,
    CaseEvent,
    CaseNumberCounter,
    IdentityDocument,
    Operation,
    Person,
    Screening,
)
from cases.names import name_key
from insights.spans import count_stage_spans
from referrals.models import Referral, ReferralEvent
from shelters.models import Placement, Shelter
from sla.calendar import working_calendar
from sla.models import ClockPolicy, Deadline
from sla.services import add_duration

from . import sample_names as names

BANGKOK = ZoneInfo("Asia/Bangkok")
USERNAME_PREFIX = "load."
YEARS = 10
CHUNK = 5000  # cases generated and written at a time

# Relative weight of each province among intakes; every other province weighs 1.
PROVINCE_WEIGHTS = {
    "63": 40,  # Tak (Mae Sot): scam compounds across the Moei river, migrant workers
    "10": 30,  # Bangkok
    "74": 22,  # Samut Sakhon: fishing and seafood processing
    "85": 14,  # Ranong: fishing
    "90": 14,  # Songkhla
    "57": 14,  # Chiang Rai: Golden Triangle
    "50": 12,  # Chiang Mai
    "27": 10,  # Sa Kaeo: Cambodian border
    "20": 10,  # Chon Buri: Pattaya
    "71": 8,  # Kanchanaburi
    "43": 6,  # Nong Khai: Lao border
    "11": 6,  # Samut Prakan
    "84": 5,  # Surat Thani
    "82": 5,  # Phang Nga
    "83": 5,  # Phuket
    "94": 4,  # Pattani
    "49": 4,  # Mukdahan
    "34": 4,  # Ubon Ratchathani
}
NATIONALITIES = [
    ("MM", 40), ("TH", 22), ("LA", 12), ("KH", 12), ("VN", 4), ("CN", 4),
    ("ID", 1.5), ("PH", 1.5), ("LK", 1), ("KE", 1), ("", 1),  # "": stateless
]  # fmt: skip
CHANNELS = [
    ("police_raid", 30), ("labour_inspection", 18), ("hotline_1300", 17), ("ngo", 15),
    ("walk_in", 8), ("repatriation", 8), ("other", 4),
]  # fmt: skip
LANGUAGE = {"TH": "th", "MM": "my", "LA": "lo", "KH": "km", "VN": "vi", "CN": "zh", "ID": "id"}
# Past mass rescues at Mae Sot: (days ago, persons). The last is today: a surge in progress.
SURGES = [(3300, 120), (2500, 90), (1800, 150), (1200, 200), (700, 260), (400, 180), (0, 260)]

OUTCOMES = [
    ("not_victim", 58), ("victim_trafficking", 18), ("victim_forced_labour", 13),
    ("reasonable_grounds", 11),
]  # fmt: skip


@dataclass
class _Table:
    """Rows of one model, with primary keys handed out after the largest existing one."""

    model: type[models.Model]
    columns: list[str]
    next_id: int = 0
    rows: list[tuple] = field(default_factory=list)
    written: int = 0

    def __post_init__(self):
        self.fields = [self.model._meta.get_field(name) for name in self.columns]
        self.next_id = (self.model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1

    def add(self, **values) -> int:
        pk = self.next_id
        self.next_id += 1
        values["id"] = pk
        self.rows.append(tuple(values[name] for name in self.columns))
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        json_columns = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        if json_columns:
                            row = list(row)
                            for i in json_columns:
                                row[i] = json.dumps(row[i], ensure_ascii=False)
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    # Names from the model's metadata, values as parameters.
                    f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    [
                        [f.get_db_prep_save(v, connection) for f, v in zip(self.fields, row)]  # noqa: B905
                        for row in self.rows
                    ],
                )
        self.written += len(self.rows)
        self.rows = []


def _pick(r: random.Random, weighted):
    """One value of [(value, weight), ...]."""
    return r.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _thai_word(r: random.Random, syllables: int) -> tuple[str, str]:
    """A Thai name of `syllables` syllables, in Latin and Thai script."""
    parts = r.sample(names.THAI_SYLLABLES, syllables)
    return "".join(p[0] for p in parts).capitalize(), "".join(p[1] for p in parts)


def _columns(model, *, skip=()) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in skip and not (f.many_to_many or f.one_to_many)
    ]


# Why a receiver declined, most often for want of a fitting bed: taken from the referral's id
# rather than drawn, so that the rest of the generated data stays as it was.
DECLINE_REASONS = ["no_bed"] * 4 + ["target_group", "security", "medical_care", "person_refused"]


class LoadDataRefused(Exception):
    """The database holds cases that were not generated: loading more would mix test data
    into real records."""


def holds_real_data() -> bool:
    """Cases opened by someone other than a generated account."""
    return Case.objects.exclude(created_by__username__startswith=USERNAME_PREFIX).exists()


def generate(
    *,
    cases: int,
    seed: int = 2568,
    today: dt.date | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Counter:
    """Generate `cases` cases over ten years up to `today` (default: today) and everything
    that goes with them. Refuses (LoadDataRefused) on a database holding cases not generated
    here, unless `force`. Returns the number of rows written per model."""
    if not force and holds_real_data():
        raise LoadDataRefused(
            "This database holds cases that were not generated; use --force to add test data "
            "to it anyway."
        )
    generator = _Generator(seed=seed, today=today, progress=progress or (lambda _text: None))
    with transaction.atomic():
        generator.run(cases)
    if connection.vendor == "postgresql":
        # Fresh statistics for every table (the accounts too): the planner's choice of the
        # newest-first index walks depends on them, and so does the stage count's plan (it
        # ran for more than ten minutes on one stage without them, instead of a minute).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    count_stage_spans()
    return Counter({t.model.__name__: t.written for t in generator.tables.values()})


class _Generator:
    def __init__(self, *, seed: int, today: dt.date | None, progress):
        self.random = random.Random(seed)  # noqa: S311 (reproducible test data, no secret)
        self.progress = progress
        # "Now" is the end of the generated period: this moment, or noon of `today`.
        if today is None:
            self.now = dt.datetime.now(BANGKOK).replace(microsecond=0)
        else:
            self.now = dt.datetime.combine(today, dt.time(12, 0), tzinfo=BANGKOK)
        self.today = self.now.date()
        self.policies = {p.clock: p for p in ClockPolicy.objects.all()}
        # The sysadmin's holiday changes, read once for the hundreds of thousands of clocks.
        self.calendar = working_calendar()
        self.content_types = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Screening, Referral, Placement)
        }
        self.tables = {
            model: _Table(model, _columns(model, skip=skip))
            for model, skip in (
                (Person, ()),
                (IdentityDocument, ()),
                (Operation, ()),
                (Case, ()),
                (Screening, ()),
                (Referral, ()),
                (ReferralEvent, ()),
                (Placement, ()),
                (Deadline, ()),
                (CaseEvent, ()),
            )
        }
        self.document_serial = 0
        self.counters: dict[tuple[int, str], int] = {
            (c.year_be, c.province_code): c.last_value for c in CaseNumberCounter.objects.all()
        }

    # --- reference data and accounts ----------------------------------------------------

    def _accounts(self):
        offices = list(
            Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL_OFFICE, is_active=True)
            .select_related("province")
            .order_by("code")
        )
        shelters = list(
            Shelter.objects.select_related("organisation").prefetch_related("units").order_by("pk")
        )
        central = Organisation.objects.get(kind=Organisation.Kind.CENTRAL)
        wanted = []
        for office in offices:
            code = office.province.code
            wanted += [
                (f"sw.{code}", office, Role.SOCIAL_WORKER),
                (f"sw2.{code}", office, Role.SOCIAL_WORKER),
                (f"sup.{code}", office, Role.SUPERVISOR),
            ]
        for shelter in shelters:
            slug = shelter.organisation.code.removeprefix("shelter-")
            wanted += [(f"dir.{slug}", shelter.organisation, Role.SHELTER_DIRECTOR)]
        wanted += [(f"central.{n}", central, Role.CENTRAL_REVIEWER) for n in (1, 2, 3)]
        existing = {
            u.username: u
            for u in User.objects.filter(username__startswith=USERNAME_PREFIX).prefetch_related(
                "memberships"
            )
        }
        users = {}
        for suffix, organisation, role in wanted:
            username = USERNAME_PREFIX + suffix
            user = existing.get(username)
            if user is None:
                user = User(username=username, first_name=suffix, email=f"{username}@example.org")
                user.set_unusable_password()
                user.save()
                Membership.objects.create(user=user, organisation=organisation, role=role)
            users[suffix] = user.pk
        return offices, shelters, central, users

    # --- the run ------------------------------------------------------------------------

    def run(self, count: int) -> None:
        offices, shelters, central, users = self._accounts()
        self.users = users
        self.central = central
        self.offices = {o.province.code: o for o in offices}
        self.shelters = shelters
        self.units = {
            unit.pk: (shelter, unit) for shelter in shelters for unit in shelter.units.all()
        }
        # Beds taken now by placements already in the database.
        self.occupied = Counter(
            dict(
                Placement.objects.filter(status="admitted")
                .values_list("unit")
                .annotate(n=models.Count("pk"))
            )
        )
        codes = sorted(self.offices)
        weights = [PROVINCE_WEIGHTS.get(code, 1) for code in codes]
        moments = self._intake_moments(count, codes, weights)
        for start in range(0, len(moments), CHUNK):
            for moment, code, operation in moments[start : start + CHUNK]:
                self._case(moment, code, operation)
            for table in self.tables.values():
                table.flush()
            self.progress(f"{min(start + CHUNK, len(moments)):,} of {len(moments):,} cases")
        self._save_counters()
        self._reset_sequences()

    def _intake_moments(self, count, codes, weights):
        """(intake time, province code, operation id or None) of every case, oldest first:
        surges of a mass rescue at Mae Sot, the rest spread over the years, growing yearly."""
        r = self.random
        moments = []
        surge_total = 0
        for days_ago, persons in SURGES:
            # Scaled to the size asked for: 200,000 cases carry the surges as listed.
            persons = max(1, round(persons * min(1.0, count / 200_000)))
            if surge_total + persons > count // 4:
                continue
            start = self.now - dt.timedelta(days=days_ago, hours=8)
            day = start.date()
            operation = self.tables[Operation].add(
                name=f"Mass release from a scam compound, Myawaddy ({day.isoformat()})",
                province_id=self.offices["63"].province_id,
                started_on=day,
                custody_started_at=start,
                lead_agency="Royal Thai Police",
                description="",
                organisation_id=self.offices["63"].pk,
                created_at=start,
            )
            span = 8 * 3600 - 600  # screened through the day, up to "now" for today's
            for _i in range(persons):
                moments.append((start + dt.timedelta(seconds=r.uniform(0, span)), "63", operation))
            surge_total += persons
        first = self.now - dt.timedelta(days=365 * YEARS)
        span = (self.now - first).total_seconds()
        for _i in range(count - len(moments)):
            # Growth: density rises linearly, so later years hold more cases.
            fraction = r.random() ** 0.7
            moment = first + dt.timedelta(seconds=fraction * span)
            moments.append((moment, r.choices(codes, weights)[0], None))
        moments.sort(key=lambda m: m[0])
        return moments

    # --- one case -----------------------------------------------------------------------

    def _case(self, moment: dt.datetime, code: str, operation: int | None) -> None:
        r = self.random
        office = self.offices[code]
        worker = self.users[r.choice(("sw.", "sw2.")) + code]
        nationality = _pick(r, NATIONALITIES)
        person = self._person(moment, office, nationality)
        sex, age = person
        year_be = moment.astimezone(BANGKOK).year + 543
        sequence = self.counters.get((year_be, code), 0) + 1
        self.counters[(year_be, code)] = sequence
        channel = "police_raid" if operation else _pick(r, CHANNELS)
        exploitation = self._exploitation(moment, sex, nationality, code, operation)
        case = _CaseFacts(
            pk=self.tables[Case].next_id,
            person=self.tables[Person].next_id - 1,
            office=office,
            worker=worker,
            moment=moment,
            age_days=(self.now - moment).total_seconds() / 86400,
            sex=sex,
            child=age < 18,
            nationality=nationality,
            latest=moment,
        )
        events = [("opened", moment, worker, f"NRM-{year_be}-{code}-{sequence:06d}")]
        outcome, running = self._screening(case, events)
        running |= self._referrals(case, outcome, events)
        status = "open"
        closed_reason = ""
        for event in events:
            case.touch(event[1])
        closed_at = case.latest + dt.timedelta(days=r.uniform(1, 90))
        if (
            not running
            and closed_at < self.now
            and case.age_days > 60
            and r.random() < min(0.95, case.age_days / 400)
        ):
            status, closed_reason = "closed", "Assistance completed"
            events.append(("closed", closed_at, worker, closed_reason))
            if r.random() < 0.01 and closed_at + dt.timedelta(days=30) < self.now:
                status = "reopened"
                events.append(("reopened", closed_at + dt.timedelta(days=30), worker, "New facts"))
        updated = max(e[1] for e in events)
        self.tables[Case].add(
            number=f"NRM-{year_be}-{code}-{sequence:06d}",
            person_id=self.tables[Person].next_id - 1,
            owner_id=office.pk,
            lead_worker_id=worker,
            intake_channel=channel,
            intake_date=moment.astimezone(BANGKOK).date(),
            intake_province_id=office.province_id,
            exploitation_types=exploitation,
            risk_level=r.choices(["low", "medium", "high", "critical"], [2, 5, 3, 1])[0]
            if not case.child
            else r.choice(["high", "critical"]),
            status=status,
            closed_reason=closed_reason,
            operation_id=operation,
            created_by_id=worker,
            created_at=moment,
            updated_at=updated,
        )
        for kind, at, actor, summary in events:
            self.tables[CaseEvent].add(
                case_id=case.pk, kind=kind, actor_id=actor, summary=summary[:300], created_at=at
            )

    def _person(self, moment, office, nationality) -> tuple[str, int]:
        r = self.random
        sex = r.choices(["female", "male"], [45, 55])[0]
        age = max(8, min(70, round(r.gauss(27, 9))))
        name_th = name_latin = name_native = ""
        if nationality == "TH":
            # Given names from the common ones or built of two syllables; family names
            # mostly built of two or three (Thai family names are nearly unique to a family).
            first_l, first_t = r.choice(names.THAI_FIRST) if r.random() < 0.5 else _thai_word(r, 2)
            last_l, last_t = (
                r.choice(names.THAI_LAST) if r.random() < 0.15 else _thai_word(r, r.choice([2, 3]))
            )
            name_th, name_latin = f"{first_t} {last_t}", f"{first_l} {last_l}"
        elif nationality in ("MM", "LA", "KH"):
            pool = {"MM": names.MYANMAR, "LA": names.LAO, "KH": names.KHMER}[nationality]
            parts = r.sample(pool, r.choice([2, 2, 3]))
            name_latin = " ".join(p[0] for p in parts)
            name_native = ("" if nationality == "MM" else " ").join(p[1] for p in parts)
            name_th = " ".join(p[2] for p in parts) if r.random() < 0.8 else ""
        else:
            given, family = names.OTHER_LATIN.get(nationality, names.OTHER_LATIN["KE"])
            name_latin = f"{r.choice(given)} {r.choice(family)}"
        born = None
        estimated_age = None
        if r.random() < 0.6:
            born = moment.date() - dt.timedelta(days=age * 365 + r.randint(0, 364))
        else:
            estimated_age = age
        person = self.tables[Person].add(
            name_th=name_th,
            name_latin=name_latin,
            name_native=name_native,
            aliases=[],
            name_key=name_key(name_th, name_latin, name_native),
            sex=sex,
            date_of_birth=born,
            estimated_age=estimated_age,
            age_estimated_on=moment.date() if estimated_age is not None else None,
            age_disputed=age < 20 and r.random() < 0.2,
            nationality=nationality,
            stateless=nationality == "",
            languages=[LANGUAGE[nationality]] if nationality in LANGUAGE else [],
            # A third have a Thai mobile number on record, as workers take it when they can.
            phone=f"+668{r.randrange(10**8):08d}" if r.random() < 0.3 else "",
            created_by_organisation_id=office.pk,
            created_at=moment,
            updated_at=moment,
        )
        self._document(person, nationality)
        return sex, age

    def _document(self, person: int, nationality: str) -> None:
        r = self.random
        self.document_serial += 1
        serial = self.document_serial
        if nationality == "TH" and r.random() < 0.8:
            first = f"{r.randint(1, 8)}{serial:011d}"
            total = sum(int(d) * w for d, w in zip(first, range(13, 1, -1), strict=True))
            kind, number, country = "thai_id", first + str((11 - total % 11) % 10), "TH"
        elif nationality not in ("TH", "") and r.random() < 0.55:
            kind, country = r.choices(["passport", "migrant_worker_card"], [3, 1])[0], nationality
            if kind == "passport":
                number = f"L{serial:08d}"
            else:
                number, country = f"00{serial:011d}", "TH"
        else:
            return
        self.tables[IdentityDocument].add(
            person_id=person, kind=kind, number=number, issuing_country=country, expires_on=None
        )

    def _exploitation(self, moment, sex, nationality, code, operation) -> list[str]:
        r = self.random
        if operation or (moment.year >= 2021 and r.random() < 0.35):
            return ["scam_compound"]
        choices = {
            "sexual": 30 if sex == "female" else 3,
            "labour_fishing": 20 if code in ("74", "85", "90", "82", "84") else 4,
            "labour_domestic": 10 if sex == "female" else 1,
            "labour_agriculture": 8,
            "labour_manufacturing": 8,
            "labour_construction": 5,
            "labour_other": 4,
            "begging": 4 if nationality in ("KH", "MM") else 1,
            "other": 2,
        }
        kinds = r.choices(list(choices), list(choices.values()), k=r.choice([1, 1, 1, 2]))
        return list(dict.fromkeys(kinds))

    # --- deadlines ----------------------------------------------------------------------

    def _deadline(
        self, clock, model, obj, organisation, start, closed_at=None, cancelled=False
    ) -> bool:
        """A clock on `obj`, closed at `closed_at` (met or breached) or still running at
        `self.now`. Returns whether it is still running."""
        policy = self.policies[clock]
        due = add_duration(start, policy.due_after, policy.due_unit, calendar=self.calendar)
        remind = add_duration(
            due, -policy.remind_before, policy.remind_unit, calendar=self.calendar
        )
        running = closed_at is None
        end = self.now if running else closed_at
        state, level, reminded, next_look = "pending", 0, None, None
        if remind > start and end >= remind:
            reminded = remind
        if end > due:
            state, level = "breached", 1
            if running and policy.escalate_second:
                again = due + dt.timedelta(hours=policy.escalate_again_after_hours)
                if self.now >= again:
                    level = 2
                else:
                    next_look = again
        elif running:
            next_look = remind if reminded is None and remind > start else due
        if not running:
            state = "met" if closed_at <= due else "breached"
            level = 0 if state == "met" else level
            if cancelled:
                state, level = "cancelled", 0
        self.tables[Deadline].add(
            clock=clock,
            object_type_id=self.content_types[model],
            object_id=obj,
            organisation_id=organisation,
            started_at=start,
            due_at=due,
            state=state,
            closed_at=closed_at,
            escalation_level=level,
            remind_at=remind,
            reminded_at=reminded,
            next_action_at=next_look,
        )
        return running

    def _closing(self, start, clock, late_share=0.06) -> dt.datetime | None:
        """When a step started at `start` was done: before its deadline, now and then after;
        None while it is still running."""
        policy = self.policies[clock]
        due = add_duration(start, policy.due_after, policy.due_unit, calendar=self.calendar)
        length = (due - start).total_seconds()
        if self.random.random() < late_share:
            done = due + dt.timedelta(seconds=self.random.uniform(0.05, 1.0) * length)
        else:
            done = start + dt.timedelta(seconds=self.random.uniform(0.1, 0.95) * length)
        return done if done <= self.now else None

    # --- screening ----------------------------------------------------------------------

    def _screening(self, case: "_CaseFacts", events) -> tuple[str, bool]:
        """The screening of the case (most cases have one) and its clocks. Returns the
        outcome ("" while undecided) and whether anything is still running."""
        r = self.random
        if case.age_days > 2 and r.random() < 0.06:
            return "", False  # referred on for another service without an identification
        custody = case.moment
        screening = self.tables[Screening].next_id
        decided = self._closing(custody, "identification", late_share=0.04)
        running = self._deadline(
            "identification", Screening, screening, case.office.pk, custody, decided
        )
        outcome, status, decided_by = "", "open", None
        second_reviewer = second_at = None
        if decided is not None:
            outcome = _pick(r, OUTCOMES)
            decided_by = case.worker
            events.append(("screening_decided", decided, case.worker, outcome))
            if outcome == "reasonable_grounds":
                mdt_done = self._closing(decided, "mdt_interview")
                running |= self._deadline(
                    "mdt_interview", Screening, screening, case.office.pk, decided, mdt_done
                )
                if mdt_done is None:
                    status = "awaiting_mdt"
                else:
                    outcome = r.choices(["victim_trafficking", "victim_forced_labour",
                                         "not_victim"], [5, 3, 2])[0]  # fmt: skip
                    decided = mdt_done
                    events.append(("interview", mdt_done, case.worker, "MDT interview"))
            if outcome == "not_victim":
                reviewed = self._closing(decided, "second_review", late_share=0.1)
                running |= self._deadline(
                    "second_review", Screening, screening, self.central.pk, decided, reviewed
                )
                if reviewed is None:
                    status = "pending_second_review"
                else:
                    status = "confirmed"
                    second_reviewer = self.users[f"central.{r.randint(1, 3)}"]
                    second_at = reviewed
                    events.append(("second_review", reviewed, second_reviewer, "confirmed"))
            elif outcome.startswith("victim"):
                status = "decided"
        self.tables[Screening].add(
            case_id=case.pk,
            status=status,
            custody_started_at=custody,
            deadline_at=custody + dt.timedelta(hours=24),
            extension_order_reference="",
            interpreter_name="" if case.nationality == "TH" else "Interpreter",
            interpreter_language=LANGUAGE.get(case.nationality, "")
            if case.nationality != "TH"
            else "",
            outcome="" if status in ("open",) else outcome,
            outcome_reason="MDT decision" if decided is not None else "",
            decided_by_id=decided_by,
            decided_at=decided,
            second_reviewer_id=second_reviewer,
            second_reviewed_at=second_at,
            second_review_note="",
            created_at=custody,
            updated_at=second_at or decided or custody,  # its last change
        )
        events.append(("screening_started", custody, case.worker, ""))
        if status == "awaiting_mdt":
            return "", running  # no referral before the MDT interview decides
        return (outcome if status == "decided" else ""), running

    # --- referrals and placements -------------------------------------------------------

    def _referrals(self, case: "_CaseFacts", outcome: str, events) -> bool:
        """A victim is referred to a shelter that takes them (and a Thai victim also to their
        home office for reintegration); some referrals are declined and redirected."""
        if not outcome:
            return False
        r = self.random
        screening_done = max(e[1] for e in events)
        running = False
        submitted = screening_done + dt.timedelta(hours=r.uniform(1, 48))
        if submitted > self.now:
            return False
        units = self._fitting_units(case)
        shelter, unit = r.choice(units)
        state_running, accepted_at = self._referral(
            case, "shelter_placement", shelter.organisation_id, submitted, events
        )
        running |= state_running
        if accepted_at is not None:
            running |= self._placement(case, shelter, unit, accepted_at, events)
        if case.nationality == "TH" and r.random() < 0.3:
            home = r.choice([c for c in self.offices if c != case.office.province.code])
            submitted = submitted + dt.timedelta(days=r.uniform(1, 20))
            if submitted < self.now:
                running |= self._referral(
                    case, "service", self.offices[home].pk, submitted, events
                )[0]
        return running

    def _fitting_units(self, case):
        wanted = (
            {"girls"} if case.sex == "female" and case.child
            else {"boys"} if case.child
            else {"women", "lgbtqi"} if case.sex == "female"
            else {"men", "families"}
        )  # fmt: skip
        units = [(s, u) for s, u in self.units.values() if u.section in wanted]
        return units or list(self.units.values())

    def _referral(self, case, kind, to_organisation, submitted, events):
        """One referral from submission to where it stands now. Returns whether anything of
        it still runs and, for an accepted placement, when it was accepted."""
        r = self.random
        urgent = case.child or r.random() < 0.15
        pk = self.tables[Referral].next_id
        history = [("state", "draft", "submitted", submitted, case.worker)]
        ack_clock = "referral_ack_urgent" if urgent else "referral_ack_normal"
        decision_clock = "referral_decision_urgent" if urgent else "referral_decision_normal"
        receiver = self.users.get(self._director_of(to_organisation), case.worker)
        if kind == "service":
            receiver = self.users[f"sw.{self._code_of(to_organisation)}"]
        acknowledged = self._closing(submitted, ack_clock)
        state, accepted_at, decline_reason = "submitted", None, ""
        decided = None
        withdrawn = r.random() < 0.03
        if acknowledged is not None:
            history.append(("state", "submitted", "acknowledged", acknowledged, receiver))
            state = "acknowledged"
            decided = self._closing(submitted, decision_clock)
            if decided is not None and decided < acknowledged:
                decided = acknowledged + dt.timedelta(minutes=r.uniform(5, 120))
            if decided is not None and decided > self.now:
                decided = None
        if withdrawn and decided is not None:
            state = "withdrawn"
            history.append(("state", "acknowledged", "withdrawn", decided, case.worker))
            self._deadline(ack_clock, Referral, pk, to_organisation, submitted, acknowledged)
            for clock, organisation in ((decision_clock, to_organisation),
                                        ("central_review", self.central.pk)):  # fmt: skip
                self._deadline(
                    clock, Referral, pk, organisation, submitted, decided, cancelled=True
                )
            review = "pending"
            self._add_referral(
                case, pk, kind, to_organisation, urgent, submitted, state, review, ""
            )
            self._referral_events(pk, history)
            case.touch(decided)
            return False, None
        self._deadline(ack_clock, Referral, pk, to_organisation, submitted, acknowledged)
        running = acknowledged is None
        running |= self._deadline(decision_clock, Referral, pk, to_organisation, submitted, decided)
        if decided is not None:
            if r.random() < 0.08:
                state, decline_reason = "declined", DECLINE_REASONS[pk % len(DECLINE_REASONS)]
                history.append(("state", "acknowledged", "declined", decided, receiver))
            else:
                state, accepted_at = "accepted", decided
                history.append(("state", "acknowledged", "accepted", decided, receiver))
        # The central review runs beside the receiver's steps.
        reviewed = self._closing(submitted, "central_review", late_share=0.08)
        review = "pending"
        reviewer = self.users[f"central.{r.randint(1, 3)}"]
        if reviewed is not None:
            review = r.choices(["endorsed", "queried", "escalated"], [90, 6, 4])[0]
            history.append(("review_state", "pending", review, reviewed, reviewer))
            if review != "endorsed" and reviewed + dt.timedelta(days=5) < self.now:
                # Answered and endorsed in the end.
                if review == "queried":
                    history.append(("review_state", "queried", "pending",
                                    reviewed + dt.timedelta(days=1), case.worker))  # fmt: skip
                    history.append(("review_state", "pending", "endorsed",
                                    reviewed + dt.timedelta(days=2), reviewer))  # fmt: skip
                else:
                    history.append(("review_state", "escalated", "endorsed",
                                    reviewed + dt.timedelta(days=2), reviewer))  # fmt: skip
                reviewed += dt.timedelta(days=2)
                review = "endorsed"
        closed = reviewed if review == "endorsed" else None
        running |= self._deadline(
            "central_review", Referral, pk, self.central.pk, submitted, closed
        )
        if state == "accepted" and kind == "service":
            done = accepted_at + dt.timedelta(days=r.uniform(1, 60))
            if done < self.now:
                state = "completed"
                history.append(("state", "accepted", "completed", done, receiver))
        events.append(("referral", submitted, case.worker, kind))
        for entry in history:
            case.touch(entry[3])
        self._add_referral(
            case, pk, kind, to_organisation, urgent, submitted, state, review, decline_reason
        )
        self._referral_events(pk, history)
        # An accepted placement stays open until the admission (the caller's business).
        running |= state in ("submitted", "acknowledged") or (
            state == "accepted" and kind == "service"
        )
        return running, (accepted_at if kind == "shelter_placement" else None)

    def _add_referral(self, case, pk, kind, to, urgent, submitted, state, review, decline):
        r = self.random
        self.tables[Referral].add(
            case_id=case.pk,
            from_organisation_id=case.office.pk,
            to_organisation_id=to,
            kind=kind,
            urgency="urgent" if urgent else "normal",
            services_requested=["shelter"] if kind == "shelter_placement" else ["employment"],
            reason="Protection and assistance under s.33",
            consent="not_required" if case.child else "given",
            consent_note="A child" if case.child else "",
            state=state,
            review_state=review,
            decline_reason=decline,
            decline_note="",
            redirected_from_id=None,
            created_by_id=case.worker,
            idempotency_key="",
            created_at=submitted - dt.timedelta(minutes=r.uniform(5, 60)),
            submitted_at=submitted,
            updated_at=submitted,
        )

    def _referral_events(self, pk, history):
        for field_name, old, new, at, actor in history:
            self.tables[ReferralEvent].add(
                referral_id=pk,
                actor_id=actor,
                field=field_name,
                from_state=old,
                to_state=new,
                note="",
                created_at=at,
            )

    def _placement(self, case, shelter, unit, accepted_at, events) -> bool:
        """The stay that follows an accepted placement referral: over for most, running for
        recent ones while the section has a free bed (never more than its capacity)."""
        r = self.random
        admitted = accepted_at + dt.timedelta(hours=r.uniform(2, 48))
        if admitted > self.now:
            return True  # accepted, the person not yet arrived: the referral is open
        referral = self.tables[Referral].next_id - 1
        # The referral is completed by the admission: patch the row just added.
        row = list(self.tables[Referral].rows[-1])
        row[self.tables[Referral].columns.index("state")] = "completed"
        self.tables[Referral].rows[-1] = tuple(row)
        director = self.users[self._director_of(shelter.organisation_id)]
        self.tables[ReferralEvent].add(
            referral_id=referral, actor_id=director, field="state", from_state="accepted",
            to_state="completed", note=str(unit.section), created_at=admitted,
        )  # fmt: skip
        stay = dt.timedelta(days=r.uniform(20, 300))
        discharged = admitted + stay
        active = discharged > self.now and self.occupied[unit.pk] < unit.capacity
        if discharged > self.now and not active:
            discharged = self.now - dt.timedelta(hours=r.uniform(1, 24 * 7))
            discharged = max(discharged, admitted + dt.timedelta(hours=1))
        placement = self.tables[Placement].next_id
        care_plan_done = self._closing(admitted, "care_plan", late_share=0.1)
        if not active and (care_plan_done is None or care_plan_done > discharged):
            care_plan_done = discharged
        running = self._deadline(
            "care_plan", Placement, placement, shelter.organisation_id, admitted,
            care_plan_done,
        )  # fmt: skip
        reason = ""
        if active:
            self.occupied[unit.pk] += 1
        else:
            reason = r.choices(
                ["reintegrated" if case.nationality == "TH" else "repatriated", "left", "other"],
                [90, 7, 3],
            )[0]
            events.append(("discharged", discharged, director, reason))
        events.append(("admitted", admitted, director, unit.section))
        case.touch(care_plan_done)
        self.tables[Placement].add(
            case_id=case.pk,
            person_id=case.person,
            unit_id=unit.pk,
            referral_id=referral,
            status="admitted" if active else "discharged",
            admitted_at=admitted,
            planned_end=(admitted + stay).date(),
            discharged_at=None if active else discharged,
            discharge_reason=reason,
            discharge_note="",
            admitted_by_id=director,
            updated_at=admitted if active else discharged,  # its last change
        )
        return active or running

    def _director_of(self, organisation_id) -> str:
        for shelter in self.shelters:
            if shelter.organisation_id == organisation_id:
                return "dir." + shelter.organisation.code.removeprefix("shelter-")
        return ""

    def _code_of(self, organisation_id) -> str:
        return next(c for c, o in self.offices.items() if o.pk == organisation_id)

    # --- after the rows -----------------------------------------------------------------

    def _save_counters(self) -> None:
        for (year_be, code), value in sorted(self.counters.items()):
            CaseNumberCounter.objects.update_or_create(
                year_be=year_be, province_code=code, defaults={"last_value": value}
            )

    def _reset_sequences(self) -> None:
        """Move the tables' id sequences past the ids given here (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(
            _NoStyle(), [t.model for t in self.tables.values()]
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@dataclass
class _CaseFacts:
    pk: int
    person: int
    office: Organisation
    worker: int
    moment: dt.datetime
    age_days: float
    sex: str
    child: bool
    nationality: str
    latest: dt.datetime = None

    def touch(self, moment: dt.datetime | None) -> None:
        if moment is not None and (self.latest is None or moment > self.latest):
            self.latest = moment


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


def summary(counts: Counter) -> str:
    out = io.StringIO()
    for name, count in sorted(counts.items()):
        out.write(f"{name:16} {count:>10,}\n")
    return out.getvalue()


def state_census() -> dict[str, dict[str, int]]:
    """How the generated states are spread (for the command's report and the tests)."""
    return {
        "case": dict(Case.objects.values_list("status").annotate(n=models.Count("pk"))),
        "screening": dict(Screening.objects.values_list("status").annotate(n=models.Count("pk"))),
        "referral": dict(Referral.objects.values_list("state").annotate(n=models.Count("pk"))),
        "placement": dict(Placement.objects.values_list("status").annotate(n=models.Count("pk"))),
        "deadline": dict(Deadline.objects.values_list("state").annotate(n=models.Count("pk"))),
    }
