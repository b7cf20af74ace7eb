from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Prepared export files")

    def ready(self):
        from audit.exports import register_export_handler

        from .views import list_export_answer

        register_export_handler(list_export_answer)
