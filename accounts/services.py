"""Writes about users and their roles."""

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from knox.models import AuthToken

from audit.models import AuditEvent
from audit.services import audit_record

from .models import Membership, Organisation, Role, User
from .state import account_state_forget

SYSADMIN_GROUP = "System administrators"

# What a system administrator may edit in the admin: people, organisations and reference data,
# never a victim's record (DESIGN.md §6).
SYSADMIN_MODELS = {
    "accounts": ["user", "membership", "organisation", "province"],
    "shelters": ["shelter", "shelterunit"],
    "sla": ["clockpolicy"],
    "repatriation": ["counterpartagency"],
    "privacy": ["retentionrule"],
    "django_celery_beat": ["periodictask", "intervalschedule", "crontabschedule"],
}


def sysadmin_group() -> Group:
    """The group holding the sysadmins' model permissions, created or brought up to date."""
    group, _created = Group.objects.get_or_create(name=SYSADMIN_GROUP)
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
    # A new role may need a second factor or open other records: sign in afresh.
    credentials_revoke(user)
    if role == Role.SYSADMIN:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(sysadmin_group())
    return membership


@transaction.atomic
def powerful_role_grant(
    *, user: User, organisation: Organisation, role: Role, approver: User
) -> Membership:
    """A central reviewer or system administrator role, given on the server (manage.py
    role_grant) with a second person's approval: an active central reviewer or system
    administrator who is not the person receiving it. Audited under the approver's name."""
    approving = approver.membership
    if (
        approver.pk == user.pk
        or not approver.is_active
        or approving is None
        or approving.role not in (Role.CENTRAL_REVIEWER, Role.SYSADMIN)
    ):
        raise ValueError("The approver is another active central reviewer or system administrator.")
    membership = membership_add(user=user, organisation=organisation, role=role)
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=approver,
        obj=membership,
        changes={"role": role, "organisation": organisation.code, "via": "manage.py role_grant"},
    )
    return membership


@transaction.atomic
def credentials_revoke(user: User, *, actor: User | None = None) -> int:
    """End every API token and every session of `user` (a new role, a deactivated account,
    "sign out everywhere"); returns how many tokens ended. With an `actor`, audited.

    Side effects: the user's cached membership and devices are forgotten (accounts.state)."""
    tokens, _by_model = AuthToken.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    account_state_forget(user.pk)
    if actor is not None:
        audit_record(
            action=AuditEvent.Action.UPDATE,
            actor=actor,
            obj=user,
            changes={"signed_out_everywhere": True, "tokens": tokens},
        )
    return tokens


def api_token_issue(user: User) -> tuple[AuthToken, str]:
    """A new API token: the token itself is shown once; only its hash is kept."""
    return AuthToken.objects.create(user=user)


def api_token_revoke(*, user: User, token_key: str) -> bool:
    """End one of the user's own tokens (named by the first characters the list shows)."""
    deleted, _by_model = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)


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


def password_reset_send(*, user: User, actor: User, request) -> None:
    """E-mail `user` a one-time link to choose a new password (an administrator's action: a
    sysadmin never sets anyone's password). Audited under the administrator's name."""
    if not user.email:
        raise ValueError("This person has no e-mail address.")
    link = request.build_absolute_uri(
        reverse(
            "accounts:password_reset_confirm",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        )
    )
    with translation.override(user.language):
        send_mail(
            subject=_("[NRM] Choose a new password"),
            message=render_to_string(
                "accounts/password_reset_email.txt", {"user": user, "link": link}
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=user,
        changes={"password": "reset link sent"},
    )
