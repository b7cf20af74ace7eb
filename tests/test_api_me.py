"""The API's entry points: a token for a user name and password, and who that token is."""

import pytest

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
    assert "non_field_errors" in response.json()


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


def test_a_token_expires_and_a_new_one_replaces_the_old(client, worker_chiangmai, settings):
    import datetime as dt

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    def new_token():
        return client.post(
            "/api/v1/auth/token/",
            {"username": "somsri", "password": PASSWORD},
            content_type="application/json",
        ).json()["token"]

    first = new_token()
    second = new_token()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
    Token.objects.filter(key=second).update(
        created=timezone.now() - dt.timedelta(hours=settings.NRM_API_TOKEN_HOURS, minutes=1)
    )
    expired = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {second}")
    assert expired.status_code == 401
    assert not Token.objects.filter(key=second).exists()
