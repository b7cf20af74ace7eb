"""The all-or-nothing import of a confirmed intake file."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ActionForbidden
from notifications.matrix import Audience, announce

from ..models import Case, IntakeBatch, Operation, Person
from ..selectors import person_list_visible_to
from ..services import DocumentInput, person_create, person_identity_add, screening_start
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


def _import_row(
    entry: dict, *, actor: User, operation: Operation, persons: dict[int, Person], linked: dict
) -> Case | None:
    """One row: its person (registered, linked, or the person of the row it is merged into,
    who keeps its other names and documents), then, unless merged, its case and the start of
    its identification from the row's custody start. A person linked who already has an open
    case in this operation (the same file imported again) gets no second one."""
    data = entry["data"]
    documents = [DocumentInput(**document) for document in data["documents"]]
    if data.get("merge_into"):
        person_identity_add(
            person=persons[data["merge_into"]],
            actor=actor,
            names=_names(data),
            documents=documents,
        )
        return None
    if data.get("link_person_id"):
        person = person_identity_add(
            person=linked[data["link_person_id"]],
            actor=actor,
            names=_names(data),
            documents=documents,
        )
        if person.cases.filter(operation=operation, status__in=OPEN_CASE_STATES).exists():
            persons[entry["row"]] = person
            return None
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
            documents=documents,
        )
    persons[entry["row"]] = person
    # Looked up on the package: a test replaces `cases.intake.case_open` to fail a row midway.
    from cases import intake

    case = intake.case_open(
        actor=actor,
        person=person,
        intake_channel=data["intake_channel"],
        intake_date=dt.date.fromisoformat(data["intake_date"]),
        intake_province=operation.province,
        exploitation_types=data["exploitation_types"],
        risk_level=data["risk_level"],
        operation=operation,
    )
    screening_start(
        case_id=case.pk,
        actor=actor,
        custody_started_at=dt.datetime.fromisoformat(data["custody_started_at"]),
    )
    return case


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
    case_of_row: dict[int, Case] = {}
    persons: dict[int, Person] = {}
    for done, entry in enumerate(batch.rows, start=1):
        try:
            case = _import_row(
                entry, actor=actor, operation=operation, persons=persons, linked=linked
            )
        except (ValidationError, ActionForbidden) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise RowFailed(entry["row"], " ".join(messages)) from error
        except Exception as error:
            raise RowFailed(entry["row"], "") from error
        if case is not None:
            case_ids.append(case.pk)
            case_of_row[entry["row"]] = case
        if done % PROGRESS_EVERY == 0:
            progress_set(batch.pk, done)
    # `done` is saved with the cases it created, in the same transaction: a crash after the
    # commit can then never leave a batch that looks unfinished and would be imported twice.
    batch.status = IntakeBatchStatus.DONE
    batch.processed = len(batch.rows)
    batch.case_ids = case_ids
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "processed", "case_ids", "finished_at"])
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=batch,
        changes={"status": IntakeBatchStatus.DONE, "cases": len(case_ids)},
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

    Side effects, in one transaction, as the uploader: for each row, person_create (a Person,
    its identity document, an AuditEvent), or for a row linked to an existing person
    person_identity_add (its new spellings as aliases, its new documents, an AuditEvent); then
    case_open (a Case in the operation with the next case number, a CaseEvent, an AuditEvent)
    and screening_start from the row's custody start (a Screening, its identification
    Deadline, a CaseEvent, an AuditEvent). A row merged into another only adds its names and
    documents to that row's person. The batch becomes `done` with its case ids. Progress goes
    to the cache every PROGRESS_EVERY rows. When any row fails, everything is rolled back and
    the batch becomes `failed` with the row and the reason, in the uploader's language.
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
