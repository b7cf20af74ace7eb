"""Personal data taken away in a file leaves a trace: every export is one audit event that
says what was taken (the list or report, its filters or period, the format, the number of rows)
before the first byte is streamed.

An export not made during the request (a national list in Excel, a report's file) is answered
by an app above this one instead (`exports`: the file is prepared by a worker and audited when
it is downloaded); it registers with `register_export_handler`, as the apps above `cases`
register in cases/extensions.py."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django_filters import FilterSet

from core.exports import FORMATS, export_refused, export_response
from core.lists import Column, export_columns, only_columns

from .models import AuditEvent
from .services import audit_record

CHUNK_SIZE = 2000


def audited_export(
    request, *, changes: dict, format: str, filename: str, headers, rows
) -> StreamingHttpResponse | FileResponse:
    """export_response() after one audit event of the export (`changes` says what was taken:
    the list or report, its filters or period, the format and the number of rows)."""
    audit_record(
        action=AuditEvent.Action.EXPORT, actor=request.user, changes=changes, request=request
    )
    return export_response(format=format, filename=filename, headers=headers, rows=rows)


def export_changes(*, name: str, report: bool, filters: dict, format: str, rows: int) -> dict:
    """What the audit event of an export records: the list and its filters, or the report and
    its period (`filters`: "from" and "to"), the format and the number of rows."""
    if report:
        return {"report": name, **filters, "format": format, "rows": rows}
    return {"list": name, "filters": filters, "format": format, "rows": rows}


@dataclass(frozen=True)
class ListExport:
    """A list's or report's export as asked, before its file is made: its name, the format,
    the valid filters (a report's: its period) and the number of rows (what its audit event
    records), and the file's header and rows (read lazily, in the active language)."""

    name: str
    format: str
    filters: dict[str, Any]
    count: int
    headers: list
    rows: Iterable[list]
    report: bool = False

    @property
    def changes(self) -> dict:
        return export_changes(
            name=self.name,
            report=self.report,
            filters=self.filters,
            format=self.format,
            rows=self.count,
        )

    @property
    def filename(self) -> str:
        if self.report:
            return f"nrm-{self.name}-{self.filters['from']}-{self.filters['to']}"
        return f"nrm-{self.name}"


ExportHandler = Callable[[Any, ListExport], HttpResponse | None]
_handlers: list[ExportHandler] = []


def register_export_handler(handler: ExportHandler) -> None:
    """Let an app above this one answer a list export instead of its file being made during the
    request: `handler(request, export)` returns the response, or None to let it be made now."""
    _handlers.append(handler)


def answer_export(request, export: ListExport) -> HttpResponse:
    """The file of `export`, after its audit event; or the answer of a registered handler
    (register_export_handler) that takes the export instead."""
    for handler in _handlers:
        if (response := handler(request, export)) is not None:
            return response
    return audited_export(
        request,
        changes=export.changes,
        format=export.format,
        filename=export.filename,
        headers=export.headers,
        rows=export.rows,
    )


def _filters_asked(filterset: FilterSet) -> dict[str, Any]:
    """The filters given a value, as the audit event records them: a filter given several
    values (`?province=50&province=63`) as their list."""
    data, asked = filterset.data, {}
    for key in filterset.filters:
        values = [value for value in data.getlist(key) if value] if hasattr(data, "getlist") else []
        if len(values) > 1:
            asked[key] = values
        elif data.get(key):
            asked[key] = data[key]
    return asked


def _filter_errors(filterset: FilterSet) -> str:
    form = filterset.form
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


def _chunks(rows: QuerySet, prepare: Callable[[list], list] | None) -> Iterator:
    """The rows, read CHUNK_SIZE at a time; each chunk given to `prepare` when there is one."""
    rows = rows.iterator(chunk_size=CHUNK_SIZE)
    if prepare is None:
        yield from rows
        return
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield from prepare(chunk)


def list_export(
    request,
    *,
    name: str,
    filterset: FilterSet,
    columns: list[Column],
    prepare: Callable[[list], list] | None = None,
) -> HttpResponse:
    """The list's matching rows as a CSV or Excel file (`format=csv|xlsx`), after one audit
    event that says which list, with which filters, in which format and how many rows; or the
    answer of a registered handler (register_export_handler) that takes the export instead.
    The caller checks that the user may export (`accounts.permissions.EXPORTING_ROLES`).
    `prepare`, as for core.lists.list_page, turns each chunk of rows into what the columns
    read (what they need from other tables, in one query per table and chunk)."""
    format = request.GET.get("format", "")
    if format not in FORMATS:
        return export_refused(_("Choose the format of the file: csv or xlsx."))
    if not filterset.is_valid():
        return export_refused(
            _("Some filters are not valid: %(errors)s") % {"errors": _filter_errors(filterset)}
        )
    columns = export_columns(columns)
    rows = only_columns(filterset.qs, columns)
    export = ListExport(
        name=name,
        format=format,
        filters=_filters_asked(filterset),
        count=rows.count(),
        headers=[column.header for column in columns],
        rows=([column.value(row) for column in columns] for row in _chunks(rows, prepare)),
    )
    return answer_export(request, export)
