"""An intake file's workflow: upload and check, confirm, fail, and the purge of old files; the
reads for its pages."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import TransitionNotAllowed, ensure
from core.queueing import enqueue

from ..duplicates import STRONG_MATCH
from ..models import IntakeBatch, Operation
from ..permissions import can_run_operation
from ..selectors import person_list_visible_to
from ..workflow import INTAKE_BATCH_TRANSITIONS, IntakeBatchStatus
from .checks import check_rows
from .progress import progress_set
from .reading import MAX_FILE_BYTES, read_table

logger = logging.getLogger(__name__)


def _ensure_office(actor: User, operation: Operation) -> None:
    ensure(
        can_run_operation(actor, operation),
        _("Only the provincial staff of the operation's office register its persons."),
    )


def intake_batch_create(*, actor: User, operation: Operation, uploaded_file) -> IntakeBatch:
    """Read and check an uploaded file and keep the result for the worker to review. No person
    or case is saved; a file that cannot be read raises ValidationError and leaves nothing.

    Side effects: an IntakeBatch (validated, with its rows, errors and possible duplicates) and
    an AuditEvent.
    """
    _ensure_office(actor, operation)
    if uploaded_file.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_FILE_BYTES >> 20},
            code="too_large",
        )
    file_name = uploaded_file.name or ""
    table = read_table(file_name=file_name, content=uploaded_file.read())
    if operation.custody_started_at is None and "custody_started_at" not in table.columns:
        raise ValidationError(
            _(
                "The operation does not record when its persons were taken into custody: add "
                "the column custody_started_at with the date and time for each person."
            ),
            code="custody",
        )
    result = check_rows(table, operation=operation, actor=actor)
    with transaction.atomic():
        batch = IntakeBatch.objects.create(
            operation=operation,
            uploaded_by=actor,
            file_name=file_name[:255],
            rows=result.rows,
            errors=result.errors,
            duplicates=result.duplicates,
            total=len(result.rows),
        )
        audit_record(
            action=AuditEvent.Action.CREATE,
            actor=actor,
            obj=batch,
            changes={"rows": batch.total, "errors": len(batch.errors)},
        )
    return batch


def _ensure_batch_move(batch: IntakeBatch, target: str) -> None:
    if target in INTAKE_BATCH_TRANSITIONS[batch.status]:
        return
    messages = {
        IntakeBatchStatus.IMPORTING: _("This file is already being imported."),
        IntakeBatchStatus.DONE: _("This file has already been imported."),
        IntakeBatchStatus.FAILED: _("The import of this file failed; upload the file again."),
    }
    raise TransitionNotAllowed(messages.get(batch.status, _("This cannot be done now.")))


def _matched_persons(batch: IntakeBatch) -> set[int]:
    return {match["person_id"] for matches in batch.duplicates.values() for match in matches}


def _suggested_links(
    batch: IntakeBatch, *, visible: set[int], merged: dict[int, int] | None = None
) -> dict[int, int]:
    """The person each row is linked to unless the worker says otherwise: the holder of its
    identity document, else its best match when it is strong (duplicates.STRONG_MATCH); only
    persons the worker may see, each for the first row that comes to them, and nothing for a
    row merged into another. A weaker match stays the worker's choice."""
    suggested: dict[int, int] = {}
    for entry in batch.rows:
        number = entry["row"]
        if number in (merged or {}):
            continue
        holder = entry["data"].get("document_holder")
        for match in batch.duplicates.get(str(number), []):
            person_id = match["person_id"]
            if holder is not None and person_id != holder:
                continue
            if holder is None and match["score"] < STRONG_MATCH:
                break
            if person_id in visible and person_id not in suggested.values():
                suggested[number] = person_id
                break
    return suggested


def _merges(batch: IntakeBatch, *, same_as: dict[int, int | None]) -> tuple[dict[int, int], list]:
    """The row each row is merged into (the first row of the person), from the worker's answer
    for every row that may repeat an earlier one: the same person as one of them, or a
    different person (not when they hold the same identity document); and what is wrong with
    the answers."""
    merged: dict[int, int] = {}
    problems = []
    for entry in batch.rows:
        number = entry["row"]
        earlier = {
            repeat["row"]: repeat
            for repeat in entry["data"].get("repeats", [])
            if repeat["row"] < number
        }
        if not earlier:
            continue
        if number not in same_as:
            problems.append(
                _("Row %(row)s may be the same person as row %(rows)s: say whether it is.")
                % {"row": number, "rows": ", ".join(map(str, sorted(earlier)))}
            )
        elif same_as[number] is None:
            if same := [row for row, repeat in earlier.items() if repeat["same_document"]]:
                problems.append(
                    _(
                        "Row %(row)s holds the same identity document as row %(other)s: they "
                        "can only be one person. Correct the file if they are not."
                    )
                    % {"row": number, "other": same[0]}
                )
        elif same_as[number] not in earlier:
            problems.append(_("Row %(row)s: this choice is not offered.") % {"row": number})
        else:
            # Rows come in order: the earlier row's own merge is known already.
            merged[number] = merged.get(same_as[number], same_as[number])
    return merged, problems


def _link_problems(
    batch: IntakeBatch, *, links: dict[int, int], merged: dict[int, int], visible: set[int]
) -> list[str]:
    """What is wrong with the worker's links: a person not offered for the row or not visible
    to them, one person linked from two rows, a row holding an existing person's document and
    not linked to that person (a merged row through the row it is merged into)."""
    offered = {
        int(row): {match["person_id"] for match in matches}
        for row, matches in batch.duplicates.items()
    }
    problems = []
    linked_rows: dict[int, int] = {}
    for row, person_id in sorted(links.items()):
        if person_id not in offered.get(row, set()) or person_id not in visible:
            problems.append(_("Row %(row)s: this person cannot be linked.") % {"row": row})
        elif person_id in linked_rows:
            problems.append(
                _("Rows %(first)s and %(second)s are linked to the same person.")
                % {"first": linked_rows[person_id], "second": row}
            )
        linked_rows.setdefault(person_id, row)
    for entry in batch.rows:
        holder = entry["data"].get("document_holder")
        if holder is not None and links.get(merged.get(entry["row"], entry["row"])) != holder:
            problems.append(
                _(
                    "Row %(row)s: the identity document is already on an existing person's "
                    "record; link the row to that person."
                )
                % {"row": entry["row"]}
            )
    return problems


@transaction.atomic
def intake_confirm(
    *,
    batch_id: int,
    actor: User,
    links: dict[int, int] | None = None,
    same_as: dict[int, int | None] | None = None,
    accept_suggested: bool = False,
) -> IntakeBatch:
    """Start the import of a checked file. `links` maps a row number to an existing person (one
    of the row's possible duplicates that the actor may see) to open the case for, instead of
    registering the person again; the new spellings of the name become the person's aliases.
    With `accept_suggested`, every row with a suggested link (a strong match, see
    _suggested_links) is linked to it, whatever `links` says for that row.

    `same_as` answers, for every row that may repeat an earlier row of the file, which of them
    it is the same person as, or None for a different person. A row that is the same person
    is merged into the first row of that person: no person or case of its own, its other names
    become aliases and its documents are added. A merged row's own link is ignored.

    Refused when the file has errors, when the batch is already importing or imported (the lock
    makes a double click harmless), when a link is not one offered, or when a possible repeat
    is not answered. Side effects: the batch becomes `importing`, an AuditEvent, and the import
    task is queued after commit.
    """
    batch = IntakeBatch.objects.select_for_update().select_related("operation").get(pk=batch_id)
    _ensure_office(actor, batch.operation)
    _ensure_batch_move(batch, IntakeBatchStatus.IMPORTING)
    if batch.errors:
        raise ValidationError(
            _("The file has errors: correct them in the file and upload it again."),
            code="has_errors",
        )
    merged, problems = _merges(batch, same_as=same_as or {})
    visible = set(
        person_list_visible_to(user=actor)
        .filter(pk__in=_matched_persons(batch))
        .values_list("pk", flat=True)
    )
    links = {
        int(row): int(person_id)
        for row, person_id in (links or {}).items()
        if person_id and int(row) not in merged
    }
    if accept_suggested:
        links.update(_suggested_links(batch, visible=visible, merged=merged))
    problems += _link_problems(batch, links=links, merged=merged, visible=visible)
    if problems:
        raise ValidationError(problems, code="choices")
    for entry in batch.rows:
        entry["data"]["link_person_id"] = links.get(entry["row"])
        entry["data"]["merge_into"] = merged.get(entry["row"])
    batch.status = IntakeBatchStatus.IMPORTING
    batch.processed = 0
    batch.importing_since = timezone.now()
    batch.save(update_fields=["rows", "status", "processed", "importing_since", "updated_at"])
    progress_set(batch.pk, 0)
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=batch,
        changes={
            "status": IntakeBatchStatus.IMPORTING,
            "linked_rows": sorted(links),
            "merged_rows": sorted(merged),
        },
    )
    transaction.on_commit(lambda: _queue_import(batch.pk))
    return batch


def _queue_import(batch_id: int) -> None:
    from ..tasks import intake_import_task  # the task module imports this one

    if not enqueue(intake_import_task, batch_id):
        # Without this, a broker outage would leave the batch "importing" for ever, and a batch
        # that is importing cannot be confirmed again.
        batch_fail(
            batch_id,
            _(
                "The import could not be started (the task queue is not reachable). Nothing "
                "was saved; upload the file again later, or tell your administrator."
            ),
        )


# An import that has neither started nor finished this long after it was asked, and whose row
# no worker holds, lost its worker (killed, or the task lost): the user may retry or cancel it.
STALLED_AFTER = dt.timedelta(minutes=3)
# Left stalled this long, the purge fails it and deletes its rows (personal data).
STALLED_PURGED_AFTER = dt.timedelta(days=1)


def _worker_holds(batch_id: int) -> bool:
    """Whether an import holds the batch's row now (importing._import_rows locks it for its
    whole transaction). Without NOWAIT (SQLite, the laptop default) nobody can tell: assume so
    until STALLED_AFTER has passed twice over."""
    if not connection.features.has_select_for_update_nowait:
        return False
    try:
        with transaction.atomic():
            IntakeBatch.objects.select_for_update(nowait=True).filter(pk=batch_id).exists()
    except DatabaseError:
        return True
    return False


def intake_stalled(batch: IntakeBatch, *, now: dt.datetime | None = None) -> bool:
    """An importing batch that lost its worker: asked more than STALLED_AFTER ago (twice that
    where a running import cannot be seen) and held by no import."""
    if batch.status != IntakeBatchStatus.IMPORTING:
        return False
    patience = STALLED_AFTER * (1 if connection.features.has_select_for_update_nowait else 2)
    asked = batch.importing_since or batch.created_at  # or before it was recorded
    if (now or timezone.now()) - asked < patience:
        return False
    return not _worker_holds(batch.pk)


def _stalled_batch(batch_id: int, actor: User) -> IntakeBatch:
    batch = IntakeBatch.objects.select_related("operation").get(pk=batch_id)
    _ensure_office(actor, batch.operation)
    if not intake_stalled(batch):
        raise TransitionNotAllowed(
            _("The import is running, or was asked a moment ago: wait for it to finish.")
        )
    return batch


@transaction.atomic
def intake_retry(*, batch_id: int, actor: User) -> IntakeBatch:
    """Ask a worker again for an import that lost its own (intake_stalled). Safe if the first
    worker comes back after all: the import locks the batch and stops when it is no longer
    importing. Side effects: an AuditEvent; the task queued (or the batch failed, as at
    confirmation, when the queue is not reachable)."""
    batch = _stalled_batch(batch_id, actor)
    now = timezone.now()
    IntakeBatch.objects.filter(pk=batch.pk).update(importing_since=now, updated_at=now)
    audit_record(
        action=AuditEvent.Action.UPDATE, actor=actor, obj=batch, changes={"import": "retried"}
    )
    transaction.on_commit(lambda: _queue_import(batch.pk))
    return batch


@transaction.atomic
def intake_cancel(*, batch_id: int, actor: User) -> IntakeBatch:
    """Give up an import that lost its worker: the batch fails, nothing was saved, and the
    file can be uploaded again. Side effects: an AuditEvent."""
    batch = _stalled_batch(batch_id, actor)
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=batch,
        changes={"status": IntakeBatchStatus.FAILED, "import": "cancelled"},
    )
    return batch_fail(
        batch.pk,
        _("The import was stopped by %(user)s; nothing was saved. Upload the file again.")
        % {"user": actor.display_name},
    )


def batch_fail(batch_id: int, message: str) -> IntakeBatch:
    # After the rollback, in a transaction of its own: the failure must stay recorded.
    now = timezone.now()
    IntakeBatch.objects.filter(pk=batch_id, status=IntakeBatchStatus.IMPORTING).update(
        status=IntakeBatchStatus.FAILED,
        processed=0,
        failure_message=message,
        finished_at=now,
        updated_at=now,
    )
    return IntakeBatch.objects.get(pk=batch_id)


def intake_duplicates_for(*, user, batch: IntakeBatch) -> dict[int, list[dict]]:
    """The possible duplicates of each row as the user may see them: a person of the user's
    office with their name and birth date (and can be linked, `suggested` when the row is
    linked to them unless the user says otherwise); anyone else only as "a possible match in
    another office", neither by name nor by case number (the central division is told when
    the file is imported: importing._report_matches_elsewhere)."""
    person_ids = _matched_persons(batch)
    persons = person_list_visible_to(user=user).filter(pk__in=person_ids).in_bulk()
    suggested = _suggested_links(batch, visible=set(persons))
    holders = {entry["row"]: entry["data"].get("document_holder") for entry in batch.rows}
    shown: dict[int, list[dict]] = {}
    for row, matches in batch.duplicates.items():
        shown[int(row)] = [
            {
                "person": persons.get(match["person_id"]),
                "person_id": match["person_id"],
                "score": match["score"],
                "reasons": match["reasons"] if match["person_id"] in persons else [],
                "must_link": holders.get(int(row)) == match["person_id"],
                "suggested": suggested.get(int(row)) == match["person_id"],
            }
            for match in matches
        ]
    return shown


# An unconfirmed file holds hundreds of persons' details: it is not kept longer than needed.
UNCONFIRMED_BATCH_LIFETIME = dt.timedelta(days=7)


def intake_batches_purge(*, now: dt.datetime | None = None) -> int:
    """Delete files never imported (checked or failed) after a week, and imports left stalled
    for a day (intake_stalled); drop the copied rows of imported ones (their persons and cases
    now hold the data). Returns how many changed."""
    now = now or timezone.now()
    cutoff = now - UNCONFIRMED_BATCH_LIFETIME
    stale = IntakeBatch.objects.filter(created_at__lt=cutoff)
    deleted, _per_model = stale.filter(
        status__in=[IntakeBatchStatus.VALIDATED, IntakeBatchStatus.FAILED]
    ).delete()
    abandoned = [
        batch.pk
        for batch in IntakeBatch.objects.filter(status=IntakeBatchStatus.IMPORTING)
        if now - (batch.importing_since or batch.created_at) >= STALLED_PURGED_AFTER
        and not _worker_holds(batch.pk)
    ]
    deleted += IntakeBatch.objects.filter(pk__in=abandoned).delete()[0]
    emptied = (
        stale.filter(status=IntakeBatchStatus.DONE)
        .exclude(rows=[])
        .update(rows=[], duplicates={}, errors=[])
    )
    return deleted + emptied
