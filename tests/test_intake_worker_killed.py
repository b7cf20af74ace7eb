"""A worker killed in the middle of a mass intake (issue 24, ACCEPTANCE journey 10): nothing is
half-written, the batch is not left "importing" for the broker's hour, and the worker retries
it from the progress page to completion on a new worker. Real processes: our own redis-server
as the broker, `celery worker` on the test database, killed with SIGKILL."""

import datetime as dt
import time
from contextlib import contextmanager

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from cases import intake, services
from cases.models import Case, CaseNumberCounter, IntakeBatch, Person, Screening
from tests.test_delivery_integration import (  # noqa: F401 (fixtures)
    publisher,
    redis_server,
    smtp_sink,
    start_worker,
    wait_for,
)
from tests.test_intake import CUSTODY, csv_upload, upload
from tests.test_surge_intake import HEADER, made_up_name, row

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROWS = 150  # two rounds of the import's registration (intake.PROGRESS_EVERY rows at a time)


@contextmanager
def case_numbers_held(province_code: str):
    """Another connection's transaction holding the lock on the province's case number counter:
    an import waits at its first case numbers, in the middle of its transaction, until then."""
    counter, _created = CaseNumberCounter.objects.get_or_create(
        year_be=timezone.localdate().year + 543, province_code=province_code
    )
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM cases_casenumbercounter WHERE id = %s FOR UPDATE", [counter.pk]
            )
        yield
    finally:
        other.rollback()
        other.close()


def rows():
    return [row(made_up_name(n), sex="male" if n % 2 else "female") for n in range(ROWS)]


def test_a_killed_import_leaves_nothing_and_is_retried_to_completion(
    client, worker_chiangmai, tmp_path, request
):
    broker, sink = request.getfixturevalue("redis_server"), request.getfixturevalue("smtp_sink")
    request.getfixturevalue("publisher")  # this process queues to that broker
    operation = services.operation_create(
        actor=worker_chiangmai,
        name="ปฏิบัติการสแกมเมอร์",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 20),
        custody_started_at=CUSTODY,
    )
    client.force_login(worker_chiangmai)
    upload(client, operation, csv_upload(rows(), header=HEADER))
    batch = IntakeBatch.objects.get()
    assert not batch.errors, batch.errors[:3]

    first = start_worker(broker, sink, tmp_path)
    province_code = operation.province.code
    try:
        with case_numbers_held(province_code):
            client.post(reverse("cases:intake_confirm", args=[operation.pk, batch.pk]))
            # The import holds the batch's row for its whole transaction: it is under way.
            later = timezone.now() + dt.timedelta(minutes=4)
            first.wait_for(
                lambda: not intake.intake_stalled(IntakeBatch.objects.get(pk=batch.pk), now=later),
                30,
                "the import to start",
            )
            time.sleep(1)  # its first persons written, it waits for its case numbers
            assert "succeeded" not in first.text()  # killed in the middle, not after
            first.kill()
    finally:
        first.stop()
    batch.refresh_from_db()
    assert batch.status == "importing"
    # Nothing half-written.
    assert not Person.objects.exists() and not Case.objects.exists()
    assert not Screening.objects.exists()

    # Minutes later the progress page offers to import again (no transaction holds the batch).
    wait_for(lambda: intake.intake_stalled(batch, now=later), 10, "the dead import's lock to go")
    IntakeBatch.objects.filter(pk=batch.pk).update(
        importing_since=timezone.now() - dt.timedelta(minutes=4)
    )
    status = reverse("cases:intake_progress_status", args=[operation.pk, batch.pk])
    assert 'data-testid="stalled"' in client.get(status).content.decode()

    second = start_worker(broker, sink, tmp_path)
    try:
        client.post(reverse("cases:intake_retry", args=[operation.pk, batch.pk]))
        second.wait_for(
            lambda: IntakeBatch.objects.get(pk=batch.pk).status != "importing",
            120,
            "the retried import to finish",
        )
    finally:
        second.stop()
    batch.refresh_from_db()
    assert batch.status == "done", batch.failure_message
    assert Case.objects.filter(operation=operation).count() == ROWS
    assert Screening.objects.filter(case__operation=operation).count() == ROWS
