"""Who may say that a record waits, and say that the wait is over."""

from accounts.models import Role
from cases.workflow import ACTIVE_SCREENING_STATES
from referrals.workflow import OPEN_STATES as OPEN_REFERRAL_STATES
from shelters.workflow import PlacementStatus

OFFICE_ROLES = (Role.SOCIAL_WORKER, Role.SUPERVISOR)
SHELTER_ROLES = (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF)


def waiting_organisations(record_name: str, record) -> set[int]:
    """The organisations whose work the record waits on: the case's office for a screening,
    the sender and the receiver of a referral, the shelter and the case's office for a stay."""
    if record_name == "screening":
        return {record.case.owner_id}
    if record_name == "referral":
        return {record.from_organisation_id, record.to_organisation_id}
    return {record.unit.shelter.organisation_id, record.case.owner_id}


def still_running(record_name: str, record) -> bool:
    """Whether the record is still under way (a finished one waits for nothing)."""
    if record_name == "screening":
        return record.status in ACTIVE_SCREENING_STATES
    if record_name == "referral":
        return record.state in OPEN_REFERRAL_STATES
    return record.status == PlacementStatus.ADMITTED


def records_blockers(user) -> bool:
    """Whether the user's role is one that says why a record waits (for some records)."""
    membership = user.membership
    return membership is not None and membership.role in (*OFFICE_ROLES, *SHELTER_ROLES)


def can_record_blocker(user, record_name: str, record) -> bool:
    return records_blockers(user) and user.membership.organisation_id in waiting_organisations(
        record_name, record
    )
