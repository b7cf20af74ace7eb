"""/api/v1/plan-tasks/: the tasks of the plans across agencies the user sees (a partner
officer: those of the cases shared with them now), a new task from the case's office, and
`move` (started, done, cancelled) with the same service as the pages. /api/v1/partners/cases/:
a partner officer's shared cases, as their pages: only the parts shared, and the plan."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.models import Organisation, Role
from accounts.permissions import has_role
from audit.reads import record_list
from cases import selectors as cases
from cases.api import InterviewSerializer, MemberSerializer
from cases.api_records import CaseDocumentSerializer
from cases.models import AccessGrant, Person, Screening, SharedPart
from cases.views.records import document_response
from core.api import VersionedMixin

from . import selectors, services
from .models import PlanTask
from .workflow import TaskStatus

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but not this user's organisation's task"),
    404: OpenApiResponse(description="No such task, or not visible to this user"),
    409: OpenApiResponse(description="Not allowed from the task's status"),
}


class PlanTaskSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = PlanTask
        fields = [
            "id",
            "case",
            "case_number",
            "organisation",
            "organisation_name",
            "title",
            "due_on",
            "status",
            "note",
            "updated_at",
        ]
        read_only_fields = fields


class MoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[
            (s, s.label) for s in (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED)
        ]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PlanTaskAddSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="A case of the user's office")
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        help_text="The case's office, or a partner agency the case is shared with now",
    )
    title = serializers.CharField(max_length=300)
    due_on = serializers.DateField()


@extend_schema_view(
    list=extend_schema(summary="Tasks of the plans across agencies the user sees"),
    retrieve=extend_schema(responses={200: PlanTaskSerializer, **ERRORS}),
    create=extend_schema(
        summary="Add a task to a case's plan (the case's office); its organisation is told",
        request=PlanTaskAddSerializer,
        responses={201: PlanTaskSerializer, **ERRORS},
    ),
)
class PlanTaskViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PlanTaskSerializer

    def get_queryset(self):
        return selectors.plan_task_list_visible_to(user=self.request.user)

    def create(self, request, *args, **kwargs):
        body = PlanTaskAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        case = cases.case_get_visible(user=request.user, case_id=data.pop("case"))
        task = services.plan_task_add(case=case, actor=request.user, **data)
        return Response(PlanTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MoveSerializer, responses={200: PlanTaskSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        task = self.get_object()
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.plan_task_move(task_id=task.pk, actor=request.user, **body.validated_data)
        return Response(PlanTaskSerializer(task).data)


class IsPartnerOfficer(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, Role.PARTNER)


class SharedPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["name_th", "name_latin", "name_native", "sex", "date_of_birth", "nationality"]
        read_only_fields = fields


class ShareSerializer(serializers.ModelSerializer):
    """A live share on the partner's home: the case, until when, for what, what is shared."""

    id = serializers.IntegerField(source="case_id", help_text="The case's id")
    case_number = serializers.CharField(source="case.number")
    person_name = serializers.SerializerMethodField(help_text="Where identity is shared")

    class Meta:
        model = AccessGrant
        fields = ["id", "case_number", "parts", "purpose", "expires_at", "person_name"]
        read_only_fields = fields

    def get_person_name(self, grant) -> str | None:
        return grant.case.person.name_th if SharedPart.IDENTITY in grant.parts else None


class SharedScreeningSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Screening
        fields = ["id", "status", "outcome", "custody_started_at", "members", "indicators"]
        read_only_fields = fields


class SharedCaseSerializer(serializers.Serializer):
    """Only the parts shared: an empty list (or null) for a part that is not."""

    id = serializers.IntegerField(source="case.pk")
    case_number = serializers.CharField(source="case.number")
    office = serializers.CharField(source="case.owner.name")
    parts = serializers.ListField(child=serializers.CharField())
    purpose = serializers.CharField()
    expires_at = serializers.DateTimeField()
    person = SharedPersonSerializer(allow_null=True)
    screenings = SharedScreeningSerializer(many=True)
    interviews = InterviewSerializer(many=True)
    documents = CaseDocumentSerializer(many=True, source="files")
    tasks = PlanTaskSerializer(many=True)


@extend_schema_view(
    list=extend_schema(summary="The cases shared with the partner officer now, soonest expiry"),
    retrieve=extend_schema(
        summary="The parts of a case shared with the partner officer, and the case's plan",
        responses={200: SharedCaseSerializer, **ERRORS},
    ),
)
class SharedCaseViewSet(viewsets.GenericViewSet):
    serializer_class = ShareSerializer
    permission_classes = [IsPartnerOfficer]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn with no user
            return AccessGrant.objects.none()
        return cases.case_shares_of(user=self.request.user)

    def list(self, request):
        shares = list(self.get_queryset())
        record_list(
            [share.case.person for share in shares if SharedPart.IDENTITY in share.parts],
            user=request.user,
            name="partner_cases",
        )
        return Response(ShareSerializer(shares, many=True).data)

    def retrieve(self, request, pk=None):
        share = cases.case_share_get_for_display(user=request.user, case_id=_case_id(pk))
        share.tasks = selectors.plan_tasks_of_case(case=share.case)
        share.parts = sorted(share.parts)
        return Response(SharedCaseSerializer(share).data)

    @extend_schema(
        summary="Download a document of a case shared with its documents (the reading logged)",
        responses={(200, "*/*"): OpenApiTypes.BINARY, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[0-9]+)")
    def document(self, request, pk=None, document_id=None):
        record = cases.shared_document_get_for_display(
            user=request.user, case_id=_case_id(pk), document_id=int(document_id)
        )
        return document_response(record)


def _case_id(pk) -> int:
    """The case's id from the address; anything else is a case that is not shared (404)."""
    if not str(pk).isdigit():
        raise Http404
    return int(pk)
