"""Benchmark of one bed admission under 50 concurrent attempts (shelters.services.placement_admit).

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/admission.py --template nrm_bench

On a throwaway copy of the loaded database (--template), one section of a shelter is left with
exactly one free bed; 50 accepted referrals of 50 different open cases to that shelter are
prepared (not timed); then 50 threads, each with its own database connection, admit their
person into that section at the same moment. Exactly one may succeed: the others must be told
that no bed is free, and the section must not be overbooked. Prints the time of the fastest
and slowest attempt and of all of them.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare(attempts: int):
    """A section with one free bed, its director, and `attempts` accepted referrals to it."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role
    from cases.models import Case
    from referrals.models import Referral
    from shelters.models import Placement, ShelterUnit

    unit = (
        ShelterUnit.objects.select_related("shelter__organisation")
        .filter(shelter__organisation__code="shelter-pathumthani", section="men")
        .get()
    )
    director = (
        Membership.objects.filter(
            organisation=unit.shelter.organisation, role=Role.SHELTER_DIRECTOR
        )
        .select_related("user")
        .first()
        .user
    )
    cases = list(
        Case.objects.exclude(status="closed")
        .exclude(placements__status="admitted")
        .filter(person__sex="male")
        .select_related("owner")
        .order_by("-pk")[:attempts]
    )
    with transaction.atomic():
        active = Placement.objects.filter(unit=unit, status="admitted").count()
        ShelterUnit.objects.filter(pk=unit.pk).update(capacity=active + 1)
        now = timezone.now()
        referrals = Referral.objects.bulk_create(
            [
                Referral(
                    case=case,
                    from_organisation=case.owner,
                    to_organisation=unit.shelter.organisation,
                    kind="shelter_placement",
                    reason="Benchmark",
                    consent="given",
                    state="accepted",
                    review_state="pending",
                    created_by=director,
                    submitted_at=now,
                )
                for case in cases
            ]
        )
    return unit, director, [r.pk for r in referrals], active + 1


def attempt(referral_id, unit_id, director, barrier, results):
    from django.db import connection

    from shelters.services import NoBedFree, placement_admit

    barrier.wait()
    started = time.perf_counter()
    try:
        # A boy among the candidates needs the director's reason; the fit is not measured here.
        placement_admit(
            referral_id=referral_id, unit_id=unit_id, actor=director, override_reason="bench"
        )
        outcome = "admitted"
    except NoBedFree:
        outcome = "no bed"
    except Exception as error:  # noqa: BLE001 (reported, and fails the run below)
        outcome = f"error: {error!r}"
    finally:
        connection.close()
    results.append((outcome, time.perf_counter() - started))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", required=True, help="the loaded database to copy")
    parser.add_argument("--attempts", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.pop("REDIS_URL", None)
    import tempfile

    scratch = tempfile.mkdtemp(prefix="nrm-bench-")
    os.environ["NRM_VAR_DIR"] = scratch
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    for folder in ("queue", "processed", "control"):
        (settings.BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    settings.DEBUG = False
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the PostgreSQL server of the loaded database.")
    copy = f"{connection.settings_dict['NAME']}_admission_{os.getpid()}"
    original = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{args.template}"')
    connection.close()
    connection.settings_dict["NAME"] = copy
    try:
        unit, director, referrals, capacity = prepare(args.attempts)
        connection.close()
        barrier = threading.Barrier(len(referrals))
        results: list[tuple[str, float]] = []
        threads = [
            threading.Thread(target=attempt, args=(pk, unit.pk, director, barrier, results))
            for pk in referrals
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = time.perf_counter() - started
        from shelters.models import Placement

        active = Placement.objects.filter(unit=unit, status="admitted").count()
        connection.close()
    finally:
        connection.settings_dict["NAME"] = original
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
    outcomes = [outcome for outcome, _seconds in results]
    times = sorted(seconds for _outcome, seconds in results)
    admitted = outcomes.count("admitted")
    refused = outcomes.count("no bed")
    errors = [o for o in outcomes if o.startswith("error")]
    print(f"section             {unit} ({capacity} beds, 1 free)")
    print(f"attempts            {len(results)} at once, each on its own connection")
    print(f"admitted / refused  {admitted} / {refused} (no bed free)")
    print(f"errors              {len(errors)} {errors[:3] if errors else ''}")
    print(f"occupied after      {active} of {capacity}")
    print(f"overbooked: {'YES' if active > capacity else 'no'}")
    print(
        f"one attempt         fastest {times[0] * 1000:.0f} ms, median "
        f"{statistics.median(times) * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms"
    )
    print(f"all attempts        {total:.3f} s")
    if admitted != 1 or errors or active > capacity:
        raise SystemExit("FAILED: exactly one admission was expected")


if __name__ == "__main__":
    main()
