from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "justice"
    verbose_name = _("Court cases and compensation")

    def ready(self):
        from cases.extensions import register_linked_model

        from .models import CompensationClaim, Hearing, Prosecution
        from .workflow import OPEN_CLAIM_STATES, OPEN_PROSECUTION_STATES, HearingStatus

        # A proceeding still running, a hearing still to come or a claim not yet settled keeps
        # the case open (the s.37 permit depends on them too); their clocks follow the case to
        # a new owner.
        register_linked_model(
            Prosecution,
            running=Q(status__in=OPEN_PROSECUTION_STATES),
            why_open=_("A court case of this person is still running: record its end first."),
        )
        register_linked_model(
            Hearing,
            running=Q(status=HearingStatus.SCHEDULED),
            why_open=_("A hearing is still to come: record it as held, moved or cancelled."),
        )
        register_linked_model(
            CompensationClaim,
            running=Q(status__in=OPEN_CLAIM_STATES),
            why_open=_("A compensation claim is not settled yet: record its result first."),
        )
