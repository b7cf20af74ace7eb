"""API-wide behaviour: the services' errors become JSON with the right status code."""

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from nrm.domain import ActionForbidden, TransitionNotAllowed


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
    return drf_exception_handler(exc, context)


class NewestFirstPagination(CursorPagination):
    """Cursor pagination (no COUNT over large tables), newest first."""

    ordering = "-pk"
    page_size = 25
