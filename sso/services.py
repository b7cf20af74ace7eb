"""Who an OpenID Connect sign-in is: an existing, active account named by a claim of the
identity provider. Single sign-on never creates an account and never changes a role; the
accounts that must sign in with a second factor here (central reviewers, sysadmins,
superusers: the break-glass administrators) sign in only with their local password and code.
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.mfa import MFA_ROLES
from audit.models import AuditEvent
from audit.services import audit_record


def oidc_user_for(*, claims: dict, request=None):
    """The account the provider's `claims` name (by NRM_OIDC_USERNAME_CLAIM), or None when the
    sign-in is refused: no such active account, a break-glass account, or an organisation not
    allowed to sign in through the provider (NRM_OIDC_ORGANISATIONS). A refusal is an audit
    event of a failed sign-in with the reason; a success is audited by the sign-in itself."""
    name = str(claims.get(settings.NRM_OIDC_USERNAME_CLAIM) or "")[:150]
    user = get_user_model().objects.filter(username=name, is_active=True).first() if name else None
    reason = _refusal(user)
    if reason:
        audit_record(
            action=AuditEvent.Action.LOGIN_FAILED,
            username=name,
            changes={"via": "oidc", "reason": reason, "subject": str(claims.get("sub", ""))[:200]},
            request=request,
        )
        return None
    return user


def _refusal(user) -> str:
    if user is None:
        return "no account with this name"
    membership = user.membership
    if user.is_superuser or (membership is not None and membership.role in MFA_ROLES):
        return "a break-glass account signs in locally with its second factor"
    allowed = settings.NRM_OIDC_ORGANISATIONS
    if allowed and (membership is None or membership.organisation.code not in allowed):
        return "the account's organisation does not sign in through this provider"
    return ""
