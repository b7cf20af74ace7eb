from django.utils.translation import gettext_lazy as _

from core.processing import Processing, declare

declare(
    Processing(
        app="accounts",
        activity=_("User accounts of the staff"),
        data=_("Name, user name, e-mail, organisation and role, sign-in devices and tokens"),
        subjects=_("Staff of MSDHS offices, shelters and partners"),
        purpose=_("Sign-in, access control, accountability"),
        basis=_("Public task (PDPA s.24(4)); legal obligation to keep records secure (s.37(1))"),
        recipients=_("System administrators"),
        retention=_(
            "While the person works here; deactivated, never deleted (the audit log names them)"
        ),
        sensitive=False,
    )
)
