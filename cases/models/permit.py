"""Stay and work permits of foreign victims (Act s.37)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case


class Permit(models.Model):
    """A foreign victim's permission to stay and work (Act s.37); its expiry must not lapse."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="permits", verbose_name=_("case")
    )
    reference = models.CharField(_("permit reference"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-expires_on", "-pk"]
        verbose_name = _("stay and work permit")
        verbose_name_plural = _("stay and work permits")

    def __str__(self):
        return f"{self.reference} ({self.expires_on})"

    def get_absolute_url(self):
        return self.case.get_absolute_url()
