"""Behind the documented TLS proxy, the client's address (not the proxy's) reaches the audit
log and the sign-in lockout (issue 24); a forged X-Forwarded-For from anyone else is ignored."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.network import client_address
from tests.conftest import PASSWORD

PROXY = "10.0.0.5"


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        (PROXY, "203.0.113.7", "203.0.113.7"),
        (PROXY, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left one is forgeable
        (PROXY, "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # a second trusted hop is skipped
        ("198.51.100.20", "203.0.113.7", "198.51.100.20"),  # not a proxy: header ignored
        (PROXY, "not-an-address", PROXY),
        (PROXY, "", PROXY),
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(peer, forwarded, client):
    assert client_address(peer, forwarded, ["10.0.0.0/24"]) == client


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def sign_in(client, address, password):
    return client.post(
        reverse("accounts:login"),
        {"username": "malee", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_one_address_failing_does_not_lock_the_director_out_elsewhere(
    client, behind_proxy, director_kredtrakarn, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(client, "198.51.100.66", "wrong")
    locked = sign_in(client, "198.51.100.66", PASSWORD)
    assert locked.status_code in (403, 429) or "_auth_user_id" not in client.session
    client.cookies.clear()
    response = sign_in(client, "203.0.113.10", PASSWORD)  # the director, at the shelter
    assert response.status_code == 302
    event = AuditEvent.objects.filter(username="malee").latest("pk")
    assert event.ip_address == "203.0.113.10"
