"""The states of cases, screenings and intake files, and the moves allowed between them
(DESIGN.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_CASE_STATES = frozenset({CaseStatus.OPEN, CaseStatus.REOPENED})


CASE_TRANSITIONS = {
    CaseStatus.OPEN: {CaseStatus.CLOSED},
    CaseStatus.REOPENED: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.REOPENED},
}


class ScreeningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")
    PENDING_SECOND_REVIEW = "pending_second_review", _("Waiting for second review")
    CONFIRMED = "confirmed", _("Not a victim: confirmed")
    REOPENED = "reopened", _("Reopened")
    AWAITING_MDT = "awaiting_mdt", _("Reasonable grounds: waiting for the MDT interview")


# Screenings whose identification clock (Act s.29) is still running.
ACTIVE_SCREENING_STATES = frozenset({ScreeningStatus.OPEN, ScreeningStatus.REOPENED})
# Screenings still being worked on: the MDT may add members, indicators and interviews.
WORKING_SCREENING_STATES = ACTIVE_SCREENING_STATES | {ScreeningStatus.AWAITING_MDT}
# Screenings not finished: a case cannot close, nor a second screening start.
OPEN_SCREENING_STATES = WORKING_SCREENING_STATES | {ScreeningStatus.PENDING_SECOND_REVIEW}


SCREENING_TRANSITIONS = {
    ScreeningStatus.OPEN: {
        ScreeningStatus.DECIDED,
        ScreeningStatus.AWAITING_MDT,
        ScreeningStatus.PENDING_SECOND_REVIEW,
    },
    ScreeningStatus.REOPENED: {
        ScreeningStatus.DECIDED,
        ScreeningStatus.AWAITING_MDT,
        ScreeningStatus.PENDING_SECOND_REVIEW,
    },
    # After the MDT interview: the final identification (a positive one, or not a victim).
    ScreeningStatus.AWAITING_MDT: {ScreeningStatus.DECIDED, ScreeningStatus.PENDING_SECOND_REVIEW},
    ScreeningStatus.PENDING_SECOND_REVIEW: {ScreeningStatus.CONFIRMED, ScreeningStatus.REOPENED},
    ScreeningStatus.DECIDED: set(),
    ScreeningStatus.CONFIRMED: set(),
}


class IntakeBatchStatus(models.TextChoices):
    VALIDATED = "validated", _("Checked, waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed: nothing was saved")


# A failed batch is not retried: its rows were checked against the records of that moment, so
# the worker uploads the file again and sees it checked afresh.
INTAKE_BATCH_TRANSITIONS = {
    IntakeBatchStatus.VALIDATED: {IntakeBatchStatus.IMPORTING},
    IntakeBatchStatus.IMPORTING: {IntakeBatchStatus.DONE, IntakeBatchStatus.FAILED},
    IntakeBatchStatus.DONE: set(),
    IntakeBatchStatus.FAILED: set(),
}
