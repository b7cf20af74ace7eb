"""mozilla-django-oidc's code flow, with our rule of who the signed-in person is."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .services import oidc_user_for


class MappedUserBackend(OIDCAuthenticationBackend):
    """Maps the provider's claims to an existing account (sso.services.oidc_user_for); never
    creates or updates one."""

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        return oidc_user_for(claims=claims, request=self.request)

    def create_user(self, claims):  # pragma: no cover - never called (get_or_create_user)
        raise NotImplementedError("single sign-on never creates an account")
