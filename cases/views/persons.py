"""Registering a person and their case (with the possible duplicates shown first), and a
person's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import has_role, role_required
from audit.selectors import views_of
from core.actions import perform
from core.forms import add_service_errors
from core.versions import version_of

from .. import selectors, services
from ..forms import CaseIntakeForm, PersonForm, PersonMergeForm
from ._common import PROVINCIAL


def _documents(data: dict) -> list[services.DocumentInput]:
    if not data.get("document_kind"):
        return []
    return [
        services.DocumentInput(
            kind=data["document_kind"],
            number=data["document_number"],
            issuing_country=data.get("document_country", ""),
        )
    ]


PERSON_FIELDS = (
    "sex",
    "name_th",
    "name_latin",
    "name_native",
    "aliases",
    "date_of_birth",
    "estimated_age",
    "age_disputed",
    "nationality",
    "stateless",
    "languages",
    "phone",
)


@role_required(*PROVINCIAL)
def register(request):
    """Register a person and open their case. Before a new person is created the likely
    duplicates are shown, so the worker can link to an existing record instead
    (services.case_register)."""
    person_form = PersonForm(request.POST or None)
    case_form = CaseIntakeForm(
        request.POST or None,
        initial={"intake_province": request.user.membership.organisation.province},
    )
    outcome = services.RegisterOutcome()
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():
        data = person_form.cleaned_data
        try:
            outcome = services.case_register(
                actor=request.user,
                person={name: data[name] for name in PERSON_FIELDS},
                documents=_documents(data),
                case=case_form.cleaned_data,
                link_person_id=request.POST.get("link_person") or None,
                confirmed_new=request.POST.get("confirmed_new") == "1",
                link_document_holder=request.POST.get("link_document_holder") == "1",
            )
        except ValidationError as error:
            add_service_errors(person_form, error)
        if outcome.case is not None:
            number = outcome.case.number
            messages.success(request, _("Case %(number)s opened.") % {"number": number})
            return redirect(outcome.case)
    return render(
        request,
        "cases/register.html",
        {
            "person_form": person_form,
            "case_form": case_form,
            "matches": outcome.matches,
            "matches_elsewhere": outcome.elsewhere,
            "document_holder_elsewhere": outcome.document_holder_elsewhere,
        },
    )


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
            "merge_form": PersonMergeForm(initial={"version": version_of(person)})
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

    perform(
        request, PersonMergeForm(request.POST), merge, _("The records were merged."), record=person
    )
    return redirect("cases:person", person.pk)
