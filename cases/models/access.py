"""Named persons' time-limited access to a case, and django-guardian's per-case tables."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.dates import format_date

from .case import Case


class SharedPart(models.TextChoices):
    """The parts of a case a partner agency may be shown; nothing else of the case reaches it
    (its notes, referrals, stays, consents, court cases and timeline stay with the office)."""

    IDENTITY = "identity", _("Identity")
    SCREENING = "screening", _("Screening")
    INTERVIEWS = "interviews", _("Interview records")
    DOCUMENTS = "documents", _("Documents")


class AccessGrant(models.Model):
    """A named person's time-limited access to one case (an MDT police officer, say), given by
    a supervisor of the owning office for a stated purpose. The access itself is a
    django-guardian object permission on the case, revoked when the grant expires."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="access_grants", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_grants",
        verbose_name=_("person given access"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="case_shares",
        null=True,
        blank=True,
        verbose_name=_("partner agency"),
    )
    # SharedPart values: what a partner agency's officer sees of the case, nothing else.
    parts = models.JSONField(_("parts shared"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=Q(revoked_at__isnull=True),
                name="access_grant_live_idx",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.case} ({format_date(self.expires_at)})"

    def get_parts_display(self) -> str:
        return ", ".join(str(SharedPart(part).label) for part in self.parts)


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's per-case permissions with a real foreign key to the case (not the
    generic text id), so that checking a page of cases is one indexed join."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
