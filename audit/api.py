"""The API's reads of one object are audited as the detail pages are."""

from rest_framework.mixins import RetrieveModelMixin
from rest_framework.response import Response

from .models import AuditEvent
from .services import audit_record


class AuditedRetrieveMixin(RetrieveModelMixin):
    """A retrieve that writes the view to the audit log, as the detail pages do."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        audit_record(action=AuditEvent.Action.VIEW, actor=request.user, obj=instance)
        return Response(self.get_serializer(instance).data)
