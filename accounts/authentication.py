"""API authentication. Kept apart from the views: DRF reads it while defining its own views."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .state import account_state_attach


class TokenAuthentication(KnoxTokenAuthentication):
    """django-rest-knox's tokens (`Authorization: Token <token>`): only a hash of each is
    stored, each works for NRM_API_TOKEN_HOURS, and they end with the user's password, role or
    "sign out everywhere" (accounts.services.credentials_revoke). The refusal is in the
    user's language.

    One query a request: the token row with its user (knox's look-up), read from the database
    every time, so that a token revoked, or ended with its user's password or role, fails on
    the very next request. The user's membership and devices come from the cache
    (accounts.state)."""

    def authenticate(self, request):
        """The user of a token reads the API in their own language (the one they last chose in
        the web pages): a token client sends no language cookie."""
        result = super().authenticate(request)
        if result is not None:
            translation.activate(result[0].language)
            request._request.LANGUAGE_CODE = result[0].language
        return result

    def authenticate_credentials(self, token):
        try:
            user, auth_token = super().authenticate_credentials(token)
        except AuthenticationFailed:
            raise AuthenticationFailed(
                _("The token is not valid or has expired: ask for a new one.")
            ) from None
        account_state_attach(user)
        return user, auth_token

    def _cleanup_token(self, auth_token) -> bool:
        """Whether the token presented has expired (and is deleted). knox also loads every
        other token of the user, on every request, to delete the expired ones: a second query
        per request, left to accounts.tasks.clear_expired_tokens."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular)."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A token from /api/v1/auth/token/, sent as "Token <token>".',
        }
