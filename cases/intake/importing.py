"""The all-or-nothing import of a confirmed intake file."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ActionForbidden

from ..models import Case, IntakeBatch, Operation, Person
from ..services import DocumentInput, person_create
from ..workflow import IntakeBatchStatus
from .batch import batch_fail
from .progress import PROGRESS_EVERY, progress_clear, progress_set

logger = logging.getLogger(__name__)


class RowFailed(Exception):
    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row = row
        self.message = message


def _import_row(entry: dict, *, actor: User, operation: Operation, linked: dict) -> Case:
    data = entry["data"]
    if data.get("link_person_id"):
        person = linked[data["link_person_id"]]
    else:
        born = data["date_of_birth"]
        person = person_create(
            actor=actor,
            sex=data["sex"],
            name_th=data["name_th"],
            name_latin=data["name_latin"],
            name_native=data["name_native"],
            aliases=data["aliases"],
            date_of_birth=dt.date.fromisoformat(born) if born else None,
            estimated_age=data["estimated_age"],
            age_disputed=data["age_disputed"],
            nationality=data["nationality"],
            stateless=data["stateless"],
            languages=data["languages"],
            documents=[DocumentInput(**document) for document in data["documents"]],
        )
    # Looked up on the package: a test replaces `cases.intake.case_open` to fail a row midway.
    from cases import intake

    return intake.case_open(
        actor=actor,
        person=person,
        intake_channel=data["intake_channel"],
        intake_date=dt.date.fromisoformat(data["intake_date"]),
        intake_province=operation.province,
        exploitation_types=data["exploitation_types"],
        risk_level=data["risk_level"],
        operation=operation,
    )


def _import_rows(batch_id: int) -> IntakeBatch:
    # The lock keeps a redelivered task waiting until this one has finished, then it sees
    # `done` and stops.
    batch = (
        IntakeBatch.objects.select_for_update()
        .select_related("operation__province", "operation__organisation", "uploaded_by")
        .get(pk=batch_id)
    )
    if batch.status != IntakeBatchStatus.IMPORTING:
        return batch
    actor, operation = batch.uploaded_by, batch.operation
    linked = Person.objects.in_bulk(
        [
            entry["data"]["link_person_id"]
            for entry in batch.rows
            if entry["data"].get("link_person_id")
        ]
    )
    case_ids = []
    for done, entry in enumerate(batch.rows, start=1):
        try:
            case = _import_row(entry, actor=actor, operation=operation, linked=linked)
        except (ValidationError, ActionForbidden) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise RowFailed(entry["row"], " ".join(messages)) from error
        except Exception as error:
            raise RowFailed(entry["row"], "") from error
        case_ids.append(case.pk)
        if done % PROGRESS_EVERY == 0:
            progress_set(batch.pk, done)
    # `done` is saved with the cases it created, in the same transaction: a crash after the
    # commit can then never leave a batch that looks unfinished and would be imported twice.
    batch.status = IntakeBatchStatus.DONE
    batch.processed = len(case_ids)
    batch.case_ids = case_ids
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "processed", "case_ids", "finished_at"])
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=batch,
        changes={"status": IntakeBatchStatus.DONE, "cases": len(case_ids)},
    )
    return batch


def intake_import(*, batch_id: int) -> IntakeBatch:
    """Register every person and open every case of a confirmed batch, all or nothing.

    Side effects, in one transaction: for each row, person_create (a Person, its identity
    document, an AuditEvent) unless the row is linked to an existing person, then case_open
    (a Case in the operation with the next case number, a CaseEvent, an AuditEvent), as the
    uploader; the batch becomes `done` with its case ids. Progress goes to the cache every
    PROGRESS_EVERY rows. When any row fails, everything is rolled back and the batch becomes
    `failed` with the row and the reason, in the uploader's language.
    """
    batch = IntakeBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    if batch.status != IntakeBatchStatus.IMPORTING:
        return batch
    with translation.override(batch.uploaded_by.language):
        try:
            with transaction.atomic():
                batch = _import_rows(batch_id)
        except RowFailed as failure:
            if failure.message:
                message = _("Row %(row)s: %(error)s Nothing was saved.") % {
                    "row": failure.row,
                    "error": failure.message,
                }
            else:
                logger.exception("Intake batch %s failed at row %s", batch_id, failure.row)
                message = _(
                    "The import stopped at row %(row)s because of a system error. Nothing was "
                    "saved; upload the file again later, or tell your administrator."
                ) % {"row": failure.row}
            batch = batch_fail(batch_id, message)
        except Exception:
            logger.exception("Intake batch %s failed", batch_id)
            batch = batch_fail(
                batch_id,
                _(
                    "The import stopped because of a system error. Nothing was saved; upload "
                    "the file again later, or tell your administrator."
                ),
            )
    progress_clear(batch_id)
    return batch
