"""API-wide behaviour: the services' errors become JSON with the right status code."""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.domain import ActionForbidden, TransitionNotAllowed


def exception_handler(exc, context):
    """409 for a move from the wrong state, 403 for a move the user may not make, 400 with a
    message per field for invalid input; everything else as DRF does it."""
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ActionForbidden):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ValidationError):
        body = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, Throttled):
        seconds = int(exc.wait or 1)
        response.data = {
            "detail": ngettext(
                "Too many requests: wait %(seconds)d second, then try again.",
                "Too many requests: wait %(seconds)d seconds, then try again.",
                seconds,
            )
            % {"seconds": seconds}
        }
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
    "400": "Invalid input: a message per field, or a request that is not valid text (UTF-8 "
    "without NUL characters, JSON at most 32 levels deep: core.input_guard)",
    "401": "No valid credentials (a token or a session)",
    "403": "Signed in, but this user may not do this",
    "404": "No such object, not visible to this user, or an invalid page cursor",
}


def document_standard_errors(result, generator, request, public):
    """drf-spectacular postprocessing: every operation documents the errors the API gives
    everywhere (400 for invalid input, or a query string that is not valid text; 401 without
    credentials, 403, 404 for an object or page cursor), besides the ones its view documents
    itself (409 for a move from the wrong state)."""
    error = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
    }
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404"]
            if path.endswith("/auth/token/"):
                codes = ["400"]
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": STANDARD_ERRORS[code],
                        "content": {"application/json": {"schema": error}},
                    },
                )
    return result
