"""What goes into a case's file: notes, documents and consents."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ensure

from ..models import Case, CaseDocument, CaseEvent, CaseNote, Consent, ConsentStep
from ..permissions import can_work_on
from .cases import case_event_add

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_CONTENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@transaction.atomic
def case_note_add(*, case: Case, actor: User, text: str) -> CaseNote:
    ensure(can_work_on(actor, case), _("Only the owning office writes notes on this case."))
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    note = CaseNote.objects.create(case=case, author=actor, text=text.strip())
    case_event_add(case=case, kind=CaseEvent.Kind.NOTE, actor=actor, summary=text.strip()[:120])
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=note)
    return note


@transaction.atomic
def case_document_add(
    *, case: Case, actor: User, uploaded_file, description: str = ""
) -> CaseDocument:
    """Store an uploaded file on a case, refusing files too large or of the wrong type."""
    ensure(can_work_on(actor, case), _("Only the owning office adds documents to this case."))
    if uploaded_file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB.") % {"mb": DOCUMENT_MAX_BYTES >> 20}}
        )
    if uploaded_file.content_type not in DOCUMENT_CONTENT_TYPES:
        raise ValidationError(
            {"file": _("Only PDF, JPEG, PNG, text, Word and Excel files can be added.")}
        )
    document = CaseDocument(
        case=case,
        file=uploaded_file,
        original_name=uploaded_file.name[:255],
        content_type=uploaded_file.content_type,
        size=uploaded_file.size,
        description=description.strip(),
        uploaded_by=actor,
    )
    document.full_clean()
    document.save()
    case_event_add(
        case=case, kind=CaseEvent.Kind.DOCUMENT, actor=actor, summary=document.original_name
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=document)
    return document


@transaction.atomic
def consent_record(
    *,
    case: Case,
    actor: User,
    step: str,
    decision: str,
    rights_notified: bool = False,
    reason: str = "",
    language: str = "",
) -> Consent:
    """Record that the person was told their rights (s.33) and consented, refused, or need
    not consent (a child, say: then the reason is required)."""
    ensure(can_work_on(actor, case), _("Only the owning office records consent on this case."))
    return _consent_save(
        Consent(
            case=case,
            step=step,
            decision=decision,
            rights_notified=rights_notified,
            reason=reason.strip(),
            language=language,
            recorded_by=actor,
        )
    )


def referral_consent_given_now(*, case: Case, actor: User) -> Consent:
    """The person, told their rights (s.33), consents to the referral being made now: recorded
    by its sender in the same action (referral_create has checked that they send it)."""
    return _consent_save(
        Consent(
            case=case,
            step=ConsentStep.REFERRAL,
            decision=Consent.Decision.GIVEN,
            rights_notified=True,
            recorded_by=actor,
        )
    )


def _consent_save(consent: Consent) -> Consent:
    if consent.decision == Consent.Decision.NOT_REQUIRED and not consent.reason:
        raise ValidationError({"reason": _("Say why no consent is needed.")})
    consent.full_clean()
    consent.save()
    case_event_add(
        case=consent.case,
        kind=CaseEvent.Kind.CONSENT,
        actor=consent.recorded_by,
        summary=f"{consent.get_step_display()}: {consent.get_decision_display()}",
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=consent.recorded_by, obj=consent)
    return consent
