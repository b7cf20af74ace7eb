"""/api/v1/referrals/ with one POST action per move: the same selectors and services as the
pages. 409 for a move from the wrong state, 404 for a referral the user may not see."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from accounts.models import Organisation
from audit.api import AuditedListMixin, AuditedRetrieveMixin
from cases.api import ReasonSerializer
from cases.models import Case
from cases.selectors import case_list_visible_to
from core.api import FilteredPlainRowsMixin, PlainRowsSerializer, VersionedMixin

from . import selectors, services
from .filters import ReferralFilter
from .models import ConsentBasis, DeclineReason, Kind, Referral, ReferralEvent, ServiceType

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but this user may not do this"),
    404: OpenApiResponse(description="No such referral, or not visible to this user"),
}
TRANSITION_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Not allowed from the referral's current state"),
}


class ReferralEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = ReferralEvent
        fields = ["field", "from_state", "to_state", "note", "actor", "created_at"]


class ReferralSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    to_organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.filter(is_active=True)
    )
    from_organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices)
    consent = serializers.ChoiceField(choices=ConsentBasis.choices)
    services_requested = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceType.choices), required=False
    )
    consent_now = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="The person, told their rights (s.33), consents now: recorded on the case",
    )
    urgent = serializers.BooleanField(write_only=True, required=False, default=False)
    submit = serializers.BooleanField(write_only=True, required=False, default=False)
    events = ReferralEventSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "from_organisation",
            "to_organisation",
            "kind",
            "urgency",
            "urgent",
            "services_requested",
            "reason",
            "consent",
            "consent_note",
            "consent_now",
            "state",
            "review_state",
            "decline_reason",
            "decline_note",
            "redirected_from",
            "submitted_at",
            "created_at",
            "submit",
            "events",
        ]
        # The service checks the one-open-referral rule (and the idempotency key) in words
        # of the user's language; DRF's own unique-together check would answer first.
        validators = []
        read_only_fields = [
            "urgency",
            "state",
            "review_state",
            "decline_reason",
            "decline_note",
            "redirected_from",
            "submitted_at",
            "created_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            self.fields["case"].queryset = case_list_visible_to(user=request.user)


@extend_schema_serializer(component_name="ReferralSummary")
class ReferralListSerializer(ReferralSerializer):
    """A referral in a list: the same fields but its history (`events`), which the referral's
    own endpoint gives. Twenty-five histories, each event with its actor, were most of a
    list's cost (docs/PERFORMANCE.md)."""

    events = None

    class Meta(ReferralSerializer.Meta):
        fields = [name for name in ReferralSerializer.Meta.fields if name != "events"]
        # The list writes `.values()` rows with these fields (ReferralViewSet.get_queryset).
        list_serializer_class = PlainRowsSerializer


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=DeclineReason.choices,
        help_text="Why the receiver declines: counted on the dashboard",
        error_messages={
            "required": _("Choose the reason for declining."),
            # DRF puts what was sent in place of {input}.
            "invalid_choice": lazy(services.unknown_decline_reason, str)("{input}"),
        },
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text='More about the decline; required when the reason is "other"',
    )


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=list(services.REVIEW_DECISIONS))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


class RedirectSerializer(serializers.Serializer):
    to_organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.filter(is_active=True)
    )
    note = serializers.CharField()


def _move(body_serializer, service):
    """An action: validate the body, run the service on a visible referral, return it."""

    def handler(self, request, pk=None):
        referral = self.get_object()
        body = body_serializer(data=request.data) if body_serializer else None
        if body is not None:
            body.is_valid(raise_exception=True)
        result = service(
            referral_id=referral.pk, actor=request.user, **(body.validated_data if body else {})
        )
        # A receiver no longer sees a referral it declined: answer with what the service gave.
        result = self.get_queryset().filter(pk=result.pk).first() or result
        return Response(ReferralSerializer(result, context=self.get_serializer_context()).data)

    return handler


def _action(name, body, service):
    handler = _move(body, service)
    handler.__name__ = name
    routed = action(detail=True, methods=["post"], url_path=name)(handler)
    return extend_schema(request=body, responses={200: ReferralSerializer, **TRANSITION_ERRORS})(
        routed
    )


@extend_schema_view(
    list=extend_schema(
        summary="Referrals the user may see, narrowed by the referral list's filters (state and "
        "province may be given more than once)"
    ),
    retrieve=extend_schema(responses={200: ReferralSerializer, **ERRORS}),
    create=extend_schema(
        responses={201: ReferralSerializer, **ERRORS},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Your key for this referral (at most 64 characters): sent again, "
                "the same referral comes back (with `Idempotent-Replayed: true`), none is added.",
            )
        ],
    ),
)
class ReferralViewSet(
    FilteredPlainRowsMixin,
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter  # the referral list's own filters

    def get_queryset(self):
        # Only the rows the serializer reads: the case is given by id, the organisations by
        # code (a join more is a plan to make on every request, docs/PERFORMANCE.md). The
        # list is a page of plain rows (FilteredPlainRowsMixin).
        referrals = selectors.referral_list_visible_to(user=self.request.user).select_related(None)
        if self.action == "list":
            return referrals
        return referrals.select_related("from_organisation", "to_organisation").prefetch_related(
            "events__actor"
        )

    def get_serializer_class(self):
        return ReferralListSerializer if self.action == "list" else ReferralSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        referral = services.referral_create(
            actor=request.user,
            case_id=data.pop("case").pk,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            **data,
        )
        replayed = getattr(referral, "replayed", False)
        referral = self.get_queryset().get(pk=referral.pk)
        return Response(
            self.get_serializer(referral).data,
            status=status.HTTP_201_CREATED,
            headers={"Idempotent-Replayed": "true"} if replayed else None,
        )

    submit = _action("submit", None, services.referral_submit)
    acknowledge = _action("acknowledge", NoteSerializer, services.referral_acknowledge)
    accept = _action("accept", NoteSerializer, services.referral_accept)
    decline = _action("decline", DeclineSerializer, services.referral_decline)
    complete = _action("complete", NoteSerializer, services.referral_complete)
    withdraw = _action("withdraw", ReasonSerializer, services.referral_withdraw)
    review = _action("review", ReviewSerializer, services.referral_review)
    answer = _action("answer", AnswerSerializer, services.referral_answer_query)
    redirect = _action("redirect", RedirectSerializer, services.referral_redirect)
