"""A case's file in the API, as on the case page: its timeline, notes, documents (upload, and a
download logged as the page's), consents, permits and named access grants, under
/api/v1/cases/{id}/. The case comes through the viewset's visibility (404 otherwise); each
write is the page's service, with its checks."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.models import User
from audit.reads import record_display
from core.domain import ensure

from . import selectors, services
from .models import AccessGrant, CaseDocument, CaseEvent, CaseNote, Permit
from .permissions import can_grant

RESPONSES = {
    403: OpenApiResponse(description="Visible, but this user may not do this"),
    404: OpenApiResponse(description="No such case, or not visible to this user"),
}


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = ["created_at"]


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "summary", "actor", "created_at"]
        read_only_fields = fields


class CaseDocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "description",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(max_length=300, required=False, default="")


class PermitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Permit
        fields = ["id", "reference", "issued_on", "expires_on", "recorded_at"]
        read_only_fields = ["recorded_at"]


class AccessGrantSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)
    )
    granted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AccessGrant
        fields = ["id", "user", "purpose", "expires_at", "granted_by", "granted_at", "revoked_at"]
        read_only_fields = ["granted_at", "revoked_at"]


class CaseRecordsMixin:
    """The case file's actions of CaseViewSet (one case, through its get_object)."""

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _shown(self, case, rows, serializer_class):
        record_display(case, user=self.request.user)  # as the case page, which shows them
        return Response(serializer_class(rows, many=True).data)

    @extend_schema(methods=["GET"], responses={200: CaseNoteSerializer(many=True), **RESPONSES})
    @extend_schema(
        methods=["POST"], request=CaseNoteSerializer, responses={201: CaseNoteSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            notes = case.notes.select_related("author").order_by("-created_at", "-pk")
            return self._shown(case, notes, CaseNoteSerializer)
        data = self._body(CaseNoteSerializer)
        note = services.case_note_add(case=case, actor=request.user, text=data["text"])
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The case's timeline, newest first, as the case page shows it to the user",
        responses={200: CaseEventSerializer(many=True), **RESPONSES},
    )
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        case = self.get_object()
        events = selectors.case_timeline(user=request.user, case=case)
        return self._shown(case, events, CaseEventSerializer)

    @extend_schema(methods=["GET"], responses={200: CaseDocumentSerializer(many=True), **RESPONSES})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: CaseDocumentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def documents(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            documents = case.files.select_related("uploaded_by").order_by("-uploaded_at", "-pk")
            return self._shown(case, documents, CaseDocumentSerializer)
        data = self._body(DocumentUploadSerializer)
        document = services.case_document_add(
            case=case,
            actor=request.user,
            uploaded_file=data["file"],
            description=data["description"],
        )
        return Response(CaseDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a document of the case (the reading is logged)",
        responses={(200, "*/*"): OpenApiTypes.BINARY, **RESPONSES},
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[0-9]+)")
    def document(self, request, pk=None, document_id=None):
        case = self.get_object()
        record = selectors.document_get_for_display(
            user=request.user, case_id=case.pk, document_id=int(document_id)
        )
        return FileResponse(
            record.file.open("rb"),
            as_attachment=True,
            filename=record.original_name,
            content_type=record.content_type,
        )

    @extend_schema(methods=["GET"], responses={200: PermitSerializer(many=True), **RESPONSES})
    @extend_schema(methods=["POST"], request=PermitSerializer, responses={201: PermitSerializer})
    @action(detail=True, methods=["get", "post"])
    def permits(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            return self._shown(case, case.permits.order_by("-expires_on", "-pk"), PermitSerializer)
        permit = services.permit_record(
            case=case, actor=request.user, **self._body(PermitSerializer)
        )
        return Response(PermitSerializer(permit).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="Named persons given access to the case (its office's supervisor only)",
        responses={200: AccessGrantSerializer(many=True), **RESPONSES},
    )
    @extend_schema(
        methods=["POST"], request=AccessGrantSerializer, responses={201: AccessGrantSerializer}
    )
    @action(detail=True, methods=["get", "post"], url_path="access-grants")
    def access_grants(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            ensure(can_grant(request.user, case), _("Only the office's supervisor sees this."))
            grants = case.access_grants.select_related("user", "granted_by").order_by("-pk")
            return self._shown(case, grants, AccessGrantSerializer)
        grant = services.access_grant_give(
            case=case, actor=request.user, **self._body(AccessGrantSerializer)
        )
        return Response(AccessGrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AccessGrantSerializer, **RESPONSES})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"access-grants/(?P<grant_id>[0-9]+)/revoke",
        url_name="revoke-access",
    )
    def revoke_access(self, request, pk=None, grant_id=None):
        case = self.get_object()
        grant = case.access_grants.filter(pk=int(grant_id)).first()
        if grant is None:
            raise NotFound
        grant = services.access_grant_revoke(grant_id=grant.pk, actor=request.user)
        return Response(AccessGrantSerializer(grant).data)
