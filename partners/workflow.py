"""The states of a task on a case's plan across agencies and the moves allowed between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


TASK_TRANSITIONS = {
    TaskStatus.TO_DO: {TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.IN_PROGRESS: {TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.DONE: set(),
    TaskStatus.CANCELLED: set(),
}
OPEN_TASK_STATES = frozenset({TaskStatus.TO_DO, TaskStatus.IN_PROGRESS})
