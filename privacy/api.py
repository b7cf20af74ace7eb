"""/api/v1/privacy/: the data protection officer's register, as its pages: breaches and data
subjects' requests (each step a POST on the record, with If-Match), break-glass access,
retention, the record of processing and the transfers abroad. The same selectors and services
as the pages; the register's readers only (privacy.permissions), no case content."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation, User
from accounts.permissions import has_role
from audit.api import AuditedListMixin, AuditedRetrieveMixin
from audit.reads import record_display
from core.api import VersionedMixin
from core.processing import record_of_processing
from repatriation.models import DataTransfer

from . import selectors, services
from .models import (
    COPY_KINDS,
    LANGUAGES,
    Breach,
    BreakGlass,
    Decision,
    Ground,
    RequestEvent,
    RequestKind,
    RetentionRule,
    RetentionRun,
    Risk,
    SubjectRequest,
)
from .permissions import BREAK_GLASS_ROLES, OFFICER, PROCESSING_READERS, READERS

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="This user may not do this"),
    404: OpenApiResponse(description="No such record, or not visible to this user"),
}
MOVE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Not possible in the record's current state"),
}


def role_permission(*roles: str) -> type[BasePermission]:
    """A permission that lets in the holders of `roles` (a 403 for anyone else)."""

    class HoldsRole(BasePermission):
        def has_permission(self, request, view):
            return has_role(request.user, *roles)

    return HoldsRole


def _body(request, serializer_class) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class _NoFakeUser:
    """The schema is drawn with no user: an empty queryset then."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.visible(user=self.request.user)


class _RegisterViewSet(
    VersionedMixin,
    _NoFakeUser,
    mixins.ListModelMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A register's records (breaches, requests): listed, read (audited), recorded through
    the `record` service, and changed a step at a time (`_change`), each step with If-Match."""

    permission_classes = [role_permission(*READERS)]
    list_serializer = detail_serializer = None
    record = None
    id_argument = ""

    def get_serializer_class(self):
        return self.list_serializer if self.action == "list" else self.detail_serializer

    def perform_create(self, serializer):
        serializer.instance = self.record(actor=self.request.user, **serializer.validated_data)

    def _change(self, service, serializer_class=None):
        record = self.get_object()
        data = _body(self.request, serializer_class) if serializer_class else {}
        service(actor=self.request.user, **{self.id_argument: record.pk}, **data)
        return Response(self.detail_serializer(self.get_queryset().get(pk=record.pk)).data)


# --- Breaches ----------------------------------------------------------------------------------


class BreachSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    account = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The account involved: the persons it read in the period are the affected",
    )
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    persons_must_be_told = serializers.BooleanField(read_only=True)

    class Meta:
        model = Breach
        fields = [
            "id",
            "number",
            "status",
            "summary",
            "description",
            "discovered_at",
            "occurred_at",
            "account",
            "period_start",
            "period_end",
            "affected_elsewhere",
            "risk",
            "risk_assessment",
            "measures",
            "reported_at",
            "regulator_reference",
            "persons_told_at",
            "persons_must_be_told",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = [
            "status",
            "risk",
            "risk_assessment",
            "measures",
            "reported_at",
            "regulator_reference",
            "persons_told_at",
            "recorded_at",
        ]


class BreachDetailSerializer(BreachSerializer):
    affected_count = serializers.SerializerMethodField()
    affected_cases = serializers.SerializerMethodField(
        help_text="The affected persons' case numbers (at most 200), for the offices to tell them"
    )

    class Meta(BreachSerializer.Meta):
        fields = [*BreachSerializer.Meta.fields, "affected_count", "affected_cases"]

    def get_affected_count(self, breach) -> int:
        return breach.affected_persons.count()

    def get_affected_cases(self, breach) -> list[str]:
        cases = selectors.cases_of(breach.affected_persons.all())[:200]
        return list(cases.values_list("number", flat=True))


class BreachAssessSerializer(serializers.Serializer):
    risk = serializers.ChoiceField(choices=Risk.choices)
    risk_assessment = serializers.CharField()
    measures = serializers.CharField(required=False, allow_blank=True, default="")


class BreachReportSerializer(serializers.Serializer):
    reported_at = serializers.DateTimeField()
    regulator_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


class BreachToldSerializer(serializers.Serializer):
    told_at = serializers.DateTimeField()


class BreachCloseSerializer(serializers.Serializer):
    measures = serializers.CharField(required=False, allow_blank=True, default="")


def _move_schema(request, serializer):
    return extend_schema(request=request, responses={200: serializer, **MOVE_ERRORS})


@extend_schema_view(
    list=extend_schema(summary="The breach register, newest first (its readers)"),
    retrieve=extend_schema(responses={200: BreachDetailSerializer, **ERRORS}),
    create=extend_schema(
        summary="Record a breach: the 72-hour clock to tell the regulator runs",
        responses={201: BreachDetailSerializer, **ERRORS},
    ),
)
class BreachViewSet(_RegisterViewSet):
    queryset = Breach.objects.all()
    visible = staticmethod(selectors.breach_list_visible_to)
    list_serializer, detail_serializer = BreachSerializer, BreachDetailSerializer
    record = staticmethod(services.breach_record)
    id_argument = "breach_id"

    @_move_schema(BreachAssessSerializer, BreachDetailSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        return self._change(services.breach_assess, BreachAssessSerializer)

    @_move_schema(BreachReportSerializer, BreachDetailSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self._change(services.breach_report, BreachReportSerializer)

    @_move_schema(None, BreachDetailSerializer)
    @action(detail=True, methods=["post"], url_path="not-reportable")
    def not_reportable(self, request, pk=None):
        return self._change(services.breach_not_reportable)

    @_move_schema(BreachToldSerializer, BreachDetailSerializer)
    @action(detail=True, methods=["post"], url_path="persons-told")
    def persons_told(self, request, pk=None):
        return self._change(services.breach_persons_told, BreachToldSerializer)

    @_move_schema(BreachCloseSerializer, BreachDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._change(services.breach_close, BreachCloseSerializer)


# --- Data subjects' requests ------------------------------------------------------------------


class RequestEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RequestEvent
        fields = ["from_status", "to_status", "note", "actor", "created_at"]


class SubjectRequestSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    received_by = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.filter(is_active=True)
    )
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    case_number = serializers.CharField(
        write_only=True, max_length=30, help_text="One of the person's case numbers"
    )
    released = serializers.SerializerMethodField()

    class Meta:
        model = SubjectRequest
        fields = [
            "id",
            "number",
            "status",
            "kind",
            "case_number",
            "requester",
            "received_at",
            "received_by",
            "language",
            "details",
            "identity_evidence",
            "identity_checked_at",
            "decision",
            "ground",
            "decision_note",
            "decided_at",
            "released",
            "released_at",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = [
            "status",
            "identity_evidence",
            "identity_checked_at",
            "decision",
            "ground",
            "decision_note",
            "decided_at",
            "released_at",
            "recorded_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = RequestKind.choices
        self.fields["language"] = serializers.ChoiceField(choices=LANGUAGES, default="th")

    def get_released(self, subject_request) -> bool:
        return subject_request.released_at is not None


class SubjectRequestDetailSerializer(SubjectRequestSerializer):
    events = RequestEventSerializer(many=True, read_only=True)
    case_numbers = serializers.SerializerMethodField()
    gives_copy = serializers.SerializerMethodField(
        help_text="A granted access or portability request prepares a copy of the data"
    )

    class Meta(SubjectRequestSerializer.Meta):
        fields = [*SubjectRequestSerializer.Meta.fields, "events", "case_numbers", "gives_copy"]

    def get_case_numbers(self, subject_request) -> list[str]:
        cases = selectors.cases_of([subject_request.person])
        return list(cases.values_list("number", flat=True))

    def get_gives_copy(self, subject_request) -> bool:
        return subject_request.kind in COPY_KINDS


class RequestVerifySerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=300)


class RequestDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    ground = serializers.ChoiceField(choices=Ground.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RequestReleaseSerializer(serializers.Serializer):
    reviewed = serializers.BooleanField(
        help_text="The officer has read the copy: nothing of another person, nothing kept back"
    )


class RequestCopySerializer(serializers.Serializer):
    language = serializers.CharField()
    copy = serializers.CharField(help_text="The person's data, as prepared at the decision")


@extend_schema_view(
    list=extend_schema(summary="Data subjects' requests, newest first (the register's readers)"),
    retrieve=extend_schema(responses={200: SubjectRequestDetailSerializer, **ERRORS}),
    create=extend_schema(
        summary="Record a request: the 30-day clock to answer runs",
        responses={201: SubjectRequestDetailSerializer, **ERRORS},
    ),
)
class SubjectRequestViewSet(_RegisterViewSet):
    queryset = SubjectRequest.objects.all()
    visible = staticmethod(selectors.request_list_visible_to)
    list_serializer, detail_serializer = SubjectRequestSerializer, SubjectRequestDetailSerializer
    record = staticmethod(services.request_record)
    id_argument = "request_id"

    @_move_schema(RequestVerifySerializer, SubjectRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._change(services.request_verify, RequestVerifySerializer)

    @_move_schema(RequestDecideSerializer, SubjectRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._change(services.request_decide, RequestDecideSerializer)

    @_move_schema(RequestReleaseSerializer, SubjectRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._change(services.request_release, RequestReleaseSerializer)

    @extend_schema(
        summary="The prepared copy of the person's data, for the officer to read and hand over",
        responses={200: RequestCopySerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], permission_classes=[role_permission(*OFFICER)])
    def copy(self, request, pk=None):
        """404 while no copy is prepared (a request of another kind, or not yet decided)."""
        subject_request = record_display(self.get_object(), user=request.user)
        if not subject_request.copy:
            raise NotFound(_("No copy of the person's data is prepared for this request."))
        return Response(RequestCopySerializer(subject_request).data)


# --- Break-glass access ---------------------------------------------------------------------------


class BreakGlassSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(
        source="grant.case.number", max_length=30, help_text="The case to open"
    )
    user = serializers.CharField(source="grant.user.username", read_only=True)
    opened_at = serializers.DateTimeField(source="grant.granted_at", read_only=True)
    expires_at = serializers.DateTimeField(source="grant.expires_at", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = BreakGlass
        fields = [
            "id",
            "case_number",
            "user",
            "reason",
            "opened_at",
            "expires_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]
        read_only_fields = ["reviewed_at", "review_note"]


class BreakGlassReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300)


@extend_schema_view(
    list=extend_schema(
        summary="Emergency accesses: every one for the register's readers, a supervisor's own"
    ),
    create=extend_schema(
        summary="Open one case of another office to oneself for four hours (a supervisor), "
        "told to the central division and the case's team",
        responses={201: BreakGlassSerializer, **ERRORS},
    ),
)
class BreakGlassViewSet(
    VersionedMixin,
    _NoFakeUser,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = BreakGlass.objects.all()
    visible = staticmethod(selectors.break_glass_list_visible_to)
    serializer_class = BreakGlassSerializer
    permission_classes = [role_permission(*BREAK_GLASS_ROLES, *READERS)]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.break_glass_open(
            actor=self.request.user,
            case_number=data["grant"]["case"]["number"],
            reason=data["reason"],
        )

    @extend_schema(
        summary="The officer's review of one emergency access",
        request=BreakGlassReviewSerializer,
        responses={200: BreakGlassSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_classes=[role_permission(*OFFICER)])
    def review(self, request, pk=None):
        glass = self.get_object()
        services.break_glass_review(
            glass_id=glass.pk, actor=request.user, **_body(request, BreakGlassReviewSerializer)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=glass.pk)).data)


# --- Retention ----------------------------------------------------------------------------------


class RetentionRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionRule
        fields = ["kind", "years_after_closure", "updated_at"]


class RetentionRunSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    plan = serializers.JSONField(
        help_text='What it erased or would erase: {"erase": [[case number, kind], ...], '
        '"held": [[case number, kind, reason], ...]}'
    )

    class Meta:
        model = RetentionRun
        fields = ["id", "started_at", "dry_run", "actor", "plan"]


OFFICER_ONLY = [role_permission(*OFFICER)]


@extend_schema(summary="How long each kind of record is kept after its case closes")
class RetentionRuleListView(generics.ListAPIView):
    serializer_class = RetentionRuleSerializer
    permission_classes = OFFICER_ONLY
    pagination_class = None
    queryset = RetentionRule.objects.all()


@extend_schema_view(
    get=extend_schema(summary="The retention runs, newest first, with what each erased"),
    post=extend_schema(
        summary="A dry run: what retention would erase now and what a legal hold keeps; "
        "nothing is erased",
        request=None,
        responses={201: RetentionRunSerializer, **ERRORS},
    ),
)
class RetentionRunListView(generics.ListCreateAPIView):
    serializer_class = RetentionRunSerializer
    permission_classes = OFFICER_ONLY
    queryset = RetentionRun.objects.select_related("actor")

    def create(self, request, *args, **kwargs):
        run = services.retention_run(dry_run=True, actor=request.user)
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)


# --- Record of processing, transfers abroad ------------------------------------------------------


class ProcessingSerializer(serializers.Serializer):
    app = serializers.CharField()
    activity = serializers.CharField()
    data = serializers.CharField()
    subjects = serializers.CharField()
    purpose = serializers.CharField()
    basis = serializers.CharField()
    recipients = serializers.CharField()
    retention = serializers.CharField()
    abroad = serializers.CharField()
    sensitive = serializers.BooleanField()


@extend_schema(
    summary="The record of processing activities (PDPA s.39), as the apps declare it",
    responses={200: ProcessingSerializer(many=True), 403: ERRORS[403]},
)
class ProcessingView(APIView):
    permission_classes = [role_permission(*PROCESSING_READERS)]

    def get(self, request):
        return Response(ProcessingSerializer(record_of_processing(), many=True).data)


class TransferAbroadSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DataTransfer
        fields = [
            "id",
            "case_number",
            "recipient",
            "country",
            "basis",
            "arrangement",
            "consent_recorded_at",
            "what",
            "sent_by",
            "sent_at",
        ]
        read_only_fields = fields


@extend_schema(summary="Every hand-over of a person's data abroad, newest first")
class TransferListView(AuditedListMixin, generics.ListAPIView):
    serializer_class = TransferAbroadSerializer
    permission_classes = [role_permission(*READERS)]
    queryset = DataTransfer.objects.none()
    audit_list_name = "transfers-abroad"

    def get_queryset(self):
        return selectors.transfers_abroad()
