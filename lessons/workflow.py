"""The states of a lessons-learned item and of its actions, and the moves allowed between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# The central division may answer at once, or say first that it is looking into the issue.
LESSON_TRANSITIONS = {
    LessonStatus.RAISED: {LessonStatus.UNDER_CONSIDERATION, LessonStatus.ANSWERED},
    LessonStatus.UNDER_CONSIDERATION: {LessonStatus.ANSWERED},
    LessonStatus.ANSWERED: {LessonStatus.CLOSED},
    LessonStatus.CLOSED: set(),
}
# While the central division holds the item, it may give actions to the organisations.
ACTIONABLE_STATES = frozenset({LessonStatus.UNDER_CONSIDERATION, LessonStatus.ANSWERED})
# Others may still say they face the issue too until it is closed.
ENDORSABLE_STATES = frozenset(
    {LessonStatus.RAISED, LessonStatus.UNDER_CONSIDERATION, LessonStatus.ANSWERED}
)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")


ACTION_TRANSITIONS = {ActionStatus.OPEN: {ActionStatus.DONE}, ActionStatus.DONE: set()}
