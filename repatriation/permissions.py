"""Who may move a repatriation (DESIGN.md §6); called inside the services."""

from cases.permissions import can_work_on

from .workflow import TRANSITIONS, Status


def can_manage(user, repatriation) -> bool:
    """Plan, send, record the answers and the hand-over: the case owner's provincial staff
    (the shelter, a partner and the central division see it; they do not move it)."""
    return can_work_on(user, repatriation.case)


# The moves a page or the API offers: the table says whether the repatriation may move that
# way now, the predicate whether this user may make it.
MOVES = {
    "send": Status.SENT,
    "assess": Status.ASSESSED,
    "schedule": Status.SCHEDULED,
    "hand_over": Status.HANDED_OVER,
    "confirm": Status.CONFIRMED,
    "cancel": Status.CANCELLED,
}


def available_moves(user, repatriation) -> set[str]:
    """The names of the moves `user` may make on `repatriation` now (the services check the
    same table and predicate, so an offered move is never refused for its state or author)."""
    if not can_manage(user, repatriation):
        return set()
    allowed = TRANSITIONS[repatriation.status]
    return {name for name, target in MOVES.items() if target in allowed}
