"""Who may do what to a case: small predicates, called inside the services (DESIGN.md §6).
Seeing a case is the selectors' business; these assume the case is already visible."""

from accounts.models import Role

from .workflow import OPEN_SCREENING_STATES

PROVINCIAL_ROLES = (Role.SOCIAL_WORKER, Role.SUPERVISOR)


def _membership(user):
    return user.membership if user.is_authenticated else None


def can_register(user) -> bool:
    """Provincial social workers and supervisors register persons and open cases."""
    membership = _membership(user)
    return membership is not None and membership.role in PROVINCIAL_ROLES


def can_work_on(user, case) -> bool:
    """Screen, note, upload and record consent: the owning office's provincial staff."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.role in PROVINCIAL_ROLES
        and membership.organisation_id == case.owner_id
    )


def can_start_screening(user, case) -> bool:
    """The owning office starts a screening of an open case, one at a time (a second is refused
    while one is under way: services.screening_start)."""
    return (
        can_work_on(user, case)
        and case.is_open
        # The case's screenings as the page read them (prefetched), else one query.
        and not any(s.status in OPEN_SCREENING_STATES for s in case.screenings.all())
    )


def can_close(user, case) -> bool:
    """The lead worker or a supervisor of the owning office closes and reopens a case."""
    membership = _membership(user)
    return can_work_on(user, case) and (
        membership.role == Role.SUPERVISOR or case.lead_worker_id == user.pk
    )


def can_second_review(user, screening) -> bool:
    """A central reviewer other than the decision's author (four eyes)."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.role == Role.CENTRAL_REVIEWER
        and screening.decided_by_id != user.pk
    )


def can_grant(user, case) -> bool:
    """A supervisor of the owning office gives and revokes named access to a case."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.role == Role.SUPERVISOR
        and membership.organisation_id == case.owner_id
    )


def can_run_operation(user, operation) -> bool:
    """Register an operation's persons and start their screening: the provincial staff of the
    office that recorded it."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.role in PROVINCIAL_ROLES
        and membership.organisation_id == operation.organisation_id
    )
