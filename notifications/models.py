"""The in-app inbox. E-mail delivery and the delivery outbox join it with the deadline work."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.outbox import OutboxRow


class Notification(models.Model):
    """One message to one user, with a link to what it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    message = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # What it is about (notifications.matrix.Topic), for the e-mail preferences.
    topic = models.CharField(_("topic"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The header's unread badge runs on every page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return self.message


class Preference(models.Model):
    """What a user wants to receive besides the in-app inbox."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.BooleanField(_("also send me e-mails"), default=True)
    # Topics (notifications.matrix.Topic) the user wants in the inbox only.
    email_off_topics = models.JSONField(_("no e-mail about"), default=list, blank=True)
    # The version an API change (If-Match) is based on (core/versions.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def wants_email(self, topic: str) -> bool:
        return self.email and topic not in self.email_off_topics


class Delivery(OutboxRow):
    """The outbox: one row per (notification, channel) to deliver, written in the same
    transaction as the change that caused it. A task claims and sends each row once; a Redis or
    worker outage only delays it, since the periodic flush finds what is still pending."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="pending"),
                name="delivery_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.notification_id} {self.channel} {self.state}"
