"""Who does what with the data protection records (DESIGN.md §10): the data protection officer
keeps them; the central division's reviewers (the head of the division receives the breach and
request escalations) read them; nobody else sees them."""

from accounts.models import Role
from accounts.permissions import has_role

OFFICER = (Role.DATA_PROTECTION_OFFICER,)
READERS = (Role.DATA_PROTECTION_OFFICER, Role.CENTRAL_REVIEWER)
# The record of processing: the officer, and the sysadmins who run the system it describes.
PROCESSING_READERS = (Role.DATA_PROTECTION_OFFICER, Role.SYSADMIN)
# Who may open one case for an emergency (break-glass): a supervisor, for a case of another
# office (the central division sees every case already). Not the officer, who reviews each
# such access and reads no case content: nobody reviews their own.
BREAK_GLASS_ROLES = (Role.SUPERVISOR,)


def is_officer(user) -> bool:
    return has_role(user, *OFFICER)


def reads_register(user) -> bool:
    return has_role(user, *READERS)
