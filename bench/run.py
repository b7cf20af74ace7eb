# The benchmark runs fixed local commands (psql, manage.py, gunicorn, wrk) on its own database.
# ruff: noqa: S603, S607, S608
"""The national-scale benchmark, in one command (docs/PERFORMANCE.md):

    .venv/bin/python bench/run.py [--cases 200000] [--duration 10] [--connections 16]
                                  [--workers N] [--only TEXT ...] [--only-web]

1. Data: the PostgreSQL database `nrm_bench` (BENCH_DATABASE_URL) is created, migrated and
   loaded with `generate_load_data --cases N` the first time; later runs find it loaded and
   reuse it (new migrations are still applied).
2. Accounts: three generated accounts (the Tak social worker, the Kredtrakarn shelter director,
   a central reviewer) get a password; the reviewer also a confirmed TOTP device, since two-factor
   sign-in is required with DEBUG off. Each signs in over HTTP as a browser does (password, then
   the authenticator's code for the reviewer); the worker and the director also take an API token.
3. gunicorn serves the project as the image runs it (deploy/gunicorn.conf.py; --workers sets
   WEB_CONCURRENCY) with DEBUG off on 127.0.0.1 (static files collected, Redis as cache), and
   wrk measures each endpoint on loopback, the no-database /healthz first as the ceiling, in
   the same run. Queries per request come from one extra request per endpoint with a header
   that bench/wsgi.py answers with its query count. The run's API tokens are deleted after it.
4. Then, with the server stopped: the 1,000-person CSV intake against a copy of the loaded
   database (bench/intake.py --template), the SLA sweep over 1,000,000 deadlines
   (bench/sla_sweep.py) and one bed admission under 50 concurrent attempts (bench/admission.py).
5. The table is printed and written to bench/results/latest.md (and .json).

Adding an endpoint is one line in ENDPOINTS. An endpoint whose URL does not resolve yet is
listed as missing, not measured.
"""

import argparse
import fcntl
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results"

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "bench-only-" + "x" * 20  # set on generated accounts in the bench database only
WORKER, DIRECTOR, REVIEWER = "load.sw.63", "load.dir.kredtrakarn", "load.central.1"

# Targets of issue #9 (2 cores, 200,000 cases, 16 connections).
MIN_RATIO = 0.15
MAX_P99_MS = 100
DASHBOARD_P99_MS = 300
INTAKE_SECONDS = 15  # issue #23
SWEEP_SECONDS = 1


# Targets of issue #23: a request's CPU (Python and PostgreSQL) as a multiple of the stack's
# floor, a plain DRF list of 25 cases (bench/cpu.py).
API_LIST = 1.0
HTML_LIST = 2.5
HEAVY_PAGE = 4.0


@dataclass(frozen=True)
class Endpoint:
    label: str
    url: str  # a URL name ("cases:home") or a path; {case} is a case of the Tak office
    who: str  # "" (anonymous), "worker", "director", "reviewer"; "+token" for an API token
    p99_ms: int = MAX_P99_MS
    ratio: float = MIN_RATIO
    floor: float | None = None  # at most this many times the floor's CPU (bench/cpu.py)


CEILING = Endpoint("ceiling: /healthz (no database)", "healthz", "", ratio=0)
ENDPOINTS = [
    Endpoint("page: provincial office's home (Tak)", "cases:home", "worker", floor=HTML_LIST),
    Endpoint("page: case list, provincial (Tak)", "cases:list", "worker", floor=HTML_LIST),
    Endpoint("page: case list, central", "cases:list", "reviewer", floor=HTML_LIST),
    Endpoint("page: referral inbox, shelter", "referrals:inbox", "director", floor=HTML_LIST),
    Endpoint("page: review queue, central", "referrals:home", "reviewer", floor=HEAVY_PAGE),
    Endpoint("page: case detail", "cases:detail", "worker", floor=HEAVY_PAGE),
    Endpoint("page: bed board, shelter", "shelters:home", "director", floor=HTML_LIST),
    # The director's referrals coming, which the board loads once shown (htmx): here as the page
    # of its own that opens without JavaScript (the layout around it too), no target of its own.
    Endpoint("page: bed board's referrals coming, shelter", "shelters:coming", "director"),
    Endpoint("page: national dashboard", "reports:dashboard", "reviewer", DASHBOARD_P99_MS, 0),
    Endpoint("API: cases, provincial (Tak)", "/api/v1/cases/", "worker+token", floor=API_LIST),
    Endpoint("API: cases, central", "/api/v1/cases/", "reviewer", floor=API_LIST),
    Endpoint("API: case detail", "/api/v1/cases/{case}/", "worker+token"),
    Endpoint("API: referrals, shelter", "/api/v1/referrals/", "director+token", floor=API_LIST),
    Endpoint("API: referrals, central", "/api/v1/referrals/", "reviewer", floor=API_LIST),
    Endpoint("API: national dashboard", "/api/v1/reports/dashboard/", "reviewer", 300, 0),
]


def log(text: str) -> None:
    print(text, flush=True)


# --- the environment of the server and of this process --------------------------------------


def bench_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        # Plain HTTP on loopback: no redirect to HTTPS, cookies without the Secure flag.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        NRM_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        DJANGO_SETTINGS_MODULE="nrm.settings",
        # Many wrk requests come from one address: django-axes only counts failures anyway.
        # The API's rate limits are still checked on every request, at rates wrk never reaches
        # (at the production 600 a minute, the API rows measured 429s).
        NRM_API_RATE_PER_USER="10000000/minute",
        NRM_API_RATE_PER_ADDRESS="10000000/minute",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("NRM_REQUIRE_MFA", None)  # ignored with DEBUG off anyway
    return env


CLOCK_TICK_NS = 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def process_cpu_ns(pid: int, *, threads: bool = False) -> int | None:
    """CPU time of a process in nanoseconds; None when it is gone. One thread (a PostgreSQL
    backend): schedstat's run time, exact. All its threads (a gunicorn gthread worker), or where
    schedstat is missing: utime + stime of /proc/<pid>/stat, in clock ticks (10 ms)."""
    if not threads:
        try:
            return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * CLOCK_TICK_NS


def psql(database_url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", database_url, "-Atc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def ensure_loaded(env: dict[str, str], cases: int) -> str:
    """Create, migrate and load the bench database unless it is loaded already. One run at a
    time on this machine: a second run waits for the first's load (a lock file), then finds
    the cases loaded, instead of starting a load of its own beside it."""
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    with open(Path(tempfile.gettempdir()) / f"{name}.load.lock", "w") as lock:
        if not _try_lock(lock):
            log(f"another run is loading or migrating {name}: waiting for it")
            fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_loaded(env, cases)


def _try_lock(lock) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _ensure_loaded(env: dict[str, str], cases: int) -> str:
    url = env["DATABASE_URL"]
    server, name = url.rsplit("/", 1)
    exists = psql(f"{server}/postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if not exists:
        log(f"creating database {name}")
        psql(f"{server}/postgres", f'CREATE DATABASE "{name}"')
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    loaded = int(
        psql(
            url,
            "SELECT count(*) FROM cases_case c JOIN accounts_user u ON u.id = c.created_by_id"
            " WHERE u.username LIKE 'load.%'",
        )
    )
    if loaded >= cases:
        return f"reused: {loaded:,} generated cases already loaded"
    if loaded:
        raise SystemExit(
            f"{name} holds {loaded:,} generated cases, fewer than {cases:,}: drop it "
            f"(dropdb {name}) and run again."
        )
    log(f"loading {cases:,} cases into {name} (once; later runs reuse them)")
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", "generate_load_data", "--cases", str(cases)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    psql(url, "VACUUM ANALYZE")
    return f"loaded now: {cases:,} cases in {time.perf_counter() - started:.0f} s"


def setup_accounts() -> dict:
    """Passwords for the three accounts and the reviewer's authenticator (idempotent); the ids
    of the cases the detail endpoints open."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from cases.models import Case

    users = {u.username: u for u in User.objects.filter(username__in=[WORKER, DIRECTOR, REVIEWER])}
    if len(users) != 3:
        raise SystemExit("The generated accounts are missing: is the database loaded?")
    for user in users.values():
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
    device, _created = TOTPDevice.objects.get_or_create(
        user=users[REVIEWER], name="bench", defaults={"confirmed": True}
    )
    case = (
        Case.objects.filter(owner__code="pso-63")
        .exclude(status="closed")
        .filter(referrals__isnull=False)
        .order_by("-pk")
        .first()
    )
    return {"device": device.pk, "case": case.pk, "case_number": case.number}


def totp_code(device_id: int) -> str:
    """The reviewer's current authenticator code, as the phone app would show it; waits for a
    fresh time step if this one was used already (a code works once)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(pk=device_id)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:
        time.sleep(1)
    return f"{totp.token():0{device.digits}d}"


# --- signing in over HTTP -------------------------------------------------------------------


def _csrf(session, path: str) -> str:
    page = session.get(BASE + path, timeout=30)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def sign_in(username: str, device_id: int | None = None) -> str:
    """A browser's sign-in (and two-factor code); returns the Cookie header of the session."""
    import requests

    session = requests.Session()
    login = session.post(
        f"{BASE}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": _csrf(session, "/accounts/login/"),
        },
        headers={"Referer": f"{BASE}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if login.status_code != 302:
        raise SystemExit(f"sign-in of {username} failed ({login.status_code})")
    # A code works once: another run signing in the same reviewer may take this time step's
    # code first, and the next attempt waits for a fresh one.
    for _attempt in range(3 if device_id is not None else 0):
        verify = session.post(
            f"{BASE}/accounts/mfa/verify/",
            data={
                "code": totp_code(device_id),
                "csrfmiddlewaretoken": _csrf(session, "/accounts/mfa/verify/"),
            },
            headers={"Referer": f"{BASE}/accounts/mfa/verify/"},
            allow_redirects=False,
            timeout=30,
        )
        if verify.status_code == 302:
            break
    else:
        if device_id is not None:
            raise SystemExit(f"two-factor sign-in of {username} failed")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def api_token(username: str) -> str:
    import requests

    answer = requests.post(
        f"{BASE}/api/v1/auth/token/",
        data={"username": username, "password": PASSWORD},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()["token"]


def forget_tokens(headers: list[dict[str, str]]) -> None:
    """Deletes the run's API tokens: a user may hold only ten at a time (REST_KNOX)."""
    from knox.models import AuthToken
    from knox.settings import CONSTANTS

    keys = [
        h["Authorization"].removeprefix("Token ")[: CONSTANTS.TOKEN_KEY_LENGTH]
        for h in headers
        if "Authorization" in h
    ]
    AuthToken.objects.filter(token_key__in=keys).delete()


# --- measuring ------------------------------------------------------------------------------


def path_of(endpoint: Endpoint, case_id: int) -> str | None:
    """The endpoint's path, or None when its URL is not (yet) in the URL configuration."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    if endpoint.url.startswith("/"):
        path = endpoint.url.format(case=case_id)
        try:
            resolve(path)
        except Resolver404:
            return None
        return path
    try:
        return reverse(endpoint.url)
    except NoReverseMatch:
        try:
            return reverse(endpoint.url, args=[case_id])
        except NoReverseMatch:
            return None


def check(path: str, headers: dict[str, str]) -> int:
    """The endpoint answers 200 (not a redirect to sign-in); returns its query count."""
    import requests

    counts = []
    for _attempt in range(2):  # the second: a warm worker
        answer = requests.get(
            BASE + path,
            headers={**headers, "X-Bench-Queries": "1"},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}: not measured")
        counts.append(int(answer.headers.get("X-Bench-Queries", "-1")))
    return counts[-1]


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(path: str, headers: dict[str, str], *, duration: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, BASE + path], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx or 3xx responses" in output:
        raise SystemExit(f"{path}: errors under load\n{output}")

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def collect_static(env: dict[str, str]) -> None:
    """With DEBUG off, pages name their static files through the collected manifest."""
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def gunicorn_settings(env: dict[str, str]) -> dict[str, str]:
    """The settings gunicorn takes from deploy/gunicorn.conf.py in this environment
    (WEB_CONCURRENCY, GUNICORN_CMD_ARGS), as it prints them."""
    printed = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--config",
            str(GUNICORN_CONF),
            "--print-config",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    conf = dict(re.findall(r"^(\w+)\s+= (.*)$", printed, re.M))
    if conf["worker_class"] == "sync" and int(conf["threads"]) > 1:
        conf["worker_class"] = "gthread"  # gunicorn's own rule
    return conf


def start_server(env: dict[str, str]) -> subprocess.Popen:
    """gunicorn as the image runs it (deploy/gunicorn.conf.py: worker class, threads, workers
    from WEB_CONCURRENCY, timeout, access log), bound to loopback and serving bench/wsgi.py."""
    collect_static(env)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--config",
            str(GUNICORN_CONF),
            "--bind",
            f"127.0.0.1:{PORT}",
            "bench.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log, written as in production, not kept
        start_new_session=True,
    )
    import requests

    for _attempt in range(120):
        try:
            if requests.get(f"{BASE}/healthz", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit("gunicorn did not start")


def server_cpu_ns(server: subprocess.Popen) -> dict[int, int]:
    """CPU time of each gunicorn worker (the master's children), all threads."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    times = {int(pid): process_cpu_ns(int(pid), threads=True) for pid in children}
    return {pid: ns for pid, ns in times.items() if ns is not None}


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def describe_server(env: dict[str, str]) -> str:
    conf = gunicorn_settings(env)
    text = (
        f"gunicorn --config deploy/gunicorn.conf.py: {conf['workers']} {conf['worker_class']} "
        f"workers × {conf['threads']} threads, timeout {conf['timeout']} s"
    )
    if env.get("GUNICORN_CMD_ARGS"):
        text += f", GUNICORN_CMD_ARGS={env['GUNICORN_CMD_ARGS']!r}"
    return text


def measure_endpoints(args, env, accounts) -> list[dict]:
    log(f"{describe_server(env)}; DEBUG off, on {BASE}")
    server = start_server(env)
    rows = []
    credentials = {}
    try:
        credentials = {
            "": {},
            "worker": {"Cookie": sign_in(WORKER)},
            "director": {"Cookie": sign_in(DIRECTOR)},
            "reviewer": {"Cookie": sign_in(REVIEWER, accounts["device"])},
            "worker+token": {"Authorization": f"Token {api_token(WORKER)}"},
            "director+token": {"Authorization": f"Token {api_token(DIRECTOR)}"},
        }
        ceiling = None
        wanted = [text.lower() for text in args.only]
        for endpoint in [CEILING, *ENDPOINTS]:
            path = path_of(endpoint, accounts["case"])
            haystack = f"{endpoint.label} {path}".lower()
            if endpoint is not CEILING and wanted and not any(t in haystack for t in wanted):
                continue
            row = {"label": endpoint.label, "path": path, "who": endpoint.who}
            if path is None:
                log(f"  {endpoint.label:40} missing: {endpoint.url} is not in the URL conf")
                rows.append({**row, "missing": True})
                continue
            headers = credentials[endpoint.who]
            row["queries"] = check(path, headers)
            wrk(path, headers, duration=2, connections=args.connections)  # warm-up
            before = server_cpu_ns(server)
            row.update(wrk(path, headers, duration=args.duration, connections=args.connections))
            after = server_cpu_ns(server)
            spent = sum(ns - before[pid] for pid, ns in after.items() if pid in before)
            row["server_cpu_ms"] = spent / 1e6 / row["requests"]
            check(path, headers)  # still signed in, still 200
            ceiling = ceiling or row["rps"]
            row["ratio"] = row["rps"] / ceiling
            row["met"] = row["ratio"] >= endpoint.ratio and row["p99"] < endpoint.p99_ms
            row["target"] = (
                f"p99 < {endpoint.p99_ms} ms"
                + (f", ≥ {endpoint.ratio:.2f} of ceiling" if endpoint.ratio else "")
                if endpoint is not CEILING
                else ""
            )
            log(
                f"  {endpoint.label:40} {row['rps']:8.1f} req/s  p50 {row['p50']:7.1f} ms  "
                f"p99 {row['p99']:7.1f} ms  {row['queries']:3} queries  {row['ratio']:.2f}  "
                f"gunicorn CPU {row['server_cpu_ms']:.1f} ms/request"
            )
            rows.append(row)
    finally:
        stop_server(server)
        forget_tokens(list(credentials.values()))
    return rows


# --- the other measurements -----------------------------------------------------------------


def run_script(label: str, command: list[str], env: dict[str, str], pattern: str) -> dict:
    log(f"{label}: {' '.join(command[1:])}")
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        log(done.stdout + done.stderr)
        return {"label": label, "error": f"exit {done.returncode}"}
    match = re.search(pattern, done.stdout, re.M)
    log("\n".join("    " + line for line in done.stdout.strip().splitlines()[-12:]))
    return {
        "label": label,
        "seconds": float(match.group(1)) if match else None,
        "wall": time.perf_counter() - started,
        "output": done.stdout,
    }


def measure_scripts(args, env) -> list[dict]:
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    script_env = {**env, "DEBUG": "1"}  # the scripts need no production secrets
    results = []
    if not args.skip_intake:
        results.append(
            run_script(
                "intake: 1,000 persons, duplicates against every person",
                [PYTHON, "bench/intake.py", "--rows", "1000", "--template", name],
                script_env,
                r"^total\s+([\d.]+) s",
            )
        )
    if not args.skip_sweep:
        results.append(
            run_script(
                "SLA sweep: 1,000 due of 1,000,000 deadlines",
                [PYTHON, "bench/sla_sweep.py"],
                script_env,
                r"^sweep\s+([\d.]+) s",
            )
        )
    if not args.skip_admission:
        results.append(
            run_script(
                "bed admission: 50 concurrent attempts, 1 bed",
                [PYTHON, "bench/admission.py", "--template", name],
                script_env,
                r"^all attempts\s+([\d.]+) s",
            )
        )
    return results


# --- the report -----------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def report(args, loaded, rows, scripts, server_version, load) -> str:
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}; {machine()}; PostgreSQL {server_version}.",
        f"Load average of the machine (other work included) before / after the web "
        f"measurements: {load[0]:.1f} / {load[1]:.1f}.",
        f"Data: {loaded}. {args.server}; DEBUG off; wrk -t2 -c{args.connections} "
        f"-d{args.duration}s on loopback (same machine). gunicorn CPU: the workers' CPU (all "
        "threads, PostgreSQL not included) per request during the measure.",
        "",
        "| endpoint | path | req/s | p50 ms | p99 ms | gunicorn CPU ms | queries "
        "| ratio to ceiling | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        if row.get("missing"):
            lines.append(f"| {row['label']} | (not in the URL conf) | | | | | | | | missing |")
            continue
        met = "" if not row["target"] else ("yes" if row["met"] else "**no**")
        lines.append(
            f"| {row['label']} | `{row['path']}` | {row['rps']:.1f} | {row['p50']:.1f} | "
            f"{row['p99']:.1f} | {row['server_cpu_ms']:.1f} | {row['queries']} | "
            f"{row['ratio']:.2f} | {row['target']} | {met} |"
        )
    if scripts:
        lines += ["", "| measurement | seconds | target | met |", "|---|---:|---|---|"]
    targets = {"intake": INTAKE_SECONDS, "SLA sweep": SWEEP_SECONDS}
    for result in scripts:
        target = next((t for key, t in targets.items() if result["label"].startswith(key)), None)
        seconds = result.get("seconds")
        if seconds is None:
            lines.append(f"| {result['label']} | {result.get('error', 'no figure')} | | **no** |")
            continue
        met = "yes" if target is None or seconds < target else "**no**"
        if result["label"].startswith("bed admission"):
            met = "yes" if "overbooked: no" in result["output"] else "**no**"
        lines.append(
            f"| {result['label']} | {seconds:.2f} | "
            f"{f'under {target} s' if target else 'exactly the free beds admitted'} | {met} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (WEB_CONCURRENCY; default: the config's)"
    )
    parser.add_argument(
        "--only", action="append", default=[], help="endpoints whose label or path has TEXT"
    )
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--skip-admission", action="store_true")
    parser.add_argument("--only-web", action="store_true", help="skip the three scripts")
    args = parser.parse_args()
    if args.only_web:
        args.skip_intake = args.skip_sweep = args.skip_admission = True
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    var_dir = Path(tempfile.mkdtemp(prefix="nrm-bench-"))
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nrm_bench"
    )
    env = bench_environment(database_url, var_dir)
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    args.server = describe_server(env)
    try:
        loaded = ensure_loaded(env, args.cases)
        log(f"data: {loaded}")
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        accounts = setup_accounts()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
        load_before = os.getloadavg()[0]
        rows = measure_endpoints(args, env, accounts)
        load = (load_before, os.getloadavg()[0])
        connection.close()  # the scripts copy the database: no session may stay open on it
        scripts = measure_scripts(args, env)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    table = report(args, loaded, rows, scripts, server_version, load)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(table)
    (RESULTS / "latest.json").write_text(
        json.dumps(
            {
                "endpoints": rows,
                "scripts": [{k: v for k, v in s.items() if k != "output"} for s in scripts],
            },
            indent=2,
        )
    )
    print()
    print(table)
    print(f"written to {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
