"""API-wide behaviour: the services' errors become JSON with the right status code."""

from django.core.exceptions import ValidationError
from rest_framework import exceptions, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.domain import ActionForbidden, StaleVersion, TransitionNotAllowed

from . import problems


class PreconditionRequired(exceptions.APIException):
    """A change sent without the `If-Match` of the version it is based on (428)."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "version-required"


# The services' errors, and the API's own that name a kind of problem: (status, kind).
KNOWN = {
    TransitionNotAllowed: (status.HTTP_409_CONFLICT, "transition-not-allowed"),
    ActionForbidden: (status.HTTP_403_FORBIDDEN, "action-forbidden"),
    StaleVersion: (status.HTTP_412_PRECONDITION_FAILED, "stale-version"),
    PreconditionRequired: (status.HTTP_428_PRECONDITION_REQUIRED, "version-required"),
}


def exception_handler(exc, context):
    """Every error as RFC 9457 problem details (core/problems.py): 409 for a move from the
    wrong state, 403 for a move the user may not make, 412 for a change based on a stale
    version, 400 with messages per field for invalid input (the services' Django
    ValidationError as DRF's own); everything else with DRF's status code and headers."""
    request = context["request"]
    kind = ""
    errors = None
    for exc_class, (code, exc_kind) in KNOWN.items():
        if isinstance(exc, exc_class):
            kind = exc_kind
            response = Response(status=code)
            detail = str(exc.detail if isinstance(exc, exceptions.APIException) else exc)
            break
    else:
        if isinstance(exc, ValidationError):
            exc = exceptions.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            )
        response = drf_exception_handler(exc, context)
        if response is None:
            return None  # a server error: Django's 500
        if isinstance(exc, exceptions.ValidationError):
            kind = "validation"
            detail_data = exc.detail
            if isinstance(detail_data, list):
                detail_data = {"non_field_errors": detail_data}
            errors = problems.field_errors(detail_data)
            detail = problems.validation_detail(errors)
        else:
            detail = str(getattr(exc, "detail", "") or response.data.get("detail", ""))
    response.data = problems.problem_body(
        status=response.status_code,
        detail=detail,
        instance=request.path,
        kind=kind,
        errors=errors,
    )
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or renderer.media_type.endswith("json"):
        response.content_type = problems.CONTENT_TYPE
    return response


class NewestFirstPagination(CursorPagination):
    """Cursor pagination (no COUNT over large tables), newest first, or best match first."""

    ordering = "-pk"
    page_size = 25

    def get_ordering(self, request, queryset, view):
        """A searched list (annotated with its `search_rank`, cases/search.py) is paged best
        match first."""
        if "search_rank" in queryset.query.annotations:
            return ("-search_rank", "-pk")
        return super().get_ordering(request, queryset, view)


STANDARD_ERRORS = {
    "400": "Invalid input: a message per field (errors), or a request that is not valid text "
    "(UTF-8 without NUL characters, JSON at most 32 levels deep: core.input_guard)",
    "401": "No valid credentials (a token or a session)",
    "403": "Signed in, but this user may not do this",
    "404": "No such object, not visible to this user, or an invalid page cursor",
    "415": "The body is not of a media type this operation reads",
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
            for code in codes:
                responses.setdefault(code, {"description": STANDARD_ERRORS[code]})
            for code, response in responses.items():
                if code.startswith("4"):
                    response["content"] = problem
    return result
