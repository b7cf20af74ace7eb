"""The all-or-nothing import of a confirmed intake file."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ActionForbidden
from notifications.matrix import Audience, announce

from ..models import Case, IntakeBatch, Person
from ..selectors import person_list_visible_to
from ..services import (
    DocumentInput,
    Registration,
    RegistrationRefused,
    person_identity_add,
)
from ..workflow import OPEN_CASE_STATES, IntakeBatchStatus
from .batch import batch_fail
from .progress import PROGRESS_EVERY, progress_clear, progress_set

logger = logging.getLogger(__name__)


class RowFailed(Exception):
    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row = row
        self.message = message


def _names(data: dict) -> list[str]:
    return [data["name_th"], data["name_latin"], data["name_native"], *data["aliases"]]


def _documents(data: dict) -> list[DocumentInput]:
    return [DocumentInput(**document) for document in data["documents"]]


def _registration(data: dict, person: Person | None) -> Registration:
    """What services.operation_persons_register needs of a row: its person when linked to one
    on record, else the new person's details and documents; its case and custody start."""
    case = {
        "intake_channel": data["intake_channel"],
        "intake_date": dt.date.fromisoformat(data["intake_date"]),
        "exploitation_types": data["exploitation_types"],
        "risk_level": data["risk_level"],
        "custody_started_at": dt.datetime.fromisoformat(data["custody_started_at"]),
    }
    if person is not None:
        return Registration(person=person, **case)
    born = data["date_of_birth"]
    details = {
        "sex": data["sex"],
        "name_th": data["name_th"],
        "name_latin": data["name_latin"],
        "name_native": data["name_native"],
        "aliases": data["aliases"],
        "date_of_birth": dt.date.fromisoformat(born) if born else None,
        "estimated_age": data["estimated_age"],
        "age_disputed": data["age_disputed"],
        "nationality": data["nationality"],
        "stateless": data["stateless"],
        "languages": data["languages"],
    }
    return Registration(details=details, documents=_documents(data), **case)


def _for_row(row: int, step, **arguments):
    """step(**arguments) for one row of the file, its failure told with the row's number."""
    try:
        return step(**arguments)
    except (ValidationError, ActionForbidden) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise RowFailed(row, " ".join(messages)) from error
    except Exception as error:
        raise RowFailed(row, "") from error


def _import_rows(batch_id: int) -> IntakeBatch:
    """Register the batch's rows PROGRESS_EVERY at a time: a row linked to a person on record
    adds its spellings and documents to them first (and opens no second case for someone who
    has one open in the operation: the same file imported again); then the rows merged into
    another row add theirs to that row's person."""
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
    # Looked up on the package: a test replaces it to refuse a registration midway.
    from cases import intake

    persons: dict[int, Person] = {}
    case_of_row: dict[int, Case] = {}
    entries = [entry for entry in batch.rows if not entry["data"].get("merge_into")]
    for start in range(0, len(entries), PROGRESS_EVERY):
        rows, registrations = [], []
        for entry in entries[start : start + PROGRESS_EVERY]:
            row, data, person = entry["row"], entry["data"], None
            if data.get("link_person_id"):
                person = persons[row] = _for_row(
                    row,
                    person_identity_add,
                    person=linked[data["link_person_id"]],
                    actor=actor,
                    names=_names(data),
                    documents=_documents(data),
                )
                if person.cases.filter(operation=operation, status__in=OPEN_CASE_STATES).exists():
                    continue
            rows.append(row)
            registrations.append(_registration(data, person))
        try:
            cases = intake.operation_persons_register(
                actor=actor, operation=operation, registrations=registrations
            )
        except RegistrationRefused as refused:
            raise RowFailed(rows[refused.index], " ".join(refused.messages)) from refused
        for row, case in zip(rows, cases, strict=True):
            persons[row] = case.person
            case_of_row[row] = case
        progress_set(batch.pk, min(start + PROGRESS_EVERY, len(entries)))
    for entry in batch.rows:
        if into := entry["data"].get("merge_into"):
            _for_row(
                entry["row"],
                person_identity_add,
                person=persons[into],
                actor=actor,
                names=_names(entry["data"]),
                documents=_documents(entry["data"]),
            )
    # `done` is saved with the cases it created, in the same transaction: a crash after the
    # commit can then never leave a batch that looks unfinished and would be imported twice.
    batch.status = IntakeBatchStatus.DONE
    batch.processed = len(batch.rows)
    batch.case_ids = [case.pk for case in case_of_row.values()]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "processed", "case_ids", "finished_at", "updated_at"])
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=batch,
        changes={"status": IntakeBatchStatus.DONE, "cases": len(batch.case_ids)},
    )
    _report_matches_elsewhere(batch, case_of_row)
    return batch


def _report_matches_elsewhere(batch: IntakeBatch, case_of_row: dict[int, Case]) -> None:
    """Rows that may be persons of other offices, whom the uploader was not shown: the central
    division is told, once for the file, by case number."""
    matched = {m["person_id"] for matches in batch.duplicates.values() for m in matches}
    visible = set(
        person_list_visible_to(user=batch.uploaded_by)
        .filter(pk__in=matched)
        .values_list("pk", flat=True)
    )
    numbers = [
        case_of_row[int(row)].number
        for row, matches in sorted(batch.duplicates.items(), key=lambda item: int(item[0]))
        if int(row) in case_of_row and any(m["person_id"] not in visible for m in matches)
    ]
    if numbers:
        announce(
            "intake.matches_elsewhere",
            to={Audience.CENTRAL: central_reviewers()},
            link=reverse("cases:list") + f"?q={numbers[0]}",
            file=batch.file_name,
            count=len(numbers),
            numbers=", ".join(numbers[:10]) + (" …" if len(numbers) > 10 else ""),
        )


def intake_import(*, batch_id: int) -> IntakeBatch:
    """Register every person, open every case and start every identification of a confirmed
    batch, all or nothing: each s.29 deadline exists the moment the import commits.

    Side effects, in one transaction, as the uploader: for a row linked to an existing person,
    person_identity_add (its new spellings as aliases, its new documents, an AuditEvent); for
    the rows, PROGRESS_EVERY at a time, services.operation_persons_register, which does what
    person_create does for a new person (a Person, its identity document, an AuditEvent),
    case_open (a Case in the operation with the next case number, a CaseEvent, an AuditEvent)
    and screening_start from the row's custody start (a Screening, its identification
    Deadline, a CaseEvent, an AuditEvent). A row merged into another only adds its names and
    documents to that row's person. The batch becomes `done` with its case ids. Progress goes
    to the cache after each PROGRESS_EVERY rows. When any row fails, everything is rolled back
    and the batch becomes `failed` with the row and the reason, in the uploader's language.
    """
    batch = IntakeBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    if batch.status != IntakeBatchStatus.IMPORTING:
        return batch
    with translation.override(batch.uploaded_by.language):
        try:
            with transaction.atomic():
                batch = _import_rows(batch_id)
                if batch.status == IntakeBatchStatus.DONE:
                    _announce("intake.imported", batch, count=len(batch.case_ids))
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
    if batch.status == IntakeBatchStatus.FAILED:
        _announce("intake.failed", batch)
    progress_clear(batch_id)
    return batch


def _announce(event: str, batch: IntakeBatch, **fields) -> None:
    """The uploader may have left the progress page: a big file takes minutes."""
    announce(
        event,
        to={Audience.UPLOADER: [batch.uploaded_by]},
        link=reverse("cases:intake_progress", args=[batch.operation_id, batch.pk]),
        file=batch.file_name,
        **fields,
    )
