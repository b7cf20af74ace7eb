"""An intake whose worker is lost is never left stuck (issue 24): some minutes after the import
was asked, with no import holding the batch, the progress page offers to import again or to
stop; a retry imports the file to completion, a stop fails it with nothing saved; a running
import cannot be retried or stopped under it; an import abandoned for a day is purged with its
rows."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import intake
from cases.models import Case, IntakeBatch
from core.domain import TransitionNotAllowed
from tests.test_intake import GOOD_ROWS, csv_upload, upload


@pytest.fixture
def operation(worker_chiangmai):
    from cases import services
    from tests.test_intake import CUSTODY

    return services.operation_create(
        actor=worker_chiangmai,
        name="ปฏิบัติการแม่สอด",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 20),
        custody_started_at=CUSTODY,
    )


def confirmed_but_never_imported(client, worker, operation) -> IntakeBatch:
    """The worker confirms; the task is queued and the worker running it is killed before it
    commits (nothing ran: the task never reaches this test's eager queue)."""
    client.force_login(worker)
    upload(client, operation, csv_upload(GOOD_ROWS))
    batch = IntakeBatch.objects.get()
    intake.intake_confirm(batch_id=batch.pk, actor=worker)
    batch.refresh_from_db()
    assert batch.status == "importing"
    return batch


def minutes_ago(batch, minutes):
    IntakeBatch.objects.filter(pk=batch.pk).update(
        importing_since=timezone.now() - dt.timedelta(minutes=minutes)
    )
    batch.refresh_from_db()


def progress(client, batch):
    url = reverse("cases:intake_progress_status", args=[batch.operation_id, batch.pk])
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_a_lost_import_is_retried_by_the_user_to_completion(
    client, worker_chiangmai, operation, settings, django_capture_on_commit_callbacks
):
    batch = confirmed_but_never_imported(client, worker_chiangmai, operation)
    assert 'data-testid="stalled"' not in progress(client, batch)  # asked a moment ago
    with pytest.raises(TransitionNotAllowed):
        intake.intake_retry(batch_id=batch.pk, actor=worker_chiangmai)
    minutes_ago(batch, 4)
    assert 'data-testid="stalled"' in progress(client, batch)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:intake_retry", args=[operation.pk, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "done"
    assert Case.objects.filter(operation=operation).count() == len(GOOD_ROWS)


@pytest.mark.django_db
def test_a_lost_import_can_be_stopped_and_the_file_uploaded_again(
    client, worker_chiangmai, operation
):
    batch = confirmed_but_never_imported(client, worker_chiangmai, operation)
    minutes_ago(batch, 4)
    client.post(reverse("cases:intake_cancel", args=[operation.pk, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "failed" and not Case.objects.exists()
    assert "upload" in batch.failure_message.lower() or "อัปโหลด" in batch.failure_message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_running_import_is_not_taken_for_a_lost_one(client, worker_chiangmai, operation):
    """Another connection holds the batch's row, as a running import does."""
    assert connection.vendor == "postgresql"
    batch = confirmed_but_never_imported(client, worker_chiangmai, operation)
    minutes_ago(batch, 10)
    holding, release = threading.Event(), threading.Event()

    def running_import():
        with transaction.atomic():
            IntakeBatch.objects.select_for_update().get(pk=batch.pk)
            holding.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=running_import)
    worker.start()
    try:
        assert holding.wait(10)
        assert not intake.intake_stalled(batch)
        with pytest.raises(TransitionNotAllowed):
            intake.intake_cancel(batch_id=batch.pk, actor=worker_chiangmai)
    finally:
        release.set()
        worker.join()
    assert intake.intake_stalled(batch)


@pytest.mark.django_db
def test_an_import_abandoned_for_a_day_is_purged_with_its_rows(client, worker_chiangmai, operation):
    batch = confirmed_but_never_imported(client, worker_chiangmai, operation)
    minutes_ago(batch, 60)
    intake.intake_batches_purge()
    assert IntakeBatch.objects.filter(pk=batch.pk).exists()  # an hour: the user may still act
    minutes_ago(batch, 25 * 60)
    intake.intake_batches_purge()
    assert not IntakeBatch.objects.filter(pk=batch.pk).exists()
