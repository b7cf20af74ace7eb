"""A case's pages: the office's home, the case, its printable summary; closing, reopening and
starting a screening."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.selectors import colleague_list

from .. import selectors, services
from ..forms import (
    AccessGrantForm,
    CloseForm,
    ConsentForm,
    DocumentForm,
    NoteForm,
    PermitForm,
    ScreeningStartForm,
)
from ..permissions import can_close, can_grant, can_work_on
from ..workflow import (
    ACTIVE_SCREENING_STATES,
    CaseStatus,
)
from ._common import PROVINCIAL, case_action

RUNNING_SHOWN = 50


@role_required(*PROVINCIAL)
def home(request):
    """A provincial office's landing page: its open cases, screenings running, colleagues."""
    organisation = request.user.membership.organisation
    cases = selectors.case_list_visible_to(user=request.user)
    # The soonest clocks only: after a mass rescue hundreds run at once, and the deadlines
    # page lists them all.
    running = list(
        selectors.screening_list_visible_to(user=request.user)
        .filter(status__in=ACTIVE_SCREENING_STATES)
        .select_related(None)
        .select_related("case__person")
        .order_by("deadline_at")[: RUNNING_SHOWN + 1]
    )
    return render(
        request,
        "cases/home.html",
        {
            "open_cases": cases.exclude(status=CaseStatus.CLOSED)[:50],
            "running_screenings": running[:RUNNING_SHOWN],
            "more_running": len(running) > RUNNING_SHOWN,
            "colleagues": colleague_list(organisation=organisation),
        },
    )


@login_required  # who may see the case is the selector's business: otherwise 404
def detail(request, case_id):
    case = selectors.case_get_for_display(user=request.user, case_id=case_id)
    may_work = can_work_on(request.user, case)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "person": case.person,
            "documents": case.person.documents.all(),
            "screenings": case.screenings.all(),
            "consents": case.consents.select_related("recorded_by"),
            "notes": case.notes.select_related("author"),
            "files": case.files.all(),
            "timeline": selectors.case_timeline(user=request.user, case=case),
            "may_work": may_work,
            "may_close": can_close(request.user, case),
            # Several forms on one page: distinct ids, so each label names its own field.
            "close_form": CloseForm(auto_id="close_%s"),
            "note_form": NoteForm(),
            "document_form": DocumentForm(),
            "consent_form": ConsentForm(),
            "permits": case.permits.all(),
            "placements": selectors.case_stays_for(user=request.user, case=case),
            "may_grant": can_grant(request.user, case),
            "grants": case.access_grants.select_related("user", "granted_by")
            if can_grant(request.user, case)
            else [],
            "grant_form": AccessGrantForm(),
            "permit_form": PermitForm(),
            "screening_form": ScreeningStartForm(),
        },
    )


@require_POST
@role_required(*PROVINCIAL)
def close(request, case_id):
    return case_action(
        request,
        case_id,
        CloseForm,
        lambda case, data: services.case_close(
            case_id=case.pk, actor=request.user, reason=data["reason"]
        ),
        _("The case is closed."),
    )


@require_POST
@role_required(*PROVINCIAL)
def reopen(request, case_id):
    return case_action(
        request,
        case_id,
        CloseForm,
        lambda case, data: services.case_reopen(
            case_id=case.pk, actor=request.user, reason=data["reason"]
        ),
        _("The case is reopened."),
    )


@require_POST
@role_required(*PROVINCIAL)
def start_screening(request, case_id):
    return case_action(
        request,
        case_id,
        ScreeningStartForm,
        lambda case, data: services.screening_start(case_id=case.pk, actor=request.user, **data),
        _("Screening started: the identification clock is running."),
        go_to_result=True,
    )


@login_required  # as the case page: who may see the case is the selector's business
def summary(request, case_id):
    """The case on one printable page, for an office that files on paper. Seen by whoever sees
    the case, and audited as a read of it."""
    case = selectors.case_get_for_display(user=request.user, case_id=case_id)
    return render(
        request,
        "cases/summary.html",
        {
            "case": case,
            "person": case.person,
            "screenings": case.screenings.all(),
            "placements": selectors.case_stays_for(user=request.user, case=case),
            "consents": case.consents.all(),
            "printed_at": timezone.now(),
        },
    )
