"""API authentication. Kept apart from the views: DRF reads it while defining its own views."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ExpiringTokenAuthentication(TokenAuthentication):
    """A token works for NRM_API_TOKEN_HOURS after it was issued, then the client signs in
    again (with its code, for two-factor users): a lost token does not open records for ever."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - dt.timedelta(hours=settings.NRM_API_TOKEN_HOURS):
            token.delete()
            raise AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token
