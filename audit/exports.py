"""Personal data taken away in a file leaves a trace: every export is one audit event that
says what was taken (the list or report, its filters or period, the format, the number of rows)
before the first byte is streamed."""

from collections.abc import Callable, Iterator
from itertools import islice

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django_filters import FilterSet

from core.exports import FORMATS, export_refused, export_response
from core.lists import Column, export_columns

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


def _loaded(queryset: QuerySet, columns: list[Column]) -> QuerySet:
    """Only what the columns read, joined in the same query: one query per chunk of rows,
    however many rows there are."""
    fields = [field for column in columns for field in column.fields]
    relations = {field.rsplit("__", 1)[0] for field in fields if "__" in field}
    return queryset.select_related(None).select_related(*relations).only(*fields)


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
    event that says which list, with which filters, in which format and how many rows. The
    caller checks that the user may export (`accounts.permissions.EXPORTING_ROLES`).
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
    rows = _loaded(filterset.qs, columns)
    filters = {key: filterset.data[key] for key in filterset.filters if filterset.data.get(key)}
    return audited_export(
        request,
        changes={"list": name, "filters": filters, "format": format, "rows": rows.count()},
        format=format,
        filename=f"nrm-{name}",
        headers=[column.header for column in columns],
        rows=([column.value(row) for column in columns] for row in _chunks(rows, prepare)),
    )
