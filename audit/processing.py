from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="audit",
        activity=_("Audit log of every reading and change"),
        data=_("Who read or changed which record, when, from which address"),
        subjects=_("Staff; the persons whose records were read"),
        purpose=_("Accountability and breach detection (PDPA s.37(1))"),
        basis=_("Legal obligation (PDPA s.24(6))"),
        recipients=_("The central division, the data protection officer"),
        retention=_("Append-only, kept with the records it describes"),
        sensitive=False,
    )
)
