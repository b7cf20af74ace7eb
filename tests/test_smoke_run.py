"""The README's run command, as a newcomer runs it: on SQLite with the embedded broker it
migrates, seeds, starts web, worker and beat, lets the demo users sign in (through the form and
in Chromium, in Thai), runs a task on the worker, and stops cleanly on Ctrl-C. The tests share
one running system and run in file order; the last one stops it.

The browser test saves the screenshots that the README shows (docs/screenshots/)."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 240
SCREENSHOTS = ROOT / "docs" / "screenshots"

# On one xdist worker, in file order (tests/parallel.py's ONE_WORKER).
pytestmark = [pytest.mark.smoke, pytest.mark.slow, pytest.mark.integration]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, seconds: float, what: str, process):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the run command exited ({process.returncode}) before {what}")
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except OSError:
        return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def running_system(tmp_path_factory):
    """One system for the whole module, started once with the README's run command."""
    tmp_path = tmp_path_factory.mktemp("run")
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    env.update(NRM_VAR_DIR=str(tmp_path / "var"), PORT=str(port))
    log = (tmp_path / "run.log").open("w+")
    process = subprocess.Popen(
        ["bin/run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so nothing it starts can outlive it
        # Ctrl-C reaches it as a terminal's would: a pytest-xdist worker ignores SIGINT, and a
        # shell cannot trap a signal ignored when it started (bin/run then never stopped).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{base}/healthz"), STARTUP_SECONDS, "/healthz", process)
        yield process, base, tmp_path / "var", log
    finally:
        if process.poll() is None:
            # Stopped the way an operator would (bin/run stops web, worker and beat on
            # SIGTERM); killing only the script would leave the three running.
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def test_a_demo_social_worker_signs_in_through_the_form(running_system):
    _process, base, _var_dir, _log = running_system
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = browser.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "sw.chiangmai", "password": "nrm-demo-2025"}
    ).encode()
    home = browser.open(f"{base}/accounts/login/", data=form)
    page = home.read().decode()
    assert home.geturl() == f"{base}/cases/"
    assert "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงใหม่" in page

    ready = json.loads(browser.open(f"{base}/readyz").read())
    assert {name: ready["checks"][name] for name in ("database", "broker", "cache")} == {
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
    }


def test_the_worker_runs_tasks_and_beat_schedules_them(running_system):
    process, base, var_dir, log = running_system
    # The web answers before beat has always written its pid file (a loaded machine).
    for name in ("worker.pid", "beat.pid"):
        wait_for(lambda name=name: (var_dir / "run" / name).exists(), 30, name, process)
    worker_pid = int((var_dir / "run" / "worker.pid").read_text())
    beat_pid = int((var_dir / "run" / "beat.pid").read_text())
    assert alive(worker_pid) and alive(beat_pid)
    with sqlite3.connect(var_dir / "db.sqlite3") as db:
        rows = db.execute("SELECT task FROM django_celery_beat_periodictask").fetchall()
    assert "accounts.tasks.clear_expired_sessions" in {task for (task,) in rows}

    # A task published to the embedded broker's queue folder is consumed by the worker.
    # Not the current app of this process: the tests that follow on it (an xdist worker runs
    # them after this one) publish through nrm's own app.
    sender = Celery(broker="filesystem://", set_as_current=False)
    sender.conf.broker_transport_options = {
        "data_folder_in": str(var_dir / "broker" / "queue"),
        "data_folder_out": str(var_dir / "broker" / "queue"),
        "control_folder": str(var_dir / "broker" / "control"),
    }
    sender.send_task("accounts.tasks.clear_expired_sessions")
    wait_for(
        lambda: re.search(
            r"Task accounts\.tasks\.clear_expired_sessions\[.*\] succeeded",
            Path(log.name).read_text(),
        ),
        60,
        "the worker to run the task",
        process,
    )
    # Beat queues the heartbeat, the worker runs it: /readyz then says the workers are alive.
    wait_for(
        lambda: (
            json.loads(urllib.request.urlopen(f"{base}/readyz", timeout=5).read())[  # noqa: S310
                "checks"
            ]["worker"]
            == "ok"
        ),
        90,
        "the worker heartbeat in /readyz",
        process,
    )


ROLE_PAGES = [
    ("sw.chiangmai", "provincial", "นักสังคมสงเคราะห์"),
    ("dir.kredtrakarn", "shelter", "ผู้อำนวยการสถานคุ้มครอง"),
    ("central.reviewer", "central", "ผู้ตรวจสอบส่วนกลาง"),
    ("sysadmin", "sysadmin", "ผู้ดูแลระบบ"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("username", "name", "role_th"), ROLE_PAGES)
def test_each_demo_user_signs_in_in_chromium_and_sees_their_page_in_thai(
    running_system, page, username, name, role_th
):
    _process, base, _var_dir, _log = running_system
    page.goto(f"{base}/")
    page.screenshot(path=SCREENSHOTS / "login.png", full_page=True)
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill("nrm-demo-2025")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    identity = page.get_by_test_id("identity")
    identity.wait_for()
    assert role_th in identity.inner_text()
    page.screenshot(path=SCREENSHOTS / f"home-{name}.png", full_page=True)

    page.get_by_role("button", name="English").click()
    page.get_by_test_id("identity").wait_for()
    assert "Signed in as" in page.get_by_test_id("identity").inner_text()
    page.get_by_test_id("who").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    page.get_by_role("button", name="ภาษาไทย").click()
    page.get_by_role("button", name="เข้าสู่ระบบ").wait_for()


def test_schemathesis_finds_no_server_error_and_no_undocumented_status(running_system):
    """A bounded fuzzing run of every API operation against the running system, signed in as
    a demo social worker with a token."""
    _process, base, _var_dir, _log = running_system
    form = urllib.parse.urlencode({"username": "sw.chiangmai", "password": "nrm-demo-2025"})
    with urllib.request.urlopen(f"{base}/api/v1/auth/token/", data=form.encode()) as response:
        token = json.loads(response.read())["token"]
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"{base}/api/v1/schema/",
            "--header",
            f"Authorization: Token {token}",
            "--max-examples",
            "8",
            "--checks",
            "not_a_server_error,status_code_conformance",
            "--phases",
            "examples,fuzzing",
            "--seed",
            "2569",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_ctrl_c_stops_web_worker_and_beat(running_system):
    process, base, var_dir, log = running_system
    worker_pid = int((var_dir / "run" / "worker.pid").read_text())
    beat_pid = int((var_dir / "run" / "beat.pid").read_text())
    process.send_signal(signal.SIGINT)
    # The worker finishes the task it holds first (a warm shutdown). Which of the three was
    # still up is said if they do not stop.
    try:
        assert process.wait(timeout=150) == 0
    except subprocess.TimeoutExpired:
        still = {
            "worker": alive(worker_pid),
            "beat": alive(beat_pid),
            "web": answers(f"{base}/healthz"),
        }
        tail = Path(log.name).read_text()[-2000:]
        pytest.fail(f"bin/run did not stop within 150 s; still up: {still}\n{tail}")
    deadline = time.monotonic() + 20
    while (alive(worker_pid) or alive(beat_pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(worker_pid)
    assert not alive(beat_pid)
    assert not answers(f"{base}/healthz")
    assert "Stopped." in Path(log.name).read_text()
