from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="justice",
        activity=_("Court cases, witness support and compensation claims"),
        data=_("Police and court case numbers, charges, hearings, testimony support, compensation"),
        subjects=_("Victims who are witnesses or claimants"),
        purpose=_(
            "Access to justice and compensation (Anti-Trafficking in Persons Act s.34, s.35)"
        ),
        basis=_("Legal obligation and legal claims (PDPA s.24(6), s.26(4))"),
        recipients=_("The owning office, the shelter of a resident, the central division"),
        retention=_("As the case; an open prosecution or claim holds every record of the person"),
    )
)
