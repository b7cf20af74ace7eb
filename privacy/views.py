"""The data protection officer's pages: the register's overview, breaches, data subjects'
requests, transfers abroad. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_role, role_required
from audit.reads import record_list
from core.actions import perform
from core.domain import ActionForbidden, TransitionNotAllowed
from core.forms import add_service_errors
from core.processing import record_of_processing
from core.versions import VersionForm, version_of

from . import selectors, services
from .forms import (
    AssessForm,
    BreachForm,
    BreakGlassForm,
    CloseForm,
    DecideForm,
    ReleaseForm,
    ReportForm,
    RequestForm,
    ReviewForm,
    ToldForm,
    VerifyForm,
)
from .models import COPY_KINDS, RecordKind, RetentionRule, RetentionRun
from .permissions import BREAK_GLASS_ROLES, OFFICER, PROCESSING_READERS, READERS, is_officer
from .services.break_glass import BREAK_GLASS_HOURS
from .services.retention import HOLDS
from .workflow import BreachStatus, RequestStatus

PAGE = 50
KINDS = dict(RecordKind.choices)


def _page(request, rows):
    return Paginator(rows, PAGE).get_page(request.GET.get("page"))


@role_required(*READERS)
def home(request):
    """What is open: breaches before their report, requests before their answer, each with
    its clock."""
    clocks = selectors.running_deadlines_by_object()
    breaches = selectors.breach_list_visible_to(user=request.user).filter(status=BreachStatus.OPEN)
    requests = selectors.request_list_visible_to(user=request.user).exclude(
        status=RequestStatus.ANSWERED
    )
    return render(
        request,
        "privacy/home.html",
        {
            "breaches": [(breach, clocks.get(("breach", breach.pk))) for breach in breaches],
            "requests": [(row, clocks.get(("subjectrequest", row.pk))) for row in requests],
            "is_officer": is_officer(request.user),
        },
    )


def _create(request, form, template, service, success):
    """A new record from `form` through `service`; refusals come back beside the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            record = service(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except (ActionForbidden, TransitionNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(record)
    return render(request, template, {"form": form})


# --- Breaches ----------------------------------------------------------------------------------


@role_required(*READERS)
def breach_list(request):
    page = _page(request, selectors.breach_list_visible_to(user=request.user))
    return render(
        request, "privacy/breaches.html", {"page": page, "is_officer": is_officer(request.user)}
    )


@role_required(*OFFICER)
def breach_new(request):
    return _create(
        request,
        BreachForm(request.POST or None),
        "privacy/breach_new.html",
        services.breach_record,
        _("The breach is recorded: the 72-hour clock runs."),
    )


@role_required(*READERS)
def breach_detail(request, breach_id):
    breach = selectors.breach_get_for_display(user=request.user, breach_id=breach_id)
    persons = breach.affected_persons.all()
    version = {"version": version_of(breach)}
    return render(
        request,
        "privacy/breach.html",
        {
            "breach": breach,
            "deadline": selectors.running_deadline(breach),
            "affected_count": persons.count(),
            "affected_cases": selectors.cases_of(persons)[:200],
            "is_officer": is_officer(request.user),
            "Status": BreachStatus,
            "assess_form": AssessForm(
                initial={
                    "risk": breach.risk,
                    "risk_assessment": breach.risk_assessment,
                    "measures": breach.measures,
                    **version,
                }
            ),
            "report_form": ReportForm(initial=version),
            "told_form": ToldForm(initial=version),
            "close_form": CloseForm(initial={"measures": breach.measures, **version}),
        },
    )


BREACH_ACTIONS = {
    "assess": (AssessForm, services.breach_assess),
    "report": (ReportForm, services.breach_report),
    "not_reportable": (VersionForm, services.breach_not_reportable),
    "told": (ToldForm, services.breach_persons_told),
    "close": (CloseForm, services.breach_close),
}


def _act(request, record, actions: dict, step: str, **identifies):
    """Run one step on a visible record from its posted form, if the record is still as the
    form saw it; the outcome comes back as a message on the record's page."""
    form_class, service = actions[step]
    perform(
        request,
        form_class(request.POST),
        lambda data: service(actor=request.user, **identifies, **data),
        _("Saved."),
        record=record,
    )
    return redirect(record)


@require_POST
@role_required(*OFFICER)
def breach_act(request, breach_id, move):
    if move not in BREACH_ACTIONS:
        raise Http404
    breach = selectors.breach_get_visible(user=request.user, breach_id=breach_id)
    return _act(request, breach, BREACH_ACTIONS, move, breach_id=breach.pk)


# --- Data subjects' requests ------------------------------------------------------------------


@role_required(*READERS)
def request_list(request):
    page = _page(request, selectors.request_list_visible_to(user=request.user))
    return render(
        request, "privacy/requests.html", {"page": page, "is_officer": is_officer(request.user)}
    )


@role_required(*OFFICER)
def request_new(request):
    initial = {"received_by": request.user.membership.organisation.code, "language": "th"}
    return _create(
        request,
        RequestForm(request.POST or None, initial=initial),
        "privacy/request_new.html",
        services.request_record,
        _("The request is recorded: the 30-day clock runs."),
    )


@role_required(*READERS)
def request_detail(request, request_id):
    subject_request = selectors.request_get_for_display(user=request.user, request_id=request_id)
    version = {"version": version_of(subject_request)}
    return render(
        request,
        "privacy/request.html",
        {
            "subject_request": subject_request,
            "deadline": selectors.running_deadline(subject_request),
            "events": subject_request.events.select_related("actor"),
            "case_numbers": selectors.cases_of([subject_request.person]).values_list(
                "number", flat=True
            ),
            "is_officer": is_officer(request.user),
            "gives_copy": subject_request.kind in COPY_KINDS,
            "Status": RequestStatus,
            "verify_form": VerifyForm(initial=version),
            "decide_form": DecideForm(initial=version),
            "release_form": ReleaseForm(initial=version),
        },
    )


REQUEST_ACTIONS = {
    "verify": (VerifyForm, services.request_verify),
    "decide": (DecideForm, services.request_decide),
    "release": (ReleaseForm, services.request_release),
}


@require_POST
@role_required(*OFFICER)
def request_act(request, request_id, step):
    if step not in REQUEST_ACTIONS:
        raise Http404
    subject_request = selectors.request_get_visible(user=request.user, request_id=request_id)
    return _act(request, subject_request, REQUEST_ACTIONS, step, request_id=subject_request.pk)


# --- Retention ----------------------------------------------------------------------------------


@role_required(*OFFICER)
def retention(request):
    """The retention rules, and the latest runs with what each erased, or would erase, and
    what the legal holds kept."""
    runs = RetentionRun.objects.select_related("actor")[:10]
    return render(
        request,
        "privacy/retention.html",
        {"rules": RetentionRule.objects.all(), "runs": runs, "holds": HOLDS, "kinds": KINDS},
    )


@require_POST
@role_required(*OFFICER)
def retention_dry_run(request):
    services.retention_run(dry_run=True, actor=request.user)
    messages.success(request, _("The dry run is listed below: nothing was erased."))
    return redirect("privacy:retention")


# --- Break-glass access ---------------------------------------------------------------------------


@role_required(*BREAK_GLASS_ROLES, *READERS)
def break_glass_list(request):
    """Every emergency access (the officer and the central division review them); a
    supervisor sees their own and opens one here."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST":
        if not has_role(request.user, *BREAK_GLASS_ROLES):
            raise PermissionDenied
        if form.is_valid():
            try:
                glass = services.break_glass_open(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The case is open to you until the time shown."))
                return redirect(glass.grant.case)
    page = _page(request, selectors.break_glass_list_visible_to(user=request.user))
    return render(
        request,
        "privacy/break_glass.html",
        {
            "page": page,
            "form": form,
            "may_open": has_role(request.user, *BREAK_GLASS_ROLES),
            "is_officer": is_officer(request.user),
            "review_form": ReviewForm(),
            "now": timezone.now(),
            "hours": BREAK_GLASS_HOURS,
        },
    )


@require_POST
@role_required(*OFFICER)
def break_glass_review(request, glass_id):
    glass = get_object_or_404(selectors.break_glass_list_visible_to(user=request.user), pk=glass_id)
    perform(
        request,
        ReviewForm(request.POST),
        lambda data: services.break_glass_review(glass_id=glass.pk, actor=request.user, **data),
        _("Saved."),
        record=glass,
    )
    return redirect("privacy:break_glass")


# --- Record of processing ------------------------------------------------------------------------


@role_required(*PROCESSING_READERS)
def processing(request):
    """The record of processing activities (PDPA s.39), as the apps declare it."""
    return render(
        request,
        "privacy/processing.html",
        {"activities": record_of_processing(), "is_officer": is_officer(request.user)},
    )


# --- Transfers abroad ---------------------------------------------------------------------------


@role_required(*READERS)
def transfer_list(request):
    """Every hand-over of a person's data abroad (repatriation.DataTransfer), newest first."""
    page = _page(request, selectors.transfers_abroad())
    record_list(list(page), user=request.user, name="transfers-abroad")
    return render(
        request, "privacy/transfers.html", {"page": page, "is_officer": is_officer(request.user)}
    )
