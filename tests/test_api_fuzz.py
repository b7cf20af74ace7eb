"""A bounded schemathesis run over the whole API (every operation of the OpenAPI schema, a few
generated requests each, as a social worker with a case): no server error, and every answer as
the schema documents it (status code, media type, headers, body).

Bounded so that the suite stays fast: FUZZ_EXAMPLES requests per operation, no shrinking. Run
it longer by hand with `NRM_FUZZ_EXAMPLES=50 pytest tests/test_api_fuzz.py`."""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import checks as openapi_checks

from accounts.services import api_token_issue
from nrm.wsgi import application
from tests.factories import register_case

FUZZ_EXAMPLES = int(os.environ.get("NRM_FUZZ_EXAMPLES", "3"))

CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]


def _schema():
    """The schema as the API serves it (drf-spectacular, with its postprocessing)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    # Generated requests only (schemathesis's fuzzing phase): its coverage phase sends every
    # boundary value of every field, hundreds of requests an operation.
    config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(raw)), config=config
    )
    loaded.app = application
    return loaded


schema = _schema()


@pytest.fixture
def connection_kept():
    """The requests go through the WSGI application, which closes the database connection
    after each (request_finished): inside the test's transaction that would end it. Django's
    test client keeps it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, worker_chiangmai, connection_kept):
    register_case(worker_chiangmai)  # something in the lists
    _instance, key = api_token_issue(worker_chiangmai)
    return key


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_as_its_schema_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
