"""Single sign-on: an organisation's OpenID Connect provider (tests/oidc_provider.py, started by
the test) signs its people in to their existing accounts, named by a claim; it never creates
an account or a right, and the break-glass administrators keep their local sign-in."""

from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from audit.models import AuditEvent
from tests.oidc_provider import start_provider

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "nrm-web", "client-secret-for-tests"


@pytest.fixture
def provider(settings):
    provider, server = start_provider(CLIENT_ID, CLIENT_SECRET)
    settings.NRM_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.endpoint("authorize")
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.endpoint("token")
    settings.OIDC_OP_USER_ENDPOINT = provider.endpoint("userinfo")
    settings.OIDC_OP_JWKS_ENDPOINT = provider.endpoint("jwks")
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "sso.backends.MappedUserBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


def sign_in(client, provider, **claims):
    """The browser's way: to the provider, which signs the person in and sends them back."""
    provider.claims = {"sub": "f3a1-0042", **claims}
    start = client.get(reverse("sso:start"))
    assert start.status_code == 302 and start["Location"].startswith(provider.endpoint("authorize"))
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("sso:callback")
    return client.get(f"{back.path}?{back.query}")


def test_a_mapped_person_lands_on_their_home_page(client, provider, worker_chiangmai):
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="sso"' in login_page

    response = sign_in(client, provider, preferred_username=worker_chiangmai.username)
    assert response.status_code == 302
    home = client.get(response["Location"], follow=True)
    assert home.status_code == 200
    assert home.context["user"] == worker_chiangmai
    assert home.request["PATH_INFO"] == reverse("cases:home")  # a social worker's home
    assert AuditEvent.objects.filter(action="login", actor=worker_chiangmai).exists()


def test_an_unmapped_subject_is_refused_in_thai_and_audited(client, provider, worker_chiangmai):
    response = sign_in(client, provider, preferred_username="nobody-here")
    assert response["Location"] == "/accounts/login/"
    page = client.get(response["Location"]).content.decode()
    assert "ไม่ได้เชื่อมโยงกับบัญชีผู้ใช้" in page
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    refused = AuditEvent.objects.get(action="login_failed", username="nobody-here")
    assert refused.changes["via"] == "oidc" and refused.changes["subject"] == "f3a1-0042"
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="nobody-here").exists()


def test_break_glass_administrators_sign_in_only_locally(
    client, provider, sysadmin, central_reviewer
):
    for account in (sysadmin, central_reviewer):
        response = sign_in(client, provider, preferred_username=account.username)
        assert response["Location"] == "/accounts/login/"
    assert AuditEvent.objects.filter(action="login_failed", changes__via="oidc").count() == 2
    assert not AuditEvent.objects.filter(action="login").exists()


def test_only_the_organisations_allowed_sign_in_through_the_provider(
    client, provider, settings, worker_chiangmai, director_kredtrakarn
):
    settings.NRM_OIDC_ORGANISATIONS = ["shelter-kredtrakarn"]
    refused = sign_in(client, provider, preferred_username=worker_chiangmai.username)
    assert refused["Location"] == "/accounts/login/"
    allowed = sign_in(client, provider, preferred_username=director_kredtrakarn.username)
    assert client.get(allowed["Location"], follow=True).context["user"] == director_kredtrakarn


def test_without_configuration_there_is_no_single_sign_on(client, settings):
    settings.NRM_OIDC_ENABLED = False
    assert client.get(reverse("sso:start")).status_code == 404
    assert client.get(reverse("sso:callback")).status_code == 404
    assert 'data-testid="sso"' not in client.get(reverse("accounts:login")).content.decode()
