"""Operations: a raid or mass rescue that many cases link to."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Province, User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ensure

from ..models import Operation
from ..permissions import can_register


@transaction.atomic
def operation_create(
    *,
    actor: User,
    name: str,
    province: Province,
    started_on: dt.date,
    lead_agency: str = "",
    description: str = "",
) -> Operation:
    """Record a raid or mass rescue that many cases will link to."""
    ensure(can_register(actor), _("Only provincial social workers record operations."))
    operation = Operation(
        name=name.strip(),
        province=province,
        started_on=started_on,
        lead_agency=lead_agency.strip(),
        description=description.strip(),
        organisation=actor.membership.organisation,
    )
    operation.full_clean()
    operation.save()
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=operation)
    return operation
