"""The case page's sections that come when they scroll into view, served on their own.

The notes, the documents, the timeline (which grows without end) and the sections of the court
case and the return home were half of the case page's CPU (docs/PERFORMANCE.md). The page now
holds their headings and a link each (templates/includes/section_on_demand.html); htmx fetches a
section when it scrolls into view, and without JavaScript the link opens it on a page of its
own. Each fetch is a read of the case like the page's: the case visible to the user (404
otherwise) and the reading logged.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .. import selectors


@dataclass(frozen=True)
class CaseSection:
    title: object
    read: Callable  # read(user, case): what the section's template shows beside the case


CASE_SECTIONS = {
    "notes": CaseSection(
        _("Notes"), lambda user, case: {"notes": case.notes.select_related("author")}
    ),
    "documents": CaseSection(_("Documents"), lambda user, case: {"files": case.files.all()}),
    "timeline": CaseSection(
        _("Timeline"),
        lambda user, case: {"timeline": selectors.case_timeline(user=user, case=case)},
    ),
    # Their apps' template tags read them (`cases` does not import the apps built on it).
    "repatriation": CaseSection(_("Return home"), lambda user, case: {}),
    "outcomes": CaseSection(_("Outcomes"), lambda user, case: {}),
    "justice": CaseSection(_("Court case and compensation"), lambda user, case: {}),
    "plan": CaseSection(_("Plan across agencies"), lambda user, case: {}),
    "blockers": CaseSection(_("Waiting, and why"), lambda user, case: {}),
}


@login_required  # who may see the case is the selector's business: otherwise 404
def case_section(request, case_id, section):
    """One section of the case page: alone for htmx, else on a page of its own with the way
    back to the case."""
    spec = CASE_SECTIONS.get(section)
    if spec is None:
        raise Http404
    case = selectors.case_get_for_display(user=request.user, case_id=case_id)
    context = {
        "case": case,
        "title": spec.title,
        "section": f"cases/sections/{section}.html",
        **spec.read(request.user, case),
    }
    if request.headers.get("HX-Request"):
        return render(request, context["section"], context)
    return render(request, "cases/case_section.html", context)
