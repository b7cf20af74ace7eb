"""The API's rate limits (settings REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES): per user and
per client address, refused with a 429 that core.api words in the user's language."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _Throttle(SimpleRateThrottle):
    """A rate kept in the cache (Redis; an outage lets requests through rather than refusing
    everyone), read from settings.NRM_API_RATES at each request. The address is REMOTE_ADDR,
    which core.network has already set to the client behind the trusted proxies (DRF's own
    reading of X-Forwarded-For would believe a forged header)."""

    def get_rate(self):
        return settings.NRM_API_RATES[self.scope]

    def get_ident(self, request):
        return request.META.get("REMOTE_ADDR", "")


class UserRateThrottle(_Throttle):
    """Per user (per address before signing in: the token request)."""

    scope = "user"

    def get_cache_key(self, request, view):
        user = request.user
        who = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": who}


class AddressRateThrottle(_Throttle):
    """Per address, whoever signs in from it: many accounts cannot multiply one client's
    rate."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
