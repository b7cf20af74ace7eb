"""API-wide behaviour: errors as problem details, record versions (ETag, If-Match), pagination,
lists written from plain rows."""

from collections.abc import Callable
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models.manager import BaseManager
from django.utils.translation import ngettext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, relations, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.domain import ActionForbidden, StaleVersion, TransitionNotAllowed

from . import problems, versions

# The services' errors, and the API's own that name a kind of problem: (status, kind).
KNOWN = {
    TransitionNotAllowed: (status.HTTP_409_CONFLICT, "transition-not-allowed"),
    ActionForbidden: (status.HTTP_403_FORBIDDEN, "action-forbidden"),
    StaleVersion: (status.HTTP_412_PRECONDITION_FAILED, "stale-version"),
}


def exception_handler(exc, context):
    """Every error as RFC 9457 problem details (core/problems.py): 409 for a move from the
    wrong state, 403 for a move the user may not make, 412 for a change based on a stale
    version (If-Match), 400 with messages per field for invalid input (the services' Django
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
            messages = exc.messages
            if hasattr(exc, "error_dict"):
                # Django's "__all__" is DRF's non_field_errors: the message about no one field.
                messages = {
                    "non_field_errors" if field == NON_FIELD_ERRORS else field: errors
                    for field, errors in exc.message_dict.items()
                }
            exc = exceptions.ValidationError(messages)
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
        elif isinstance(exc, exceptions.Throttled):
            seconds = int(exc.wait or 1)
            detail = ngettext(
                "Too many requests: wait %(seconds)d second, then try again.",
                "Too many requests: wait %(seconds)d seconds, then try again.",
                seconds,
            ) % {"seconds": seconds}
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


# A viewset whose records have a version (core/versions.py): the answer about one record, read
# or changed, carries its `ETag`; a change to one record (an action on it, PUT, PATCH) sent with
# `If-Match` is made only if the record is still at that version, else 412 and nothing is
# saved. The record is locked before the comparison, in the transaction of the change. (Said
# here rather than in a docstring: the schema would show a mixin's docstring as each
# operation's description.)
class VersionedMixin:
    def _is_versioned_change(self, request) -> bool:
        return (
            request.method not in SAFE_METHODS
            and self.lookup_field in self.kwargs
            and "HTTP_IF_MATCH" in request.META
        )

    def dispatch(self, request, *args, **kwargs):
        self.kwargs = kwargs  # as APIView.dispatch sets them, for _is_versioned_change
        if not self._is_versioned_change(request):
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def get_object(self):
        record = super().get_object()
        if self._is_versioned_change(self.request):
            accepted = versions.versions_from_if_match(self.request.META["HTTP_IF_MATCH"])
            versions.ensure_version(type(record), record.pk, accepted)
        self._versioned_record = record
        return record

    def finalize_response(self, request, response, *args, **kwargs):
        record = getattr(self, "_versioned_record", None)
        if record is not None and status.is_success(response.status_code):
            if request.method not in SAFE_METHODS:  # the version the change made
                record = type(record).objects.only("updated_at").get(pk=record.pk)
            response["ETag"] = versions.etag_of(record)
        return super().finalize_response(request, response, *args, **kwargs)


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


# --- Lists from plain rows -------------------------------------------------------------------

Plan = tuple[tuple[str, str, Callable | None], ...]


@cache
def row_plan(serializer_class: type[serializers.ModelSerializer]) -> Plan:
    """How `serializer_class` writes a plain row: for each readable field, its name, the column
    it reads (a model field by its name, a foreign key's id by the relation's name, a slug
    across the join as `owner__code`, the record's id as `pk`) and the field's own
    `to_representation` (None where the column holds the output: an id, a slug). Found once
    per class: the fields are not built again per request."""
    model = serializer_class.Meta.model
    plan = []
    for field in serializer_class().fields.values():
        if field.write_only:
            continue
        path = field.source.replace(".", "__")
        if isinstance(field, relations.PrimaryKeyRelatedField):
            write = field.pk_field.to_representation if field.pk_field is not None else None
        elif isinstance(field, relations.SlugRelatedField):
            path, write = f"{path}__{field.slug_field}", None
        elif (
            isinstance(
                field,
                relations.RelatedField
                | relations.ManyRelatedField
                | serializers.BaseSerializer
                | serializers.SerializerMethodField,
            )
            or field.source == "*"
        ):
            raise ImproperlyConfigured(
                f"{serializer_class.__name__}.{field.field_name} is not one column of a row"
            )
        else:
            write = field.to_representation
        plan.append((field.field_name, "pk" if path == model._meta.pk.name else path, write))
    return tuple(plan)


def row_columns(serializer_class: type[serializers.ModelSerializer]) -> list[str]:
    """The columns a `.values()` gives `PlainRowsSerializer` for `serializer_class`: those of
    its fields, and `pk` (the cursor's position and the audit log's ids)."""
    return list(
        dict.fromkeys(["pk", *(column for _name, column, _write in row_plan(serializer_class))])
    )


class ListFilterBackend(DjangoFilterBackend):
    """An API list narrowed by the same FilterSet as its page and its export (the view's
    `filterset_class`: the same parameters, `?province=50&province=63` for several values), on
    lists only. A filter the user got wrong, or a search the database could not finish, is a
    400 with the message on its parameter, never a wider or silently empty list."""

    def filter_queryset(self, request, queryset, view):
        if view.action != "list" or request.query_params.keys().isdisjoint(
            view.filterset_class.base_filters
        ):
            return queryset  # no filter asked: no FilterSet built (a tenth of a list's CPU)
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        rows = filterset.qs
        if filterset.errors:  # a filter's own method refused the value (a search's timeout)
            raise serializers.ValidationError(filterset.errors)
        return rows


class FilteredPlainRowsMixin:
    """A list filtered by its page's FilterSet (ListFilterBackend, `filterset_class`), then read
    as plain rows of its serializer's columns (PlainRowsSerializer) with what the filters
    annotated (a search's rank, which orders the page)."""

    filter_backends = [ListFilterBackend]

    def filter_queryset(self, queryset):
        found = super().filter_queryset(queryset)
        if self.action != "list":
            return found
        return found.values(*row_columns(self.get_serializer_class()), *found.query.annotations)


class PlainRowsSerializer(serializers.ListSerializer):
    """A list serializer (`Meta.list_serializer_class`) that also writes plain rows, a
    `.values(*row_columns(...))` page, exactly as its serializer writes model instances (the
    same fields, the same `to_representation`, None as None), without a model instance per row
    nor DRF's walk of every field of every row: about a third of an API list's CPU
    (docs/PERFORMANCE.md). Model instances are written as DRF writes them."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, BaseManager) else data)
        if not rows or not isinstance(rows[0], dict):
            return super().to_representation(rows)
        plan = row_plan(type(self.child))
        return [self._write(row, plan) for row in rows]

    @staticmethod
    def _write(row: dict, plan: Plan) -> dict:
        written = {}
        for name, column, write in plan:
            value = row[column]
            written[name] = value if value is None or write is None else write(value)
        return written
