"""A person's record in the API, as on the person's page (/api/v1/persons/{id}/): their cases
the user may see, who has looked at it, and the central division's merge of two records of one
person. The person comes through the viewset's visibility (404 otherwise)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import has_role
from audit.reads import record_display
from audit.selectors import views_of
from core.domain import ensure

from . import selectors, services
from .models import Case

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but this user may not do this"),
    404: OpenApiResponse(description="No such person, or not visible to this user"),
}


class PersonMergeSerializer(serializers.Serializer):
    case_number = serializers.CharField(
        max_length=30, help_text="A case of the other record: its person is merged into this one"
    )
    reason = serializers.CharField(max_length=1000)
    confirmed = serializers.BooleanField(help_text="Both records are the same person: no undo")

    def validate_confirmed(self, confirmed):
        if not confirmed:
            raise serializers.ValidationError(_("Tick the box to confirm the merge."))
        return confirmed


class PersonCaseSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "owner", "status", "intake_date"]
        read_only_fields = fields


class ViewerSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    username = serializers.CharField()
    name = serializers.CharField(source="actor.display_name", default="")
    record = serializers.CharField(source="object_type.model", help_text="person or case")


class PersonRecordsMixin:
    """The person page's parts of PersonViewSet (one person, through its get_object)."""

    @extend_schema(
        summary="The person's cases the user may see, as the person's page lists them",
        responses={200: PersonCaseSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def cases(self, request, pk=None):
        person = record_display(self.get_object(), user=request.user)
        cases = selectors.case_list_visible_to(user=request.user).filter(person=person)
        return Response(PersonCaseSerializer(cases.select_related("owner"), many=True).data)

    @extend_schema(
        summary="Who has looked at the person's record and their cases (the newest 50)",
        responses={200: ViewerSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def viewers(self, request, pk=None):
        person = self.get_object()
        cases = selectors.case_list_visible_to(user=request.user).filter(person=person)
        return Response(ViewerSerializer(views_of(person, *cases)[:50], many=True).data)

    @extend_schema(
        summary="The central division merges another record of the same person into this one",
        request=PersonMergeSerializer,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        ensure(
            has_role(request.user, Role.CENTRAL_REVIEWER),
            _("Only the central division merges the records of one person."),
        )
        person = self.get_object()
        body = PersonMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        duplicate = selectors.person_of_case_number(
            user=request.user, number=body.validated_data["case_number"]
        )
        reason = body.validated_data["reason"]
        person = services.person_merge(
            keep=person, duplicate=duplicate, actor=request.user, reason=reason
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=person.pk)).data)
