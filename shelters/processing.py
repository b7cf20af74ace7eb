from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="shelters",
        activity=_("Shelter stays, care plans, outings and follow-up visits"),
        data=_("Stays, care and health services, movements, phone use, follow-up visits"),
        subjects=_("Residents of the MSDHS shelters"),
        purpose=_("Protection, care and recovery (Anti-Trafficking in Persons Act s.33)"),
        basis=_("Legal obligation and public task (PDPA s.24(4), s.24(6), s.26(5))"),
        recipients=_("The shelter's director and staff, the owning office, the central division"),
        retention=_("As the case"),
    )
)
