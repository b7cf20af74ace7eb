"""Mass intake for an operation: a CSV or Excel file of hundreds of persons, checked row by row
without saving anything, shown to the worker, then imported all at once or not at all.

    upload ──> batch.intake_batch_create: read the file (reading, cells, columns), check every
               row with the services' rules and its custody start, flag the same person on
               several rows and possible duplicates of registered persons (checks); keep the
               result as an IntakeBatch (validated)
    preview ─> batch.intake_confirm: lock the batch, accept the worker's links to existing
               persons (strong matches suggested) and answers on repeated rows, mark it
               importing and queue the task after commit
    task ────> importing.intake_import: person_create / case_open / screening_start for
               every row (services.operation_persons_register: a hundred rows at once) in
               ONE transaction, so every s.29 clock runs from the commit; the
               batch ends done (with its cases) or failed (with the reason, nothing saved);
               progress.intake_progress tells the page how far it has got

Nothing here writes a person or a case except through cases.services, so a rule is enforced
once; the checks before the import only repeat them early, so the worker sees every problem of
the file at once instead of the first one. The batch's states and moves are in
cases/workflow.py.
"""

from ..duplicates import find_duplicates_bulk
from ..services import operation_persons_register
from .batch import (
    UNCONFIRMED_BATCH_LIFETIME,
    intake_batch_create,
    intake_batches_purge,
    intake_cancel,
    intake_confirm,
    intake_duplicates_for,
    intake_retry,
    intake_stalled,
)
from .columns import COLUMN_NAMES, COLUMNS, REQUIRED_COLUMNS, Column, template_csv
from .importing import intake_import
from .preview import intake_preview, intake_progress_report
from .progress import intake_progress
from .reading import MAX_FILE_BYTES, MAX_ROWS, Table, read_table

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "UNCONFIRMED_BATCH_LIFETIME",
    "Column",
    "Table",
    "find_duplicates_bulk",  # read here by bench/intake.py (which must patch checks.py now)
    "intake_batch_create",
    "intake_batches_purge",
    "intake_cancel",
    "intake_confirm",
    "intake_duplicates_for",
    "intake_import",
    "intake_preview",
    "intake_progress",
    "intake_progress_report",
    "intake_retry",
    "intake_stalled",
    "operation_persons_register",  # replaced here by the tests of a failing import (importing.py)
    "read_table",
    "template_csv",
]
