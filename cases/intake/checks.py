"""Checking the rows of an intake file with the services' rules, before anything is saved:
each row's cells and custody start, the same person on more than one row, and possible
duplicates of persons already on record."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User

from ..duplicates import Candidate, find_duplicates_bulk, find_repeats
from ..models import Case, IdentityDocument, IntakeChannel, Operation, Person, RiskLevel, Sex
from ..selectors import person_list_visible_to
from ..services import custody_start_problem
from .cells import (
    Lookups,
    cell_coded,
    cell_coded_list,
    cell_date,
    cell_datetime,
    cell_parts,
    cell_text,
    cell_whole_number,
    cell_yes_no,
)
from .columns import (
    CASE_FIELD_COLUMNS,
    COLUMN_NAMES,
    COLUMN_ORDER,
    DOCUMENT_FIELD_COLUMNS,
    PERSON_FIELD_COLUMNS,
)
from .reading import Table

CELL_MAX_DISPLAY = 300


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
    """Read one row and check it as person_create, case_open and screening_start would,
    without saving: the model instances are built in memory and cleaned (database checks are
    done for the whole file at once by check_rows). The custody start is the row's own, else
    the operation's; without either the row cannot be imported, as its s.29 clock could not
    start."""
    errors: dict[str, list[str]] = {}

    def read(column: str, parse: Callable[[Any], Any], default: Any = None) -> Any:
        value = cells.get(column)
        if value is None or cell_text(value) == "":
            return default
        try:
            return parse(value)
        except ValidationError as error:
            errors.setdefault(column, []).extend(error.messages)
            return default

    values: dict[str, Any] = {
        "name_th": read("name_th", cell_text, ""),
        "name_latin": read("name_latin", cell_text, ""),
        "name_native": read("name_native", cell_text, ""),
        "aliases": read("aliases", cell_parts, []),
        "sex": read(
            "sex",
            cell_coded(
                lookups.sex, _("Unknown sex: %(value)s. Write female, male, other or unknown.")
            ),
            Sex.UNKNOWN,
        ),
        "date_of_birth": read("date_of_birth", cell_date),
        "estimated_age": read("estimated_age", cell_whole_number),
        "age_disputed": read("age_disputed", cell_yes_no, False),
        "nationality": read(
            "nationality",
            cell_coded(
                lookups.country, _("Unknown country code: %(value)s. Use two letters, e.g. MM.")
            ),
            "",
        ),
        "stateless": read("stateless", cell_yes_no, False),
        "languages": read(
            "languages",
            cell_coded_list(lookups.language, _("Unknown language code: %(value)s.")),
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
        cell_coded(lookups.document_kind, _("Unknown kind of document: %(value)s.")),
        "",
    )
    number_text = read("document_number", cell_text, "")
    country = read(
        "document_country",
        cell_coded(
            lookups.country, _("Unknown country code: %(value)s. Use two letters, e.g. MM.")
        ),
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
        "intake_date": read("intake_date", cell_date, operation.started_on),
        "intake_channel": read(
            "intake_channel",
            cell_coded(lookups.channel, _("Unknown intake channel: %(value)s.")),
            IntakeChannel.POLICE_RAID,
        ),
        "exploitation_types": read(
            "exploitation_types",
            cell_coded_list(lookups.exploitation, _("Unknown form of exploitation: %(value)s.")),
            [],
        ),
        "risk_level": read(
            "risk_level",
            cell_coded(lookups.risk, _("Unknown risk level: %(value)s.")),
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

    custody = read("custody_started_at", cell_datetime)
    if custody is not None:
        if problem := custody_start_problem(operation=operation, moment=custody):
            errors.setdefault("custody_started_at", []).append(problem)
    elif "custody_started_at" not in errors:
        custody = operation.custody_started_at
        if custody is None:
            errors["custody_started_at"] = [
                _(
                    "Give the date and time this person was taken into custody: the operation "
                    "does not record one."
                )
            ]
    values["custody_started_at"] = custody

    raw = {name: cell_text(cells.get(name))[:CELL_MAX_DISPLAY] for name in COLUMN_NAMES}
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


def _candidate(row: CheckedRow) -> Candidate:
    return Candidate(
        name_th=row.values["name_th"],
        name_latin=row.values["name_latin"],
        name_native=row.values["name_native"],
        aliases=tuple(row.values["aliases"]),
        date_of_birth=row.values["date_of_birth"],
        estimated_age=row.values["estimated_age"],
        nationality=row.values["nationality"],
        documents=tuple((d["kind"], d["number"]) for d in row.documents),
    )


def _find_matches(checked: list[CheckedRow]) -> dict[int, list[tuple[int, int, list[str]]]]:
    """(person id, score, reasons) of the possible duplicates of each row, all rows at once."""
    named = [
        row
        for row in checked
        if any(row.values[name] for name in ("name_th", "name_latin", "name_native"))
        or row.documents
    ]
    candidates = [_candidate(row) for row in named]
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


def _flag_documents_held_elsewhere(checked: list[CheckedRow], *, visible: set[int]) -> None:
    for row in checked:
        holder = row.values.get("document_holder")
        if holder is None or holder in visible:
            continue
        # Another office's record: the worker is not told whose, nor where (that would confirm
        # that a named person is known elsewhere); the central division sees every record.
        row.errors.setdefault("document_number", []).append(
            _(
                "This document is already on the record of a person you cannot open. Ask the "
                "central division, which sees every record, to share that case with your office "
                "or transfer it; then import the file again."
            )
        )


def _mark_repeats(checked: list[CheckedRow]) -> None:
    """The rows that may be the same person (cases.duplicates.find_repeats, the scoring of the
    duplicates of registered persons): each row names the others, and whether they hold the
    same identity document, when they can only be one person. The worker decides at
    confirmation (batch.intake_confirm)."""
    found = find_repeats([_candidate(row) for row in checked])
    for row, repeats in zip(checked, found, strict=True):
        documents = {_document_key(document) for document in row.documents}
        row.values["repeats"] = [
            {
                "row": checked[index].number,
                "score": score,
                "reasons": [str(reason) for reason in reasons],
                "same_document": any(
                    _document_key(document) in documents for document in checked[index].documents
                ),
            }
            for index, score, reasons in repeats
        ]


def check_rows(table: Table, *, operation: Operation, actor: User) -> CheckResult:
    """Check every row of a file, then the whole file against itself and the records: a
    document already on someone's record, possible duplicates of existing persons
    (cases.duplicates) and the same person on more than one row. Saves nothing; a handful of
    queries whatever the number of rows."""
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
    _mark_document_holders(checked)
    matches_of = _find_matches(checked)
    person_ids = {person_id for matches in matches_of.values() for person_id, _s, _r in matches}
    visible = set(
        person_list_visible_to(user=actor).filter(pk__in=person_ids).values_list("pk", flat=True)
    )
    _flag_documents_held_elsewhere(checked, visible=visible)
    _mark_repeats(checked)

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
            }
            for person_id, score, reasons in matches
        ]
        for row_number, matches in matches_of.items()
    }
    return CheckResult(rows=rows, errors=errors, duplicates=duplicates)
