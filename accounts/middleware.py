import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import is_verified
from django_otp.models import Device

from core.problems import problem_response

from .mfa import has_mfa_device, mfa_required
from .state import account_state_attach, confirmed_devices


class ThaiFirstLocaleMiddleware:
    """Activate the language the user chose with the switch (a cookie), else Thai.

    Django's LocaleMiddleware would also follow the browser's Accept-Language header. This
    system is Thai-first (DESIGN.md §7): an office PC with an English browser still opens in Thai
    until its user switches, and the switch sticks.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.supported:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        # The language in effect at the end: an API token's user may have their own.
        response.headers.setdefault("Content-Language", translation.get_language() or code)
        return response


class TwoFactorMiddleware:
    """django-otp's OTPMiddleware (`user.otp_device`, `user.is_verified()`) for a user who
    brings their membership and devices from the cache (accounts.state): the device the session
    was verified with must still be one of the user's confirmed devices, checked with no query
    (django-otp's own loads the device on every request). After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(functools.partial(self._verified, request, request.user))
        return self.get_response(request)

    @staticmethod
    def _verified(request, user):
        user.otp_device = None
        user.is_verified = functools.partial(is_verified, user)
        if user.is_authenticated:
            account_state_attach(user)
            device_id = request.session.get(DEVICE_ID_SESSION_KEY)
            if device_id and device_id in confirmed_devices(user):
                # Loaded only if something reads the device itself; being verified needs none.
                user.otp_device = SimpleLazyObject(
                    functools.partial(Device.from_persistent_id, device_id)
                )
            elif device_id:
                del request.session[DEVICE_ID_SESSION_KEY]  # removed or replaced since
        return user


class MFARequiredMiddleware:
    """Send a signed-in user who must use two-factor authentication, and has not yet in this
    session, to set it up or to enter a code, before any other page. After
    TwoFactorMiddleware."""

    EXEMPT_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/accounts/language/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            mfa_required(user)
            and not user.is_verified()
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return problem_response(
                    request, status=403, detail=_("Two-factor authentication is required.")
                )
            target = "accounts:mfa_verify" if has_mfa_device(user) else "accounts:mfa_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """Keep a signed-in session alive while it is used, writing it at most once a minute.

    Sessions end after SESSION_COOKIE_AGE of inactivity (a shared office PC). Saving the session
    on every request (SESSION_SAVE_EVERY_REQUEST) would write the session row, and wait for the
    disk, on every page and API call; refreshing its expiry once a minute keeps the idle limit
    to within a minute and spares that write on the rest (docs/PERFORMANCE.md). Right after
    SessionMiddleware, so that a refresh is saved with the response."""

    KEY = "_refreshed"
    EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            # A session saved anyway (a sign-in, a message) is stamped for free; another is
            # marked modified, and so saved with a new expiry, once a minute.
            if session.modified or now - session.get(self.KEY, 0) >= self.EVERY_SECONDS:
                session[self.KEY] = now
        return response


@receiver(user_logged_in, dispatch_uid="session_refresh_stamp")
def stamp_new_session(sender, request, user, **kwargs):
    """A new session starts fresh: its first requests need not write it again."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionIdleRefreshMiddleware.KEY] = int(time.time())
