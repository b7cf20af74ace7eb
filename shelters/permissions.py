"""Who may run a shelter's beds and residents (DESIGN.md §6); called inside the services."""

from accounts.models import Role


def _membership(user):
    return user.membership if user.is_authenticated else None


def is_director_of(user, shelter) -> bool:
    """Admit, transfer, discharge, set capacity: the shelter's director."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.role == Role.SHELTER_DIRECTOR
        and membership.organisation_id == shelter.organisation_id
    )


def works_at(user, shelter) -> bool:
    """Care plans and outings: the shelter's director and staff."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.role in (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF)
        and membership.organisation_id == shelter.organisation_id
    )


def can_set_capacity(user, shelter) -> bool:
    """The shelter's director, or a sysadmin keeping the reference data (in the admin)."""
    membership = _membership(user)
    return is_director_of(user, shelter) or (
        membership is not None and membership.role == Role.SYSADMIN
    )
