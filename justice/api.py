"""/api/v1/prosecutions/, /api/v1/hearings/ and /api/v1/compensation-claims/: the same
selectors and services as the pages; each move is a POST action on the object."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.api import AuditedListMixin, AuditedRetrieveMixin
from cases.selectors import case_list_visible_to
from core.api import ListFilterBackend, VersionedMixin

from . import selectors, services
from .filters import ClaimFilter, ProsecutionFilter
from .models import (
    ClaimSource,
    CompensationClaim,
    Hearing,
    Prosecution,
    Verdict,
    Willingness,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but this user may not do this"),
    404: OpenApiResponse(description="No such object, or not visible to this user"),
}
TRANSITION_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Not allowed from the object's current state"),
}


class VisibleCaseField(serializers.PrimaryKeyRelatedField):
    """A case the user may see (another is "does not exist", as a 404 would say)."""

    def get_queryset(self):
        return case_list_visible_to(user=self.context["request"].user)


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "prosecution", "kind", "scheduled_at", "place", "status", "note"]
        read_only_fields = ["status", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["prosecution"].queryset = selectors.prosecution_list_visible_to(
                user=request.user
            )


class ProsecutionSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()
    case_number = serializers.CharField(source="case.number", read_only=True)
    hearings = HearingSerializer(many=True, read_only=True)

    class Meta:
        model = Prosecution
        fields = [
            "id",
            "case",
            "case_number",
            "offence",
            "police_station",
            "police_case_number",
            "officer_name",
            "officer_phone",
            "reported_on",
            "status",
            "prosecutor_office",
            "court",
            "court_case_number",
            "charged_on",
            "witness",
            "interpreter",
            "interpreter_language",
            "protection",
            "video_testimony",
            "advance_testimony",
            "impact_statement",
            "impact_statement_on",
            "verdict",
            "judgment_on",
            "sentence",
            "closed_reason",
            "hearings",
        ]
        read_only_fields = [
            "status",
            "prosecutor_office",
            "court",
            "court_case_number",
            "charged_on",
            "witness",
            "interpreter",
            "interpreter_language",
            "protection",
            "video_testimony",
            "advance_testimony",
            "impact_statement",
            "impact_statement_on",
            "verdict",
            "judgment_on",
            "sentence",
            "closed_reason",
        ]


class ChargeSerializer(serializers.Serializer):
    prosecutor_office = serializers.CharField(required=False, allow_blank=True, default="")
    court = serializers.CharField(max_length=200)
    court_case_number = serializers.CharField(max_length=100)
    charged_on = serializers.DateField()


class WitnessSerializer(serializers.Serializer):
    witness = serializers.ChoiceField(choices=Willingness.choices)
    interpreter = serializers.BooleanField(required=False, default=False)
    interpreter_language = serializers.CharField(required=False, allow_blank=True, default="")
    protection = serializers.BooleanField(required=False, default=False)
    video_testimony = serializers.BooleanField(required=False, default=False)
    advance_testimony = serializers.BooleanField(required=False, default=False)
    impact_statement = serializers.CharField(required=False, allow_blank=True, default="")
    impact_statement_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConcludeSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    judgment_on = serializers.DateField()
    sentence = serializers.CharField(required=False, allow_blank=True, default="")


class JusticeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _body(request, serializer_class) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


@extend_schema_view(
    list=extend_schema(summary="Criminal proceedings of the cases the user may see"),
    retrieve=extend_schema(responses={200: ProsecutionSerializer, **ERRORS}),
    create=extend_schema(
        summary="Record a police case (the proceeding starts in investigation)",
        responses={201: ProsecutionSerializer, **ERRORS},
    ),
)
class ProsecutionViewSet(
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProsecutionSerializer
    filter_backends = [ListFilterBackend]  # the list page's own filters
    filterset_class = ProsecutionFilter

    def get_queryset(self):
        return selectors.prosecution_list_visible_to(user=self.request.user).prefetch_related(
            "hearings"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.prosecution_record(
            case=data.pop("case"), actor=self.request.user, **data
        )

    def _respond(self, prosecution):
        prosecution = self.get_queryset().get(pk=prosecution.pk)
        return Response(self.get_serializer(prosecution).data)

    @extend_schema(
        request=ChargeSerializer, responses={200: ProsecutionSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def charge(self, request, pk=None):
        prosecution = self.get_object()
        return self._respond(
            services.prosecution_charge(
                prosecution_id=prosecution.pk,
                actor=request.user,
                **_body(request, ChargeSerializer),
            )
        )

    @extend_schema(request=WitnessSerializer, responses={200: ProsecutionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def witness(self, request, pk=None):
        prosecution = self.get_object()
        return self._respond(
            services.prosecution_witness_update(
                prosecution_id=prosecution.pk,
                actor=request.user,
                **_body(request, WitnessSerializer),
            )
        )

    @extend_schema(
        request=ConcludeSerializer, responses={200: ProsecutionSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        prosecution = self.get_object()
        return self._respond(
            services.prosecution_conclude(
                prosecution_id=prosecution.pk,
                actor=request.user,
                **_body(request, ConcludeSerializer),
            )
        )

    @extend_schema(
        request=JusticeReasonSerializer, responses={200: ProsecutionSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        prosecution = self.get_object()
        return self._respond(
            services.prosecution_drop(
                prosecution_id=prosecution.pk,
                actor=request.user,
                **_body(request, JusticeReasonSerializer),
            )
        )


class PostponeSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HearingNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HearingCancelSerializer(serializers.Serializer):
    note = serializers.CharField()


@extend_schema_view(
    list=extend_schema(summary="Court hearings of the cases the user may see"),
    retrieve=extend_schema(responses={200: HearingSerializer, **ERRORS}),
    create=extend_schema(
        summary="Schedule a hearing: reminders to the case's office and the person's shelter",
        responses={201: HearingSerializer, **ERRORS},
    ),
)
class HearingViewSet(
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HearingSerializer

    def get_queryset(self):
        return selectors.hearing_list_visible_to(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.hearing_schedule(
            prosecution_id=data.pop("prosecution").pk, actor=self.request.user, **data
        )

    @extend_schema(
        request=HearingNoteSerializer, responses={200: HearingSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        hearing = services.hearing_record_held(
            hearing_id=self.get_object().pk,
            actor=request.user,
            **_body(request, HearingNoteSerializer),
        )
        return Response(self.get_serializer(hearing).data)

    @extend_schema(
        request=PostponeSerializer, responses={200: HearingSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def postpone(self, request, pk=None):
        hearing = services.hearing_postpone(
            hearing_id=self.get_object().pk,
            actor=request.user,
            **_body(request, PostponeSerializer),
        )
        return Response(self.get_serializer(hearing).data)

    @extend_schema(
        request=HearingCancelSerializer, responses={200: HearingSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        hearing = services.hearing_cancel(
            hearing_id=self.get_object().pk,
            actor=request.user,
            **_body(request, HearingCancelSerializer),
        )
        return Response(self.get_serializer(hearing).data)


class ClaimSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CompensationClaim
        fields = [
            "id",
            "case",
            "case_number",
            "prosecution",
            "source",
            "status",
            "amount_claimed",
            "claimed_on",
            "amount_awarded",
            "decided_on",
            "amount_received",
            "received_on",
            "note",
        ]
        read_only_fields = [
            "status",
            "amount_awarded",
            "decided_on",
            "amount_received",
            "received_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["prosecution"].queryset = selectors.prosecution_list_visible_to(
                user=request.user
            )
        self.fields["source"].choices = ClaimSource.choices


class AwardSerializer(serializers.Serializer):
    amount_awarded = serializers.DecimalField(max_digits=14, decimal_places=2)
    decided_on = serializers.DateField()


class RejectSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    reason = serializers.CharField()


class ReceiveSerializer(serializers.Serializer):
    amount_received = serializers.DecimalField(max_digits=14, decimal_places=2)
    received_on = serializers.DateField()


@extend_schema_view(
    list=extend_schema(summary="Compensation claims of the cases the user may see"),
    retrieve=extend_schema(responses={200: ClaimSerializer, **ERRORS}),
    create=extend_schema(
        summary="Record a claim: from the offender through the court (with its proceeding), "
        "or from the Anti-Trafficking in Persons Fund",
        responses={201: ClaimSerializer, **ERRORS},
    ),
)
class ClaimViewSet(
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClaimSerializer
    filter_backends = [ListFilterBackend]  # the list page's own filters
    filterset_class = ClaimFilter

    def get_queryset(self):
        return selectors.claim_list_visible_to(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.claim_file(
            case=data.pop("case"), actor=self.request.user, **data
        )

    def _move(self, service, serializer_class):
        claim = service(
            claim_id=self.get_object().pk,
            actor=self.request.user,
            **_body(self.request, serializer_class),
        )
        return Response(self.get_serializer(claim).data)

    @extend_schema(request=AwardSerializer, responses={200: ClaimSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        return self._move(services.claim_award, AwardSerializer)

    @extend_schema(request=RejectSerializer, responses={200: ClaimSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._move(services.claim_reject, RejectSerializer)

    @extend_schema(
        request=JusticeReasonSerializer, responses={200: ClaimSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._move(services.claim_withdraw, JusticeReasonSerializer)

    @extend_schema(request=ReceiveSerializer, responses={200: ClaimSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        return self._move(services.claim_receive, ReceiveSerializer)

    @extend_schema(
        request=JusticeReasonSerializer, responses={200: ClaimSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def unpaid(self, request, pk=None):
        return self._move(services.claim_mark_unpaid, JusticeReasonSerializer)
