"""The API's OpenAPI schema (drf-spectacular): every error a problem, the versions' headers."""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS

from . import problems
from .api import VersionedMixin

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag of the record this change is based on: if someone changed the record "
    "since, nothing is saved and the answer is 412. Optional: without it the change is made.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200],
    description="The record's version, to send back as If-Match with a change",
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with If-Match on the changes of versioned records and their ETag."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if isinstance(self.view, VersionedMixin) and "{id}" in self.path:
            parameters = [*parameters, ETAG]
            if self.method not in SAFE_METHODS:
                parameters.append(IF_MATCH)
        return parameters


STANDARD_ERRORS = {
    "400": "Invalid input: a message per field (errors), or a request that is not valid text "
    "(UTF-8 without NUL characters, JSON at most 32 levels deep: core.input_guard)",
    "401": "No valid credentials (a token or a session)",
    "403": "Signed in, but this user may not do this",
    "404": "No such object, not visible to this user, or an invalid page cursor",
    "415": "The body is not of a media type this operation reads",
    "412": "The record changed since the version given in If-Match: nothing was saved",
    "429": "Too many requests from this user or address: wait the Retry-After seconds",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details, in the user's language (core/problems.py)",
    "properties": {
        "type": {
            "type": "string",
            "description": "about:blank, or one of urn:nrm:problem:"
            + ", urn:nrm:problem:".join(problems.PROBLEM_TYPES),
        },
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "For invalid input: the messages of each field, by its path",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}


def document_standard_errors(result, generator, request, public):
    """drf-spectacular postprocessing: every error is a problem (application/problem+json);
    every operation documents the errors the API gives everywhere (400 for invalid input, or a
    query string that is not valid text; 401 without credentials, 403, 404 for an object or
    page cursor, 429 when throttled; 415 where it reads a body), besides the ones its view
    documents itself (409 for a move from the wrong state, 412 and 428 for a stale or missing
    If-Match)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {problems.CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "429"]
            if path.endswith("/auth/token/"):
                codes = ["400", "429"]
            if method in ("post", "put", "patch"):
                codes.append("415")
            if any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
                codes.append("412")
            for code in codes:
                responses.setdefault(code, {"description": STANDARD_ERRORS[code]})
            for code, response in responses.items():
                if code.startswith("4"):
                    response["content"] = problem
    return result
