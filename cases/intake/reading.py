"""Reading an intake file, CSV or Excel, into a table of cells keyed by column name."""

import codecs
import csv
import difflib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .columns import COLUMN_NAMES, REQUIRED_COLUMNS

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An .xlsx sheet often "ends" a million rows down because of formatting; a long run of empty
# rows is taken as the end of the data.
MAX_BLANK_RUN = 1000
# No cell of a person's row holds more (a name, a note): a longer one is refused before any
# check or search reads it.
MAX_CELL_CHARS = 1000
# What an .xlsx of MAX_ROWS persons unpacks to, with room to spare: a small file that unpacks
# to far more (one huge cell, a zip bomb) is refused before it is read.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024


@dataclass
class Table:
    """The rows of a file under its header: (row number in the spreadsheet, {column: cell})."""

    rows: list[tuple[int, dict[str, Any]]]
    # The columns of the header, in its order.
    columns: tuple[str, ...] = ()
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
    table = Table(rows=[], columns=tuple(name for name in header if name))
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
        for name, cell in row.items():
            if cell is not None and len(str(cell)) > MAX_CELL_CHARS:
                raise ValidationError(
                    _(
                        "Row %(row)d, column %(column)s holds more than %(max)d characters: "
                        "no cell of the template is that long. Correct the file."
                    )
                    % {"row": number, "column": name, "max": MAX_CELL_CHARS},
                    code="cell_too_long",
                )
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
        unpacked = sum(
            member.file_size for member in zipfile.ZipFile(io.BytesIO(content)).infolist()
        )
    except (zipfile.BadZipFile, OSError, ValueError):
        unpacked = 0  # not a zip at all: load_workbook says so below
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The workbook unpacks to more than %(mb)d MB; save it as CSV UTF-8 or split it.")
            % {"mb": MAX_UNPACKED_BYTES >> 20},
            code="too_large",
        )
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
