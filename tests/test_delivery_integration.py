"""E-mail delivery against real processes: a Redis server of our own as the broker, a Celery
worker process (the one a deployment runs) and a local SMTP sink.

- A submitted referral reaches the receiving shelter's director by e-mail: the web side queues
  the outbox task after commit, the worker takes it from Redis and sends it to the sink.
- With Redis stopped, a referral is still submitted and saved (the e-mail waits in the outbox);
  once Redis is back, the periodic flush sends it, exactly once.

The machine's shared Redis is never touched: each test starts (and stops, by its own process) a
redis-server on a free port. The worker uses the test database, so the tests are transactional.
"""

import email
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from email.header import decode_header, make_header
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from kombu import pools

from notifications.models import Delivery
from notifications.tasks import deliver_outbox
from nrm.celery import app
from referrals.models import Referral
from tests.factories import referral_in_state, register_case

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = "/usr/bin/redis-server"
WORKER_START_SECONDS = 45
MAIL_SECONDS = 30
DELIVERED = re.compile(
    r"Task notifications\.tasks\.deliver_outbox\[[^\]]+\] succeeded in [\d.e-]+s: (\d+)"
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, seconds: float, what: str, check=None):
    """Poll `predicate` until it returns something true; `check` raises if a process died."""
    deadline = time.monotonic() + seconds
    while True:
        if check is not None:
            check(what)
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.1)


# --- The SMTP sink --------------------------------------------------------------------------
class Sink:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        # The Thai subject comes folded in RFC 2047 encoded words.
        subject = str(make_header(decode_header(message["Subject"])))
        self.messages.append((list(envelope.rcpt_tos), subject, message))
        return "250 Message accepted for delivery"

    def to(self, address: str, containing: str) -> list[str]:
        """Subjects of the messages to `address` whose subject contains `containing`."""
        return [
            subject
            for recipients, subject, _message in self.messages
            if address in recipients and containing in subject
        ]


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    try:
        yield sink
    finally:
        controller.stop()


# --- Our own Redis --------------------------------------------------------------------------
class RedisServer:
    """A throw-away redis-server (no persistence) that a test may stop and start again on the
    same port."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        try:
            return client.ping()
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def _alive(self, what: str) -> None:
        if self.process.poll() is not None:
            log = (self.directory / "redis.log").read_text()
            raise AssertionError(f"redis-server exited before {what}:\n{log}")

    def start(self) -> None:
        log = (self.directory / "redis.log").open("a")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            cwd=self.directory,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for(self._answers, 10, f"redis-server on port {self.port}", self._alive)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def redis_server(tmp_path):
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- This process publishes to our Redis ----------------------------------------------------
def _forget_broker_connections() -> None:
    """Close the pooled broker connections and drop the pools, so the next publish connects to
    whatever app.conf.broker_url now says. kombu keeps its pools in global registries keyed by
    the connection: reset() closes them and empties the registries (closing one pool in place
    would leave a closed pool registered, which refuses to be used again)."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def publisher(redis_server, settings):
    """The Celery app of this (web) process, publishing to our Redis for the test's duration."""
    previous = app.conf.broker_url
    settings.CELERY_BROKER_URL = redis_server.url
    _forget_broker_connections()
    app.conf.broker_url = redis_server.url
    try:
        assert deliver_outbox.app is app
        with app.connection_for_write() as broker:
            assert (broker.transport_cls, broker.hostname, broker.port) == (
                "redis",
                "127.0.0.1",
                redis_server.port,
            )
        yield app
    finally:
        app.conf.broker_url = previous
        _forget_broker_connections()


# --- The Celery worker process --------------------------------------------------------------
class Worker:
    def __init__(self, process, log: Path):
        self.process = process
        self.log = log

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self, what: str) -> None:
        if self.process.poll() is not None:
            raise AssertionError(
                f"the worker exited ({self.process.returncode}) before {what}:\n{self.text()}"
            )

    def wait_for(self, predicate, seconds: float, what: str):
        try:
            return wait_for(predicate, seconds, what, self.alive)
        except AssertionError as error:
            if "timed out" in str(error):
                raise AssertionError(f"{error}; worker log:\n{self.text()}") from None
            raise

    def connections(self) -> int:
        return self.text().count("Connected to redis://")

    def deliveries(self) -> list[int]:
        """The return value (e-mails sent) of each deliver_outbox run so far."""
        return [int(sent) for sent in DELIVERED.findall(self.text())]

    def kill(self) -> None:
        """As the kernel's OOM killer or a lost machine would: no chance to clean up."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def worker_database_url() -> str:
    """The URL of the test database (test_<name>) that this process is using."""
    db = connection.settings_dict
    assert db["NAME"].startswith("test_"), db["NAME"]
    credentials = db["USER"] or "postgres"
    if db["PASSWORD"]:
        credentials += f":{db['PASSWORD']}"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def start_worker(redis_server, smtp_sink, directory: Path, **extra_env: str) -> Worker:
    """`celery -A nrm worker` on the test database, our Redis and the SMTP sink, ready (with
    `extra_env` added to its environment)."""
    var_dir = directory / "var"
    var_dir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(
        DEBUG="1",
        DATABASE_URL=worker_database_url(),
        REDIS_URL=redis_server.url,
        # Plain SMTP (the smtp:// scheme sets neither EMAIL_USE_TLS nor EMAIL_USE_SSL).
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}",
        NRM_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
        **extra_env,
    )
    log_path = directory / f"worker-{time.monotonic_ns()}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "nrm",
                "worker",
                "-P",
                "solo",
                "-l",
                "info",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    running = Worker(process, log_path)
    try:
        running.wait_for(
            lambda: re.search(r"celery@\S+ ready\.", running.text()),
            WORKER_START_SECONDS,
            "the worker to be ready",
        )
        # kombu masks the (empty) password: "Connected to redis://:**@127.0.0.1:<port>/0".
        assert re.search(
            rf"Connected to redis://\S*127\.0\.0\.1:{redis_server.port}/0", running.text()
        )
    except BaseException:
        running.stop()
        raise
    return running


@pytest.fixture
def worker(transactional_db, redis_server, smtp_sink, tmp_path):
    running = start_worker(redis_server, smtp_sink, tmp_path)
    try:
        yield running
    finally:
        running.stop()


# --- The tests ------------------------------------------------------------------------------
REASON = "ต้องการที่พักปลอดภัย"


def director_delivery(referral, director) -> Delivery:
    return Delivery.objects.get(
        notification__recipient=director, notification__link=referral.get_absolute_url()
    )


def test_a_worker_sends_the_director_the_e_mail_of_a_submitted_referral(
    publisher, worker, smtp_sink, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    referral = referral_in_state(worker_chiangmai, "submitted", reason=REASON)
    case = referral.case

    # The commit queued deliver_outbox on our Redis; the worker took it from there.
    worker.wait_for(
        lambda: "Task notifications.tasks.deliver_outbox[" in worker.text(),
        MAIL_SECONDS,
        "the worker to receive deliver_outbox",
    )
    subjects = worker.wait_for(
        lambda: smtp_sink.to(director_kredtrakarn.email, case.number),
        MAIL_SECONDS,
        f"the e-mail to {director_kredtrakarn.email}",
    )
    worker.wait_for(
        lambda: smtp_sink.to(central_reviewer.email, case.number),
        MAIL_SECONDS,
        f"the e-mail to {central_reviewer.email}",
    )
    worker.wait_for(worker.deliveries, MAIL_SECONDS, "deliver_outbox to finish")

    assert len(subjects) == 1
    assert subjects[0].startswith("[NRM]")
    assert len(smtp_sink.to(director_kredtrakarn.email, "")) == 1
    delivery = director_delivery(referral, director_kredtrakarn)
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)
    assert delivery.sent_at is not None


def test_a_referral_submitted_while_redis_is_down_is_mailed_once_when_redis_is_back(
    publisher,
    worker,
    redis_server,
    smtp_sink,
    caplog,
    worker_chiangmai,
    director_kredtrakarn,
):
    director = director_kredtrakarn.email
    # Redis is up: the first referral goes out at once (and this process holds a pooled
    # connection to Redis, as a web process would when Redis goes away).
    first_case = referral_in_state(worker_chiangmai, "submitted", reason=REASON).case
    worker.wait_for(
        lambda: smtp_sink.to(director, first_case.number), MAIL_SECONDS, "the first e-mail"
    )
    worker.wait_for(worker.deliveries, MAIL_SECONDS, "the first deliver_outbox to finish")

    # Redis goes down. The referral is still submitted and saved; the e-mail waits.
    connections_before = worker.connections()
    redis_server.stop()
    second_case = register_case(worker_chiangmai, estimated_age=31)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.queueing"):
        referral = referral_in_state(worker_chiangmai, "submitted", case=second_case, reason=REASON)
    submit_seconds = time.monotonic() - started
    print(f"referral submitted with Redis down in {submit_seconds:.2f} s")
    assert submit_seconds < 10, f"submitting with Redis down took {submit_seconds:.1f} s"
    assert "could not send notifications.tasks.deliver_outbox now" in caplog.text
    saved = Referral.objects.get(pk=referral.pk)
    assert saved.state == "submitted"
    assert director_delivery(referral, director_kredtrakarn).state == Delivery.State.PENDING
    assert smtp_sink.to(director, second_case.number) == []

    # Redis is back on the same port, empty: the worker reconnects by itself, and the
    # periodic flush (queued here as beat would) sends what waited.
    redis_server.start()
    worker.wait_for(
        lambda: worker.connections() > connections_before,
        MAIL_SECONDS,
        "the worker to reconnect to Redis",
    )
    runs = len(worker.deliveries())
    deliver_outbox.apply_async()
    sent = worker.wait_for(
        lambda: worker.deliveries()[runs:], MAIL_SECONDS, "the flush after the outage"
    )
    assert sent == [1]
    assert len(smtp_sink.to(director, second_case.number)) == 1

    # Exactly once: another flush finds nothing left to send.
    deliver_outbox.apply_async()
    sent = worker.wait_for(
        lambda: worker.deliveries()[runs + 1 :], MAIL_SECONDS, "the second flush"
    )
    assert sent == [0]
    assert len(smtp_sink.to(director, second_case.number)) == 1
    assert len(smtp_sink.to(director, first_case.number)) == 1
    assert len(smtp_sink.messages) == 2
    delivery = director_delivery(referral, director_kredtrakarn)
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)
