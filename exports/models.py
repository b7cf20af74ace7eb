"""An export file prepared by a worker for one user (exports/services.py)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.exports import FORMAT_NAMES

# A prepared file holds a whole list of persons: kept this long after it was asked, then purged.
KEPT_FOR = dt.timedelta(hours=24)


class ExportJob(models.Model):
    """A file prepared by a worker rather than during a request: a list's Excel file too large
    to make at once, any list's file asked through the API (audit.exports.list_export), or a
    report's file (the annual figures, the anonymised statistics: `report`). Asked by one user,
    written by a worker from the same export view and query, downloadable by that user alone
    until KEPT_FOR after it was asked, then deleted with its file."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    # The worker's last sign of life: it is touched with each step of progress.
    updated_at = models.DateTimeField(auto_now=True)
    # What the audit log records of the export: the list's or report's name, its filters (a
    # report's: its period) and format.
    list_name = models.CharField(_("list"), max_length=100)
    report = models.BooleanField(default=False)
    filters = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=4)
    # The export view's path and query: the worker asks the same view again, as the same user.
    path = models.CharField(max_length=300)
    query = models.TextField(blank=True)
    language = models.CharField(max_length=10)
    # The list page it was asked from, to go back to.
    back = models.CharField(max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows written"), default=0)
    # A random name under the export folder (exports/files.py): no person's name on the disk.
    file_name = models.CharField(max_length=64)
    download_name = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    failure_message = models.TextField(_("reason for the failure"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("prepared export file")
        verbose_name_plural = _("prepared export files")

    def __str__(self):
        return f"{self.download_name} · {self.total}"

    def get_absolute_url(self) -> str:
        return reverse("exports:job", args=[self.pk])

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + KEPT_FOR

    @property
    def preparing(self) -> bool:
        return self.status == self.Status.PREPARING

    @property
    def ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES.get(self.format, self.format)

    @property
    def percent(self) -> int:
        return min(100, self.processed * 100 // self.total) if self.total else 0
