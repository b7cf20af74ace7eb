"""/api/v1/audit-log/: the audit log for the central division, as its page: the same
selector, filters and names, newest first, a page at a time (cursor), the page logged as a
list under the page's name."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission

from accounts.models import Role
from accounts.permissions import has_role
from audit.api import AuditedListMixin
from audit.models import AuditEvent
from audit.selectors import audit_log

from .entries import LIST_NAME, name_events
from .filters import AuditLogFilter


class ReadsTheAuditLog(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, Role.CENTRAL_REVIEWER)


class SubjectSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    person = serializers.CharField(help_text="The person's name, where the reader may see it")
    detail = serializers.CharField()


class AuditEventSerializer(serializers.ModelSerializer):
    subject = SubjectSerializer(read_only=True, help_text="What the entry is about, in words")
    organisations = serializers.CharField(read_only=True)
    object_type = serializers.SlugRelatedField(slug_field="model", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "username",
            "organisations",
            "action",
            "object_type",
            "object_id",
            "subject",
            "ip_address",
        ]
        read_only_fields = fields


@extend_schema(summary="Who saw or changed what, when, from where (central division only)")
class AuditLogView(AuditedListMixin, generics.ListAPIView):
    serializer_class = AuditEventSerializer
    permission_classes = [ReadsTheAuditLog]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditLogFilter
    audit_list_name = LIST_NAME

    def get_queryset(self):
        return audit_log().select_related("actor", "object_type")

    def get_serializer(self, rows=None, *args, **kwargs):
        if kwargs.get("many"):
            rows = name_events(rows, viewer=self.request.user)
        return super().get_serializer(rows, *args, **kwargs)
