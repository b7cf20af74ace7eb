"""One plan across agencies: the tasks on a case, each owned by one organisation (the
provincial office or a partner agency), visible to everyone on the case."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.models import Case

from .workflow import OPEN_TASK_STATES, TaskStatus


class PlanTask(models.Model):
    """A task of the case's plan across agencies (take the statement, inspect the workplace,
    a health check), owned by one organisation and due by a date; its clock (sla
    Clock.PLAN_TASK) reminds the owning organisation. Only its owner moves it, and the
    owning office of the case."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="plan_tasks", verbose_name=_("case")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="plan_tasks",
        verbose_name=_("owning organisation"),
    )
    title = models.CharField(_("task"), max_length=300)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.TO_DO
    )
    note = models.TextField(_("latest note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        indexes = [models.Index(fields=["organisation", "status"], name="plan_task_owner_idx")]

    def __str__(self):
        return f"{self.case} · {self.title}"

    def get_absolute_url(self):
        return self.case.get_absolute_url() + "#plan"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATES

    def deadline_url(self):
        """Where the owner answers the task's clock: a partner agency on the shared case's
        page, the case's own office on the case."""
        if self.organisation_id != self.case.owner_id:
            return reverse("partners:case", args=[self.case_id])
        return self.get_absolute_url()
