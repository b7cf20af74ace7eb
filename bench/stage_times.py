"""Benchmark of the stage figures (insights/figures.py), apart from HTTP. The issue's target:
on the generated national data, the stage times of ten years answer in under 2 seconds cold.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/nrm_bench \
        .venv/bin/python bench/stage_times.py [--repeat 3] [--by all province ...]

It reads a database loaded by `manage.py generate_load_data`. First it counts the stages'
rows again (insights/spans.py, what beat does every ten minutes: the only write) and prints
how long that took; then, for the central division's national view of the ten years up to
the newest case, it prints per breakdown: the first figures on a new database connection
("cold": nothing of the application's is cached, the figures are never kept; PostgreSQL's own
buffers may hold the tables), then the median of the repeats, the number of queries and the
slowest stage.
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
from insights.dimensions import DIMENSIONS  # noqa: E402
from insights.figures import Filters, stage_figures  # noqa: E402
from insights.spans import count_stage_spans  # noqa: E402


def count(user, filters) -> tuple[float, CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        stage_figures(user=user, filters=filters)
        return time.perf_counter() - start, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--by", nargs="*", default=[d.key for d in DIMENSIONS])
    options = parser.parse_args()
    reviewer = User.objects.filter(memberships__role=Role.CENTRAL_REVIEWER).first()
    if reviewer is None:
        sys.exit("No central reviewer: load the data with generate_load_data first.")
    newest = Case.objects.order_by("-intake_date").values_list("intake_date", flat=True).first()
    if newest is None:
        sys.exit("No case: load the data with generate_load_data first.")
    start = newest.replace(year=newest.year - 10) + dt.timedelta(days=1)
    print(f"{Case.objects.count():,} cases; stages begun {start} to {newest}; central division")
    started = time.perf_counter()
    rows = count_stage_spans()
    print(f"stage rows counted again: {rows:,} in {time.perf_counter() - started:.1f} s")
    print(f"{'breakdown':14} {'cold s':>7} {'warm s':>7} {'queries':>8}  slowest query ms")
    for by in options.by:
        filters = Filters(start=start, end=newest, by=by)
        connection.close()  # a new connection: nothing of this process's is warm
        cold, queries = count(reviewer, filters)
        warm = statistics.median(count(reviewer, filters)[0] for _ in range(options.repeat))
        slowest = max(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"{by:14} {cold:7.2f} {warm:7.2f} {len(queries):8}  {slowest:8.0f}")


if __name__ == "__main__":
    main()
