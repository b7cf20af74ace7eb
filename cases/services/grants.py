"""Named persons' time-limited access to one case (django-guardian object permissions)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Role, User
from audit.models import AuditEvent
from audit.services import audit_record
from core.dates import format_date, format_datetime
from core.domain import ensure
from notifications.matrix import Audience, announce

from ..models import AccessGrant, Case, Consent, ConsentStep
from ..permissions import can_grant
from ..selectors import consent_latest

# Rendered in each recipient's language when the notification is written.
lazy_format_datetime = lazy(format_datetime, str)

# A grant is for one task (an MDT interview, a court hearing): never open-ended.
MAX_GRANT = dt.timedelta(days=90)


@transaction.atomic
def access_grant_give(
    *, case: Case, actor: User, user: User, purpose: str, expires_at: dt.datetime
) -> AccessGrant:
    """Give a named person read access to one case until `expires_at` (at most 90 days).

    The person's latest recorded will on sharing their information governs: after a refusal
    the case is not shared (a lawful duty to share goes through the authorities, not here).

    Side effects: a django-guardian object permission (view_case) for that user on that case,
    an AuditEvent.
    """
    ensure(can_grant(actor, case), _("Only a supervisor of the owning office gives access."))
    errors = {}
    sharing = consent_latest(case, ConsentStep.DATA_SHARING)
    if sharing is not None and sharing.decision == Consent.Decision.REFUSED:
        errors["user"] = _(
            "The person refused to have their information shared with partners (recorded on "
            "%(date)s). Nobody outside the owning office can be given this case unless they "
            "agree again."
        ) % {"date": format_date(sharing.recorded_at)}
    if not purpose.strip():
        errors["purpose"] = _("Say why this person needs the case.")
    now = timezone.now()
    if not now < expires_at <= now + MAX_GRANT:
        errors["expires_at"] = _("Access ends in the future, within 90 days.")
    if not user.is_active or (user.membership and user.membership.role == Role.SYSADMIN):
        errors["user"] = _("This account cannot be given access to a case.")
    if errors:
        raise ValidationError(errors)
    grant = AccessGrant.objects.create(
        case=case, user=user, purpose=purpose.strip(), granted_by=actor, expires_at=expires_at
    )
    assign_perm("cases.view_case", user, case)
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=grant,
        changes={"user": user.username, "case": case.number, "expires_at": expires_at.isoformat()},
    )
    announce(
        "access.granted",
        to={Audience.GRANTEE: [user]},
        actor=actor,
        link=case.get_absolute_url(),
        number=case.number,
        until=lazy_format_datetime(expires_at),
    )
    return grant


def _revoke(grant: AccessGrant, actor: User | None, at: dt.datetime) -> None:
    grant.revoked_at = at
    grant.save(update_fields=["revoked_at"])
    still_granted = AccessGrant.objects.filter(
        case_id=grant.case_id, user_id=grant.user_id, revoked_at__isnull=True, expires_at__gt=at
    ).exists()
    if not still_granted:
        remove_perm("cases.view_case", grant.user, grant.case)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        username="" if actor else "system",
        obj=grant,
        changes={"revoked": True, "expired": actor is None},
    )
    if actor is None:
        announce("access.expired")
    else:
        announce(
            "access.revoked",
            to={Audience.GRANTEE: [grant.user]},
            actor=actor,
            number=grant.case.number,
        )


@transaction.atomic
def access_grant_revoke(*, grant_id: int, actor: User) -> AccessGrant:
    """End a grant now. Side effects: removes the object permission, an AuditEvent."""
    grant = AccessGrant.objects.select_for_update().select_related("case", "user").get(pk=grant_id)
    ensure(can_grant(actor, grant.case), _("Only a supervisor of the owning office revokes."))
    if grant.revoked_at is None:
        _revoke(grant, actor, timezone.now())
    return grant


@transaction.atomic
def access_grants_expire(*, now: dt.datetime | None = None) -> int:
    """Revoke every grant past its expiry (the periodic task); returns how many."""
    now = now or timezone.now()
    expired = list(
        AccessGrant.objects.select_for_update(skip_locked=True)
        .filter(revoked_at__isnull=True, expires_at__lte=now)
        .select_related("case", "user")
    )
    for grant in expired:
        _revoke(grant, None, now)
    return len(expired)
