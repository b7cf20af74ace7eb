"""/api/v1/outcomes/: the outcomes the user may see (the list's filters as GET parameters),
and the two ways to record one, with the same services as the pages: `follow-up` (the follow-up
due on a case, recorded with its outcome) and `close-case` (a case closed with the person's
outcome at closure). /api/v1/cases/{id}/close/ closes a case the same way (CaseCloseView): no
case closes without its outcome, in the API as on its page."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.api import AuditedListMixin, AuditedRetrieveMixin
from cases.api import TRANSITION_ERRORS, CaseSerializer
from cases.selectors import case_get_visible, case_list_visible_to
from core.api import ListFilterBackend, VersionedMixin

from . import selectors, services
from .filters import OutcomeFilter
from .models import Answer, Contact, Health, NotPossibleReason, Outcome, OwnView

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but this user may not do this"),
    404: OpenApiResponse(description="No such case or outcome, or not visible to this user"),
    409: OpenApiResponse(description="Not allowed now: no follow-up due, or the case is closed"),
}


class OutcomeSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "case",
            "case_number",
            "placement",
            "moment",
            "contact",
            "not_possible_reason",
            "safe_housing",
            "income",
            "documents",
            "compensation",
            "education",
            "health",
            "own_view",
            "own_words",
            "revictimised",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


def _optional(choices):
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, default="")


class RecordSerializer(serializers.Serializer):
    """The answers; which are needed depends on `contact` (the service says what is missing)."""

    case = serializers.IntegerField()
    contact = serializers.ChoiceField(choices=Contact.choices)
    not_possible_reason = _optional(NotPossibleReason.choices)
    safe_housing = _optional(Answer.choices)
    income = _optional(Answer.choices)
    documents = _optional(Answer.choices)
    compensation = _optional(Answer.choices)
    education = _optional(Answer.choices)
    health = _optional(Health.choices)
    own_view = _optional(OwnView.choices)
    own_words = serializers.CharField(required=False, allow_blank=True, default="")
    revictimised = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(RecordSerializer):
    reason = serializers.CharField(allow_blank=True)


class CaseCloseSerializer(CloseSerializer):
    """The reason and the person's outcome at closure; the case is the one in the address.
    Without the outcome the service refuses and says what it needs (400)."""

    case = None
    contact = _optional(Contact.choices)


@extend_schema_view(
    list=extend_schema(summary="Outcomes of the cases the user may see"),
    retrieve=extend_schema(responses={200: OutcomeSerializer, **ERRORS}),
)
class OutcomeViewSet(AuditedListMixin, AuditedRetrieveMixin, viewsets.GenericViewSet):
    serializer_class = OutcomeSerializer
    filter_backends = [ListFilterBackend]  # the list page's own filters
    filterset_class = OutcomeFilter

    def get_queryset(self):
        return selectors.outcome_list_visible_to(user=self.request.user)

    def _answers(self, request, serializer_class):
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        # A case the user may not see is a 404, like any other object.
        case = case_get_visible(user=request.user, case_id=data.pop("case"))
        return case, data

    @extend_schema(request=RecordSerializer, responses={201: OutcomeSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path="follow-up")
    def follow_up(self, request):
        case, answers = self._answers(request, RecordSerializer)
        outcome = services.follow_up_outcome_record(case_id=case.pk, actor=request.user, **answers)
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CloseSerializer, responses={201: OutcomeSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path="close-case")
    def close_case(self, request):
        case, answers = self._answers(request, CloseSerializer)
        outcome = services.closure_outcome_record(case_id=case.pk, actor=request.user, **answers)
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


class CaseCloseView(VersionedMixin, generics.GenericAPIView):
    """POST /api/v1/cases/{id}/close/: the case closed with the person's outcome at closure,
    by the service its page uses (If-Match optional, as for every change of a case)."""

    serializer_class = CaseCloseSerializer

    def get_queryset(self):
        return case_list_visible_to(user=self.request.user)

    @extend_schema(
        summary="Close the case with the person's outcome at closure",
        responses={200: CaseSerializer, **TRANSITION_ERRORS},
    )
    def post(self, request, pk):
        case = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = services.closure_outcome_record(
            case_id=case.pk, actor=request.user, **body.validated_data
        )
        return Response(CaseSerializer(outcome.case, context=self.get_serializer_context()).data)
