from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="outcomes",
        activity=_("Outcomes at closure and follow-ups"),
        data=_("Housing, income, documents, health, education, the person's own view"),
        subjects=_("Victims after their case closes"),
        purpose=_("Follow-up and the national figures (Anti-Trafficking in Persons Act s.40)"),
        basis=_("Public task (PDPA s.24(4)); statistics (s.24(1))"),
        recipients=_("The owning office, the central division (figures only in reports)"),
        retention=_("As the case; the figures stay after the identity is erased"),
    )
)
