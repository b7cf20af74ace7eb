"""The API's reads are audited as the pages are: one object as a view, a page of a list as a
listing of its rows."""

from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.response import Response

from .reads import query_asked, record_display, record_list


class AuditedListMixin(ListModelMixin):
    """A list whose page of rows is logged as shown to the user (audit.reads.record_list),
    under its `audit_list_name` when it is the API's copy of a page's list (the log names it
    as the page), else its path."""

    audit_list_name = ""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        # Model instances, or plain rows with their `pk` (core.api.PlainRowsSerializer).
        rows = list(page if page is not None else queryset)
        name = self.audit_list_name or request.path
        record_list(
            rows,
            user=request.user,
            name=name,
            query=query_asked(request.query_params),
            model=queryset.model,
        )
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class AuditedRetrieveMixin(RetrieveModelMixin):
    """A retrieve that writes the view to the audit log, as the detail pages do: the object
    comes through the viewset's queryset, which is the user's visibility selector."""

    def retrieve(self, request, *args, **kwargs):
        instance = record_display(self.get_object(), user=request.user)
        return Response(self.get_serializer(instance).data)
