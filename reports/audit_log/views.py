"""The audit log's page and its export, for the central division only."""

from accounts.models import Role
from accounts.permissions import role_required
from audit.exports import list_export
from audit.reads import audited_list_page
from audit.selectors import audit_log

from .entries import LIST_NAME, entry_columns, name_events
from .filters import AuditLogFilter


def _filtered_log(request) -> AuditLogFilter:
    """The one queryset behind the page and its export: the log, newest first, narrowed by
    the GET parameters (filters.py)."""
    return AuditLogFilter(request.GET, queryset=audit_log(), request=request)


@role_required(Role.CENTRAL_REVIEWER)
def search(request):
    """Who saw or changed what, when, from where: 25 entries a page (or 50, 100), newest
    first, each named as a person names it. A page of it shows persons' names, so it is
    logged as a list."""
    return audited_list_page(
        request,
        _filtered_log(request),
        "audit/search.html",
        name=LIST_NAME,
        columns=entry_columns(),
        prepare=lambda events: name_events(events, viewer=request.user),
        # The log grows by the second (this page's own entry among them): counted each time.
        live_count=True,
        may_export=True,
    )


@role_required(Role.CENTRAL_REVIEWER)
def export(request):
    """The matching entries as a CSV or Excel file, itself an entry of the log."""
    return list_export(
        request,
        name=LIST_NAME,
        filterset=_filtered_log(request),
        columns=entry_columns(),
        prepare=lambda events: name_events(events, viewer=request.user),
    )
