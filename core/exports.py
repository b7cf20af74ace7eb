"""A table (headers and rows) written out as a CSV or Excel download.

    return export_response(format="csv", filename="nrm-cases", headers=[...], rows=rows)

- CSV is UTF-8 with a byte-order mark (so that Excel shows Thai), streamed row by row: `rows`
  may be a generator over 200,000 rows, it is never held in memory.
- Excel (.xlsx) is written by openpyxl's write-only workbook to a temporary file on disk,
  then streamed from it.
- Control characters (which the Excel file cannot hold, and a spreadsheet may drop from a CSV)
  are removed first; then a text cell that a spreadsheet would read as a formula (it begins
  with =, +, -, @, a tab or a carriage return) is neutralised with a leading apostrophe in both
  formats (OWASP's "CSV injection"): neutralising is the last step, so nothing after it can
  uncover a formula. Excel stores every text as a string, never as a formula.
- Dates are real date cells in Excel and ISO (2026-11-22, 2026-11-22 14:05) in CSV; an aware
  datetime is shown in local time (Asia/Bangkok).
- The file is named `<filename>-<today>.<format>`, in ASCII.
"""

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

FORMATS = ("csv", "xlsx")
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel"}  # as the user knows them
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What makes a spreadsheet read a text cell as a formula (or hide one behind a tab).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._-]+")
CSV_BATCH = 500  # rows sent at a time: one chunk per row would cost more than the rows


def neutralise(text: str) -> str:
    """A text that a spreadsheet shows as it is, never evaluates: its control characters
    removed (tab, line feed and carriage return kept), then an apostrophe before a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _local(value: dt.datetime) -> dt.datetime:
    """A naive local datetime (Excel knows no time zones)."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{_local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return value
    return neutralise(str(value))


def _excel_value(sheet, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _local(value)
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value  # a date becomes a date cell (yyyy-mm-dd)
    text = neutralise(str(value))
    if text in ERROR_CODES:
        # openpyxl would store "#N/A" as an error value rather than as the text it is.
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    # Neutralised, it never begins with "=": openpyxl stores it as a string, not a formula.
    return text


class _Echo:
    """A file-like object whose write() hands back what it was given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: list[str], rows: Iterable[Sequence[Any]], language: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The rows are produced while the response is sent, after the view has returned.
    with translation.override(language):
        yield BYTE_ORDER_MARK + writer.writerow([_csv_value(h) for h in headers])
        batch = []
        for row in rows:
            batch.append(writer.writerow([_csv_value(value) for value in row]))
            if len(batch) == CSV_BATCH:
                yield "".join(batch)
                batch = []
        yield "".join(batch)


def csv_write(file, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Write the table as the CSV file export_response streams (UTF-8 with a byte-order mark)
    into `file` (a binary file open for writing), a batch of rows at a time."""
    for lines in _csv_lines([str(h) for h in headers], rows, translation.get_language()):
        file.write(lines.encode())


def xlsx_write(file, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Write the table as an Excel workbook into `file` (a binary file open for writing); the
    rows are read one at a time (openpyxl's write-only workbook keeps none of them)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([_excel_value(sheet, header) for header in headers])
    for row in rows:
        sheet.append([_excel_value(sheet, value) for value in row])
    workbook.save(file)


WRITERS = {"csv": csv_write, "xlsx": xlsx_write}


def _xlsx_file(headers: list[str], rows: Iterable[Sequence[Any]]):
    # Spooled to disk rather than memory: a national export can run to tens of megabytes.
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    xlsx_write(file, headers, rows)
    file.seek(0)
    return file


def export_filename(filename: str, format: str) -> str:
    stem = NOT_ASCII_NAME.sub("-", filename).strip("-.") or "nrm-export"
    return f"{stem}-{timezone.localdate().isoformat()}.{format}"


def export_response(
    *, format: str, filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse | FileResponse:
    """The download of a table as `format` ("csv" or "xlsx"; anything else is a ValueError,
    see FORMATS), named `<filename>-<today>.<format>`. `headers` may be lazy translations:
    they are read in the active language. Values may be text, numbers, dates, datetimes or
    None."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format: {format!r}")
    headers = [str(header) for header in headers]
    name = export_filename(filename, format)
    if format == "csv":
        response = StreamingHttpResponse(
            _csv_lines(headers, rows, translation.get_language()),
            content_type=CONTENT_TYPES["csv"],
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = FileResponse(
            _xlsx_file(headers, rows),
            as_attachment=True,
            filename=name,
            content_type=CONTENT_TYPES["xlsx"],
        )
    response["Cache-Control"] = "no-store"  # personal data: no copy in a proxy or browser cache
    return response


def export_refused(message: str) -> HttpResponseBadRequest:
    """A download that cannot be made as asked: 400, with the reason in the user's language."""
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
