"""Who may record a case's court proceedings and compensation claims (DESIGN.md §6): the
owning office's social workers and supervisors, as for the rest of the case. Everyone else who
sees the case (its shelter, the central division, a partner given access) reads them only."""

from cases.permissions import can_work_on


def can_record(user, case) -> bool:
    return can_work_on(user, case)
