from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="repatriation",
        activity=_("Repatriation and reintegration"),
        data=_("Identity, travel document, family assessment, destination, the return plan"),
        subjects=_("Identified victims returning home"),
        purpose=_("Safe return home (Anti-Trafficking in Persons Act s.33)"),
        basis=_("Public task and the person's consent to return home (PDPA s.24(4), s.26(1))"),
        recipients=_("The counterpart agency of the country of origin, the receiving province"),
        retention=_("As the case"),
        abroad=_(
            "The counterpart agencies under the bilateral arrangements (PDPA s.28): each "
            "hand-over recorded with its basis (transfers abroad)"
        ),
    )
)
