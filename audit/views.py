from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required

from .forms import AuditSearchForm
from .selectors import audit_search

PAGE = 200


@role_required(Role.CENTRAL_REVIEWER)
def search(request):
    """The central division searches the audit log: who saw or changed what, when, from where."""
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    events = audit_search(**criteria)[:PAGE] if form.is_bound and form.is_valid() else []
    return render(request, "audit/search.html", {"form": form, "events": events, "page": PAGE})
