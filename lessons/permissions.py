"""Who may do what on the lessons-learned register: small predicates, called inside the
services and by the pages to offer only what the user may do."""

from accounts.models import Organisation, Role

# The offices that bring their pain points to the centre (the NRM forums): provincial offices,
# the regional academic support offices and the shelters.
RAISING_KINDS = frozenset(
    {
        Organisation.Kind.PROVINCIAL_OFFICE,
        Organisation.Kind.REGIONAL_OFFICE,
        Organisation.Kind.SHELTER,
    }
)
# Every office reads the register; not a sysadmin, the data protection officer or a partner
# agency, whose work here is elsewhere.
NOT_READERS = frozenset({Role.SYSADMIN, Role.DATA_PROTECTION_OFFICER, Role.PARTNER})
READER_ROLES = tuple(role for role in Role if role not in NOT_READERS)


def _membership(user):
    return user.membership if user.is_authenticated else None


def can_read_register(user) -> bool:
    membership = _membership(user)
    return membership is not None and membership.role in READER_ROLES


def can_raise(user) -> bool:
    """A member of a provincial office, a regional office or a shelter raises an issue."""
    membership = _membership(user)
    return (
        can_read_register(user) and membership.organisation.kind in RAISING_KINDS  # type: ignore[union-attr]
    )


def can_endorse(user, lesson) -> bool:
    """Another office or shelter (not the one that raised it) says it faces the issue too."""
    return can_raise(user) and user.membership.organisation_id != lesson.organisation_id


def can_answer(user) -> bool:
    """The central division's reviewers consider, answer and close items, and give actions."""
    membership = _membership(user)
    return membership is not None and membership.role == Role.CENTRAL_REVIEWER


def can_complete(user, action) -> bool:
    """A member of the organisation that owns the action marks it done."""
    return can_read_register(user) and user.membership.organisation_id == action.organisation_id
