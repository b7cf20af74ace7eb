"""Who may move a referral (DESIGN.md §6); called inside the services."""

from accounts.models import Organisation, Role

from .workflow import REVIEW_TRANSITIONS, TRANSITIONS, ReviewState, State

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


# The moves a page or the API offers: the workflow table says whether the referral may move
# that way now, the predicate whether this user may make the move.
_MOVES = {
    # name: (field, target state, who)
    "submit": ("state", State.SUBMITTED, can_send),
    "acknowledge": ("state", State.ACKNOWLEDGED, can_receive),
    "accept": ("state", State.ACCEPTED, can_receive),
    "decline": ("state", State.DECLINED, can_receive),
    "complete": (
        "state",
        State.COMPLETED,
        lambda user, referral: can_receive(user, referral) or can_send(user, referral),
    ),
    "withdraw": ("state", State.WITHDRAWN, can_send),
    "answer": ("review_state", ReviewState.PENDING, can_send),
    # A review endorses, queries or escalates: offered while any of the three is allowed.
    "review": ("review_state", ReviewState.ENDORSED, lambda user, referral: can_review(user)),
}
_TABLES = {"state": TRANSITIONS, "review_state": REVIEW_TRANSITIONS}


def available_moves(user, referral) -> set[str]:
    """The names of the moves `user` may make on `referral` now (the services check the same
    table and predicates, so an offered move is never refused for its state or its author)."""
    moves = {
        name
        for name, (field, target, who) in _MOVES.items()
        if target in _TABLES[field].get(getattr(referral, field), ()) and who(user, referral)
    }
    # A redirect makes a new referral from a declined one, once.
    if can_review(user) and referral.state == State.DECLINED and not referral.redirects.exists():
        moves.add("redirect")
    return moves
