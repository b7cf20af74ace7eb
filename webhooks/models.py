"""Endpoints that another system registered, and the signed calls the outbox makes to them."""

import base64
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.outbox import OutboxRow


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Endpoint(models.Model):
    """An HTTPS address of an organisation's own system, told of the event kinds it chose."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # The HMAC key of the signatures; shown once, to whoever registers the endpoint.
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    event_kinds = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    disabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    # The version an API change (If-Match) is based on (core/versions.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.url


class Message(models.Model):
    """One event as the endpoints receive it: its id (the `webhook-id`, the same at every try
    and at every endpoint) and the exact body that is signed."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.webhook_id

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.uid.hex}"


class Delivery(OutboxRow):
    """The outbox row of one message to one endpoint (once per event and endpoint)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")

    class Meta:
        ordering = ["-next_attempt_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "endpoint"], name="one_webhook_delivery_per_endpoint"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="pending"),
                name="webhook_delivery_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.message_id} → {self.endpoint_id} {self.state}"
