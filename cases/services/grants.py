"""Named persons' time-limited access to one case (django-guardian object permissions)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Organisation, Role, User
from audit.models import AuditEvent
from audit.services import audit_record
from core.dates import format_date, format_datetime
from core.domain import ensure
from notifications.matrix import Audience, announce

from ..extensions import share_ended
from ..models import AccessGrant, Case, Consent, ConsentStep, SharedPart
from ..permissions import can_grant
from ..selectors import case_shared_with_agency, consent_latest, grant_copies_forget

# Rendered in each recipient's language when the notification is written.
lazy_format_datetime = lazy(format_datetime, str)

# A grant is for one task (an MDT interview, a court hearing): never open-ended.
MAX_GRANT = dt.timedelta(days=90)


def _partner_errors(user: User, organisation: Organisation | None, parts: list[str]) -> dict:
    """What is wrong with sharing with a partner agency's officer: the agency is an active
    partner, the person works in it, and at least one known part is shared. A partner
    officer is only ever given parts of a case, through their agency."""
    membership = user.membership
    is_partner = membership is not None and membership.role == Role.PARTNER
    if organisation is None and not is_partner:
        return {}
    errors = {}
    if organisation is None or organisation.kind != Organisation.Kind.PARTNER:
        errors["organisation"] = _("Choose a partner agency.")
    elif not organisation.is_active:
        errors["organisation"] = _("This partner agency is no longer active.")
    elif not is_partner or membership.organisation_id != organisation.pk:
        errors["user"] = _("Choose a person of the partner agency you chose.")
    if not parts or set(parts) - set(SharedPart.values):
        errors["parts"] = _("Choose at least one part of the case to share.")
    return errors


@transaction.atomic
def access_grant_give(
    *,
    case: Case,
    actor: User,
    user: User,
    purpose: str,
    expires_at: dt.datetime,
    organisation: Organisation | None = None,
    parts: list[str] | None = None,
) -> AccessGrant:
    """Give a named person read access to one case until `expires_at` (at most 90 days). With
    a partner agency (`organisation`): its officer sees only the `parts` shared (identity,
    screening, interviews, documents) on the partner's pages, nothing else of the case.

    The person's latest recorded will on sharing their information governs: after a refusal
    the case is not shared (a lawful duty to share goes through the authorities, not here).

    Side effects: a django-guardian object permission (view_case) for that user on that case,
    an AuditEvent, the person told (access.granted).
    """
    ensure(can_grant(actor, case), _("Only a supervisor of the owning office gives access."))
    parts = sorted(set(parts or []))
    errors = _partner_errors(user, organisation, parts)
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
        case=case,
        user=user,
        organisation=organisation,
        parts=parts if organisation else [],
        purpose=purpose.strip(),
        granted_by=actor,
        expires_at=expires_at,
    )
    assign_perm("cases.view_case", user, case)
    grant_copies_forget(user.pk)
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=grant,
        changes={
            "user": user.username,
            "case": case.number,
            "expires_at": expires_at.isoformat(),
            **({"organisation": organisation.code, "parts": parts} if organisation else {}),
        },
    )
    announce(
        "access.granted",
        to={Audience.GRANTEE: [user]},
        actor=actor,
        # A partner's home page lists what is shared with it; the case page is not theirs.
        link=reverse("home") if organisation else case.get_absolute_url(),
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
    if grant.organisation_id and not case_shared_with_agency(
        case_id=grant.case_id, organisation_id=grant.organisation_id, at=at
    ):
        share_ended(grant.case, grant.organisation, actor)
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
    grant = (
        AccessGrant.objects.select_for_update(of=("self",))
        .select_related("case", "user", "organisation")
        .get(pk=grant_id)
    )
    ensure(can_grant(actor, grant.case), _("Only a supervisor of the owning office revokes."))
    if grant.revoked_at is None:
        _revoke(grant, actor, timezone.now())
    return grant


@transaction.atomic
def access_grants_expire(*, now: dt.datetime | None = None) -> int:
    """Revoke every grant past its expiry (the periodic task); returns how many."""
    now = now or timezone.now()
    expired = list(
        AccessGrant.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(revoked_at__isnull=True, expires_at__lte=now)
        .select_related("case", "user", "organisation")
    )
    for grant in expired:
        _revoke(grant, None, now)
    return len(expired)
