"""Every write to persons, cases and screenings. The web pages, the API, the admin and the
mass intake all come through here, so each rule is enforced once.

One module per entity; every public function is importable from `cases.services`.
"""

from .cases import (
    case_close,
    case_close_blockers,
    case_event_add,
    case_open,
    case_reopen,
    case_running_deadlines,
    case_transfer_ownership,
    possible_duplicate_report,
)
from .grants import MAX_GRANT, access_grant_give, access_grant_revoke, access_grants_expire
from .operations import custody_start_problem, operation_create, operation_screenings_start
from .permits import permit_record
from .persons import (
    DocumentInput,
    identity_document_add,
    person_create,
    person_identity_add,
    person_merge,
)
from .records import (
    DOCUMENT_CONTENT_TYPES,
    DOCUMENT_MAX_BYTES,
    case_document_add,
    case_note_add,
    consent_record,
    referral_consent_given_now,
)
from .register import RegisterOutcome, case_register
from .registration import Registration, RegistrationRefused, operation_persons_register
from .screening import (
    MAX_COURT_EXTENSION,
    MEMBER_ACCOUNT_REFUSED,
    POSITIVE_OUTCOMES,
    MemberInput,
    decision_missing,
    interview_record,
    screening_decide,
    screening_extend,
    screening_member_add,
    screening_second_review,
    screening_start,
    screening_update,
)

__all__ = [
    "DOCUMENT_CONTENT_TYPES",
    "DOCUMENT_MAX_BYTES",
    "DocumentInput",
    "MAX_COURT_EXTENSION",
    "MAX_GRANT",
    "MEMBER_ACCOUNT_REFUSED",
    "MemberInput",
    "POSITIVE_OUTCOMES",
    "RegisterOutcome",
    "Registration",
    "RegistrationRefused",
    "access_grant_give",
    "access_grant_revoke",
    "access_grants_expire",
    "case_close",
    "case_register",
    "case_document_add",
    "case_event_add",
    "case_note_add",
    "case_open",
    "possible_duplicate_report",
    "case_reopen",
    "case_close_blockers",
    "case_running_deadlines",
    "case_transfer_ownership",
    "consent_record",
    "custody_start_problem",
    "referral_consent_given_now",
    "decision_missing",
    "identity_document_add",
    "interview_record",
    "operation_create",
    "operation_persons_register",
    "operation_screenings_start",
    "permit_record",
    "person_create",
    "person_identity_add",
    "person_merge",
    "screening_decide",
    "screening_extend",
    "screening_member_add",
    "screening_second_review",
    "screening_start",
    "screening_update",
]
