"""The API's entry points: a token for a user name and password, and who that token is."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Organisation, Role
from accounts.services import membership_add
from audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_token_for_a_correct_password_opens_the_api(client, worker_chiangmai):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "somsri", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "somsri"
    assert body["membership"]["role"] == "social_worker"
    assert body["membership"]["organisation"]["code"] == "pso-50"
    assert body["membership"]["organisation"]["province_code"] == "50"


def test_a_wrong_password_gets_no_token_and_a_field_message(client, worker_chiangmai):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "somsri", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_the_api_needs_credentials(client):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_openapi_schema_and_docs_are_served_without_a_cdn(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


def test_tokens_are_hashed_at_rest_several_per_user_and_expire(client, worker_chiangmai, settings):
    """Issue 24: a token is kept as a hash only; a user may hold one per device; each expires."""

    def new_token():
        return client.post(
            "/api/v1/auth/token/",
            {"username": "somsri", "password": PASSWORD},
            content_type="application/json",
        ).json()["token"]

    first = new_token()
    second = new_token()
    for token in (first, second):
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    stored = AuthToken.objects.filter(user=worker_chiangmai)
    assert stored.count() == 2
    assert not any(first in (t.digest, t.token_key) for t in stored)  # only a hash, a prefix
    stored.filter(token_key=second[: len(stored[0].token_key)]).update(
        expiry=timezone.now() - dt.timedelta(minutes=1)
    )
    expired = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {second}")
    assert expired.status_code == 401
    assert "โทเคน" in expired.json()["detail"]  # refused in the user's language
    assert AuthToken.objects.filter(user=worker_chiangmai).count() == 1


def api_token(client, username="somsri"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]


def works(client, token) -> bool:
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_the_owner_lists_and_ends_their_own_tokens_only(client, worker_chiangmai, worker_tak):
    mine, theirs = api_token(client), api_token(client, worker_tak.username)
    client.force_login(worker_chiangmai)
    page = client.get(reverse("accounts:devices")).content.decode()
    prefix = AuthToken.objects.get(user=worker_chiangmai).token_key
    assert prefix in page and mine not in page
    other = AuthToken.objects.get(user=worker_tak).token_key
    assert client.post(reverse("accounts:token_revoke", args=[other])).status_code == 404
    assert works(client, theirs)
    client.post(reverse("accounts:token_revoke", args=[prefix]))
    assert not works(client, mine)


def test_sign_out_everywhere_ends_sessions_and_tokens(client, worker_chiangmai):
    token = api_token(client)
    other_device = Client()
    other_device.force_login(worker_chiangmai)
    client.force_login(worker_chiangmai)
    client.post(reverse("accounts:sign_out_everywhere"))
    assert not works(client, token)
    assert other_device.get(reverse("cases:home")).status_code == 302  # to sign in
    assert AuditEvent.objects.filter(object_id=str(worker_chiangmai.pk), action="update").exists()


def test_a_new_password_ends_the_tokens(client, worker_chiangmai):
    token = api_token(client)
    worker_chiangmai.set_password("another-long-password-2569")
    worker_chiangmai.save()
    assert not works(client, token)


def test_a_new_role_ends_the_sessions_and_tokens(client, worker_chiangmai):
    token = api_token(client)
    client.force_login(worker_chiangmai)
    membership_add(
        user=worker_chiangmai,
        organisation=Organisation.objects.get(code="shelter-kredtrakarn"),
        role=Role.SHELTER_STAFF,
    )
    assert not works(client, token)
    assert client.get(reverse("cases:home")).status_code == 302
