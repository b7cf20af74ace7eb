"""The provincial office's pages: its cases, registering a person, a case, a screening.
Thin: each view parses a form, calls one selector or service, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import EXPORTING_ROLES, has_role, may_export, role_required
from accounts.selectors import colleague_list
from audit.exports import list_export
from audit.models import AuditEvent
from audit.selectors import views_of
from audit.services import audit_record
from core.actions import perform
from core.domain import ActionForbidden, TransitionNotAllowed
from core.forms import add_service_errors
from core.lists import Column, labels, list_page

from . import selectors, services
from .duplicates import Candidate, find_duplicates
from .filters import CaseFilter
from .forms import (
    AccessGrantForm,
    CaseIntakeForm,
    CloseForm,
    ConsentForm,
    DecisionForm,
    DocumentForm,
    ExtensionForm,
    IndicatorsForm,
    InterviewForm,
    MemberForm,
    NoteForm,
    PermitForm,
    PersonForm,
    ScreeningStartForm,
    SecondReviewForm,
)
from .models import ExploitationType, Sex
from .permissions import can_close, can_grant, can_second_review, can_work_on
from .reference import country_choices
from .workflow import (
    ACTIVE_SCREENING_STATES,
    WORKING_SCREENING_STATES,
    CaseStatus,
    ScreeningStatus,
)

PROVINCIAL = (Role.SOCIAL_WORKER, Role.SUPERVISOR)
DOMAIN_ERRORS = (TransitionNotAllowed, ActionForbidden)


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
            "open_cases": cases.exclude(status="closed")[:50],
            "running_screenings": running[:RUNNING_SHOWN],
            "more_running": len(running) > RUNNING_SHOWN,
            "colleagues": colleague_list(organisation=organisation),
        },
    )


def _candidate(form: PersonForm) -> Candidate:
    data = form.cleaned_data
    documents = ()
    if data.get("document_kind") and data.get("document_number"):
        documents = ((data["document_kind"], data["document_number"]),)
    return Candidate(
        name_th=data.get("name_th", ""),
        name_latin=data.get("name_latin", ""),
        name_native=data.get("name_native", ""),
        aliases=tuple(data.get("aliases", ())),
        date_of_birth=data.get("date_of_birth"),
        estimated_age=data.get("estimated_age"),
        nationality=data.get("nationality", ""),
        documents=documents,
    )


def _matches_for(request, form):
    """Likely duplicates, split into those the worker may open and those of other offices
    (shown only as a case number and an office: never another office's person's details)."""
    matches = find_duplicates(_candidate(form))
    visible_ids = set(
        selectors.person_list_visible_to(user=request.user)
        .filter(pk__in=[m.person.pk for m in matches])
        .values_list("pk", flat=True)
    )
    visible = [m for m in matches if m.person.pk in visible_ids]
    elsewhere = [
        {"match": m, "cases": list(m.person.cases.select_related("owner"))}
        for m in matches
        if m.person.pk not in visible_ids
    ]
    return visible, elsewhere


@role_required(*PROVINCIAL)
def register(request):
    """Register a person and open their case. Before a new person is created the likely
    duplicates are shown, so the worker can link to an existing record instead."""
    person_form = PersonForm(request.POST or None)
    case_form = CaseIntakeForm(
        request.POST or None,
        initial={"intake_province": request.user.membership.organisation.province},
    )
    visible, elsewhere = [], []
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():
        link_to = request.POST.get("link_person")
        if not link_to and request.POST.get("confirmed_new") != "1":
            visible, elsewhere = _matches_for(request, person_form)
        if not (visible or elsewhere):
            try:
                case = _register(request, person_form, case_form, link_to)
            except ValidationError as error:
                add_service_errors(person_form, error)
            else:
                messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
                return redirect(case)
    return render(
        request,
        "cases/register.html",
        {
            "person_form": person_form,
            "case_form": case_form,
            "matches": visible,
            "matches_elsewhere": elsewhere,
        },
    )


@transaction.atomic
def _register(request, person_form, case_form, link_to):
    data = person_form.cleaned_data
    if link_to:
        person = selectors.person_get_visible(user=request.user, person_id=link_to)
    else:
        documents = []
        if data.get("document_kind"):
            documents.append(
                services.DocumentInput(
                    kind=data["document_kind"],
                    number=data["document_number"],
                    issuing_country=data.get("document_country", ""),
                )
            )
        person = services.person_create(
            actor=request.user,
            sex=data["sex"],
            name_th=data["name_th"],
            name_latin=data["name_latin"],
            name_native=data["name_native"],
            aliases=data["aliases"],
            date_of_birth=data["date_of_birth"],
            estimated_age=data["estimated_age"],
            age_disputed=data["age_disputed"],
            nationality=data["nationality"],
            stateless=data["stateless"],
            languages=data["languages"],
            documents=documents,
        )
    return services.case_open(actor=request.user, person=person, **case_form.cleaned_data)


@login_required  # who may see the case is the selector's business: otherwise 404
def detail(request, case_id):
    case = selectors.case_get_visible(user=request.user, case_id=case_id)
    audit_record(action=AuditEvent.Action.VIEW, actor=request.user, obj=case)
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
            "timeline": selectors.case_timeline(case=case),
            "may_work": may_work,
            "may_close": can_close(request.user, case),
            # Several forms on one page: distinct ids, so each label names its own field.
            "close_form": CloseForm(auto_id="close_%s"),
            "note_form": NoteForm(),
            "follow_up_form": NoteForm(auto_id="follow_up_%s"),
            "document_form": DocumentForm(),
            "consent_form": ConsentForm(),
            "permits": case.permits.all(),
            "placements": case.placements.select_related("unit__shelter__organisation"),
            "may_grant": can_grant(request.user, case),
            "grants": case.access_grants.select_related("user", "granted_by")
            if can_grant(request.user, case)
            else [],
            "grant_form": AccessGrantForm(),
            "permit_form": PermitForm(),
            "screening_form": ScreeningStartForm(),
        },
    )


def _case_action(request, case_id, form_class, action, success, go_to_result=False):
    """Run one service on a visible case from a posted form. Back to the case afterwards, or
    to what the service made when `go_to_result`."""
    case = selectors.case_get_visible(user=request.user, case_id=case_id)
    form = form_class(request.POST, request.FILES)
    result = perform(request, form, lambda data: action(case, data), success)
    return redirect(result if go_to_result and result is not None else case)


@require_POST
@role_required(*PROVINCIAL)
def close(request, case_id):
    return _case_action(
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
    return _case_action(
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
def add_note(request, case_id):
    return _case_action(
        request,
        case_id,
        NoteForm,
        lambda case, data: services.case_note_add(case=case, actor=request.user, text=data["text"]),
        _("Note added."),
    )


@require_POST
@role_required(*PROVINCIAL)
def add_document(request, case_id):
    return _case_action(
        request,
        case_id,
        DocumentForm,
        lambda case, data: services.case_document_add(
            case=case,
            actor=request.user,
            uploaded_file=data["file"],
            description=data["description"],
        ),
        _("Document added."),
    )


@require_POST
@role_required(*PROVINCIAL)
def add_consent(request, case_id):
    return _case_action(
        request,
        case_id,
        ConsentForm,
        lambda case, data: services.consent_record(case=case, actor=request.user, **data),
        _("Consent recorded."),
    )


@require_POST
@role_required(Role.SUPERVISOR)
def give_access(request, case_id):
    return _case_action(
        request,
        case_id,
        AccessGrantForm,
        lambda case, data: services.access_grant_give(case=case, actor=request.user, **data),
        _("Access given. It ends by itself at the time you chose."),
    )


@require_POST
@role_required(Role.SUPERVISOR)
def revoke_access(request, case_id, grant_id):
    case = selectors.case_get_visible(user=request.user, case_id=case_id)
    grant = case.access_grants.filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    try:
        services.access_grant_revoke(grant_id=grant.pk, actor=request.user)
    except DOMAIN_ERRORS as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Access revoked."))
    return redirect(case)


@require_POST
@role_required(*PROVINCIAL)
def add_permit(request, case_id):
    return _case_action(
        request,
        case_id,
        PermitForm,
        lambda case, data: services.permit_record(case=case, actor=request.user, **data),
        _("Permit recorded: its expiry is watched."),
    )


@require_POST
@role_required(*PROVINCIAL)
def start_screening(request, case_id):
    return _case_action(
        request,
        case_id,
        ScreeningStartForm,
        lambda case, data: services.screening_start(case_id=case.pk, actor=request.user, **data),
        _("Screening started: the identification clock is running."),
        go_to_result=True,
    )


@login_required
def document(request, case_id, document_id):
    """Serve an uploaded file only to those who may see its case, as an attachment."""
    record = selectors.document_get_visible(
        user=request.user, case_id=case_id, document_id=document_id
    )
    audit_record(action=AuditEvent.Action.VIEW, actor=request.user, obj=record)
    return FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )


@login_required
def person_detail(request, person_id):
    person = selectors.person_get_visible(user=request.user, person_id=person_id)
    audit_record(action=AuditEvent.Action.VIEW, actor=request.user, obj=person)
    cases = list(selectors.case_list_visible_to(user=request.user).filter(person=person))
    return render(
        request,
        "cases/person.html",
        {
            "person": person,
            "cases": cases,
            "documents": person.documents.all(),
            "viewers": views_of(person, *cases)[:50],
        },
    )


# --- Screening -------------------------------------------------------------------------------


@login_required
def screening(request, screening_id):
    record = selectors.screening_get_visible(user=request.user, screening_id=screening_id)
    audit_record(action=AuditEvent.Action.VIEW, actor=request.user, obj=record)
    active = record.status in WORKING_SCREENING_STATES
    return render(
        request,
        "cases/screening.html",
        {
            "screening": record,
            "case": record.case,
            "members": record.members.all(),
            "interviews": record.interviews.select_related("recorded_by"),
            "indicators": record.indicators.all(),
            "may_work": can_work_on(request.user, record.case) and active,
            "may_extend": can_work_on(request.user, record.case)
            and record.status in ACTIVE_SCREENING_STATES,
            "may_second_review": record.status == ScreeningStatus.PENDING_SECOND_REVIEW
            and can_second_review(request.user, record),
            "member_form": MemberForm(),
            "indicators_form": IndicatorsForm(
                initial={"indicators": [i.code for i in record.indicators.all()]}
            ),
            "interview_form": InterviewForm(),
            "extension_form": ExtensionForm(),
            "decision_form": DecisionForm(),
            "second_review_form": SecondReviewForm(),
        },
    )


def _screening_action(request, screening_id, form_class, action, success):
    record = selectors.screening_get_visible(user=request.user, screening_id=screening_id)
    perform(request, form_class(request.POST), lambda data: action(record, data), success)
    return redirect(record)


@require_POST
@role_required(*PROVINCIAL)
def screening_add_member(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        MemberForm,
        lambda record, data: services.screening_update(
            screening_id=record.pk, actor=request.user, members=[services.MemberInput(**data)]
        ),
        _("MDT member added."),
    )


@require_POST
@role_required(*PROVINCIAL)
def screening_indicators(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        IndicatorsForm,
        lambda record, data: services.screening_update(
            screening_id=record.pk,
            actor=request.user,
            indicator_codes=[i.code for i in data["indicators"]],
        ),
        _("Indicators saved."),
    )


@require_POST
@role_required(*PROVINCIAL)
def screening_interview(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        InterviewForm,
        lambda record, data: services.interview_record(
            screening_id=record.pk, actor=request.user, **data
        ),
        _("Interview recorded."),
    )


@require_POST
@role_required(*PROVINCIAL)
def screening_extend(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        ExtensionForm,
        lambda record, data: services.screening_extend(
            screening_id=record.pk, actor=request.user, **data
        ),
        _("Deadline extended by court order."),
    )


@require_POST
@role_required(*PROVINCIAL)
def screening_decide(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        DecisionForm,
        lambda record, data: services.screening_decide(
            screening_id=record.pk, actor=request.user, **data
        ),
        _("Decision recorded."),
    )


@require_POST
@role_required(Role.CENTRAL_REVIEWER)
def screening_second_review(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        SecondReviewForm,
        lambda record, data: services.screening_second_review(
            screening_id=record.pk, actor=request.user, **data
        ),
        _("Second review recorded."),
    )


# --- Every visible case, filtered, and its export ---------------------------------------------


def _filtered_cases(request) -> CaseFilter:
    """The one queryset behind the case list and its export: the cases the user may see,
    narrowed by the GET parameters (cases/filters.py)."""
    cases = selectors.case_list_visible_to(user=request.user).select_related("intake_province")
    return CaseFilter(request.GET, queryset=cases.order_by("-created_at", "-pk"))


@login_required  # a partner with a grant has no role: the selector shows them their cases
def case_list(request):
    if has_role(request.user, Role.SYSADMIN):
        raise PermissionDenied  # a sysadmin sees no victim data
    return list_page(
        request,
        _filtered_cases(request),
        "cases/list.html",
        may_export=may_export(request.user),
    )


AGE_FIELDS = ("person__date_of_birth", "person__estimated_age", "person__age_estimated_on")
AGE_FIELDS += ("person__created_at", "person__age_disputed")


def case_columns() -> list[Column]:
    """The columns of the case export, in the active language."""
    sex, status = labels(Sex.choices), labels(CaseStatus.choices)
    exploitation, country = labels(ExploitationType.choices), labels(country_choices())
    yes, no, stateless = _("Yes"), _("No"), _("Stateless")
    today = timezone.localdate()
    return [
        Column(_("Case number"), ("number",), lambda case: case.number),
        Column(_("Name in Thai"), ("person__name_th",), lambda case: case.person.name_th),
        Column(
            _("Name in Latin script"),
            ("person__name_latin",),
            lambda case: case.person.name_latin,
        ),
        Column(
            _("Name in native script"),
            ("person__name_native",),
            lambda case: case.person.name_native,
        ),
        Column(_("Sex"), ("person__sex",), lambda case: sex(case.person.sex)),
        Column(_("Age"), AGE_FIELDS, lambda case: case.person.age(today)),
        Column(_("Child"), AGE_FIELDS, lambda case: yes if case.person.is_child else no),
        Column(
            _("Nationality"),
            ("person__nationality", "person__stateless"),
            lambda case: stateless if case.person.stateless else country(case.person.nationality),
        ),
        Column(
            _("Intake province"),
            ("intake_province__name_th", "intake_province__name_en"),
            lambda case: case.intake_province.name,
        ),
        Column(_("Intake date"), ("intake_date",), lambda case: case.intake_date),
        Column(_("Status"), ("status",), lambda case: status(case.status)),
        Column(
            _("Forms of exploitation"),
            ("exploitation_types",),
            lambda case: ", ".join(map(exploitation, case.exploitation_types)),
        ),
        Column(
            _("Owning office"),
            ("owner__name_th", "owner__name_en"),
            lambda case: case.owner.name,
        ),
    ]


@role_required(*EXPORTING_ROLES)
def case_export(request):
    return list_export(
        request, name="cases", filterset=_filtered_cases(request), columns=case_columns()
    )


@login_required  # as the case page: who may see the case is the selector's business
def summary(request, case_id):
    """The case on one printable page, for an office that files on paper. Seen by whoever sees
    the case, and audited as a read of it."""
    case = selectors.case_get_visible(user=request.user, case_id=case_id)
    audit_record(action=AuditEvent.Action.VIEW, actor=request.user, obj=case)
    return render(
        request,
        "cases/summary.html",
        {
            "case": case,
            "person": case.person,
            "screenings": case.screenings.all(),
            "placements": case.placements.select_related("unit__shelter__organisation"),
            "consents": case.consents.all(),
            "printed_at": timezone.now(),
        },
    )
