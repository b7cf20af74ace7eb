"""/api/v1/notifications/: the user's own inbox, as its page (newest first), read one or all."""

from django.db import transaction
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core import versions
from core.api_schema import ETAG, IF_MATCH

from .matrix import Topic
from .models import Notification, Preference
from .selectors import notification_list_for
from .services import notification_mark_read, preference_set


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "link", "topic", "created_at", "read_at"]
        read_only_fields = fields


UNREAD = OpenApiParameter("unread", bool, description="Only the notifications not yet read")


@extend_schema_view(
    list=extend_schema(summary="The user's notifications, newest first", parameters=[UNREAD]),
    retrieve=extend_schema(summary="One of the user's notifications"),
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Nobody reads another's inbox: another user's notification is a 404."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn with no user
            return Notification.objects.none()
        notifications = notification_list_for(user=self.request.user)
        if self.action == "list" and self.request.query_params.get("unread") in ("true", "1"):
            notifications = notifications.filter(read_at__isnull=True)
        return notifications

    @extend_schema(summary="Mark this notification read", request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_mark_read(user=request.user, notification_id=notification.pk)
        notification.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        summary="Mark all the user's notifications read",
        request=None,
        responses={200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notification_mark_read(user=request.user)})


class PreferenceSerializer(serializers.Serializer):
    email = serializers.BooleanField(help_text="Also send each notification by e-mail")
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices),
        help_text="The topics wanted by e-mail (every one stays in the inbox)",
    )


def _preference_answer(user) -> Response:
    """The user's choice as the inbox's form shows it (the defaults before any is saved), with
    its version once one is saved."""
    preference = Preference.objects.filter(user=user).first()
    shown = preference or Preference()
    response = Response(
        PreferenceSerializer(
            {
                "email": shown.email,
                "topics": [t for t in Topic.values if t not in shown.email_off_topics],
            }
        ).data
    )
    if preference is not None:
        response["ETag"] = versions.etag_of(preference)
    return response


class PreferenceView(APIView):
    """The user's own notification preferences: what comes by e-mail besides the inbox."""

    @extend_schema(
        summary="The user's e-mail preferences", parameters=[ETAG], responses=PreferenceSerializer
    )
    def get(self, request):
        return _preference_answer(request.user)

    @extend_schema(
        summary="Change the user's e-mail preferences",
        request=PreferenceSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: PreferenceSerializer,
            412: OpenApiResponse(description="Changed elsewhere since the version in If-Match"),
        },
    )
    def put(self, request):
        body = PreferenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        wanted = body.validated_data
        header = request.META.get("HTTP_IF_MATCH")
        with transaction.atomic():
            saved = Preference.objects.filter(user=request.user).values_list("pk", flat=True)
            # Before any choice is saved there is no version to compare: the defaults' change.
            if header and saved:
                versions.ensure_version(
                    Preference, saved[0], versions.versions_from_if_match(header)
                )
            preference_set(
                user=request.user,
                email=wanted["email"],
                email_off_topics=[t for t in Topic.values if t not in wanted["topics"]],
            )
        return _preference_answer(request.user)
