"""API authentication. Kept apart from the views: DRF reads it while defining its own views."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class TokenAuthentication(KnoxTokenAuthentication):
    """django-rest-knox's tokens (`Authorization: Token <token>`): only a hash of each is
    stored, each works for NRM_API_TOKEN_HOURS, and they end with the user's password, role or
    "sign out everywhere" (accounts.services.credentials_revoke). The refusal is in the
    user's language."""

    def authenticate_credentials(self, token):
        try:
            return super().authenticate_credentials(token)
        except AuthenticationFailed:
            raise AuthenticationFailed(
                _("The token is not valid or has expired: ask for a new one.")
            ) from None


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
