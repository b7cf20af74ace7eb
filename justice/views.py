"""The justice pages: a case's court cases, compensation claims and permits; a proceeding
with its hearings; a claim; the lists of proceedings and claims with their exports. Thin:
parse, call one selector or service, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import EXPORTING_ROLES, may_export, role_required
from audit.exports import list_export
from audit.reads import audited_list_page
from cases.selectors import case_get_for_display, case_get_visible
from core.actions import perform
from core.lists import Column, labels
from core.versions import version_of

from . import selectors, services
from .filters import ClaimFilter, ProsecutionFilter
from .forms import (
    AwardForm,
    CancelHearingForm,
    ChargeForm,
    ClaimForm,
    ConcludeForm,
    HearingForm,
    HeldForm,
    PostponeForm,
    ProsecutionForm,
    ReasonForm,
    ReceiveForm,
    RejectForm,
    WitnessForm,
)
from .models import ClaimSource, Offence, Verdict
from .permissions import can_record
from .workflow import (
    CLAIM_TRANSITIONS,
    OPEN_PROSECUTION_STATES,
    PROSECUTION_TRANSITIONS,
    ClaimStatus,
    HearingStatus,
    ProsecutionStatus,
)

PROVINCIAL = (Role.SOCIAL_WORKER, Role.SUPERVISOR)
WORKING = (*PROVINCIAL, Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF, Role.CENTRAL_REVIEWER)


@login_required  # who may see the case is the selector's business: otherwise 404
def case_page(request, case_id):
    """A case's court cases, compensation claims and s.37 permits with their expiry clocks."""
    case = case_get_for_display(user=request.user, case_id=case_id)
    return render(
        request,
        "justice/case.html",
        {
            "case": case,
            "prosecutions": selectors.prosecution_list_visible_to(user=request.user).filter(
                case=case
            ),
            "claims": selectors.claim_list_visible_to(user=request.user).filter(case=case),
            "permits": selectors.permits_with_deadlines(case),
            "may_record": can_record(request.user, case) and case.is_open,
            "prosecution_form": ProsecutionForm(auto_id="prosecution_%s"),
            "claim_form": ClaimForm(case=case, auto_id="claim_%s"),
        },
    )


@require_POST
@role_required(*PROVINCIAL)
def record_prosecution(request, case_id):
    case = case_get_visible(user=request.user, case_id=case_id)
    prosecution = perform(
        request,
        ProsecutionForm(request.POST),
        lambda data: services.prosecution_record(case=case, actor=request.user, **data),
        _("The police case is recorded."),
    )
    return redirect(prosecution or "justice:case", *([] if prosecution else [case.pk]))


@require_POST
@role_required(*PROVINCIAL)
def file_claim(request, case_id):
    case = case_get_visible(user=request.user, case_id=case_id)
    claim = perform(
        request,
        ClaimForm(request.POST, case=case),
        lambda data: services.claim_file(case=case, actor=request.user, **data),
        _("The compensation claim is recorded."),
    )
    return redirect(claim or "justice:case", *([] if claim else [case.pk]))


def _version(record) -> dict:
    """A form's initial data: the version of the record it changes, as the page shows it."""
    return {"version": version_of(record)}


@login_required
def prosecution(request, prosecution_id):
    prosecution = selectors.prosecution_get_for_display(
        user=request.user, prosecution_id=prosecution_id
    )
    may_record = can_record(request.user, prosecution.case)
    moves = PROSECUTION_TRANSITIONS[prosecution.status] if may_record else set()
    version = _version(prosecution)
    return render(
        request,
        "justice/prosecution.html",
        {
            "prosecution": prosecution,
            "case": prosecution.case,
            # Several forms per hearing: distinct ids, so each label names its own field.
            "hearings": [
                (
                    hearing,
                    HeldForm(auto_id=f"held{hearing.pk}_%s", initial=_version(hearing)),
                    PostponeForm(auto_id=f"postpone{hearing.pk}_%s", initial=_version(hearing)),
                    CancelHearingForm(auto_id=f"cancel{hearing.pk}_%s", initial=_version(hearing)),
                )
                for hearing in prosecution.hearings.all()
            ],
            "claims": prosecution.claims.all(),
            "may_record": may_record,
            "is_open": prosecution.status in OPEN_PROSECUTION_STATES,
            "may_charge": ProsecutionStatus.BEFORE_COURT in moves,
            "may_conclude": ProsecutionStatus.CONCLUDED in moves,
            "may_drop": ProsecutionStatus.DROPPED in moves,
            "Scheduled": HearingStatus.SCHEDULED,
            "charge_form": ChargeForm(auto_id="charge_%s", initial=version),
            "witness_form": WitnessForm.of(prosecution),
            "conclude_form": ConcludeForm(auto_id="conclude_%s", initial=version),
            "drop_form": ReasonForm(auto_id="drop_%s", initial=version),
            "hearing_form": HearingForm(auto_id="hearing_%s"),
        },
    )


def _prosecution_action(request, prosecution_id, form_class, action, success):
    prosecution = selectors.prosecution_get_visible(
        user=request.user, prosecution_id=prosecution_id
    )
    perform(
        request,
        form_class(request.POST),
        lambda data: action(prosecution.pk, data),
        success,
        record=prosecution,
    )
    return redirect(prosecution)


@require_POST
@role_required(*PROVINCIAL)
def charge(request, prosecution_id):
    return _prosecution_action(
        request,
        prosecution_id,
        ChargeForm,
        lambda pk, data: services.prosecution_charge(prosecution_id=pk, actor=request.user, **data),
        _("The charge before the court is recorded."),
    )


@require_POST
@role_required(*PROVINCIAL)
def witness(request, prosecution_id):
    return _prosecution_action(
        request,
        prosecution_id,
        WitnessForm,
        lambda pk, data: services.prosecution_witness_update(
            prosecution_id=pk, actor=request.user, **data
        ),
        _("The witness support is recorded."),
    )


@require_POST
@role_required(*PROVINCIAL)
def conclude(request, prosecution_id):
    return _prosecution_action(
        request,
        prosecution_id,
        ConcludeForm,
        lambda pk, data: services.prosecution_conclude(
            prosecution_id=pk, actor=request.user, **data
        ),
        _("The judgment is recorded."),
    )


@require_POST
@role_required(*PROVINCIAL)
def drop(request, prosecution_id):
    return _prosecution_action(
        request,
        prosecution_id,
        ReasonForm,
        lambda pk, data: services.prosecution_drop(
            prosecution_id=pk, actor=request.user, reason=data["reason"]
        ),
        _("The proceeding is closed without judgment."),
    )


@require_POST
@role_required(*PROVINCIAL)
def schedule_hearing(request, prosecution_id):
    return _prosecution_action(
        request,
        prosecution_id,
        HearingForm,
        lambda pk, data: services.hearing_schedule(prosecution_id=pk, actor=request.user, **data),
        _("The hearing is scheduled; reminders will come before the day."),
    )


def _hearing_action(request, hearing_id, form_class, action, success):
    hearing = selectors.hearing_get_visible(user=request.user, hearing_id=hearing_id)
    perform(
        request,
        form_class(request.POST),
        lambda data: action(hearing.pk, data),
        success,
        record=hearing,
    )
    return redirect(hearing)


@require_POST
@role_required(*PROVINCIAL)
def hearing_held(request, hearing_id):
    return _hearing_action(
        request,
        hearing_id,
        HeldForm,
        lambda pk, data: services.hearing_record_held(hearing_id=pk, actor=request.user, **data),
        _("The hearing is recorded as held."),
    )


@require_POST
@role_required(*PROVINCIAL)
def hearing_postpone(request, hearing_id):
    return _hearing_action(
        request,
        hearing_id,
        PostponeForm,
        lambda pk, data: services.hearing_postpone(hearing_id=pk, actor=request.user, **data),
        _("The hearing is moved to its new date."),
    )


@require_POST
@role_required(*PROVINCIAL)
def hearing_cancel(request, hearing_id):
    return _hearing_action(
        request,
        hearing_id,
        CancelHearingForm,
        lambda pk, data: services.hearing_cancel(hearing_id=pk, actor=request.user, **data),
        _("The hearing is cancelled."),
    )


@login_required
def claim(request, claim_id):
    claim = selectors.claim_get_for_display(user=request.user, claim_id=claim_id)
    moves = CLAIM_TRANSITIONS[claim.status] if can_record(request.user, claim.case) else set()
    version = _version(claim)
    return render(
        request,
        "justice/claim.html",
        {
            "claim": claim,
            "case": claim.case,
            "may_award": ClaimStatus.AWARDED in moves,
            "may_reject": ClaimStatus.REJECTED in moves,
            "may_withdraw": ClaimStatus.WITHDRAWN in moves,
            "may_receive": ClaimStatus.RECEIVED in moves,
            "may_mark_unpaid": ClaimStatus.UNPAID in moves,
            "award_form": AwardForm(auto_id="award_%s", initial=version),
            "reject_form": RejectForm(auto_id="reject_%s", initial=version),
            "withdraw_form": ReasonForm(auto_id="withdraw_%s", initial=version),
            "receive_form": ReceiveForm(auto_id="receive_%s", initial=version),
            "unpaid_form": ReasonForm(auto_id="unpaid_%s", initial=version),
        },
    )


def _claim_action(request, claim_id, form_class, action, success):
    claim = selectors.claim_get_visible(user=request.user, claim_id=claim_id)
    perform(
        request,
        form_class(request.POST),
        lambda data: action(claim.pk, data),
        success,
        record=claim,
    )
    return redirect(claim)


@require_POST
@role_required(*PROVINCIAL)
def claim_award(request, claim_id):
    return _claim_action(
        request,
        claim_id,
        AwardForm,
        lambda pk, data: services.claim_award(claim_id=pk, actor=request.user, **data),
        _("The award is recorded."),
    )


@require_POST
@role_required(*PROVINCIAL)
def claim_reject(request, claim_id):
    return _claim_action(
        request,
        claim_id,
        RejectForm,
        lambda pk, data: services.claim_reject(claim_id=pk, actor=request.user, **data),
        _("The refusal is recorded."),
    )


@require_POST
@role_required(*PROVINCIAL)
def claim_withdraw(request, claim_id):
    return _claim_action(
        request,
        claim_id,
        ReasonForm,
        lambda pk, data: services.claim_withdraw(claim_id=pk, actor=request.user, **data),
        _("The claim is withdrawn."),
    )


@require_POST
@role_required(*PROVINCIAL)
def claim_receive(request, claim_id):
    return _claim_action(
        request,
        claim_id,
        ReceiveForm,
        lambda pk, data: services.claim_receive(claim_id=pk, actor=request.user, **data),
        _("The payment to the person is recorded."),
    )


@require_POST
@role_required(*PROVINCIAL)
def claim_unpaid(request, claim_id):
    return _claim_action(
        request,
        claim_id,
        ReasonForm,
        lambda pk, data: services.claim_mark_unpaid(claim_id=pk, actor=request.user, **data),
        _("The award is recorded as never paid."),
    )


# --- The lists and their exports ------------------------------------------------------------


def _case_link(row):
    return format_html('<a href="{}">{}</a>', row.get_absolute_url(), row.case.number)


def _person_column():
    return Column(
        _("Person"),
        ("case__person__name_th", "case__person__name_latin", "case__person__name_native"),
        lambda row: row.case.person.display_name,
    )


def prosecution_columns() -> list[Column]:
    """The columns of the list of proceedings and its export, in the active language."""
    offence, status, verdict = (
        labels(Offence.choices),
        labels(ProsecutionStatus.choices),
        labels(Verdict.choices),
    )
    return [
        Column(
            _("Case number"), ("case__number",), lambda p: p.case.number, _case_link, nowrap=True
        ),
        _person_column(),
        Column(_("Offence"), ("offence",), lambda p: offence(p.offence)),
        Column(_("Police station"), ("police_station",), lambda p: p.police_station),
        Column(_("Police case number"), ("police_case_number",), lambda p: p.police_case_number),
        Column(_("Complaint filed on"), ("reported_on",), lambda p: p.reported_on, nowrap=True),
        Column(_("Court"), ("court",), lambda p: p.court),
        Column(_("Court case number"), ("court_case_number",), lambda p: p.court_case_number),
        Column(_("Status"), ("status",), lambda p: status(p.status)),
        Column(_("Judgment"), ("verdict",), lambda p: verdict(p.verdict) if p.verdict else ""),
        Column(_("Judgment given on"), ("judgment_on",), lambda p: p.judgment_on, nowrap=True),
    ]


def _filtered_prosecutions(request) -> ProsecutionFilter:
    prosecutions = selectors.prosecution_list_visible_to(user=request.user)
    return ProsecutionFilter(request.GET, queryset=prosecutions.order_by("-reported_on", "-pk"))


@role_required(*WORKING)
def prosecution_list(request):
    return audited_list_page(
        request,
        _filtered_prosecutions(request),
        "justice/prosecutions.html",
        name="prosecutions",
        columns=prosecution_columns(),
        may_export=may_export(request.user),
    )


@role_required(*EXPORTING_ROLES)
def prosecution_export(request):
    return list_export(
        request,
        name="prosecutions",
        filterset=_filtered_prosecutions(request),
        columns=prosecution_columns(),
    )


def _baht(value):
    return f"{value:,.2f}" if value is not None else ""


def claim_columns() -> list[Column]:
    """The columns of the list of compensation claims and its export. The page shows amounts
    as text in baht; the file keeps them as numbers."""
    source, status = labels(ClaimSource.choices), labels(ClaimStatus.choices)

    def amount(header, field, **extra):
        return [
            Column(header, (field,), lambda c: _baht(getattr(c, field)), in_export=False, **extra),
            Column(header, (field,), lambda c: getattr(c, field), on_page=False),
        ]

    return [
        Column(
            _("Case number"), ("case__number",), lambda c: c.case.number, _case_link, nowrap=True
        ),
        _person_column(),
        Column(_("Claimed from"), ("source",), lambda c: source(c.source)),
        Column(_("Status"), ("status",), lambda c: status(c.status)),
        *amount(_("Amount claimed (baht)"), "amount_claimed"),
        Column(_("Claimed on"), ("claimed_on",), lambda c: c.claimed_on, nowrap=True),
        *amount(_("Amount awarded (baht)"), "amount_awarded"),
        Column(_("Decided on"), ("decided_on",), lambda c: c.decided_on, nowrap=True),
        *amount(_("Amount received (baht)"), "amount_received"),
        Column(_("Received on"), ("received_on",), lambda c: c.received_on, nowrap=True),
    ]


def _filtered_claims(request) -> ClaimFilter:
    claims = selectors.claim_list_visible_to(user=request.user)
    return ClaimFilter(request.GET, queryset=claims.order_by("-claimed_on", "-pk"))


@role_required(*WORKING)
def claim_list(request):
    return audited_list_page(
        request,
        _filtered_claims(request),
        "justice/claims.html",
        name="compensation-claims",
        columns=claim_columns(),
        may_export=may_export(request.user),
    )


@role_required(*EXPORTING_ROLES)
def claim_export(request):
    return list_export(
        request,
        name="compensation-claims",
        filterset=_filtered_claims(request),
        columns=claim_columns(),
    )
