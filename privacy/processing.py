from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="privacy",
        activity=_("Data subjects' requests, breaches and emergency access"),
        data=_("The requester, the identity check, the decision, the copy of the data; breaches"),
        subjects=_("Persons exercising their rights; persons affected by a breach"),
        purpose=_("The rights of data subjects and breach reporting (PDPA s.30 to s.37)"),
        basis=_("Legal obligation (PDPA s.24(6))"),
        recipients=_(
            "The data protection officer, the central division, the regulator for breaches"
        ),
        retention=_("While the person's records are kept"),
    )
)
