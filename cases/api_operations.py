"""/api/v1/operations/ and /api/v1/intake-batches/: operations (raids) and their mass intake,
as on the operation pages: record one, read it with its cases, files and identification
clocks, start the screening of its persons; upload a file of persons, read its preview (the
rows, their errors, the registered persons each may be), confirm it, follow its import, retry
or stop an import that lost its worker. The same selectors and services as the pages; only the
provincial staff of the operation's office (403 for another role, 404 for another office)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Province
from accounts.permissions import role_permission
from audit.api import AuditedListMixin
from audit.reads import record_list
from core.api import VersionedMixin

from . import intake, selectors, services
from .models import Case, IntakeBatch, Operation
from .permissions import PROVINCIAL_ROLES

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Not a provincial office's staff, or not this office's"),
    404: OpenApiResponse(description="No such object, or another office's"),
}
TRANSITION_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Not possible in the file's current state"),
}


class OperationSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all())
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    custody_started_at = serializers.DateTimeField(
        help_text="When the persons were taken into custody: each one's 24-hour identification "
        "deadline (Act s.29) counts from it"
    )
    case_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Operation
        fields = [
            "id",
            "name",
            "province",
            "started_on",
            "custody_started_at",
            "lead_agency",
            "description",
            "organisation",
            "case_count",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class OperationCaseSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.display_name", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "person", "person_name", "status"]
        read_only_fields = fields


class IntakeBatchSummarySerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = IntakeBatch
        fields = [
            "id",
            "operation",
            "file_name",
            "status",
            "total",
            "processed",
            "uploaded_by",
            "created_at",
            "finished_at",
            "failure_message",
            "case_ids",
        ]
        read_only_fields = fields


class ClocksSerializer(serializers.Serializer):
    open = serializers.IntegerField(help_text="Screenings whose s.29 clock runs")
    due_soon = serializers.IntegerField()
    breached = serializers.IntegerField()
    without_screening = serializers.IntegerField(help_text="Persons with no screening yet")


class OperationDetailSerializer(OperationSerializer):
    cases = OperationCaseSerializer(many=True, read_only=True, source="cases_shown")
    batches = IntakeBatchSummarySerializer(many=True, read_only=True)
    clocks = ClocksSerializer(read_only=True)

    class Meta(OperationSerializer.Meta):
        fields = [*OperationSerializer.Meta.fields, "cases", "batches", "clocks"]


class CustodySerializer(serializers.Serializer):
    custody_started_at = serializers.DateTimeField()


class StartedSerializer(serializers.Serializer):
    started = serializers.ListField(
        child=serializers.IntegerField(), help_text="The screenings started (none: all had one)"
    )


class IntakeUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8) or Excel .xlsx, with the template's columns"
    )


@extend_schema_view(
    list=extend_schema(summary="The operations of the user's office, newest first"),
    create=extend_schema(
        summary="Record an operation (a raid or mass rescue)",
        responses={201: OperationSerializer, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="An operation with its cases, intake files and identification clocks "
        "(the cases shown are logged)",
        responses={200: OperationDetailSerializer, **ERRORS},
    ),
)
class OperationViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OperationSerializer
    permission_classes = [role_permission(*PROVINCIAL_ROLES)]

    def get_queryset(self):
        return selectors.operation_list_for(user=self.request.user).annotate(
            case_count=Count("cases", distinct=True)
        )

    def get_serializer_class(self):
        return OperationDetailSerializer if self.action == "retrieve" else OperationSerializer

    def perform_create(self, serializer):
        serializer.instance = services.operation_create(
            actor=self.request.user, **serializer.validated_data
        )

    def retrieve(self, request, *args, **kwargs):
        operation = self.get_object()
        cases = list(
            selectors.case_list_visible_to(user=request.user)
            .filter(operation=operation)
            .select_related("person")
            .order_by("number")
        )
        record_list(cases, user=request.user, name="operation")
        operation.cases_shown = cases
        operation.batches = operation.intake_batches.select_related("uploaded_by").defer(
            "rows", "duplicates"
        )
        operation.clocks = selectors.operation_clocks(user=request.user, operation=operation)
        return Response(
            OperationDetailSerializer(operation, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Start the screening of every person of the operation who has none yet",
        request=CustodySerializer,
        responses={200: StartedSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="start-screenings")
    def start_screenings(self, request, pk=None):
        operation = self.get_object()
        body = CustodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        started = services.operation_screenings_start(
            operation_id=operation.pk, actor=request.user, **body.validated_data
        )
        return Response({"started": [screening.pk for screening in started]})

    @extend_schema(
        summary="Upload a file of the operation's persons: checked, nothing saved until confirmed",
        request={"multipart/form-data": IntakeUploadSerializer},
        responses={201: IntakeBatchSummarySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def intake(self, request, pk=None):
        operation = self.get_object()
        body = IntakeUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            batch = intake.intake_batch_create(
                actor=request.user, operation=operation, uploaded_file=body.validated_data["file"]
            )
        except DjangoValidationError as error:  # the file as a whole: its field's message
            raise serializers.ValidationError({"file": error.messages}) from None
        return Response(IntakeBatchSummarySerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The intake file's template (CSV with the columns and an example row)",
        responses={(200, "text/csv"): OpenApiTypes.BINARY, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="intake-template")
    def intake_template(self, request, pk=None):
        self.get_object()
        response = HttpResponse(intake.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="nrm-intake-template.csv"'
        return response


class IntakeMatchSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        allow_null=True,
        help_text="A registered person of the user's office; null for a possible match in "
        "another office (neither named nor numbered: the central division is told at import)",
    )
    person_name = serializers.CharField(allow_null=True)
    date_of_birth = serializers.DateField(allow_null=True)
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    must_link = serializers.BooleanField(help_text="Holds the row's identity document")
    suggested = serializers.BooleanField(help_text="Linked unless the user says otherwise")

    def to_representation(self, match):
        person = match["person"]
        return {
            "person": person.pk if person else None,
            "person_name": person.display_name if person else None,
            "date_of_birth": person.date_of_birth.isoformat()
            if person and person.date_of_birth
            else None,
            "score": match["score"],
            "reasons": [str(reason) for reason in match["reasons"]],
            "must_link": match["must_link"],
            "suggested": match["suggested"],
        }


class RowErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class RepeatSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    same_document = serializers.BooleanField()


class PreviewRowSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The row's number in the spreadsheet")
    names = serializers.ListField(child=serializers.CharField())
    sex = serializers.CharField()
    born = serializers.CharField()
    estimated_age = serializers.CharField()
    nationality = serializers.CharField()
    document = serializers.CharField()
    custody = serializers.CharField()
    errors = RowErrorSerializer(many=True)
    matches = IntakeMatchSerializer(many=True)
    must_link = serializers.BooleanField()
    linked = serializers.IntegerField(
        allow_null=True, help_text="The person the row is linked to (chosen or suggested)"
    )
    repeats = RepeatSerializer(many=True, help_text="Other rows that may be the same person")
    must_merge = serializers.BooleanField()
    same_as = serializers.CharField(
        allow_null=True, help_text="The earlier row it is the same person as, or different"
    )


class IntakeBatchSerializer(IntakeBatchSummarySerializer):
    rows = PreviewRowSerializer(many=True, read_only=True)
    rows_with_errors = serializers.IntegerField(read_only=True)
    flagged = serializers.IntegerField(read_only=True)
    suggested_links = serializers.IntegerField(read_only=True)

    class Meta(IntakeBatchSummarySerializer.Meta):
        fields = [
            *IntakeBatchSummarySerializer.Meta.fields,
            "rows",
            "rows_with_errors",
            "flagged",
            "suggested_links",
        ]
        read_only_fields = fields


class ProgressSerializer(serializers.ModelSerializer):
    processed = serializers.IntegerField()
    percent = serializers.IntegerField()
    stalled = serializers.BooleanField(
        help_text="The import lost its worker: retry or cancel it (nothing was saved)"
    )
    linked = serializers.IntegerField(help_text="Rows linked to persons already registered")

    class Meta:
        model = IntakeBatch
        fields = [
            "id",
            "status",
            "total",
            "processed",
            "percent",
            "stalled",
            "linked",
            "case_ids",
            "failure_message",
        ]
        read_only_fields = fields


class IntakeConfirmSerializer(serializers.Serializer):
    links = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        required=False,
        default=dict,
        help_text='A row\'s number → the registered person to open its case for ({"3": 41}); '
        "null for a new person",
    )
    same_as = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        required=False,
        default=dict,
        help_text="A row that may repeat an earlier one → the earlier row it is the same person "
        "as, or null for a different person",
    )
    accept_suggested = serializers.BooleanField(
        required=False, default=False, help_text="Link every row to its suggested person"
    )

    def _rows(self, answers: dict) -> dict:
        try:
            return {int(row): value for row, value in answers.items()}
        except ValueError:
            raise serializers.ValidationError(
                serializers.IntegerField.default_error_messages["invalid"]
            ) from None

    def validate_links(self, links):
        return {row: person for row, person in self._rows(links).items() if person}

    def validate_same_as(self, same_as):
        return self._rows(same_as)


@extend_schema_view(
    list=extend_schema(summary="The intake files of the operations of the user's office"),
    retrieve=extend_schema(
        summary="An intake file's preview: its rows, their errors and the registered persons "
        "each may be (logged as the preview page is)",
        responses={200: IntakeBatchSerializer, **ERRORS},
    ),
)
class IntakeBatchViewSet(
    VersionedMixin, AuditedListMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [role_permission(*PROVINCIAL_ROLES)]
    audit_list_name = "intake files"

    def get_queryset(self):
        batches = selectors.intake_batch_list_for(user=self.request.user)
        if self.action == "list":
            return batches.defer("rows", "duplicates", "errors")
        return batches

    def get_serializer_class(self):
        return IntakeBatchSummarySerializer if self.action == "list" else IntakeBatchSerializer

    def retrieve(self, request, *args, **kwargs):
        batch = self.get_object()
        # The preview's rows (with the matches each may be) stand in for the stored ones.
        batch.__dict__.update(intake.intake_preview(user=request.user, batch=batch))
        return Response(IntakeBatchSerializer(batch).data)

    @extend_schema(
        summary="Import the checked file: every row at once, or none (a task; follow progress)",
        request=IntakeConfirmSerializer,
        responses={200: ProgressSerializer, **TRANSITION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        batch = self.get_object()
        body = IntakeConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        batch = intake.intake_confirm(batch_id=batch.pk, actor=request.user, **body.validated_data)
        return self._progress(batch)

    def _progress(self, batch):
        batch.__dict__.update(intake.intake_progress_report(batch))
        return Response(ProgressSerializer(batch).data)

    @extend_schema(
        summary="How far the import has got", responses={200: ProgressSerializer, **ERRORS}
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        return self._progress(self.get_object())

    @extend_schema(
        summary="Ask again for an import whose worker was lost",
        request=None,
        responses={200: ProgressSerializer, **TRANSITION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        intake.intake_retry(batch_id=self.get_object().pk, actor=request.user)
        return self._progress(IntakeBatch.objects.get(pk=pk))

    @extend_schema(
        summary="Stop an import whose worker was lost: nothing saved, the file may be uploaded "
        "again",
        request=None,
        responses={200: ProgressSerializer, **TRANSITION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        batch = intake.intake_cancel(batch_id=self.get_object().pk, actor=request.user)
        return self._progress(batch)
