from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="cases",
        activity=_("Registration, screening and identification of possible victims"),
        data=_(
            "Names, date of birth, sex, nationality, languages, identity documents, telephone; "
            "the exploitation, health and child indicators, interviews, notes and documents; "
            "consents"
        ),
        subjects=_(
            "Possible and identified victims of trafficking and forced labour, children among them"
        ),
        purpose=_(
            "Identification and protection under the Anti-Trafficking in Persons Act s.29, s.33"
        ),
        basis=_(
            "Legal obligation and public task (PDPA s.24(4), s.24(6)); sensitive data for "
            "protection under a law (s.26(5))"
        ),
        recipients=_(
            "The owning provincial office, the central division, the multidisciplinary team "
            "members given access for a purpose"
        ),
        retention=_("For the periods of the retention rules after the case closes"),
    )
)
