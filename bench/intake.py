"""Benchmark of the mass intake of an operation (cases/intake/): a 1,000-row CSV of Thai,
Myanmar, Lao and Cambodian persons is uploaded and checked (read, row checks, duplicate
search), its preview page rendered with the possible duplicates, then confirmed and imported
(every person, case and screening, in one transaction). Issue 23's target: under 15 s from the
upload to the imported cases, against 200,000 persons.

    DEBUG=1 .venv/bin/python bench/intake.py [--rows 1000] [--existing 5000] [--profile]
    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/intake.py --template nrm_bench

Without DATABASE_URL the run uses a throwaway SQLite file under /tmp. With DATABASE_URL it
creates a throwaway database `<name>_bench_<pid>` on that server and drops it at the end: the
named database itself is never written to. --existing N first registers N persons with cases
(bulk-inserted, not timed), and about 3% of the file's rows then repeat one of them, so the
duplicate search has something to find and some rows are linked. --template NAME (PostgreSQL)
starts instead from a copy of the loaded database NAME (bench/run.py's nrm_bench, 200,000
persons): the duplicate search then runs against the whole national person table, and the
repeated rows are persons on record there. --profile prints where the check and the import
spend their time (cProfile, the 25 costliest calls of each).

Before the timing, one Thai name is romanised: that loads PyThaiNLP's word list (about 2 s,
once per process), which a running web worker has loaded already; the time is printed apart.
"""

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devdata.sample_names import KHMER, LAO, MYANMAR, THAI_FIRST, THAI_LAST  # noqa: E402

TARGET_SECONDS = 15
HEADER = [
    "name_th", "name_latin", "name_native", "sex", "date_of_birth", "estimated_age",
    "age_disputed", "nationality", "languages", "document_kind", "document_number",
    "document_country", "exploitation_types", "risk_level",
]  # fmt: skip


def thai_id(random_: random.Random) -> str:
    first = str(random_.randint(1, 8)) + "".join(str(random_.randint(0, 9)) for _ in range(11))
    total = sum(int(d) * w for d, w in zip(first, range(13, 1, -1), strict=True))
    return first + str((11 - total % 11) % 10)


class People:
    """Realistic rows: names in each script, mixed date formats, documents unique per file."""

    def __init__(self, seed: int = 2568):
        self.random = random.Random(seed)  # noqa: S311 (reproducible test data, no secret)
        self.serial = 100000

    def _number(self, prefix: str, digits: int) -> str:
        self.serial += self.random.randint(1, 7)
        return f"{prefix}{self.serial:0{digits}d}"

    def _born(self) -> tuple[str, str]:
        born = dt.date(1970, 1, 1) + dt.timedelta(days=self.random.randint(0, 38 * 365))
        style = self.random.random()
        if style < 0.15:
            return "", str(self.random.randint(14, 45))  # estimated age only
        if style < 0.35:
            return f"{born.year + 543}-{born.month:02d}-{born.day:02d}", ""  # Buddhist era
        if style < 0.5:
            return f"{born.day:02d}/{born.month:02d}/{born.year}", ""
        return born.isoformat(), ""

    def row(self) -> dict[str, str]:
        r = self.random
        origin = r.choices(["TH", "MM", "LA", "KH"], weights=[2, 5, 2, 2])[0]
        if origin == "TH":
            (first_l, first_t), (last_l, last_t) = r.choice(THAI_FIRST), r.choice(THAI_LAST)
            latin, thai, native, languages = f"{first_l} {last_l}", f"{first_t} {last_t}", "", "th"
            kind, number, country = r.choice([("thai_id", thai_id(r), "TH"), ("", "", "")])
        else:
            parts = r.sample({"MM": MYANMAR, "LA": LAO, "KH": KHMER}[origin], r.choice([2, 2, 3]))
            latin = " ".join(p[0] for p in parts)
            native = ("" if origin == "MM" else " ").join(p[1] for p in parts)
            thai = " ".join(p[2] for p in parts)
            languages = {"MM": r.choice(["my", "my, shn", "my; th"]), "LA": "lo", "KH": "km"}[
                origin
            ]
            kind = r.choices(["passport", "migrant_worker_card", ""], weights=[5, 2, 3])[0]
            if kind == "passport":
                number, country = (
                    self._number({"MM": "MC", "LA": "P", "KH": "N"}[origin], 7),
                    origin,
                )
            elif kind == "migrant_worker_card":
                number, country = self._number("00", 11), "TH"
            else:
                number, country = "", ""
        born, age = self._born()
        return {
            "name_th": thai,
            "name_latin": latin,
            "name_native": native,
            "sex": r.choice(["female", "male", "หญิง", "ชาย"]),
            "date_of_birth": born,
            "estimated_age": age,
            "age_disputed": r.choices(["", "yes", "no"], weights=[6, 1, 3])[0],
            "nationality": origin,
            "languages": languages,
            "document_kind": kind,
            "document_number": number,
            "document_country": country,
            "exploitation_types": r.choice(
                ["scam_compound", "scam_compound", "labour_fishing", "sexual", "labour_domestic"]
            ),
            "risk_level": r.choice(["", "high", "critical", "medium"]),
        }


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def existing_persons(count: int, *, people: People, worker, operation) -> list[dict[str, str]]:
    """Bulk-insert `count` persons with a case each (test data: not through the services, not
    timed), and return their rows as they would appear in a file."""
    from cases.models import Case, IdentityDocument, Person
    from cases.names import name_key

    organisation = worker.membership.organisation
    rows = [people.row() for _ in range(count)]
    persons = Person.objects.bulk_create(
        [
            Person(
                name_th=row["name_th"],
                name_latin=row["name_latin"],
                name_native=row["name_native"],
                name_key=name_key(row["name_th"], row["name_latin"]),
                sex="female" if row["sex"] in ("female", "หญิง") else "male",
                nationality=row["nationality"],
                languages=[],
                created_by_organisation=organisation,
            )
            for row in rows
        ],
        batch_size=1000,
    )
    IdentityDocument.objects.bulk_create(
        [
            IdentityDocument(
                person=person,
                kind=row["document_kind"],
                number=row["document_number"],
                issuing_country=row["document_country"],
            )
            for person, row in zip(persons, rows, strict=True)
            if row["document_kind"]
        ],
        batch_size=1000,
    )
    Case.objects.bulk_create(
        [
            Case(
                number=f"NRM-2560-{organisation.province.code}-{index:06d}",
                person=person,
                owner=organisation,
                lead_worker=worker,
                intake_channel="police_raid",
                intake_date=dt.date(2017, 6, 1),
                intake_province=organisation.province,
                created_by=worker,
            )
            for index, person in enumerate(persons, start=1)
        ],
        batch_size=1000,
    )
    return rows


def persons_on_record(count: int, *, people: People, office_code: str) -> list[dict[str, str]]:
    """`count` persons already in the database, as rows of a file (drawn with the file's own
    random generator, so a run repeats the same ones)."""
    from django.db.models import Max, Min

    from cases.models import Person

    # The office's own persons: a document held by another office's person is refused (the
    # worker must ask that office), a name of another office's person is only flagged.
    own = Person.objects.filter(created_by_organisation__code=office_code)
    bounds = own.aggregate(low=Min("pk"), high=Max("pk"))
    ids = people.random.sample(range(bounds["low"], bounds["high"] + 1), k=count * 20)
    rows = []
    for person in own.filter(pk__in=ids).prefetch_related("documents").order_by("pk")[:count]:
        document = next(iter(person.documents.all()), None)
        born = person.date_of_birth.isoformat() if person.date_of_birth else ""
        row = people.row()
        row.update(
            name_th=person.name_th,
            name_latin=person.name_latin,
            name_native=person.name_native,
            sex=person.sex if person.sex in ("female", "male") else "female",
            date_of_birth=born,
            estimated_age="" if born else str(person.estimated_age or ""),
            nationality=person.nationality,
            document_kind=document.kind if document else "",
            document_number=document.number if document else "",
            document_country=document.issuing_country if document else "",
        )
        rows.append(row)
    return rows


class QueryCounter:
    """Counts the queries run (Django's own log keeps only the last 9,000)."""

    def __init__(self, connection):
        self.connection = connection
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


@contextmanager
def profiled(name: str, enabled: bool):
    """With --profile: the 25 calls that cost the most, cumulatively, inside the block."""
    if not enabled:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        print(f"--- profile: {name}")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def run(args) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import RequestFactory
    from django.utils import timezone

    from accounts.models import Organisation, Role
    from accounts.services import user_create
    from cases import intake, services
    from cases.intake import checks
    from cases.models import Case
    from cases.names import normalise
    from cases.views import operations as operation_views

    office = Organisation.objects.get(code="pso-63")  # Tak: Mae Sot, where the compounds are
    worker = user_create(
        username="bench.worker",
        password="bench-password-not-used-1",  # noqa: S106
        organisation=office,
        role=Role.SOCIAL_WORKER,
    )
    operation = services.operation_create(
        actor=worker,
        name="Release from a scam compound, Myawaddy",
        province=office.province,
        started_on=dt.date.today() - dt.timedelta(days=1),
        custody_started_at=timezone.now() - dt.timedelta(hours=2),
        lead_agency="Royal Thai Police",
    )
    people = People()
    if args.template:
        # Document numbers of their own, apart from those of the loaded database.
        people.serial = 5_000_000_000
    rows = [people.row() for _ in range(args.rows)]
    known = []
    if args.existing:
        known = existing_persons(args.existing, people=people, worker=worker, operation=operation)
    elif args.template:
        known = persons_on_record(
            max(1, args.rows * 3 // 100), people=people, office_code=office.code
        )
    if known:
        # About 3% of the file are persons already on record: same names, same document.
        for index in people.random.sample(range(args.rows), k=max(1, args.rows * 3 // 100)):
            rows[index] = dict(people.random.choice(known))
        seen = set()  # one file row per known person: two rows cannot link to the same one
        for row in rows:
            key = (row["document_kind"], row["document_number"])
            if row["document_kind"] and key in seen:
                row["document_kind"] = row["document_number"] = row["document_country"] = ""
            seen.add(key)
    content = csv_bytes(rows)
    from cases.models import Person

    existing = Person.objects.count()

    duplicate_seconds = 0.0
    find_duplicates_bulk = checks.find_duplicates_bulk

    def timed_find_duplicates_bulk(candidates, **kwargs):
        nonlocal duplicate_seconds
        started = time.perf_counter()
        try:
            return find_duplicates_bulk(candidates, **kwargs)
        finally:
            duplicate_seconds += time.perf_counter() - started

    checks.find_duplicates_bulk = timed_find_duplicates_bulk
    started = time.perf_counter()
    normalise("สมชาย ใจดี")
    warm_up_seconds = time.perf_counter() - started
    with QueryCounter(connection) as validation_queries, profiled("check", args.profile):
        started = time.perf_counter()
        batch = intake.intake_batch_create(
            actor=worker,
            operation=operation,
            uploaded_file=SimpleUploadedFile("bench.csv", content, content_type="text/csv"),
        )
        validation_seconds = time.perf_counter() - started
    if batch.errors:
        for error in batch.errors[:10]:
            print("error:", error)
        raise SystemExit("The generated file has errors; the benchmark stops.")

    # Rows holding an existing person's document must be linked to that person.
    links = {
        entry["row"]: entry["data"]["document_holder"]
        for entry in batch.rows
        if entry["data"].get("document_holder")
    }
    # Rows that may repeat an earlier one are kept as different persons: generated names repeat
    # by chance, and the benchmark opens one case per row.
    same_as = {
        entry["row"]: None
        for entry in batch.rows
        if any(repeat["row"] < entry["row"] for repeat in entry["data"]["repeats"])
    }
    # The page the worker reviews: every row, its errors and its possible duplicates.
    request = RequestFactory().get("/")
    request.user = worker
    started = time.perf_counter()
    preview = operation_views.intake_preview(request, operation_id=operation.pk, batch_id=batch.pk)
    preview_seconds = time.perf_counter() - started
    assert preview.status_code == 200, preview.status_code

    with QueryCounter(connection) as import_queries, profiled("import", args.profile):
        started = time.perf_counter()
        # CELERY_TASK_ALWAYS_EAGER: the task runs at the commit of intake_confirm.
        intake.intake_confirm(batch_id=batch.pk, actor=worker, links=links, same_as=same_as)
        import_seconds = time.perf_counter() - started
    batch.refresh_from_db()
    assert batch.status == "done", (batch.status, batch.failure_message)
    created = Case.objects.filter(operation=operation).count()
    assert created == args.rows, created
    return {
        "rows": args.rows,
        "existing": existing,
        "flagged": len(batch.duplicates),
        "repeated": len(same_as),
        "linked": len(links),
        "warm_up": warm_up_seconds,
        "validation": validation_seconds,
        "duplicates": duplicate_seconds,
        "validation_queries": validation_queries.count,
        "preview": preview_seconds,
        "preview_kb": len(preview.content) >> 10,
        "import": import_seconds,
        "import_queries": import_queries.count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--existing", type=int, default=0, help="persons already on record")
    parser.add_argument("--profile", action="store_true", help="print cProfile's costliest calls")
    parser.add_argument(
        "--template",
        default="",
        help="PostgreSQL: run on a throwaway copy of this loaded database (e.g. nrm_bench)",
    )
    args = parser.parse_args()
    if args.template and args.existing:
        parser.error("--template and --existing exclude each other")

    scratch = tempfile.mkdtemp(prefix="nrm-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("NRM_VAR_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.db import connection

    logging.getLogger("celery").setLevel(logging.WARNING)
    # DEBUG=1 only lets the script start without production secrets; a deployed worker does not
    # log every query, so neither does the measurement.
    settings.DEBUG = False
    # A name of its own: never the test database that a pytest run may be using right now.
    connection.settings_dict["TEST"]["NAME"] = (
        f"{scratch}/bench.sqlite3"
        if connection.vendor == "sqlite"
        else f"{connection.settings_dict['NAME']}_bench_{os.getpid()}"
    )
    original_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    if args.template:
        if connection.vendor != "postgresql":
            raise SystemExit("--template needs DATABASE_URL on a PostgreSQL server.")
        copy = connection.settings_dict["TEST"]["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
            cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{args.template}"')
        connection.close()
        connection.settings_dict["NAME"] = copy
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    setup_seconds = time.perf_counter() - started
    try:
        figures = run(args)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)

    total = figures["validation"] + figures["preview"] + figures["import"]
    print(f"database            {connection.vendor} (throwaway; set up in {setup_seconds:.1f} s)")
    print(f"rows                {figures['rows']}")
    print(f"existing persons    {figures['existing']}")
    print(f"flagged / linked    {figures['flagged']} / {figures['linked']}")
    print(f"repeated in file    {figures['repeated']}")
    print(f"warm-up             {figures['warm_up']:6.2f} s  (Thai word list, once a process)")
    print(
        f"validation          {figures['validation']:6.2f} s  "
        f"{figures['rows'] / figures['validation']:7.0f} rows/s  "
        f"({figures['validation_queries']} queries; duplicate search {figures['duplicates']:.2f} s)"
    )
    print(f"preview page        {figures['preview']:6.2f} s  ({figures['preview_kb']} KB of HTML)")
    print(
        f"import              {figures['import']:6.2f} s  "
        f"{figures['rows'] / figures['import']:7.0f} rows/s  ({figures['import_queries']} queries)"
    )
    print(
        f"total               {total:6.2f} s  (upload, preview and import; target: under "
        f"{TARGET_SECONDS} s) {'OK' if total < TARGET_SECONDS else 'SLOW'}"
    )


if __name__ == "__main__":
    main()
