from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner agencies")

    def ready(self):
        from cases.extensions import register_share_end

        from .services import plan_tasks_share_ended

        register_share_end(plan_tasks_share_ended)
