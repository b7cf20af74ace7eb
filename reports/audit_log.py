"""The audit log as the central division reads it. It lives with the other oversight pages, above
every app, so that the log can be shown in the domain's words; `audit` itself only records."""

from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from audit.forms import AuditSearchForm
from audit.selectors import audit_search

PAGE = 200


@role_required(Role.CENTRAL_REVIEWER)
def search(request):
    """The central division searches the audit log: who saw or changed what, when, from where."""
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    events = audit_search(**criteria)[:PAGE] if form.is_bound and form.is_valid() else []
    return render(request, "audit/search.html", {"form": form, "events": events, "page": PAGE})
