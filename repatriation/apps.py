from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RepatriationConfig(AppConfig):
    name = "repatriation"
    verbose_name = _("Repatriation and reintegration")

    def ready(self):
        from cases.extensions import register_linked_model

        from .models import Repatriation
        from .workflow import OPEN_STATES

        # A return home under way keeps the case open, and its clocks move with the case.
        register_linked_model(
            Repatriation,
            running=Q(status__in=OPEN_STATES),
            why_open=_(
                "A repatriation or reintegration of this person is under way: the case can "
                "close once the counterpart confirms the hand-over, or the plan is cancelled."
            ),
        )
