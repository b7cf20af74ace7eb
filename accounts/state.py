"""What every signed-in request needs to know of its user besides the user row: the working
membership (with the organisation and province the pages show) and the confirmed two-factor
devices. They cost two queries before each view began (issue 23); they now come from the cache.

Only the request's own user gets them from the cache (`account_state_attach`, called by
TwoFactorMiddleware for a session and by the token authentication for the API); any other user
loaded from the database (by a task, a command, the admin) reads its rows as before.

A copy stops being read the moment what it copies changes (core.cache.GenerationCache):
- a new or changed role, a deactivated membership or account, a new password, "sign out
  everywhere": all go through services.credentials_revoke, which forgets the copy. The copy
  also keeps the session epoch it was made under, which credentials_revoke raises: a copy
  whose epoch is not the user row's (read from the database on every request) is never used,
  even when Redis was unreachable at the moment it should have been forgotten;
- a device set up, replaced or removed: the receivers below (django-otp's model, which its own
  admin also edits);
- an organisation or province edited in the admin: admin.py forgets its members' copies.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.cache import GenerationCache

from .models import Membership

# Minutes, not hours: a change Redis missed while it was down, and that the session epoch does
# not carry (an organisation or a device), shows at most this long after.
ACCOUNT_STATES = GenerationCache("account", timeout=5 * 60)

# Where an attached user keeps its devices, and what its request has already looked up.
_DEVICES = "_confirmed_devices"
_MEMO = "_request_memo"


@dataclass(frozen=True)
class AccountState:
    session_epoch: int
    membership: Membership | None
    # Persistent ids of the confirmed devices; None when two-factor sign-in is off
    # (NRM_REQUIRE_MFA=0, demos and tests only), when no request asks for them.
    devices: frozenset[str] | None


def account_state_attach(user) -> None:
    """Give the request's user its membership and devices from the cache, loading and caching
    them on a miss (two queries; one while two-factor sign-in is off)."""
    state = ACCOUNT_STATES.get_or_set(
        user.pk, lambda: _load(user), usable=lambda state: _usable(state, user)
    )
    membership = state.membership
    if membership is not None:
        membership.user = user  # the copy holds no user row (nor its password hash)
    # Set as attributes, through the request's lazy user: `membership` takes the place of the
    # User.membership cached_property's query.
    user.membership = membership
    if state.devices is not None:
        setattr(user, _DEVICES, state.devices)
    setattr(user, _MEMO, {})


def request_memo(user, key: str, compute):
    """`compute()`, looked up once per request for the request's own user (an attached user
    lives as long as its request); every time for any other user object, which a task or a
    test may keep across changes."""
    memo = getattr(user, _MEMO, None)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def account_state_forget(*user_ids: int) -> None:
    """Stop the cached membership and devices of these users from being read."""
    ACCOUNT_STATES.forget(*user_ids)


def confirmed_devices(user) -> frozenset[str]:
    """The persistent ids of the user's confirmed two-factor devices: the attached copy for the
    request's user, else the database."""
    devices = getattr(user, _DEVICES, None)
    return _devices_in_database(user.pk) if devices is None else devices


def _load(user) -> AccountState:
    return AccountState(
        session_epoch=user.session_epoch,
        membership=Membership.objects.filter(user_id=user.pk).working().first(),
        devices=_devices_in_database(user.pk) if settings.NRM_REQUIRE_MFA else None,
    )


def _usable(state: AccountState, user) -> bool:
    return state.session_epoch == user.session_epoch and (
        state.devices is not None or not settings.NRM_REQUIRE_MFA
    )


def _devices_in_database(user_id: int) -> frozenset[str]:
    label = TOTPDevice.model_label()
    return frozenset(
        f"{label}/{pk}"
        for pk in TOTPDevice.objects.filter(user_id=user_id, confirmed=True).values_list(
            "pk", flat=True
        )
    )


# django-otp's devices are written by accounts.mfa and by django-otp's admin: a receiver is the
# one hook that sees both.
@receiver(post_save, sender=TOTPDevice, dispatch_uid="account_state_device_saved")
@receiver(post_delete, sender=TOTPDevice, dispatch_uid="account_state_device_deleted")
def forget_on_device_change(sender, instance, **kwargs):
    account_state_forget(instance.user_id)
