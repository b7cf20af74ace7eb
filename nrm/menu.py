"""The main menu: which role sees which entry, in one table; `templates/base.html` renders it.

A role not listed on an entry does not see it; the pages themselves still check the role
(`accounts.permissions.role_required`), the menu only saves a click on a refused page.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Role

NO_MEMBERSHIP = ""  # signed in, in no organisation: a person given one case by a grant
PROVINCIAL = frozenset({Role.SOCIAL_WORKER, Role.SUPERVISOR})
SHELTER = frozenset({Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF})
WORKING = frozenset(Role.values) - {Role.SYSADMIN}  # who works with victims' records
EVERYONE = frozenset(Role.values) | {NO_MEMBERSHIP}


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    roles: frozenset[str]
    testid: str = ""


MENU = [
    Entry(_("My work"), "home", EVERYONE),
    Entry(_("My deadlines"), "sla:mine", EVERYONE),
    Entry(
        _("Dashboard"),
        "reports:dashboard",
        frozenset({Role.CENTRAL_REVIEWER, Role.SUPERVISOR, Role.SHELTER_DIRECTOR}),
        "dashboard-link",
    ),
    Entry(
        _("Deadline board"),
        "sla:board",
        frozenset({Role.CENTRAL_REVIEWER, Role.SUPERVISOR, Role.SHELTER_DIRECTOR}),
        "board-link",
    ),
    Entry(_("Operations"), "cases:operation_list", PROVINCIAL),
    Entry(_("Incoming referrals"), "referrals:inbox", PROVINCIAL | {Role.SHELTER_DIRECTOR}),
    Entry(_("Referrals sent"), "referrals:sent", PROVINCIAL),
    Entry(_("Residents"), "shelters:residents", SHELTER),
    Entry(_("Shelter occupancy"), "shelters:national", frozenset({Role.CENTRAL_REVIEWER})),
    Entry(_("Audit log"), "audit:search", frozenset({Role.CENTRAL_REVIEWER})),
    Entry(_("Cases"), "cases:list", frozenset({NO_MEMBERSHIP})),
]

# The "Lists" drop-down.
LISTS = [
    Entry(_("Cases"), "cases:list", WORKING - {Role.SHELTER_STAFF}),
    Entry(_("Referrals"), "referrals:list", WORKING - {Role.SHELTER_STAFF}),
    Entry(_("Shelter stays"), "shelters:placements", WORKING),
]


def menu(request):
    """Context processor: the entries of the main menu and of the lists the user's role sees."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = user.membership.role if user.membership else NO_MEMBERSHIP
    return {
        "menu": [entry for entry in MENU if role in entry.roles],
        "menu_lists": [entry for entry in LISTS if role in entry.roles],
    }
