"""Mass intake for an operation: a CSV or Excel file of hundreds of persons, checked row by row
without saving anything, shown to the worker, then imported all at once or not at all.

    upload ──> intake_batch_create: read the file, check every row with the services' rules,
               flag possible duplicates; keep the result as an IntakeBatch (validated)
    preview ─> intake_confirm: lock the batch, accept the worker's links to existing persons,
               mark it importing and queue the task after commit
    task ────> intake_import: person_create / case_open for every row in ONE transaction; the
               batch ends done (with its cases) or failed (with the reason, nothing saved)

Nothing here writes a person or a case except through cases.services, so a rule is enforced
once; the checks before the import only repeat them early, so the worker sees every problem of
the file at once instead of the first one.
"""

import codecs
import csv
import datetime as dt
import difflib
import io
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ActionForbidden, TransitionNotAllowed, ensure

from .duplicates import Candidate, find_duplicates_bulk
from .models import (
    Case,
    ExploitationType,
    IdentityDocument,
    IntakeBatch,
    IntakeChannel,
    Operation,
    Person,
    RiskLevel,
    Sex,
)
from .names import normalise
from .permissions import can_register
from .reference import country_choices, language_choices
from .selectors import person_list_visible_to
from .services import DocumentInput, case_open, person_create

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An .xlsx sheet often "ends" a million rows down because of formatting; a long run of empty
# rows is taken as the end of the data.
MAX_BLANK_RUN = 1000
PROGRESS_EVERY = 25
PROGRESS_TIMEOUT = 6 * 60 * 60
CELL_MAX_DISPLAY = 300

Status = IntakeBatch.Status
# The moves a batch may make. A failed batch is not retried: its rows were checked against the
# records of that moment, so the worker uploads the file again and sees it checked afresh.
BATCH_TRANSITIONS = {
    Status.VALIDATED: {Status.IMPORTING},
    Status.IMPORTING: {Status.DONE, Status.FAILED},
    Status.DONE: set(),
    Status.FAILED: set(),
}


# --- The columns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str = ""
    # The accepted codes and their labels, shown on the upload page.
    choices: Callable[[], list[tuple[str, str]]] | None = None


def _yes_no() -> list[tuple[str, str]]:
    return [("yes", _("Yes")), ("no", _("No"))]


COLUMNS: tuple[Column, ...] = (
    Column(
        "name_th",
        True,
        gettext_lazy("Name in Thai script. Every row needs at least one name, in any script."),
        "มะ ลา",
    ),
    Column("name_latin", True, gettext_lazy("Name in Latin letters, as in a passport."), "Ma La"),
    Column(
        "name_native",
        False,
        gettext_lazy("Name in the person's own script: Myanmar, Lao, Khmer…"),
        "မလ",
    ),
    Column("aliases", False, gettext_lazy("Other names, separated by semicolons."), ""),
    Column(
        "sex",
        True,
        gettext_lazy("Empty means unknown."),
        "female",
        lambda: list(Sex.choices),
    ),
    Column(
        "date_of_birth",
        True,
        gettext_lazy(
            "YYYY-MM-DD or DD/MM/YYYY; a Buddhist-era year (2538) is accepted. Empty when unknown."
        ),
        "1999-04-13",
    ),
    Column(
        "estimated_age",
        False,
        gettext_lazy("Age in years, when the date of birth is not known."),
        "",
    ),
    Column(
        "age_disputed",
        False,
        gettext_lazy("yes when the age is disputed: the person is then treated as a child."),
        "no",
        _yes_no,
    ),
    Column(
        "nationality",
        True,
        gettext_lazy(
            "Two-letter country code (ISO 3166), e.g. MM, LA, KH, TH. Empty when unknown or "
            "stateless."
        ),
        "MM",
    ),
    Column(
        "stateless",
        False,
        gettext_lazy("yes for a stateless person; leave the nationality empty."),
        "no",
        _yes_no,
    ),
    Column(
        "languages",
        False,
        gettext_lazy("Language codes (ISO 639) separated by commas, e.g. my, shn."),
        "my",
    ),
    Column(
        "document_kind",
        False,
        gettext_lazy("Kind of identity document, with its number in the next column."),
        "passport",
        lambda: list(IdentityDocument.Kind.choices),
    ),
    Column(
        "document_number",
        False,
        gettext_lazy("A Thai ID needs 13 digits and a correct check digit."),
        "MB123456",
    ),
    Column(
        "document_country",
        False,
        gettext_lazy("Two-letter code of the country that issued the document (TH for a Thai ID)."),
        "MM",
    ),
    Column(
        "intake_date",
        False,
        gettext_lazy("YYYY-MM-DD. Empty means the date of the operation."),
        "",
    ),
    Column(
        "intake_channel",
        False,
        gettext_lazy("Empty means a police raid or rescue."),
        "police_raid",
        lambda: list(IntakeChannel.choices),
    ),
    Column(
        "exploitation_types",
        False,
        gettext_lazy("Forms of exploitation, separated by commas."),
        "scam_compound",
        lambda: list(ExploitationType.choices),
    ),
    Column(
        "risk_level",
        False,
        gettext_lazy("Empty means medium."),
        "high",
        lambda: list(RiskLevel.choices),
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
COLUMN_ORDER = {name: position for position, name in enumerate(COLUMN_NAMES)}

# Where a model field's error is shown: the column the worker has to correct.
PERSON_FIELD_COLUMNS = {"__all__": "name_th"}
DOCUMENT_FIELD_COLUMNS = {
    "kind": "document_kind",
    "number": "document_number",
    "issuing_country": "document_country",
    "__all__": "document_number",
}
CASE_FIELD_COLUMNS = {"__all__": "exploitation_types"}


def template_csv() -> bytes:
    """The header row of an intake file, UTF-8 with a BOM so that Excel shows Thai text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(COLUMN_NAMES)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


# --- Reading the file ------------------------------------------------------------------------


@dataclass
class Table:
    """The rows of a file under its header: (row number in the spreadsheet, {column: cell})."""

    rows: list[tuple[int, dict[str, Any]]]
    # Rows with more cells than the header has columns.
    overflowing: set[int] = field(default_factory=set)


def _not_utf8() -> ValidationError:
    return ValidationError(
        _(
            "The file is not UTF-8 text: save it as 'CSV UTF-8' (in Excel: File › Save As › "
            "CSV UTF-8) and upload it again."
        ),
        code="encoding",
    )


def _decode(content: bytes) -> str:
    """UTF-8 with or without a BOM, or UTF-16 with a BOM (Excel's 'Unicode text'). Any other
    encoding (TIS-620/Windows-874 from an old Thai Excel, say) is refused rather than guessed:
    a wrong guess would store every Thai name garbled."""
    try:
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16")
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8() from None


def _header_name(cell: Any) -> str:
    text = "" if cell is None else str(cell)
    return re.sub(r"[\s\-]+", "_", text.replace("\ufeff", "").strip().casefold())


def _check_header(header: list[str]) -> None:
    """One file-level error naming every unknown and every missing column."""
    counts = Counter(name for name in header if name)
    repeated = sorted(name for name, count in counts.items() if count > 1)
    unknown = [name for name in header if name and name not in COLUMN_NAMES]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if not (repeated or unknown or missing):
        return
    parts = [_("The columns of the file do not match the template.")]
    if unknown:
        described = []
        for name in unknown:
            close = difflib.get_close_matches(name, COLUMN_NAMES, n=1)
            described.append(
                _("%(column)s (did you mean %(suggestion)s?)")
                % {"column": name, "suggestion": close[0]}
                if close
                else name
            )
        parts.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(described)})
    if missing:
        parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if repeated:
        parts.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    parts.append(_("Download the template to see the expected columns."))
    raise ValidationError(" ".join(parts), code="columns")


def _table(records: Iterator[tuple[int, list[Any]]]) -> Table:
    try:
        _number, first = next(records)
    except StopIteration:
        raise ValidationError(_("The file is empty."), code="empty") from None
    header = [_header_name(cell) for cell in first]
    while header and not header[-1]:
        header.pop()
    _check_header(header)
    table = Table(rows=[])
    blank_run = 0
    for number, cells in records:
        values = [cell for cell in cells if cell is not None and str(cell).strip() != ""]
        if not values:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if len(table.rows) == MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)d rows; split it into smaller files.")
                % {"max": MAX_ROWS},
                code="too_many_rows",
            )
        row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
        if any(cell not in (None, "") for cell in cells[len(header) :]):
            table.overflowing.add(number)
        table.rows.append((number, row))
    if not table.rows:
        raise ValidationError(
            _("The file has a header but no rows of persons under it."), code="empty"
        )
    return table


def _csv_records(text: str) -> Iterator[tuple[int, list[Any]]]:
    first_line = text.split("\n", 1)[0]
    # Excel writes ';' where the comma is the decimal sign, and tabs for "Unicode text".
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Spreadsheet row numbers: one record is one row, even with a line break inside a cell.
    yield from enumerate(reader, start=1)


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ValidationError(
            _("The file could not be read as an Excel workbook (.xlsx)."), code="excel"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def read_table(*, file_name: str, content: bytes) -> Table:
    """The rows of an uploaded CSV or .xlsx file. Raises ValidationError with one clear message
    for a file that cannot be read: wrong encoding, wrong format, wrong columns, no rows."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_FILE_BYTES >> 20},
            code="too_large",
        )
    extension = file_name.rsplit(".", 1)[-1].casefold() if "." in file_name else ""
    if extension == "xls" or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV UTF-8."),
            code="format",
        )
    if extension == "xlsx" or content.startswith(b"PK\x03\x04"):
        return _table(_xlsx_records(content))
    text = _decode(content)
    if "\x00" in text:
        raise ValidationError(
            _("The file is not a CSV or .xlsx file. Save it as CSV UTF-8 or as .xlsx."),
            code="format",
        )
    try:
        return _table(_csv_records(text))
    except csv.Error as error:
        raise ValidationError(
            _("The file could not be read as CSV (%(error)s).") % {"error": error}, code="csv"
        ) from None


# --- Reading one cell ------------------------------------------------------------------------

TRUE_WORDS = {"yes", "y", "true", "1", "x", "ใช่", "จริง"}
FALSE_WORDS = {"no", "n", "false", "0", "ไม่", "ไม่ใช่", "เท็จ"}
SEX_WORDS = {"f": Sex.FEMALE, "m": Sex.MALE, "หญิง": Sex.FEMALE, "ชาย": Sex.MALE}
# Names that CLDR spells otherwise ("Myanmar (Burma)", "เมียนมา (พม่า)").
COUNTRY_WORDS = {"myanmar": "MM", "burma": "MM", "เมียนมา": "MM", "พม่า": "MM", "เขมร": "KH"}
LANGUAGE_WORDS = {"myanmar": "my", "burmese": "my"}
DATE_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
# Buddhist-era years (B.E. = C.E. + 543) are what most Thai documents show.
BUDDHIST_ERA_FROM = 2400


def _lookup(choices: Callable[[], Iterable[tuple[str, Any]]], extra: dict | None = None) -> dict:
    """Every spelling accepted for a choice: its code, and its label in English and in Thai."""
    table = {}
    for language in ("en", "th"):
        with translation.override(language):
            for value, label in choices():
                table[str(label).casefold()] = value
    for value, _label in choices():
        table[str(value).casefold()] = value
    table.update(extra or {})
    return table


class Lookups:
    """The spellings of every coded column, built once per file in both languages."""

    def __init__(self):
        self.sex = _lookup(lambda: Sex.choices, SEX_WORDS)
        self.country = _lookup(country_choices, COUNTRY_WORDS)
        self.language = _lookup(language_choices, LANGUAGE_WORDS)
        self.document_kind = _lookup(lambda: IdentityDocument.Kind.choices)
        self.channel = _lookup(lambda: IntakeChannel.choices)
        self.exploitation = _lookup(lambda: ExploitationType.choices)
        self.risk = _lookup(lambda: RiskLevel.choices)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps a 13-digit ID number as a float
    return str(value).strip()


def _split(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", _text(value)) if part.strip()]


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        year, month, day = value.year, value.month, value.day
    else:
        text = _text(value)
        if match := DATE_ISO.match(text):
            year, month, day = (int(part) for part in match.groups())
        elif match := DATE_DMY.match(text):
            day, month, year = (int(part) for part in match.groups())
        else:
            raise ValidationError(
                _("%(value)s is not a date: write it as YYYY-MM-DD, e.g. 1999-04-13.")
                % {"value": text}
            )
    if year > BUDDHIST_ERA_FROM:
        year -= 543
    if year < 1900:
        raise ValidationError(_("The year %(year)s is not plausible.") % {"year": year})
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("%(value)s is not a date that exists.") % {"value": _text(value)}
        ) from None


def _whole_number(value: Any) -> int:
    text = _text(value)
    if not text.isdigit():
        raise ValidationError(_("%(value)s is not a whole number of years.") % {"value": text})
    return int(text)


def _yes_no_value(value: Any) -> bool:
    text = _text(value).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError(_("Write yes or no, not %(value)s.") % {"value": _text(value)})


def _coded(table: dict, unknown_message: str) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = _text(value)
        try:
            return table[text.casefold()]
        except KeyError:
            raise ValidationError(unknown_message % {"value": text}) from None

    return read


def _coded_list(table: dict, unknown_message: str) -> Callable[[Any], list[str]]:
    def read(value: Any) -> list[str]:
        codes, unknown = [], []
        for part in _split(value):
            code = table.get(part.casefold())
            (codes if code else unknown).append(code or part)
        if unknown:
            raise ValidationError(unknown_message % {"value": ", ".join(unknown)})
        return list(dict.fromkeys(codes))

    return read


# --- Checking the rows -----------------------------------------------------------------------


@dataclass
class CheckedRow:
    number: int
    raw: dict[str, str]
    values: dict[str, Any]
    errors: dict[str, list[str]]

    @property
    def documents(self) -> list[dict]:
        return self.values.get("documents", [])


def _model_errors(error: ValidationError, columns: dict[str, str]) -> dict[str, list[str]]:
    return {
        columns.get(name, name): list(messages) for name, messages in error.message_dict.items()
    }


def check_row(
    number: int, cells: dict[str, Any], *, operation: Operation, lookups: Lookups
) -> CheckedRow:
    """Read one row and check it as person_create and case_open would, without saving: the
    model instances are built in memory and cleaned (database checks are done for the whole
    file at once by check_rows)."""
    errors: dict[str, list[str]] = {}

    def read(column: str, parse: Callable[[Any], Any], default: Any = None) -> Any:
        value = cells.get(column)
        if value is None or _text(value) == "":
            return default
        try:
            return parse(value)
        except ValidationError as error:
            errors.setdefault(column, []).extend(error.messages)
            return default

    values: dict[str, Any] = {
        "name_th": read("name_th", _text, ""),
        "name_latin": read("name_latin", _text, ""),
        "name_native": read("name_native", _text, ""),
        "aliases": read("aliases", _split, []),
        "sex": read(
            "sex",
            _coded(lookups.sex, _("Unknown sex: %(value)s. Write female, male, other or unknown.")),
            Sex.UNKNOWN,
        ),
        "date_of_birth": read("date_of_birth", _date),
        "estimated_age": read("estimated_age", _whole_number),
        "age_disputed": read("age_disputed", _yes_no_value, False),
        "nationality": read(
            "nationality",
            _coded(
                lookups.country, _("Unknown country code: %(value)s. Use two letters, e.g. MM.")
            ),
            "",
        ),
        "stateless": read("stateless", _yes_no_value, False),
        "languages": read(
            "languages",
            _coded_list(lookups.language, _("Unknown language code: %(value)s.")),
            [],
        ),
    }
    person = Person(**values, created_by_organisation=operation.organisation)
    try:
        person.full_clean(
            exclude=[*errors, "created_by_organisation", "name_key"],
            validate_unique=False,
            validate_constraints=False,  # the same checks as Person.clean, without a query each
        )
    except ValidationError as error:
        for column, messages in _model_errors(error, PERSON_FIELD_COLUMNS).items():
            errors.setdefault(column, []).extend(messages)

    kind = read(
        "document_kind",
        _coded(lookups.document_kind, _("Unknown kind of document: %(value)s.")),
        "",
    )
    number_text = read("document_number", _text, "")
    country = read(
        "document_country",
        _coded(lookups.country, _("Unknown country code: %(value)s. Use two letters, e.g. MM.")),
        "",
    )
    values["documents"] = []
    if kind and number_text:
        document = IdentityDocument(kind=kind, number=number_text, issuing_country=country)
        try:
            document.full_clean(
                exclude=["person"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for column, messages in _model_errors(error, DOCUMENT_FIELD_COLUMNS).items():
                errors.setdefault(column, []).extend(messages)
        values["documents"] = [
            {
                "kind": document.kind,
                "number": document.number,
                "issuing_country": document.issuing_country,
            }
        ]
    elif number_text and "document_kind" not in errors:
        errors["document_kind"] = [_("Give the kind of the document as well as its number.")]
    elif kind:
        errors["document_number"] = [_("Give the number of the document as well as its kind.")]

    case_values = {
        "intake_date": read("intake_date", _date, operation.started_on),
        "intake_channel": read(
            "intake_channel",
            _coded(lookups.channel, _("Unknown intake channel: %(value)s.")),
            IntakeChannel.POLICE_RAID,
        ),
        "exploitation_types": read(
            "exploitation_types",
            _coded_list(lookups.exploitation, _("Unknown form of exploitation: %(value)s.")),
            [],
        ),
        "risk_level": read(
            "risk_level",
            _coded(lookups.risk, _("Unknown risk level: %(value)s.")),
            RiskLevel.MEDIUM,
        ),
    }
    case = Case(**case_values)
    try:
        case.full_clean(
            exclude=[
                *errors,
                "number",
                "person",
                "owner",
                "lead_worker",
                "intake_province",
                "operation",
                "created_by",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for column, messages in _model_errors(error, CASE_FIELD_COLUMNS).items():
            errors.setdefault(column, []).extend(messages)
    values.update(case_values)

    raw = {name: _text(cells.get(name))[:CELL_MAX_DISPLAY] for name in COLUMN_NAMES}
    return CheckedRow(number=number, raw=raw, values=values, errors=errors)


def _json_ready(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in values.items()
    }


@dataclass
class CheckResult:
    rows: list[dict]
    errors: list[dict]
    duplicates: dict[str, list[dict]]


def _document_key(document: dict) -> tuple[str, str, str]:
    return document["kind"], document["issuing_country"], document["number"]


def _cases_of(person_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """(case number, owning office) of each person's cases, in one query."""
    cases: dict[int, list[tuple[str, str]]] = {}
    for case in (
        Case.objects.filter(person_id__in=set(person_ids))
        .select_related("owner")
        .only("person_id", "number", "owner__name_th", "owner__name_en")
        .order_by("number")
    ):
        cases.setdefault(case.person_id, []).append((case.number, case.owner.name))
    return cases


def _flag_repeated_documents(checked: list[CheckedRow]) -> None:
    first_row_of: dict[tuple, int] = {}
    for row in checked:
        for document in row.documents:
            key = _document_key(document)
            if key in first_row_of:
                row.errors.setdefault("document_number", []).append(
                    _("The same document is on row %(row)s.") % {"row": first_row_of[key]}
                )
            else:
                first_row_of[key] = row.number


def _mark_document_holders(checked: list[CheckedRow]) -> None:
    """A document already on a person's record: the row can only be linked to that person."""
    numbers = {document["number"] for row in checked for document in row.documents}
    if not numbers:
        return
    holders = {
        (kind, country, number): person_id
        for kind, country, number, person_id in IdentityDocument.objects.filter(
            number__in=numbers
        ).values_list("kind", "issuing_country", "number", "person_id")
    }
    for row in checked:
        for document in row.documents:
            if (holder := holders.get(_document_key(document))) is not None:
                row.values["document_holder"] = holder


def _find_matches(checked: list[CheckedRow]) -> dict[int, list[tuple[int, int, list[str]]]]:
    """(person id, score, reasons) of the possible duplicates of each row, all rows at once."""
    named = [
        row
        for row in checked
        if any(row.values[name] for name in ("name_th", "name_latin", "name_native"))
        or row.documents
    ]
    candidates = [
        Candidate(
            name_th=row.values["name_th"],
            name_latin=row.values["name_latin"],
            name_native=row.values["name_native"],
            aliases=tuple(row.values["aliases"]),
            date_of_birth=row.values["date_of_birth"],
            estimated_age=row.values["estimated_age"],
            nationality=row.values["nationality"],
            documents=tuple((d["kind"], d["number"]) for d in row.documents),
        )
        for row in named
    ]
    found = find_duplicates_bulk(candidates) if candidates else []
    matches_of = {
        row.number: [
            (match.person.pk, int(match.score), [str(reason) for reason in match.reasons])
            for match in matches
        ]
        for row, matches in zip(named, found, strict=True)
    }
    for row in checked:
        holder = row.values.get("document_holder")
        found_ids = {person_id for person_id, _score, _reasons in matches_of.get(row.number, [])}
        if holder is not None and holder not in found_ids:
            matches_of.setdefault(row.number, []).insert(
                0, (holder, 100, [_("same identity document")])
            )
    return {number: matches for number, matches in matches_of.items() if matches}


def _flag_documents_held_elsewhere(
    checked: list[CheckedRow], *, visible: set[int], cases_of: dict
) -> None:
    for row in checked:
        holder = row.values.get("document_holder")
        if holder is None or holder in visible:
            continue
        # Another office's record: the worker learns where it is, never whose it is.
        held = ", ".join(f"{number} ({office})" for number, office in cases_of.get(holder, []))
        row.errors.setdefault("document_number", []).append(
            _(
                "This document is already on a record of another office (cases: %(cases)s). "
                "Contact that office instead of registering the person again."
            )
            % {"cases": held or "—"}
        )


def _mark_repeated_persons(checked: list[CheckedRow]) -> None:
    """The same name and date of birth as an earlier row: a warning only, as two people may
    share both."""
    seen: dict[tuple[str, str], int] = {}
    for row in checked:
        born = row.values["date_of_birth"]
        if born is None:
            continue
        keys = {
            (normalise(name), born.isoformat())
            for name in (row.values["name_th"], row.values["name_latin"])
            if name
        }
        earlier = [seen[key] for key in keys if key in seen]
        if earlier:
            row.values["same_as_row"] = min(earlier)
        for key in keys:
            seen.setdefault(key, row.number)


def check_rows(table: Table, *, operation: Operation, actor: User) -> CheckResult:
    """Check every row of a file, then the whole file against itself and the records: the same
    document twice, a document already on someone's record, possible duplicates of existing
    persons (cases.duplicates) and the same person twice in the file. Saves nothing; a handful
    of queries whatever the number of rows."""
    lookups = Lookups()
    checked = [
        check_row(number, cells, operation=operation, lookups=lookups)
        for number, cells in table.rows
    ]
    for row in checked:
        if row.number in table.overflowing:
            row.errors.setdefault("", []).append(
                _("This row has more cells than the header has columns.")
            )
    _flag_repeated_documents(checked)
    _mark_document_holders(checked)
    matches_of = _find_matches(checked)
    person_ids = {person_id for matches in matches_of.values() for person_id, _s, _r in matches}
    cases_of = _cases_of(person_ids)
    visible = set(
        person_list_visible_to(user=actor).filter(pk__in=person_ids).values_list("pk", flat=True)
    )
    _flag_documents_held_elsewhere(checked, visible=visible, cases_of=cases_of)
    _mark_repeated_persons(checked)

    rows, errors = [], []
    for row in checked:
        rows.append({"row": row.number, "raw": row.raw, "data": _json_ready(row.values)})
        for column in sorted(row.errors, key=lambda name: COLUMN_ORDER.get(name, -1)):
            for message in dict.fromkeys(row.errors[column]):
                errors.append({"row": row.number, "field": column, "message": str(message)})
    duplicates = {
        str(row_number): [
            {
                "person_id": person_id,
                "score": score,
                "reasons": reasons,
                "case_numbers": [
                    case_number for case_number, _office in cases_of.get(person_id, [])
                ],
            }
            for person_id, score, reasons in matches
        ]
        for row_number, matches in matches_of.items()
    }
    return CheckResult(rows=rows, errors=errors, duplicates=duplicates)


# --- The batch: upload, confirm, import ------------------------------------------------------


def _ensure_office(actor: User, operation: Operation) -> None:
    ensure(
        can_register(actor) and actor.membership.organisation_id == operation.organisation_id,
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


def _progress_cache() -> BaseCache:
    """Where the import's progress is counted: the default cache (Redis), unless that cache
    lives in the database (no REDIS_URL). Its writes would then belong to the import's own
    transaction and stay invisible until the end, so the count goes to files under VAR_DIR,
    which web and worker share on the one machine of the embedded setup."""
    return _progress_files() or caches["default"]


@lru_cache(maxsize=1)
def _progress_files() -> FileBasedCache | None:
    if isinstance(caches["default"], DatabaseCache):
        return FileBasedCache(str(settings.VAR_DIR / "cache" / "intake-progress"), {})
    return None


def _progress_key(batch_id: int) -> str:
    return f"cases:intake:{batch_id}:processed"


def _progress_set(batch_id: int, processed: int) -> None:
    # The batch row is inside the import's transaction, invisible to the progress page until
    # the end; the cache is not. Progress is a courtesy: a cache outage must not stop an import.
    try:
        _progress_cache().set(_progress_key(batch_id), processed, PROGRESS_TIMEOUT)
    except Exception:
        logger.warning("Could not record the progress of intake batch %s", batch_id)


def _progress_clear(batch_id: int) -> None:
    try:
        _progress_cache().delete(_progress_key(batch_id))
    except Exception:
        logger.warning("Could not clear the progress of intake batch %s", batch_id)


def intake_progress(batch: IntakeBatch) -> int:
    """How many rows of the batch are imported so far."""
    if batch.status == Status.IMPORTING:
        try:
            return int(_progress_cache().get(_progress_key(batch.pk), 0))
        except Exception:
            return 0
    return batch.processed


def _ensure_batch_move(batch: IntakeBatch, target: str) -> None:
    if target in BATCH_TRANSITIONS[batch.status]:
        return
    messages = {
        Status.IMPORTING: _("This file is already being imported."),
        Status.DONE: _("This file has already been imported."),
        Status.FAILED: _("The import of this file failed; upload the file again."),
    }
    raise TransitionNotAllowed(messages.get(batch.status, _("This cannot be done now.")))


def _link_problems(batch: IntakeBatch, *, links: dict[int, int], actor: User) -> list[str]:
    """What is wrong with the worker's links: a person not offered for the row or not visible
    to them, one person linked from two rows, a row holding an existing person's document and
    not linked to that person."""
    offered = {
        int(row): {match["person_id"] for match in matches}
        for row, matches in batch.duplicates.items()
    }
    visible = set(
        person_list_visible_to(user=actor)
        .filter(pk__in=set(links.values()))
        .values_list("pk", flat=True)
    )
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
        if holder is not None and links.get(entry["row"]) != holder:
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
    *, batch_id: int, actor: User, links: dict[int, int] | None = None
) -> IntakeBatch:
    """Start the import of a checked file. `links` maps a row number to an existing person (one
    of the row's possible duplicates that the actor may see) to open the case for, instead of
    registering the person again.

    Refused when the file has errors, when the batch is already importing or imported (the lock
    makes a double click harmless), or when a link is not one offered. Side effects: the batch
    becomes `importing`, an AuditEvent, and the import task is queued after commit.
    """
    batch = IntakeBatch.objects.select_for_update().select_related("operation").get(pk=batch_id)
    _ensure_office(actor, batch.operation)
    _ensure_batch_move(batch, Status.IMPORTING)
    if batch.errors:
        raise ValidationError(
            _("The file has errors: correct them in the file and upload it again."),
            code="has_errors",
        )
    links = {int(row): int(person_id) for row, person_id in (links or {}).items() if person_id}
    problems = _link_problems(batch, links=links, actor=actor)
    if problems:
        raise ValidationError(problems, code="links")
    for entry in batch.rows:
        entry["data"]["link_person_id"] = links.get(entry["row"])
    batch.status = Status.IMPORTING
    batch.processed = 0
    batch.save(update_fields=["rows", "status", "processed"])
    _progress_set(batch.pk, 0)
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=batch,
        changes={"status": Status.IMPORTING, "linked_rows": sorted(links)},
    )
    transaction.on_commit(lambda: _queue_import(batch.pk))
    return batch


def _queue_import(batch_id: int) -> None:
    from .tasks import intake_import_task  # the task module imports this one

    try:
        intake_import_task.delay(batch_id)
    except Exception:
        # Without this, a broker outage would leave the batch "importing" for ever, and a batch
        # that is importing cannot be confirmed again.
        logger.exception("Could not queue the import of intake batch %s", batch_id)
        _batch_fail(
            batch_id,
            _(
                "The import could not be started (the task queue is not reachable). Nothing "
                "was saved; upload the file again later, or tell your administrator."
            ),
        )


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
    return case_open(
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
    if batch.status != Status.IMPORTING:
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
            _progress_set(batch.pk, done)
    # `done` is saved with the cases it created, in the same transaction: a crash after the
    # commit can then never leave a batch that looks unfinished and would be imported twice.
    batch.status = Status.DONE
    batch.processed = len(case_ids)
    batch.case_ids = case_ids
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "processed", "case_ids", "finished_at"])
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=batch,
        changes={"status": Status.DONE, "cases": len(case_ids)},
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
    if batch.status != Status.IMPORTING:
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
            batch = _batch_fail(batch_id, message)
        except Exception:
            logger.exception("Intake batch %s failed", batch_id)
            batch = _batch_fail(
                batch_id,
                _(
                    "The import stopped because of a system error. Nothing was saved; upload "
                    "the file again later, or tell your administrator."
                ),
            )
    _progress_clear(batch_id)
    return batch


def _batch_fail(batch_id: int, message: str) -> IntakeBatch:
    # After the rollback, in a transaction of its own: the failure must stay recorded.
    IntakeBatch.objects.filter(pk=batch_id, status=Status.IMPORTING).update(
        status=Status.FAILED,
        processed=0,
        failure_message=message,
        finished_at=timezone.now(),
    )
    return IntakeBatch.objects.get(pk=batch_id)


# --- Reads for the pages ---------------------------------------------------------------------


def intake_duplicates_for(*, user, batch: IntakeBatch) -> dict[int, list[dict]]:
    """The possible duplicates of each row as the user may see them: a person of the user's
    office with their name and birth date (and can be linked); anyone else only as case
    numbers and the offices holding them, never by name."""
    person_ids = {match["person_id"] for matches in batch.duplicates.values() for match in matches}
    persons = person_list_visible_to(user=user).filter(pk__in=person_ids).in_bulk()
    cases_of = _cases_of(person_ids)
    holders = {entry["row"]: entry["data"].get("document_holder") for entry in batch.rows}
    shown: dict[int, list[dict]] = {}
    for row, matches in batch.duplicates.items():
        shown[int(row)] = [
            {
                "person": persons.get(match["person_id"]),
                "person_id": match["person_id"],
                "score": match["score"],
                "reasons": match["reasons"] if match["person_id"] in persons else [],
                "cases": cases_of.get(match["person_id"], []),
                "must_link": holders.get(int(row)) == match["person_id"],
            }
            for match in matches
        ]
    return shown


# An unconfirmed file holds hundreds of persons' details: it is not kept longer than needed.
UNCONFIRMED_BATCH_LIFETIME = dt.timedelta(days=7)


def intake_batches_purge(*, now: dt.datetime | None = None) -> int:
    """Delete files never imported (checked or failed) after a week, and drop the copied rows
    of imported ones (their persons and cases now hold the data). Returns how many changed."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_BATCH_LIFETIME
    stale = IntakeBatch.objects.filter(created_at__lt=cutoff)
    deleted, _per_model = stale.filter(
        status__in=[IntakeBatch.Status.VALIDATED, IntakeBatch.Status.FAILED]
    ).delete()
    emptied = (
        stale.filter(status=IntakeBatch.Status.DONE)
        .exclude(rows=[])
        .update(rows=[], duplicates={}, errors=[])
    )
    return deleted + emptied
