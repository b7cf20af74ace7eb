"""The main menu: which role sees which entry, in one table; `templates/base.html` renders it.

A role not listed on an entry does not see it; the pages themselves still check the role
(`accounts.permissions.role_required`), the menu only saves a click on a refused page.

Entries of one group (deadlines, referrals, lists) share a drop-down, so that the bar of every
role fits on one line of a 1366-pixel office screen in Thai (tests/test_journey_form_comfort.py); a
group of which a role sees a single entry is that entry alone on the bar.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.addresses import address

NO_MEMBERSHIP = ""  # signed in, in no organisation: a person given one case by a grant
PROVINCIAL = frozenset({Role.SOCIAL_WORKER, Role.SUPERVISOR})
SHELTER = frozenset({Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF})
# Who works with victims' records: not a sysadmin, not the data protection officer, not a
# regional officer (its provinces' figures, from its home page); a partner agency reads only
# what is shared with it, from its home page (partners).
WORKING = frozenset(Role.values) - {
    Role.SYSADMIN,
    Role.DATA_PROTECTION_OFFICER,
    Role.PARTNER,
    Role.REGIONAL_OFFICER,
}
DPO = frozenset({Role.DATA_PROTECTION_OFFICER})
REGIONAL = frozenset({Role.REGIONAL_OFFICER})
EVERYONE = frozenset(Role.values) | {NO_MEMBERSHIP}
OVERSEERS = frozenset({Role.CENTRAL_REVIEWER, Role.SUPERVISOR, Role.SHELTER_DIRECTOR})
# Who finds persons from the search box on the bar (it searches the case list, cases/search.py).
SEARCHERS = (WORKING - {Role.SHELTER_STAFF}) | {NO_MEMBERSHIP}


@dataclass(frozen=True)
class Group:
    """A drop-down of the bar."""

    label: str
    testid: str


DEADLINES = Group(_("Deadlines"), "deadlines-menu")
REFERRALS = Group(_("Referrals"), "referrals-menu")
LISTS = Group(_("Lists"), "lists")
PRIVACY = Group(_("Data protection"), "privacy-menu")


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    roles: frozenset[str]
    testid: str = ""
    group: Group | None = None

    @property
    def url(self) -> str:
        return address(self.url_name)


MENU = [
    Entry(_("My work"), "home", EVERYONE),
    Entry(_("My deadlines"), "sla:mine", EVERYONE, group=DEADLINES),
    Entry(_("Deadline board"), "sla:board", OVERSEERS, "board-link", DEADLINES),
    Entry(
        _("Stage times"),
        "insights:stage_times",
        OVERSEERS | REGIONAL,
        "stage-times-link",
        DEADLINES,
    ),
    Entry(_("Blockers"), "insights:blockers", REGIONAL, "blockers-link", DEADLINES),
    Entry(_("Dashboard"), "reports:dashboard", OVERSEERS, "dashboard-link"),
    Entry(_("Operations"), "cases:operation_list", PROVINCIAL),
    Entry(
        _("Incoming referrals"),
        "referrals:inbox",
        PROVINCIAL | {Role.SHELTER_DIRECTOR},
        group=REFERRALS,
    ),
    Entry(_("Referrals sent"), "referrals:sent", PROVINCIAL, group=REFERRALS),
    Entry(_("Residents"), "shelters:residents", SHELTER),
    # "Occupancy": the page's own title, "Shelter occupancy", is too long for the bar in Thai.
    Entry(_("Occupancy"), "shelters:national", frozenset({Role.CENTRAL_REVIEWER})),
    Entry(_("Audit log"), "audit:search", frozenset({Role.CENTRAL_REVIEWER})),
    Entry(_("Public holidays"), "sla:holidays", frozenset({Role.SYSADMIN})),
    Entry(_("Open work"), "privacy:home", DPO, "privacy-home", PRIVACY),
    Entry(_("Breach register"), "privacy:breaches", DPO, group=PRIVACY),
    Entry(_("Data subjects' requests"), "privacy:requests", DPO, group=PRIVACY),
    Entry(_("Transfers abroad"), "privacy:transfers", DPO, group=PRIVACY),
    Entry(_("Retention"), "privacy:retention", DPO, group=PRIVACY),
    Entry(_("Record of processing"), "privacy:processing", DPO, group=PRIVACY),
    Entry(_("Record of processing"), "privacy:processing", frozenset({Role.SYSADMIN})),
    Entry(_("Emergency access"), "privacy:break_glass", DPO, group=PRIVACY),
    # A supervisor opens a case of another office in an emergency (privacy.services.break_glass).
    Entry(_("Emergency access"), "privacy:break_glass", frozenset({Role.SUPERVISOR}), group=LISTS),
    Entry(_("Cases"), "cases:list", frozenset({NO_MEMBERSHIP})),
    Entry(_("Cases"), "cases:list", WORKING - {Role.SHELTER_STAFF}, group=LISTS),
    Entry(_("Referrals"), "referrals:list", WORKING - {Role.SHELTER_STAFF}, group=LISTS),
    Entry(_("Shelter stays"), "shelters:placements", WORKING, group=LISTS),
    Entry(_("Returns home"), "repatriation:list", WORKING, group=LISTS),
    Entry(_("Outcomes"), "outcomes:list", WORKING, group=LISTS),
    Entry(_("Court cases"), "justice:prosecutions", WORKING, group=LISTS),
    Entry(_("Compensation claims"), "justice:claims", WORKING, group=LISTS),
    # Every office reads the register of lessons learned and the centre's answers (lessons).
    Entry(_("Lessons learned"), "lessons:list", WORKING | REGIONAL, "lessons-link", LISTS),
]

# The user's own drop-down (under their name), below the account's own pages.
ACCOUNT_MENU = [
    Entry(
        _("Webhooks"),
        "webhooks:list",
        frozenset({Role.SYSADMIN, Role.SUPERVISOR, Role.SHELTER_DIRECTOR}),
        "webhooks-link",
    ),
]


@dataclass(frozen=True)
class DropDown:
    """A group on the bar, with the entries of it that the role sees."""

    group: Group
    entries: list[Entry]


def bar(role: str) -> list[Entry | DropDown]:
    """The bar of `role`, in the table's order: each group as one drop-down where its first
    entry stands, or as its one entry when the role sees only one."""
    seen = [entry for entry in MENU if role in entry.roles]
    items: list[Entry | DropDown] = []
    for entry in seen:
        if entry.group is None:
            items.append(entry)
            continue
        members = [other for other in seen if other.group is entry.group]
        if members[0] is not entry:
            continue  # placed with the group's first entry
        items.append(entry if len(members) == 1 else DropDown(entry.group, members))
    return items


def menu(request):
    """Context processor: the main menu of the user's role, and whether it has the search box."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = user.membership.role if user.membership else NO_MEMBERSHIP
    return {
        "menu": bar(role),
        "account_menu": [entry for entry in ACCOUNT_MENU if role in entry.roles],
        "header_search": role in SEARCHERS,
    }
