"""Adding to a case's file: notes, documents, consents, permits and access grants; serving a
document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from core.domain import ActionForbidden, TransitionNotAllowed

from .. import selectors, services
from ..forms import (
    DocumentForm,
    NoteForm,
)
from ._common import PROVINCIAL, case_action
from .case_forms import case_form_post

DOMAIN_ERRORS = (TransitionNotAllowed, ActionForbidden)


@require_POST
@role_required(*PROVINCIAL)
def add_note(request, case_id):
    return case_action(
        request,
        case_id,
        NoteForm,
        lambda case, data: services.case_note_add(case=case, actor=request.user, text=data["text"]),
        _("Note added."),
    )


@require_POST
@role_required(*PROVINCIAL)
def add_document(request, case_id):
    return case_action(
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
    return case_form_post(
        request,
        case_id,
        "consent",
        lambda case, data: services.consent_record(case=case, actor=request.user, **data),
        _("Consent recorded."),
    )


@require_POST
@role_required(Role.SUPERVISOR)
def give_access(request, case_id):
    return case_form_post(
        request,
        case_id,
        "access",
        lambda case, data: services.access_grant_give(case=case, actor=request.user, **data),
        _("Shared. The person is told; access ends by itself at the time you chose."),
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
    return case_form_post(
        request,
        case_id,
        "permit",
        lambda case, data: services.permit_record(case=case, actor=request.user, **data),
        _("Permit recorded: its expiry is watched."),
    )


@login_required
def document(request, case_id, document_id):
    """Serve an uploaded file only to those who may see its case, as an attachment."""
    record = selectors.document_get_for_display(
        user=request.user, case_id=case_id, document_id=document_id
    )
    return document_response(record)


def document_response(record) -> FileResponse:
    """An uploaded document as a download (never shown inline: it may hold anything)."""
    return FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
