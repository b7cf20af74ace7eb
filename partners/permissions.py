"""Who may do what on a case's plan across agencies: small predicates, called inside the
services. Seeing the task is the selectors' business; these assume it is visible."""

from accounts.models import Role
from cases.permissions import can_work_on


def can_plan(user, case) -> bool:
    """The case's own office sets the plan: its provincial staff add tasks for any agency."""
    return can_work_on(user, case)


def can_update_task(user, task) -> bool:
    """The organisation that owns the task moves it (a partner its own tasks only); the case's
    office also moves any task of its plan (it coordinates the team)."""
    membership = user.membership if user.is_authenticated else None
    if membership is None:
        return False
    if can_work_on(user, task.case):
        return True
    return membership.role == Role.PARTNER and membership.organisation_id == task.organisation_id
