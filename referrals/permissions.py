"""Who may move a referral (DESIGN.md §6); called inside the services."""

from accounts.models import Organisation, Role

SENDER_ROLES = (Role.SOCIAL_WORKER, Role.SUPERVISOR)
RECEIVER_ROLES = {
    Organisation.Kind.SHELTER: (Role.SHELTER_DIRECTOR,),
    Organisation.Kind.PROVINCIAL_OFFICE: (Role.SOCIAL_WORKER, Role.SUPERVISOR),
}


def _membership(user):
    return user.membership if user.is_authenticated else None


def can_send(user, referral) -> bool:
    """Draft, submit, withdraw and answer queries: the sending office's provincial staff, or
    the director of a shelter that refers its resident on (a transfer between shelters)."""
    membership = _membership(user)
    if membership is None or membership.organisation_id != referral.from_organisation_id:
        return False
    if referral.from_organisation.kind == Organisation.Kind.SHELTER:
        return membership.role == Role.SHELTER_DIRECTOR
    return membership.role in SENDER_ROLES


def receiver_has_accounts(referral) -> bool:
    return referral.to_organisation.memberships.filter(
        is_active=True, user__is_active=True
    ).exists()


def can_receive(user, referral) -> bool:
    """Acknowledge, accept, decline, complete: the receiving organisation's deciders. A partner
    agency with no account in the system has its answers recorded by the sender."""
    membership = _membership(user)
    if membership is None:
        return False
    if membership.organisation_id == referral.to_organisation_id:
        return membership.role in RECEIVER_ROLES.get(referral.to_organisation.kind, ())
    return (
        referral.to_organisation.kind == Organisation.Kind.PARTNER
        and can_send(user, referral)
        and not receiver_has_accounts(referral)
    )


def can_review(user) -> bool:
    membership = _membership(user)
    return membership is not None and membership.role == Role.CENTRAL_REVIEWER
