from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="referrals",
        activity=_("Referrals to shelters, services and other provinces"),
        data=_("The case's person, the services needed, the urgency, the reasons and decisions"),
        subjects=_("Identified and possible victims"),
        purpose=_("Assistance under the Anti-Trafficking in Persons Act s.33"),
        basis=_("Legal obligation and public task (PDPA s.24(4), s.24(6), s.26(5))"),
        recipients=_("The receiving shelter or office, the central division"),
        retention=_("As the case"),
    )
)
