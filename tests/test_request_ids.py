"""One id follows a click through the logs: every response carries `X-Request-ID`, every log
line of the request has it (one JSON object a line in production), and a task the request
queued logs with the same id on the worker."""

import io
import json
import logging
import logging.config
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from celery import shared_task
from django.conf import settings as django_settings

from core.logs import HEADER, RequestIdFilter, request_id
from core.queueing import enqueue
from nrm.celery import app

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger("tests.request_ids")


@shared_task(ignore_result=True)
def note_in_log(text: str) -> None:
    logger.info("worker says %s", text)


@pytest.fixture
def json_log():
    """The production handler (settings.LOGGING's JSON formatter and request-id filter) on the
    root logger, writing into a buffer: the lines a log collector would read."""
    config = django_settings.LOGGING
    formatter = logging.config.DictConfigurator({}).configure_custom(
        dict(config["formatters"]["json"])
    )
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line]

    yield lines
    root.removeHandler(handler)
    root.setLevel(previous)


def test_every_response_has_a_request_id_and_a_proxys_is_kept(client):
    fresh = client.get("/healthz")["X-Request-ID"]
    assert len(fresh) == 32 and fresh != client.get("/healthz")["X-Request-ID"]
    given = "lb-7f3a9c1e-0001"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


def test_a_forged_request_id_cannot_write_into_the_log(client, json_log):
    forged = 'x"\n{"level": "CRITICAL"}'
    response = client.get("/no/such/page/", HTTP_X_REQUEST_ID=forged)
    assert response["X-Request-ID"] != forged
    [line] = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["request_id"] == response["X-Request-ID"]


def test_a_requests_log_lines_are_json_with_its_id(client, json_log):
    response = client.get("/no/such/page/")
    [line] = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no/such/page/"
    assert line["request_id"] == response["X-Request-ID"]
    assert "time" in line


def test_an_expected_refusal_is_one_line_without_a_traceback(client, staff_kredtrakarn, caplog):
    """A 403 (PermissionDenied) is the system working: a warning line, not a traceback."""
    client.force_login(staff_kredtrakarn)
    with caplog.at_level(logging.INFO):
        response = client.get("/shelters/mine/coming/")  # the director's part of the board
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "Forbidden (Permission denied): /shelters/mine/coming/"
    assert not record.exc_info and "Traceback" not in caplog.text


def test_an_expected_refusal_is_written_once(client, staff_kredtrakarn, json_log):
    """Through the root's handler alone: Django's own console handler (DEBUG) wrote it twice."""
    client.force_login(staff_kredtrakarn)
    assert client.get("/shelters/mine/coming/").status_code == 403
    refusals = [line for line in json_log() if line["logger"] == "django.request"]
    assert len(refusals) == 1
    assert not logging.getLogger("django").handlers


def test_a_server_error_is_still_logged_with_its_traceback(
    client, director_kredtrakarn, caplog, monkeypatch
):
    def broken(user):
        raise RuntimeError("the board broke")

    monkeypatch.setattr("shelters.views.selectors.shelter_and_sections", broken)
    client.force_login(director_kredtrakarn)
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        response = client.get("/shelters/mine/coming/")
    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR and record.exc_info
    assert "RuntimeError: the board broke" in caplog.text


@pytest.mark.slow
@pytest.mark.integration
def test_a_task_queued_by_a_request_logs_with_the_requests_id_on_the_worker(settings, tmp_path):
    # The broker is REDIS_URL's database; a real worker process takes the task from it.
    click = uuid.uuid4().hex
    token = request_id.set(click)  # what RequestIdMiddleware does for the request's duration
    try:
        assert enqueue(note_in_log, "hello")
    finally:
        request_id.reset(token)
    with app.connection_for_read() as connection:
        raw = connection.default_channel.client.lindex("celery", -1)
    assert json.loads(raw)["headers"][HEADER] == click

    log = tmp_path / "worker.log"
    environment = {**os.environ, "LOG_FORMAT": "json"}
    with open(log, "w") as output:
        worker = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/celery"),
                "-A",
                "nrm",
                "worker",
                "--pool",
                "solo",
                "--include",
                "tests.test_request_ids",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            said = []
            for _ in range(300):
                lines = [
                    json.loads(line)
                    for line in log.read_text().splitlines()
                    if line.startswith("{")
                ]
                said = [line for line in lines if line["message"] == "worker says hello"]
                if said or worker.poll() is not None:
                    break
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert said, log.read_text()[-3000:]
    assert said[0]["request_id"] == click
    succeeded = [line for line in lines if "succeeded" in line["message"]]
    assert succeeded and succeeded[0]["request_id"] == click
    # The worker's own lines, outside a task, are nobody's request.
    assert {line["request_id"] for line in lines if line["logger"].endswith("connection")} <= {"-"}
