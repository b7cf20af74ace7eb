"""Operations: a raid or mass rescue that brings many people in at once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Province


class Operation(models.Model):
    """A raid or mass rescue that brings many people in at once."""

    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("province"))
    started_on = models.DateField(_("date"))
    # Act s.29: each person's 24-hour identification clock counts from here (a row of an
    # intake file may give its own). Required when an operation is recorded; empty only on
    # operations recorded before it was asked.
    custody_started_at = models.DateTimeField(_("custody started"), null=True, blank=True)
    lead_agency = models.CharField(_("lead agency"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="operations", verbose_name=_("office")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")

    def __str__(self):
        return self.name
