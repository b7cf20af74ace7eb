"""Two-factor authentication with time-based one-time passwords (django-otp's TOTP devices):
who must use it, and setting up and checking a device."""

import base64
import datetime as dt
import secrets

import segno
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import audit_record

from .models import EnrolmentCode, Role
from .state import confirmed_devices

ENROLMENT_CODE_LIFE = dt.timedelta(hours=72)
ENROLMENT_CODE_TRIES = 5
# No 0/O, 1/I/L: read aloud over the phone without doubt.
ENROLMENT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

MFA_ROLES = (Role.CENTRAL_REVIEWER, Role.SYSADMIN, Role.DATA_PROTECTION_OFFICER)


def mfa_required(user) -> bool:
    """Central reviewers and sysadmins (everyone with NRM_MFA_FOR_ALL) sign in with a code;
    so does anyone else who chose to set up an authenticator app."""
    if not settings.NRM_REQUIRE_MFA or not user.is_authenticated:
        return False
    if settings.NRM_MFA_FOR_ALL or user.is_superuser:
        return True
    membership = user.membership
    if membership is not None and membership.role in MFA_ROLES:
        return True
    return has_mfa_device(user)


def has_mfa_device(user) -> bool:
    return bool(confirmed_devices(user))


def pending_device(user) -> TOTPDevice:
    """The device being set up: created once, shown until confirmed with a first code."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    return device


def secret_key(device: TOTPDevice) -> str:
    """The key to type into an authenticator app that cannot scan, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code for an authenticator app."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def verify_code(user, code: str) -> TOTPDevice | None:
    """The user's confirmed device that accepts `code` (each code works once), or None."""
    code = "".join(code.split())
    if not code.isdigit():
        return None  # no code at all is not a failed try (it would throttle the next one)
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def confirm_device(request, code: str) -> bool:
    """Confirm the device being set up with its first code, and mark the session verified.
    A new phone replaces the old one (a lost phone must stop working)."""
    device = pending_device(request.user)
    if not device.verify_token("".join(code.split())):
        return False
    TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


@transaction.atomic
def enrolment_code_issue(*, user, actor) -> str:
    """A new enrolment code for `user` (any earlier one stops working), shown once to the
    administrator who hands it over. Nobody issues one for themselves."""
    if user.pk == actor.pk:
        raise ValueError("Nobody issues their own enrolment code.")
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(10))
    EnrolmentCode.objects.create(
        user=user,
        code_hash=make_password(code),
        issued_by=actor,
        expires_at=now + ENROLMENT_CODE_LIFE,
    )
    audit_record(
        action=AuditEvent.Action.UPDATE, actor=actor, obj=user, changes={"mfa": "enrolment code"}
    )
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def enrolment_code_accept(*, user, code: str) -> bool:
    """Whether `code` is the user's live enrolment code; it works once, and
    ENROLMENT_CODE_TRIES wrong tries burn it."""
    now = timezone.now()
    current = (
        EnrolmentCode.objects.select_for_update()
        .filter(user=user, used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if current is None:
        return False
    typed = "".join(code.split()).replace("-", "").upper()
    if check_password(typed, current.code_hash):
        current.used_at = now
        current.save(update_fields=["used_at"])
        return True
    current.failures += 1
    if current.failures >= ENROLMENT_CODE_TRIES:
        current.used_at = now
    current.save(update_fields=["failures", "used_at"])
    return False
