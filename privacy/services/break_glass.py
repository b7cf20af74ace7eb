"""Break-glass access: a supervisor (for a case of another office) or the data protection
officer (for a breach or a request that needs the record) opens one case for themself, for a
named reason, for BREAK_GLASS_HOURS. It is a cases.AccessGrant with its object permission, so
the case's visibility selector lets them in and cases.tasks.expire_access_grants ends it; the
central division and the case's team are told, and the officer reviews each one."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from accounts.models import User
from accounts.permissions import has_role
from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import AccessGrant, Case
from cases.selectors import case_list_visible_to, case_team, grant_copies_forget
from core.domain import ensure
from notifications.matrix import Audience, announce

from ..models import BreakGlass
from ..permissions import BREAK_GLASS_ROLES, is_officer
from ._common import lazy_format_datetime

BREAK_GLASS_HOURS = 4


@transaction.atomic
def break_glass_open(*, actor: User, case_number: str, reason: str) -> BreakGlass:
    """Open one case to `actor` for BREAK_GLASS_HOURS.

    Side effects: an AccessGrant given by the actor to themself with the view_case object
    permission; a BreakGlass row; an AuditEvent; the central division's reviewers and the
    case's team are told (the reason stays on the list, not in an e-mail).
    """
    ensure(
        has_role(actor, *BREAK_GLASS_ROLES),
        _("Only a supervisor opens another office's case in an emergency."),
    )
    errors = {}
    case = (
        Case.objects.select_related("lead_worker", "owner")
        .filter(number=case_number.strip().upper())
        .first()
    )
    if case is None:
        errors["case_number"] = _("No case has this number.")
    elif case_list_visible_to(user=actor).filter(pk=case.pk).exists():
        errors["case_number"] = _("You already see this case: open it from the case list.")
    if len(reason.strip()) < 10:
        errors["reason"] = _("Say why you need this case now, in a sentence.")
    if errors:
        raise ValidationError(errors)
    expires_at = timezone.now() + dt.timedelta(hours=BREAK_GLASS_HOURS)
    grant = AccessGrant.objects.create(
        case=case,
        user=actor,
        purpose=_("Emergency access: %(reason)s") % {"reason": reason.strip()[:250]},
        granted_by=actor,
        expires_at=expires_at,
    )
    assign_perm("cases.view_case", actor, case)
    grant_copies_forget(actor.pk)
    glass = BreakGlass.objects.create(grant=grant, reason=reason.strip())
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=glass,
        changes={"case": case.number, "reason": glass.reason, "expires_at": expires_at.isoformat()},
    )
    announce(
        "privacy.break_glass",
        to={Audience.CENTRAL: central_reviewers(), Audience.CASE_TEAM: case_team(case)},
        actor=actor,
        link=case.get_absolute_url(),
        user=actor.display_name,
        number=case.number,
        until=lazy_format_datetime(expires_at),
    )
    return glass


@transaction.atomic
def break_glass_review(*, glass_id: int, actor: User, note: str) -> BreakGlass:
    """The officer's review of one emergency access (justified, or taken further).

    Side effects: an AuditEvent.
    """
    ensure(is_officer(actor), _("Only the data protection officer reviews emergency access."))
    glass = BreakGlass.objects.select_for_update().get(pk=glass_id)
    if not note.strip():
        raise ValidationError({"note": _("Say what the review found.")})
    glass.reviewed_by, glass.reviewed_at, glass.review_note = actor, timezone.now(), note.strip()
    glass.save(update_fields=["reviewed_by", "reviewed_at", "review_note", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE, actor=actor, obj=glass, changes={"reviewed": True}
    )
    announce("privacy.break_glass_reviewed")
    return glass
