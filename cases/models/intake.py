"""An uploaded intake file of an operation and its checked rows (cases/intake/)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..workflow import IntakeBatchStatus
from .operation import Operation


class IntakeBatch(models.Model):
    """One uploaded file of persons for an operation: checked row by row on upload, kept until
    the worker confirms it, then imported all at once or not at all (cases/intake/)."""

    Status = IntakeBatchStatus

    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        related_name="intake_batches",
        verbose_name=_("operation"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALIDATED
    )
    # Cleaned rows: [{"row": spreadsheet row number, "raw": {column: text}, "data": {...}}];
    # "data" holds the values, the custody start, the other rows that may be the same person
    # ("repeats") and, once confirmed, the worker's answers ("link_person_id", "merge_into").
    rows = models.JSONField(default=list, blank=True)
    # [{"row": n, "field": column, "message": text}], in the uploader's language.
    errors = models.JSONField(default=list, blank=True)
    # {"<row>": [{"person_id", "score", "reasons"}]}: possible existing records.
    duplicates = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows imported"), default=0)
    case_ids = models.JSONField(default=list, blank=True)
    failure_message = models.TextField(_("reason for the failure"), blank=True)
    # When the import was last asked of a worker (confirmation, or the user's retry): an import
    # that has not started or finished some minutes after it lost its worker (batch.py).
    importing_since = models.DateTimeField(_("import asked"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("intake file")
        verbose_name_plural = _("intake files")

    def __str__(self):
        return f"{self.operation} · {self.file_name}"

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.VALIDATED and not self.errors and self.total > 0
