"""/api/v1/webhooks/: an organisation's webhook endpoints, as their pages: list, register (the
secret in that one answer), read, disable; each endpoint's latest deliveries with their status,
and "send again". For those who manage webhooks (webhooks.permissions) only."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.models import Organisation, Role
from accounts.permissions import has_role
from core.api import VersionedMixin

from . import services
from .events import KINDS
from .models import Delivery, Endpoint
from .permissions import may_manage_webhooks
from .selectors import endpoints_visible_to, recent_deliveries

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="This user does not manage this organisation's webhooks"),
    404: OpenApiResponse(description="No such endpoint, or not one this user manages"),
}
MOVE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="The endpoint is disabled, or the delivery already waits"),
}


class ManagesWebhooks(BasePermission):
    def has_permission(self, request, view):
        return may_manage_webhooks(request.user)


class EndpointSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="A system administrator names it; anyone else registers their own",
    )
    event_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=list(KINDS.items())), allow_empty=False
    )
    url = serializers.URLField(max_length=500, help_text="The receiving system's HTTPS address")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    disabled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "organisation",
            "url",
            "description",
            "event_kinds",
            "active",
            "created_by",
            "created_at",
            "disabled_by",
            "disabled_at",
        ]
        read_only_fields = ["active", "created_at", "disabled_at"]


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret (whsec_...): given in this answer only"
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    webhook_id = serializers.CharField(source="message.webhook_id")
    kind = serializers.CharField(source="message.kind")
    created_at = serializers.DateTimeField(source="message.created_at")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "webhook_id",
            "kind",
            "created_at",
            "state",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "last_error",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="The webhook endpoints this user manages"),
    retrieve=extend_schema(responses={200: EndpointSerializer, **ERRORS}),
    create=extend_schema(
        summary="Register an endpoint for event kinds; its secret is in this answer only",
        responses={201: EndpointCreatedSerializer, **ERRORS},
    ),
)
class EndpointViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EndpointSerializer
    permission_classes = [ManagesWebhooks]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn with no user
            return Endpoint.objects.none()
        return endpoints_visible_to(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = request.user.membership.organisation
        if has_role(request.user, Role.SYSADMIN) and "organisation" in data:
            organisation = data["organisation"]
        endpoint = services.endpoint_register(
            actor=request.user,
            organisation=organisation,
            url=data["url"],
            event_kinds=data["event_kinds"],
            description=data.get("description", ""),
        )
        return Response(EndpointCreatedSerializer(endpoint).data, status=201)

    @extend_schema(
        summary="Stop calling the endpoint (its waiting deliveries end as failed)",
        request=None,
        responses={200: EndpointSerializer, **MOVE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def disable(self, request, pk=None):
        endpoint = services.endpoint_disable(endpoint_id=self.get_object().pk, actor=request.user)
        return Response(self.get_serializer(endpoint).data)

    @extend_schema(
        summary="The endpoint's latest deliveries (at most 100), newest first, with their status",
        responses={200: DeliverySerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def deliveries(self, request, pk=None):
        rows = recent_deliveries(endpoint=self.get_object())
        return Response(DeliverySerializer(rows, many=True).data)

    @extend_schema(
        summary="Send a delivery again: the same webhook-id and body, a fresh count of tries",
        request=None,
        responses={200: DeliverySerializer, **MOVE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]+)/send-again",
        url_name="send-again",
    )
    def send_again(self, request, pk=None, delivery_id=None):
        endpoint = self.get_object()
        delivery = Delivery.objects.filter(pk=delivery_id, endpoint=endpoint).first()
        if delivery is None:
            raise Http404
        services.delivery_send_again(delivery_id=delivery.pk, actor=request.user)
        delivery = Delivery.objects.select_related("message").get(pk=delivery.pk)
        return Response(DeliverySerializer(delivery).data)
