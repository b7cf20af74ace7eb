"""/api/v1/repatriations/ with one POST action per move, and /api/v1/counterparts/: the same
selectors and services as the pages. 409 for a move from the wrong state, 404 for a
repatriation the user may not see, 403 for one the user sees but may not move."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from accounts.models import Province
from audit.api import AuditedListMixin, AuditedRetrieveMixin
from cases.models import Case
from cases.selectors import case_list_visible_to
from core.api import ListFilterBackend, VersionedMixin

from . import selectors, services
from .filters import RepatriationFilter
from .models import CounterpartAgency, Repatriation, RepatriationEvent, TravelDocument

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but this user may not do this"),
    404: OpenApiResponse(description="No such repatriation, or not visible to this user"),
}
TRANSITION_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Not allowed from the repatriation's current status"),
}


class CounterpartSerializer(serializers.ModelSerializer):
    class Meta:
        model = CounterpartAgency
        fields = ["code", "country", "name_th", "name_en", "arrangement_th", "arrangement_en"]


class RepatriationEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = RepatriationEvent
        fields = ["from_status", "to_status", "note", "actor", "created_at"]


class RepatriationSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    counterpart = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CounterpartAgency.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="For a foreign victim: the counterpart agency's code (/api/v1/counterparts/)",
    )
    province = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Province.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a Thai victim: the receiving province's 2-digit code",
    )
    travel_document = serializers.ChoiceField(
        choices=TravelDocument.choices, required=False, allow_blank=True
    )
    events = RepatriationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Repatriation
        fields = [
            "id",
            "case",
            "kind",
            "status",
            "counterpart",
            "province",
            "destination",
            "plan",
            "travel_document",
            "travel_document_number",
            "family_assessment",
            "assessed_on",
            "handover_on",
            "handover_place",
            "handed_over_at",
            "confirmed_on",
            "confirmation_reference",
            "cancel_reason",
            "sent_at",
            "created_at",
            "events",
        ]
        read_only_fields = [
            "kind",
            "status",
            "family_assessment",
            "assessed_on",
            "handover_on",
            "handover_place",
            "handed_over_at",
            "confirmed_on",
            "confirmation_reference",
            "cancel_reason",
            "sent_at",
            "created_at",
        ]
        # The service checks the one-open-repatriation rule in the user's language.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            self.fields["case"].queryset = case_list_visible_to(user=request.user)


class RepatriationNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssessSerializer(serializers.Serializer):
    assessment = serializers.CharField()
    assessed_on = serializers.DateField()


class ScheduleSerializer(serializers.Serializer):
    handover_on = serializers.DateField()
    handover_place = serializers.CharField()
    travel_document = serializers.ChoiceField(
        choices=TravelDocument.choices, required=False, allow_blank=True, default=""
    )
    travel_document_number = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmSerializer(serializers.Serializer):
    confirmed_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="")


class RepatriationCancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _action(name, body, service, url_path=None):
    """An action: validate the body, run the service on a visible repatriation, return it."""

    def handler(self, request, pk=None):
        repatriation = self.get_object()
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        service(repatriation_id=repatriation.pk, actor=request.user, **data.validated_data)
        result = self.get_queryset().get(pk=repatriation.pk)
        return Response(RepatriationSerializer(result, context=self.get_serializer_context()).data)

    handler.__name__ = name
    routed = action(detail=True, methods=["post"], url_path=url_path or name)(handler)
    return extend_schema(
        request=body, responses={200: RepatriationSerializer, **TRANSITION_ERRORS}
    )(routed)


@extend_schema_view(
    list=extend_schema(summary="Repatriations and reintegrations of the cases the user sees"),
    retrieve=extend_schema(responses={200: RepatriationSerializer, **ERRORS}),
    create=extend_schema(responses={201: RepatriationSerializer, **ERRORS}),
)
class RepatriationViewSet(
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RepatriationSerializer
    filter_backends = [ListFilterBackend]  # the list page's own filters
    filterset_class = RepatriationFilter

    def get_queryset(self):
        return selectors.repatriation_list_visible_to(user=self.request.user).prefetch_related(
            "events__actor"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        repatriation = services.repatriation_plan(
            actor=request.user, case_id=data.pop("case").pk, **data
        )
        repatriation = self.get_queryset().get(pk=repatriation.pk)
        return Response(self.get_serializer(repatriation).data, status=status.HTTP_201_CREATED)

    send = _action("send", RepatriationNoteSerializer, services.repatriation_send)
    assess = _action("assess", AssessSerializer, services.repatriation_assess)
    schedule = _action("schedule", ScheduleSerializer, services.repatriation_schedule)
    hand_over = _action(
        "hand_over", RepatriationNoteSerializer, services.repatriation_hand_over, "hand-over"
    )
    confirm = _action("confirm", ConfirmSerializer, services.repatriation_confirm)
    cancel = _action("cancel", RepatriationCancelSerializer, services.repatriation_cancel)


@extend_schema_view(list=extend_schema(summary="The active counterpart agencies"))
class CounterpartViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CounterpartSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.counterparts_active()
