from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from notifications.matrix import workflow_event

        from .services import webhook_event_record

        # The workflow events the services announce (notifications.matrix) are what another
        # system hears of: one hook, not a call in every service.
        workflow_event.connect(webhook_event_record, dispatch_uid="webhooks")
