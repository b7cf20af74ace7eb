"""Registering a person and their case (with the possible duplicates shown first), and a
person's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import has_role, role_required
from audit.selectors import views_of
from core.actions import perform
from core.forms import add_service_errors

from .. import selectors, services
from ..duplicates import Candidate, find_duplicates
from ..forms import CaseIntakeForm, PersonForm, PersonMergeForm
from ._common import PROVINCIAL


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
    """Likely duplicates: those the worker may open, and the persons of other offices, which
    the worker is not shown at all (not even that an office holds a named person: the central
    division is asked to check instead, services.possible_duplicate_report)."""
    matches = find_duplicates(_candidate(form))
    visible_ids = set(
        selectors.person_list_visible_to(user=request.user)
        .filter(pk__in=[m.person.pk for m in matches])
        .values_list("pk", flat=True)
    )
    visible = [m for m in matches if m.person.pk in visible_ids]
    elsewhere = [m.person for m in matches if m.person.pk not in visible_ids]
    return visible, elsewhere


def _document_holder_elsewhere(request, form):
    """The person of another office who holds the identity document typed in `form`: the same
    person, whatever the names say (None when there is none, or the worker may see them)."""
    data = form.cleaned_data
    if not (data.get("document_kind") and data.get("document_number")):
        return None
    holder = selectors.person_holding_document(
        kind=data["document_kind"],
        number=data["document_number"],
        issuing_country=data.get("document_country", ""),
    )
    visible = selectors.person_list_visible_to(user=request.user)
    return holder if holder is not None and not visible.filter(pk=holder.pk).exists() else None


@transaction.atomic
def _open_for_holder(request, holder, case_form):
    """A case of the worker's office for the person holding the document (another office's
    person): the central division, which sees both, is told."""
    case = services.case_open(actor=request.user, person=holder, **case_form.cleaned_data)
    services.possible_duplicate_report(case=case, actor=request.user, persons=[holder])
    return case


@role_required(*PROVINCIAL)
def register(request):
    """Register a person and open their case. Before a new person is created the likely
    duplicates are shown, so the worker can link to an existing record instead."""
    person_form = PersonForm(request.POST or None)
    case_form = CaseIntakeForm(
        request.POST or None,
        initial={"intake_province": request.user.membership.organisation.province},
    )
    visible, elsewhere, holder = [], [], None
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():
        holder = _document_holder_elsewhere(request, person_form)
        if holder is not None and request.POST.get("link_document_holder") == "1":
            case = _open_for_holder(request, holder, case_form)
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect(case)
        link_to = request.POST.get("link_person")
        confirmed = request.POST.get("confirmed_new") == "1"
        if not link_to:
            visible, elsewhere = _matches_for(request, person_form)
        if link_to or confirmed or not (visible or elsewhere):
            try:
                case = _register(request, person_form, case_form, link_to)
            except ValidationError as error:
                add_service_errors(person_form, error)
            else:
                if elsewhere and not link_to:
                    services.possible_duplicate_report(
                        case=case, actor=request.user, persons=elsewhere
                    )
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
            "document_holder_elsewhere": holder is not None,
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
            phone=data["phone"],
            documents=documents,
        )
    return services.case_open(actor=request.user, person=person, **case_form.cleaned_data)


@login_required
def person_detail(request, person_id):
    person = selectors.person_get_for_display(user=request.user, person_id=person_id)
    cases = list(selectors.case_list_visible_to(user=request.user).filter(person=person))
    return render(
        request,
        "cases/person.html",
        {
            "person": person,
            "cases": cases,
            "documents": person.documents.all(),
            "viewers": views_of(person, *cases)[:50],
            "merge_form": PersonMergeForm()
            if has_role(request.user, Role.CENTRAL_REVIEWER)
            else None,
        },
    )


@require_POST
@role_required(Role.CENTRAL_REVIEWER)
def person_merge(request, person_id):
    """The central division merges another record of the same person into this one (an office
    reported a possible duplicate: services.person_merge)."""
    person = selectors.person_get_visible(user=request.user, person_id=person_id)

    def merge(data):
        return services.person_merge(
            keep=person,
            duplicate=selectors.person_of_case_number(
                user=request.user, number=data["case_number"]
            ),
            actor=request.user,
            reason=data["reason"],
        )

    perform(request, PersonMergeForm(request.POST), merge, _("The records were merged."))
    return redirect("cases:person", person.pk)
