"""Every write of blockers: a record that waits, and the end of the wait."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record
from cases.reference import language_choices
from cases.selectors import case_team, screening_get_visible
from core.domain import TransitionNotAllowed, ensure
from notifications.matrix import Audience, announce
from referrals.selectors import referral_get_visible
from shelters.selectors import placement_get_visible

from .models import RECORDS, Blocker, Reason
from .permissions import can_record_blocker, still_running

GETTERS = {
    "screening": lambda user, pk: screening_get_visible(user=user, screening_id=pk),
    "referral": lambda user, pk: referral_get_visible(user=user, referral_id=pk),
    "placement": lambda user, pk: placement_get_visible(user=user, placement_id=pk),
}


def blocked_record(*, user, record: str, record_id: int):
    """The screening, referral or stay `user` may see (404 otherwise)."""
    if record not in RECORDS:
        raise Http404
    return GETTERS[record](user, record_id)


@transaction.atomic
def blocker_start(
    *, actor, record: str, record_id: int, reason: str, language: str = "", note: str = ""
) -> Blocker:
    """Record that a screening, referral or stay waits, from now, for `reason`.

    Side effects: the blocker row; an audit event; the case's team told (unless they
    recorded it). One open blocker per record: a second is refused until the first ends. A
    missing interpreter names the language (ValidationError without it)."""
    obj = blocked_record(user=actor, record=record, record_id=record_id)
    ensure(
        can_record_blocker(actor, record, obj),
        _("Only the offices and the shelter this record waits on say why it waits."),
    )
    if not still_running(record, obj):
        raise TransitionNotAllowed(_("This record is finished: it no longer waits."))
    errors = {}
    if reason not in Reason.values:
        errors["reason"] = _("Choose why it waits.")
    if reason == Reason.OTHER and not note.strip():
        errors["note"] = _("Say why it waits.")
    if reason != Reason.NO_INTERPRETER:
        language = ""
    elif not language:
        errors["language"] = _("Say which language needs an interpreter.")
    elif language not in dict(language_choices()):
        errors["language"] = _("Choose the language from the list.")
    if errors:
        raise ValidationError(errors)
    model = type(obj)
    model.objects.select_for_update().get(pk=obj.pk)  # one open blocker, whoever comes first
    if Blocker.objects.filter(**{record: obj}, ended_at__isnull=True).exists():
        raise TransitionNotAllowed(_("It already waits: end that wait first."))
    blocker = Blocker.objects.create(
        case=obj.case,
        **{record: obj},
        reason=reason,
        language=language,
        note=note.strip(),
        organisation=actor.membership.organisation,
        started_at=timezone.now(),
        started_by=actor,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=blocker,
        changes={"record": record, "record_id": obj.pk, "reason": reason, "language": language},
    )
    announce(
        "blocker.started",
        to={Audience.CASE_TEAM: case_team(obj.case)},
        actor=actor,
        link=obj.case.get_absolute_url(),
        number=obj.case.number,
        reason=blocker.label,
    )
    return blocker


@transaction.atomic
def blocker_end(*, actor, blocker_id: int) -> Blocker:
    """Record that the wait is over, now.

    Side effects: the blocker's end; an audit event. Who may start one may end it."""
    try:
        blocker = Blocker.objects.select_for_update().get(pk=blocker_id)
    except (Blocker.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    record = blocker.record
    obj = blocked_record(user=actor, record=record, record_id=getattr(blocker, f"{record}_id"))
    ensure(
        can_record_blocker(actor, record, obj),
        _("Only the offices and the shelter this record waits on say why it waits."),
    )
    if blocker.ended_at is not None:
        raise TransitionNotAllowed(_("This wait has already ended."))
    blocker.ended_at = timezone.now()
    blocker.ended_by = actor
    blocker.save(update_fields=["ended_at", "ended_by", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=blocker,
        changes={"ended_at": blocker.ended_at.isoformat()},
    )
    announce("blocker.ended", actor=actor)
    return blocker
