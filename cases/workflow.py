"""The states of cases and screenings and the moves allowed between them (DESIGN.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


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


# Screenings whose identification clock is still running.
ACTIVE_SCREENING_STATES = frozenset({ScreeningStatus.OPEN, ScreeningStatus.REOPENED})


SCREENING_TRANSITIONS = {
    ScreeningStatus.OPEN: {ScreeningStatus.DECIDED, ScreeningStatus.PENDING_SECOND_REVIEW},
    ScreeningStatus.REOPENED: {ScreeningStatus.DECIDED, ScreeningStatus.PENDING_SECOND_REVIEW},
    ScreeningStatus.PENDING_SECOND_REVIEW: {ScreeningStatus.CONFIRMED, ScreeningStatus.REOPENED},
    ScreeningStatus.DECIDED: set(),
    ScreeningStatus.CONFIRMED: set(),
}
