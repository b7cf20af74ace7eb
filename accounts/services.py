"""Writes about users and their roles."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import Membership, Organisation, Role, User

SYSADMIN_GROUP = "System administrators"

# What a system administrator may edit in the admin: people, organisations and reference data,
# never a victim's record (DESIGN.md §6).
SYSADMIN_MODELS = {
    "accounts": ["user", "membership", "organisation", "province"],
    "shelters": ["shelter", "shelterunit"],
    "sla": ["clockpolicy"],
    "django_celery_beat": ["periodictask", "intervalschedule", "crontabschedule"],
}


def sysadmin_group() -> Group:
    """The group holding the sysadmins' model permissions, created or brought up to date."""
    group, _ = Group.objects.get_or_create(name=SYSADMIN_GROUP)
    permissions = Permission.objects.none()
    for app_label, models in SYSADMIN_MODELS.items():
        permissions |= Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    group.permissions.set(permissions)
    return group


@transaction.atomic
def membership_add(*, user: User, organisation: Organisation, role: Role) -> Membership:
    """Give a user a role in an organisation.

    Side effects: a sysadmin also becomes staff and joins the sysadmin group, so that the admin
    opens for them on the reference data only. Raises ValidationError when the role does not
    fit the kind of organisation (a shelter director of a provincial office, say).
    """
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    # A new role may need a second factor or open other records: API tokens start afresh.
    Token.objects.filter(user=user).delete()
    if role == Role.SYSADMIN:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(sysadmin_group())
    return membership


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    organisation: Organisation,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = "th",
) -> User:
    """Create an account with its one working membership."""
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership_add(user=user, organisation=organisation, role=role)
    return user
