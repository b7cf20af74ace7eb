"""The sign-in through the organisation's identity provider: off (404) unless configured."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def _configured() -> None:
    if not settings.NRM_OIDC_ENABLED:
        raise Http404


def start(request):
    """Send the browser to the identity provider."""
    _configured()
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request):
    """The provider sends the browser back here: sign the mapped account in, or say no."""
    _configured()
    response = OIDCAuthenticationCallbackView.as_view()(request)
    if not request.user.is_authenticated:
        messages.error(
            request,
            _(
                "Your organisation's sign-in is not linked to an account of this system. "
                "Ask your administrator, or sign in with your user name and password."
            ),
        )
    return response
