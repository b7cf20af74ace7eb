"""Benchmark of the dashboard's counting (reports/statistics.py), apart from HTTP. The issue's
target: with 200,000 cases the dashboard answers in under 300 ms.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/nrm_bench \
        REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/dashboard.py [--repeat 5]

It reads a database already loaded by `manage.py generate_load_data` (bench/run.py loads
`nrm_bench` once) and writes nothing to it but the cache. For the central division's national
view it prints, for the default period (the last twelve months) and for all ten years:

- cold: every figure counted again (what beat's `count-national-dashboard` does every minute,
  and what a user waits for on "count again" or a period nobody asked for in two minutes),
  with the number of queries and the slowest of them;
- warm: the figures from the cache plus the shelters' beds counted live (what a request to
  /reports/ costs in the database once the figures are counted).

The HTTP figures of the dashboard page and its API (p50/p99 at 16 connections) come from
bench/run.py.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from cases.models import Case  # noqa: E402
from reports.statistics import Filters, dashboard_figures  # noqa: E402


def timed(function, repeat: int) -> tuple[list[float], CaptureQueriesContext]:
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    return times, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    reviewer = User.objects.filter(memberships__role=Role.CENTRAL_REVIEWER).first()
    if reviewer is None:
        sys.exit("No central reviewer: load the data with bench/run.py or generate_load_data.")
    print(f"{Case.objects.count():,} cases in {connection.settings_dict['NAME']}")
    periods = {
        "last 12 months": Filters.last_twelve_months(),
        "all ten years": Filters(start=dt.date(2000, 1, 1), end=dt.date.today()),
    }
    print(f"{'view':<16} {'kind':<5} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for name, filters in periods.items():
        dashboard_figures(user=reviewer, filters=filters, fresh=True)  # warm PostgreSQL's cache
        for kind, fresh in (("cold", True), ("warm", False)):
            times, queries = timed(
                lambda fresh=fresh, filters=filters: dashboard_figures(
                    user=reviewer, filters=filters, fresh=fresh
                ),
                options.repeat,
            )
            print(
                f"{name:<16} {kind:<5} {statistics.median(times) * 1000:>10.1f} "
                f"{max(times) * 1000:>8.1f} {len(queries):>8}"
            )
            if kind == "cold":
                slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
                for query in slowest:
                    print(f"{'':<23}{float(query['time']) * 1000:>7.0f} ms  {query['sql'][:70]}")


if __name__ == "__main__":
    main()
