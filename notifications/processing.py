from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="notifications",
        activity=_("Notifications and e-mails to staff"),
        data=_("Case numbers and what happened to them; never a victim's name"),
        subjects=_("Staff"),
        purpose=_("Deadlines and workflow"),
        basis=_("Public task (PDPA s.24(4))"),
        recipients=_("The staff concerned, their e-mail provider"),
        retention=_("While the account exists"),
        sensitive=False,
    )
)
