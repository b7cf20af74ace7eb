"""The API's reads of one object are audited as the detail pages are."""

from rest_framework.mixins import RetrieveModelMixin
from rest_framework.response import Response

from .reads import record_display


class AuditedRetrieveMixin(RetrieveModelMixin):
    """A retrieve that writes the view to the audit log, as the detail pages do: the object
    comes through the viewset's queryset, which is the user's visibility selector."""

    def retrieve(self, request, *args, **kwargs):
        instance = record_display(self.get_object(), user=request.user)
        return Response(self.get_serializer(instance).data)
