"""Every error of the API is an RFC 9457 problem (application/problem+json), in the user's
language, with a message per field for invalid input."""

import re

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_issue
from tests.factories import OUTCOME_AT_CLOSURE, register_case

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]")
PROBLEM = "application/problem+json"


def token_client(user, language="th"):
    User.objects.filter(pk=user.pk).update(language=language)
    _instance, token = api_token_issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    assert body["instance"] == response.wsgi_request.path
    return body


def test_invalid_input_names_each_field_in_thai_for_a_thai_user(worker_chiangmai):
    response = token_client(worker_chiangmai).post(
        "/api/v1/cases/", {"intake_channel": "by_carrier_pigeon"}, format="json"
    )
    body = assert_problem(response, 400)
    assert body["type"] == "urn:nrm:problem:validation"
    assert {"person", "intake_channel", "intake_date", "intake_province"} <= set(body["errors"])
    assert all(THAI.search(m) for messages in body["errors"].values() for m in messages)
    assert THAI.search(body["title"]) and THAI.search(body["detail"])
    assert response["Content-Language"] == "th"


def test_the_same_refusal_is_in_english_for_a_user_who_reads_english(worker_chiangmai):
    response = token_client(worker_chiangmai, language="en").post(
        "/api/v1/cases/", {}, format="json"
    )
    body = assert_problem(response, 400)
    assert body["errors"]["person"] == ["This field is required."]
    assert not THAI.search(body["title"])
    assert response["Content-Language"] == "en"


def test_a_nested_field_is_named_by_its_path(worker_chiangmai):
    response = token_client(worker_chiangmai).post(
        "/api/v1/persons/",
        {"name_latin": "A", "sex": "male", "documents": [{"kind": "no_such_kind"}]},
        format="json",
    )
    body = assert_problem(response, 400)
    assert "documents.0.kind" in body["errors"] and "documents.0.number" in body["errors"]


def test_a_move_from_the_wrong_state_is_a_conflict_problem(worker_chiangmai):
    case = register_case(worker_chiangmai)
    client = token_client(worker_chiangmai)
    url = f"/api/v1/cases/{case.pk}/close/"
    assert client.post(url, {"reason": "done", **OUTCOME_AT_CLOSURE}).status_code == 200
    body = assert_problem(client.post(url, {"reason": "x"}), 409)
    assert body["type"] == "urn:nrm:problem:transition-not-allowed" and THAI.search(body["detail"])


def test_no_credentials_unknown_objects_wrong_methods_and_media_types(worker_chiangmai):
    unsigned = assert_problem(APIClient().get("/api/v1/cases/"), 401)
    assert unsigned["type"] == "about:blank"
    client = token_client(worker_chiangmai)
    assert_problem(client.get("/api/v1/cases/999999/"), 404)
    assert_problem(client.delete("/api/v1/cases/"), 405)
    media = assert_problem(
        client.post("/api/v1/cases/", "<case/>", content_type="application/xml"), 415
    )
    assert THAI.search(media["detail"])


def test_text_that_is_not_utf8_is_a_problem_before_any_view(worker_chiangmai):
    response = token_client(worker_chiangmai).generic(
        "POST", "/api/v1/cases/", b'{"intake_channel": "\xff"}', content_type="application/json"
    )
    assert assert_problem(response, 400)["type"] == "urn:nrm:problem:invalid-text"


def test_a_client_in_a_loop_is_slowed_with_retry_after(worker_chiangmai, settings):
    settings.NRM_API_RATES = {"user": "2/minute", "address": "100/minute"}
    client = token_client(worker_chiangmai)
    assert [client.get("/api/v1/me/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/me/")
    body = assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0 and THAI.search(body["detail"])


def test_the_schema_documents_every_error_as_a_problem(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
        "instance",
    ]
    for operations in schema["paths"].values():
        for operation in operations.values():
            for code, response in operation["responses"].items():
                if code.startswith("4"):
                    assert list(response["content"]) == [PROBLEM]
            assert "429" in operation["responses"]
