"""Time to first byte and total time of the central case list's exports (issue 23: "exports that
never time out").

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/nrm_exp_bench \\
        REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/export.py [--skip-immediate]

It writes (audit events, a prepared file and its job, a notification), so it runs on a copy of
the database bench/run.py loads, migrated with this code, never on `nrm_bench` itself:

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE nrm_exp_bench TEMPLATE nrm_bench"
    DEBUG=1 DATABASE_URL=.../nrm_exp_bench .venv/bin/python manage.py migrate

A central reviewer (every case of the country, 200,000 on the loaded data) exports the case
list with no filter, through Django's test client and the whole middleware, one at a time:

- CSV, streamed: the first chunk, then the whole file read;
- Excel made during the request, as every Excel export was before the background jobs (the
  threshold NRM_EXPORT_IMMEDIATE_ROWS raised above the list's length): the first byte comes
  only once the whole workbook is written;
- Excel prepared in the background (the threshold as configured): the button's POST answers
  with the job's page (the first byte the user sees), the script then does what the worker
  does (exports.services.export_job_prepare; the task itself goes to an in-memory broker that
  nobody reads), and downloads the file (kept in a temporary MEDIA_ROOT, removed after). Total:
  asking, preparing and downloading.

Times are wall clock on a machine shared with others: run it twice and keep both.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")
os.environ.setdefault("NRM_REQUIRE_MFA", "0")  # the client signs in with force_login

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from cases.models import Case  # noqa: E402
from exports.models import ExportJob  # noqa: E402
from exports.services import export_job_prepare  # noqa: E402
from nrm.celery import app  # noqa: E402

EXPORT = reverse("cases:export")


def timed_get(client, url: str) -> dict:
    """Seconds until the first chunk of the answer is in hand and until the last, and its size."""
    started = time.perf_counter()
    response = client.get(url)
    chunks = iter(response.streaming_content) if response.streaming else iter([response.content])
    first = next(chunks, b"")
    first_byte = time.perf_counter() - started
    size = len(first) + sum(len(chunk) for chunk in chunks)
    return {
        "status": response.status_code,
        "first byte": first_byte,
        "total": time.perf_counter() - started,
        "MB": size / 1e6,
    }


def in_background(client) -> dict:
    """Ask for the file, prepare it as the worker would, download it."""
    app.conf.broker_url = "memory://"  # the queued task is left unread: this script is the worker
    started = time.perf_counter()
    asked = client.post(f"{EXPORT}?format=xlsx")
    first_byte = time.perf_counter() - started
    assert asked.status_code == 302, asked.status_code
    page = client.get(asked["Location"])
    assert page.status_code == 200
    job = ExportJob.objects.filter(requested_by=asked.wsgi_request.user).latest("pk")
    preparing = time.perf_counter()
    job = export_job_prepare(job_id=job.pk)
    prepared = time.perf_counter() - preparing
    assert job.status == ExportJob.Status.READY, job.failure_message
    download = timed_get(client, reverse("exports:download", args=[job.pk]))
    return {
        "status": asked.status_code,
        "first byte": first_byte,
        "prepare": prepared,
        "download": download["total"],
        "total": time.perf_counter() - started,
        "MB": download["MB"],
        "rows": job.total,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-immediate", action="store_true", help="leave out the Excel made in the request"
    )
    options = parser.parse_args()
    reviewer = User.objects.filter(memberships__role=Role.CENTRAL_REVIEWER).order_by("pk").first()
    if reviewer is None:
        sys.exit("No central reviewer: load the data with bench/run.py or generate_load_data.")
    client = Client(SERVER_NAME="localhost")
    client.force_login(reviewer)
    print(
        f"{Case.objects.count():,} cases in {connection.settings_dict['NAME']}; "
        f"Excel in the background above {settings.NRM_EXPORT_IMMEDIATE_ROWS:,} rows"
    )
    results = {"CSV, streamed": timed_get(client, f"{EXPORT}?format=csv")}
    if not options.skip_immediate:
        threshold = settings.NRM_EXPORT_IMMEDIATE_ROWS
        settings.NRM_EXPORT_IMMEDIATE_ROWS = 10**9
        results["Excel, in the request (before)"] = timed_get(client, f"{EXPORT}?format=xlsx")
        settings.NRM_EXPORT_IMMEDIATE_ROWS = threshold
    with tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media  # the prepared file, deleted with the folder
        results["Excel, in the background (after)"] = in_background(client)

    print(f"{'export':<34} {'first byte s':>12} {'total s':>8} {'MB':>6}  detail")
    for name, figures in results.items():
        detail = (
            f"prepare {figures['prepare']:.1f} s, download {figures['download']:.2f} s, "
            f"{figures['rows']:,} rows"
            if "prepare" in figures
            else f"status {figures['status']}"
        )
        print(
            f"{name:<34} {figures['first byte']:>12.2f} {figures['total']:>8.1f} "
            f"{figures['MB']:>6.1f}  {detail}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
