from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from accounts.models import Role
        from cases.extensions import register_linked_model, register_visibility

        from .models import Referral
        from .selectors import cases_referred_to
        from .workflow import OPEN_STATES

        register_visibility(
            Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.SHELTER_DIRECTOR, condition=cases_referred_to
        )
        register_linked_model(
            Referral,
            running=Q(state__in=OPEN_STATES),
            why_open=_("A referral of this case is still open: it is answered or withdrawn first."),
        )
