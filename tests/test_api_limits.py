"""Keys kept safe (issue 19): API rate limits per user and per address, refused with a 429 in
the user's language; a token shown once, unreadable at rest (the rest of the token's life:
tests/test_api_me.py)."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def slow_rates(settings):
    settings.NRM_API_RATES = {"user": "3/minute", "address": "5/minute"}


def me(client, address="198.51.100.7", **headers):
    return client.get("/api/v1/me/", REMOTE_ADDR=address, **headers)


def test_a_user_past_their_rate_is_told_in_thai_to_wait(slow_rates, worker_chiangmai):
    client = APIClient()
    client.force_login(worker_chiangmai)
    assert [me(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = me(client)
    assert refused.status_code == 429
    assert "คำขอมากเกินไป" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0


def test_another_user_keeps_their_own_rate(slow_rates, worker_chiangmai, worker_tak):
    first, second = APIClient(), APIClient()
    first.force_login(worker_chiangmai)
    second.force_login(worker_tak)
    for _ in range(3):
        me(first, address="198.51.100.7")
    assert me(first, address="198.51.100.7").status_code == 429
    assert me(second, address="203.0.113.9").status_code == 200


def test_many_accounts_from_one_address_share_its_rate(slow_rates, db):
    statuses = []
    for number in range(6):
        client = APIClient()
        client.force_login(member("social_worker", "pso-50", f"worker{number}"))
        statuses.append(me(client).status_code)
    assert statuses == [200] * 5 + [429]


def test_token_requests_are_limited_by_address(slow_rates, worker_chiangmai):
    client = APIClient()
    body = {"username": "somsri", "password": "wrong"}
    statuses = [
        client.post("/api/v1/auth/token/", body, format="json", REMOTE_ADDR="192.0.2.1").status_code
        for _ in range(4)
    ]
    assert statuses[-1] == 429


def test_a_token_is_shown_once_and_kept_nowhere_readable(worker_chiangmai):
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "somsri", "password": PASSWORD}, format="json"
    ).json()["token"]
    assert me(client, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    stored = AuthToken.objects.get(user=worker_chiangmai)
    assert token not in (stored.digest, stored.token_key)
    assert not any(token in str(event.changes) for event in AuditEvent.objects.all())
    client.force_login(worker_chiangmai)
    assert token not in client.get("/accounts/sign-in/").content.decode()
