# The benchmark runs fixed local commands (manage.py) on its own database.
# ruff: noqa: S603, S607
"""CPU per request against the stack's floor (issue #23), in one process (docs/PERFORMANCE.md):

    .venv/bin/python bench/cpu.py [--requests 40] [--warmup 3] [--only TEXT ...] [--profile]

For every endpoint of bench/run.py's ENDPOINTS, and for two references served by the same
process, it prints the CPU one warm request costs: Python (time.process_time of this process)
and PostgreSQL (the CPU of this connection's backend process, read from
/proc/<pg_backend_pid>/schedstat before and after: PostgreSQL runs on this machine), the SQL
queries it ran (Redis's own CPU, microseconds a read, is not counted), and its total CPU as a
multiple of the floor's, with PASS or MISS against the issue's targets (API lists at most 1.0
times the floor, HTML list pages 2.5, the case page and the review queue 4). A ratio hardly
moves with the machine's load, unlike a latency.

- The floor: a plain DRF ListAPIView of 25 cases with the project's token authentication and a
  four-field serializer (bench/cpu_urls.py, a URL configuration installed for this process
  only, the product's URLs unchanged in it).
- Nothing: a signed-in view that does nothing (the session and the middleware only).

How: `DEBUG` off, Redis as the cache (BENCH_REDIS_URL, default db 8), the database `nrm_bench`
(BENCH_DATABASE_URL, loaded by bench/run.py or here the first time), the accounts of
bench/run.py (signed in through the login form and, for the reviewer, the authenticator's
code; the API accounts with a token made for this run and deleted after it). Each request goes
through Django's WSGI handler with the whole middleware, as gunicorn calls it (request signals
and connection handling included). Rounds: every endpoint once per round, the floor too, so a
change of load touches them all alike; `--warmup` rounds are dropped, then the median of
`--requests` rounds is taken per column. A request whose database connection was opened or
closed by it (CONN_MAX_AGE, once a minute) is measured again.

`--only TEXT` (repeatable) measures only endpoints whose label or path contains TEXT (the floor
and the nothing view always); `--profile` then profiles each row (cProfile in CPU time,
the 40 costliest calls printed, the whole profile in bench/results/cpu-<path>.prof). The
table is printed and written to bench/results/cpu-latest.md (and .json, with every sample).
"""

import argparse
import io
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402  (needs ROOT on the path)
from bench.run import DIRECTOR, PASSWORD, REVIEWER, WORKER, Endpoint  # noqa: E402

RESULTS = ROOT / "bench" / "results"
FLOOR = Endpoint("floor: DRF list of 25 cases, token", "bench-floor", "worker+token")
NOTHING = Endpoint("signed-in view that does nothing", "bench-nothing", "worker")
USERS = {"worker": WORKER, "director": DIRECTOR, "reviewer": REVIEWER}


def log(text: str) -> None:
    print(text, flush=True)


# --- CPU of this process and of the database backend ----------------------------------------


def backend_pid() -> int | None:
    """The PostgreSQL backend of this thread's connection, without a query; None when closed."""
    from django.db import connection

    raw = connection.connection
    if raw is None or raw.closed:
        return None
    return raw.info.backend_pid


# --- one request through the WSGI handler ---------------------------------------------------


def environ(path: str, headers: dict[str, str]) -> dict:
    """The WSGI environment gunicorn gives a GET on loopback."""
    env = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(run.PORT),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "HTTP_HOST": f"127.0.0.1:{run.PORT}",
        "HTTP_USER_AGENT": "bench/cpu.py",
        "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


@dataclass
class Sample:
    python_ms: float
    postgres_ms: float
    queries: int

    @property
    def total_ms(self) -> float:
        return self.python_ms + self.postgres_ms


def request(handler, path: str, headers: dict[str, str]) -> tuple[int, int, Sample | None]:
    """One GET: its status, the size of its body and its CPU, or no sample when the database
    connection was opened or closed during it."""
    from django.db import connection

    queries = 0

    def counter(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    statuses = []

    def start_response(status, response_headers, exc_info=None):
        statuses.append(status)
        return lambda data: None

    wsgi_environ = environ(path, headers)
    pid = backend_pid()
    backend_before = run.process_cpu_ns(pid) if pid else None
    python_before = time.process_time_ns()
    with connection.execute_wrapper(counter):
        response = handler(wsgi_environ, start_response)
        try:
            size = sum(len(chunk) for chunk in response)
        finally:
            if hasattr(response, "close"):
                response.close()  # request_finished: what gunicorn does after the body
    python_after = time.process_time_ns()
    time.sleep(0.002)  # the backend has sent its last answer; let it go idle
    backend_after = run.process_cpu_ns(pid) if pid and backend_pid() == pid else None
    status = int(statuses[0].split()[0])
    if backend_before is None or backend_after is None:
        return status, size, None
    sample = Sample(
        python_ms=(python_after - python_before) / 1e6,
        postgres_ms=(backend_after - backend_before) / 1e6,
        queries=queries,
    )
    return status, size, sample


# --- signing in -----------------------------------------------------------------------------


def credentials(accounts: dict) -> tuple[dict[str, dict[str, str]], list]:
    """The request headers of each kind of caller: session cookies from a sign-in through the
    forms (the reviewer with the authenticator's code), tokens made for this run."""
    from django.test import Client
    from knox.models import AuthToken

    from accounts.models import User

    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise
    headers: dict[str, dict[str, str]] = {"": {}}
    for who, username in USERS.items():
        client = Client()
        answer = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        if answer.status_code != 302:
            raise SystemExit(f"sign-in of {username} failed ({answer.status_code})")
        for _attempt in range(3 if who == "reviewer" else 0):  # a code works once: see run.py
            answer = client.post(
                "/accounts/mfa/verify/", {"code": run.totp_code(accounts["device"])}
            )
            if answer.status_code == 302:
                break
        else:
            if who == "reviewer":
                raise SystemExit(f"two-factor sign-in of {username} failed")
        headers[who] = {
            "Cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
        }
    tokens = []
    for who, username in (("worker", WORKER), ("director", DIRECTOR)):
        instance, token = AuthToken.objects.create(user=User.objects.get(username=username))
        tokens.append(instance)
        headers[f"{who}+token"] = {"Authorization": f"Token {token}"}
    return headers, tokens


# --- the rounds -----------------------------------------------------------------------------


@dataclass
class Row:
    endpoint: Endpoint
    path: str | None
    samples: list[Sample] = field(default_factory=list)
    size: int = 0

    def median(self, name: str) -> float:
        return statistics.median(getattr(sample, name) for sample in self.samples)


def measure(handler, rows: list[Row], headers, *, requests: int, warmup: int) -> None:
    measured = [row for row in rows if row.path]

    def once(row: Row, keep: bool) -> None:
        status, row.size, sample = request(handler, row.path, headers[row.endpoint.who])
        if status != 200:
            raise SystemExit(f"{row.path} answered {status} to {row.endpoint.who}: not measured")
        if keep and sample is not None:
            row.samples.append(sample)

    for number in range(warmup + requests):
        for row in measured:
            once(row, keep=number >= warmup)
        log(f"  round {number + 1} of {warmup + requests}" + (" (warm-up)" * (number < warmup)))
    for row in measured:  # a request that opened or closed the connection is measured again
        for _attempt in range(requests):
            if len(row.samples) >= requests:
                break
            once(row, keep=True)


def profile(handler, row: Row, headers, *, requests: int) -> str:
    """cProfile of the endpoint's requests in CPU time (this process only), written to
    bench/results/cpu-<path>.prof; returns the functions that cost the most, all included."""
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)
    for _number in range(requests):
        profiler.enable()
        request(handler, row.path, headers[row.endpoint.who])
        profiler.disable()
    slug = "".join(c if c.isalnum() else "-" for c in row.path.strip("/")) or "root"
    RESULTS.mkdir(exist_ok=True)
    slug += "-" + row.endpoint.who.replace("+", "-")
    profiler.dump_stats(RESULTS / f"cpu-{slug}.prof")
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("cumulative")
    stats.print_stats(40)
    return (
        f"{row.endpoint.label} ({row.path}), {requests} requests, "
        f"CPU profile in {RESULTS / f'cpu-{slug}.prof'}\n{buffer.getvalue()}"
    )


# --- the report -----------------------------------------------------------------------------


def revision() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [
        name
        for name in [
            *git("diff", "--name-only", "HEAD").splitlines(),
            *git("ls-files", "--others", "--exclude-standard").splitlines(),
        ]
        if not name.startswith(("bench/", "docs/"))
    ]
    if changed:
        return f"{commit} with uncommitted changes to {', '.join(changed)}"
    return commit


def verdict(row: Row, floor_ms: float) -> tuple[float, str, str]:
    ratio = row.median("total_ms") / floor_ms
    target = row.endpoint.floor
    if target is None:
        return ratio, "", ""
    return ratio, f"≤ {target:.1f}×", "PASS" if ratio <= target else "MISS"


def report(args, rows: list[Row], load: tuple[float, float], version: str) -> str:
    floor_ms = rows[0].median("total_ms")
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}; revision {revision()}; {run.machine()}; "
        f"PostgreSQL {version}.",
        f"Load average before / after: {load[0]:.1f} / {load[1]:.1f}. DEBUG off, Redis cache, "
        f"one process; median of {args.requests} warm requests per endpoint "
        f"({args.warmup} warm-up rounds dropped), endpoints interleaved round by round.",
        "CPU per request in ms: Python (this process) and PostgreSQL (the connection's "
        "backend); × floor is the total against the floor's total.",
        "",
        "| endpoint | path | Python ms | PostgreSQL ms | total ms | queries | KB | × floor "
        "| target | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        if row.path is None:
            lines.append(
                f"| {row.endpoint.label} | (not in the URL conf) | | | | | | | | missing |"
            )
            continue
        ratio, target, result = verdict(row, floor_ms)
        lines.append(
            f"| {row.endpoint.label} | `{row.path}` | {row.median('python_ms'):.1f} | "
            f"{row.median('postgres_ms'):.1f} | {row.median('total_ms'):.1f} | "
            f"{row.median('queries'):.0f} | {row.size / 1024:.1f} | {ratio:.2f} | {target} | "
            f"{'**MISS**' if result == 'MISS' else result} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="measured requests each")
    parser.add_argument("--warmup", type=int, default=3, help="rounds dropped first")
    parser.add_argument(
        "--only", action="append", default=[], help="endpoints whose label or path has TEXT"
    )
    parser.add_argument(
        "--profile", action="store_true", help="then a CPU profile of each endpoint (cProfile)"
    )
    parser.add_argument("--cases", type=int, default=200_000, help="as bench/run.py")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="nrm-bench-cpu-"))
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nrm_bench"
    )
    env = run.bench_environment(database_url, var_dir)
    tokens = []
    try:
        log(f"data: {run.ensure_loaded(env, args.cases)}")
        run.collect_static(env)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.wsgi import get_wsgi_application
        from django.db import connection
        from django.test.utils import override_settings
        from django.urls import reverse

        override_settings(ROOT_URLCONF="bench.cpu_urls").enable()
        accounts = run.setup_accounts()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        headers, tokens = credentials(accounts)
        wanted = [text.lower() for text in args.only]
        rows = [Row(FLOOR, reverse(FLOOR.url)), Row(NOTHING, reverse(NOTHING.url))]
        for endpoint in run.ENDPOINTS:
            path = run.path_of(endpoint, accounts["case"])
            haystack = f"{endpoint.label} {path}".lower()
            if not wanted or any(text in haystack for text in wanted):
                rows.append(Row(endpoint, path))
        log(f"{len(rows)} rows, {args.warmup} + {args.requests} rounds")
        load_before = os.getloadavg()[0]
        handler = get_wsgi_application()
        measure(handler, rows, headers, requests=args.requests, warmup=args.warmup)
        load = (load_before, os.getloadavg()[0])
        profiles = [
            profile(handler, row, headers, requests=args.requests)
            for row in rows
            if args.profile and row.path
        ]
    finally:
        for token in tokens:
            token.delete()
        shutil.rmtree(var_dir, ignore_errors=True)
    table = report(args, rows, load, version)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cpu-latest.md").write_text(table)
    (RESULTS / "cpu-latest.json").write_text(
        json.dumps(
            [
                {
                    "label": row.endpoint.label,
                    "path": row.path,
                    "target": row.endpoint.floor,
                    "samples": [[s.python_ms, s.postgres_ms, s.queries] for s in row.samples],
                }
                for row in rows
            ],
            indent=1,
        )
    )
    for text in profiles:
        print(text)
    print()
    print(table)
    print(f"written to {RESULTS / 'cpu-latest.md'}")


if __name__ == "__main__":
    main()
