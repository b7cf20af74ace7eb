"""/api/v1/exports/: the lists' and reports' files, CSV or Excel, prepared by a worker as on the
pages (an API export is always prepared in the background): ask for one with the list's filters
(the list page's own, several values of one filter as a list) or the report's year, follow its
progress, download it when ready. Each job is its requester's alone; the list's or report's own
export view checks the right to export and the filters, and makes the same columns."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.domain import TransitionNotAllowed
from core.exports import CONTENT_TYPES, FORMATS

from . import selectors, services
from .models import ExportJob
from .views import job_file_response

# The lists the web pages export, by the name the API gives them: their export views' names.
LISTS = {
    "cases": "cases:export",
    "referrals": "referrals:export",
    "placements": "shelters:placements_export",
    "prosecutions": "justice:prosecutions_export",
    "compensation-claims": "justice:claims_export",
    "outcomes": "outcomes:export",
    "repatriations": "repatriation:export",
    "audit-log": "audit:export",
    "lessons": "lessons:export",
    # The reports' files: their filters are the year (`kind`: calendar or fiscal, `year`).
    "annual-figures": "reports:annual_export",
    "anonymised-statistics": "reports:anonymised_export",
    "htcds-anonymised": "reports:htcds_anonymised_export",
}

ERRORS = {
    400: OpenApiResponse(
        description="Invalid input: an unknown list or format, filters not valid, or a year "
        "whose report may not be given"
    ),
    403: OpenApiResponse(description="This user may not export this list or report"),
    404: OpenApiResponse(description="No such file of this user's (or purged after 24 hours)"),
}


class ExportJobSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="list_name", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    download = serializers.SerializerMethodField(help_text="Where to download it, once ready")

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "list",
            "filters",
            "format",
            "status",
            "total",
            "processed",
            "percent",
            "failure_message",
            "created_at",
            "finished_at",
            "expires_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, job) -> str | None:
        return reverse("api:export-download", args=[job.pk]) if job.ready else None


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
)
class FilterValues(serializers.ListField):
    """One value of a filter, or several (`["50", "63"]`: the rows that match any of them)."""

    child = serializers.CharField(allow_blank=True, max_length=200)

    def to_internal_value(self, data):
        return super().to_internal_value([data] if isinstance(data, str) else data)


class ExportRequestSerializer(serializers.Serializer):
    list = serializers.ChoiceField(choices=sorted(LISTS))
    format = serializers.ChoiceField(choices=FORMATS, default="xlsx")
    filters = serializers.DictField(
        child=FilterValues(),
        required=False,
        default=dict,
        help_text="The list page's filters, by their query names (as in its address), a "
        "filter's several values as a list; for a report, `kind` and `year`",
    )


@extend_schema_view(
    list=extend_schema(summary="The user's own prepared files of the last 24 hours"),
    retrieve=extend_schema(
        summary="A prepared file's progress", responses={200: ExportJobSerializer, **ERRORS}
    ),
    create=extend_schema(
        summary="Ask for a list's or report's file (CSV or Excel): a worker prepares it, the "
        "inbox tells when ready",
        request=ExportRequestSerializer,
        responses={201: ExportJobSerializer, **ERRORS},
    ),
)
class ExportJobViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ExportJobSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn with no user
            return ExportJob.objects.none()
        return selectors.export_jobs_of(user=self.request.user)

    def create(self, request, *args, **kwargs):
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        query = urlencode({**data["filters"], "format": data["format"]}, doseq=True)
        job = services.export_job_start(
            actor=request.user, path=reverse(LISTS[data["list"]]), query=query
        )
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a ready file (each download audited)",
        responses={
            (200, CONTENT_TYPES["csv"]): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            **ERRORS,
            409: OpenApiResponse(description="Not ready: still being prepared, or failed"),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if not job.ready:
            raise TransitionNotAllowed(_("The file is not ready: see its progress."))
        return job_file_response(request._request, job)
