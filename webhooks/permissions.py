"""Who manages an organisation's webhooks: a system administrator for any organisation, and a
provincial office's supervisor or a shelter's director for their own."""

from accounts.models import Role
from accounts.permissions import has_role

MANAGERS = (Role.SYSADMIN, Role.SUPERVISOR, Role.SHELTER_DIRECTOR)


def may_manage_webhooks(user, organisation=None) -> bool:
    """Whether `user` manages webhooks at all, or those of `organisation` when it is given."""
    if has_role(user, Role.SYSADMIN):
        return True
    if not has_role(user, Role.SUPERVISOR, Role.SHELTER_DIRECTOR):
        return False
    return organisation is None or user.membership.organisation_id == organisation.pk
