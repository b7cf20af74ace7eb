"""Stay and work permits (Act s.37) and the deadline that watches their expiry."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ensure
from sla.models import Clock
from sla.services import deadline_close, deadline_open

from ..models import Case, CaseEvent, Permit
from ..permissions import can_work_on
from .cases import case_event_add


@transaction.atomic
def permit_record(
    *, case: Case, actor: User, reference: str, issued_on: dt.date, expires_on: dt.date
) -> Permit:
    """Record a stay-and-work permit (Act s.37). Its expiry is a deadline of the owning office,
    with a reminder 30 days before; a renewal replaces the previous permit's clock.

    Side effects: closes the previous permit's clock, opens the new one, a CaseEvent and an
    AuditEvent.
    """
    ensure(can_work_on(actor, case), _("Only the owning office records permits."))
    if expires_on <= issued_on:
        raise ValidationError({"expires_on": _("A permit expires after it is issued.")})
    for previous in case.permits.all():
        deadline_close(clock=Clock.PERMIT_EXPIRY, obj=previous)
    permit = Permit(
        case=case,
        reference=reference.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    permit.full_clean(exclude=["case", "recorded_by"])
    permit.save()
    end_of_validity = timezone.make_aware(dt.datetime.combine(expires_on, dt.time(23, 59)))
    deadline_open(
        clock=Clock.PERMIT_EXPIRY,
        obj=permit,
        organisation=case.owner,
        start=timezone.now(),
        due_at=end_of_validity,
    )
    case_event_add(
        case=case,
        kind=CaseEvent.Kind.PERMIT,
        actor=actor,
        summary=f"{permit.reference} → {expires_on}",
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=permit)
    return permit
