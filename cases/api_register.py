"""POST /api/v1/registrations/: the register page (/cases/register/), more than a person and a
case created one after the other: the likely duplicates come first, so that the worker links
to an existing record instead of registering the person twice (services.case_register)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Province
from accounts.permissions import role_permission

from . import services
from .api import CaseSerializer, PersonSerializer
from .models import ExploitationType, IntakeChannel, RiskLevel
from .permissions import PROVINCIAL_ROLES


class RegistrationCaseSerializer(serializers.Serializer):
    intake_channel = serializers.ChoiceField(choices=IntakeChannel.choices)
    intake_date = serializers.DateField()
    intake_province = serializers.SlugRelatedField(
        slug_field="code", queryset=Province.objects.all()
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices), required=False
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)


class RegistrationSerializer(serializers.Serializer):
    person = PersonSerializer()
    case = RegistrationCaseSerializer()
    link_person = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Open the case for this registered person (one of the matches) instead",
    )
    confirmed_new = serializers.BooleanField(
        required=False, default=False, help_text="The matches are someone else: register anew"
    )
    link_document_holder = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Open the case for the person of another office who holds the identity "
        "document given (the central division is told)",
    )


class RegistrationMatchSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    person_name = serializers.CharField(source="person.display_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth", allow_null=True)
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class NotRegisteredSerializer(serializers.Serializer):
    matches = RegistrationMatchSerializer(
        many=True, help_text="Likely duplicates the user may open: link_person, or confirmed_new"
    )
    elsewhere = serializers.BooleanField(
        help_text="Likely duplicates in offices the user may not see (never who): "
        "confirmed_new registers, and the central division checks"
    )
    document_holder_elsewhere = serializers.BooleanField(
        help_text="The identity document is another office's person's: link_document_holder"
    )


@extend_schema(
    summary="Register a person and open their case, or see the likely duplicates first",
    request=RegistrationSerializer,
    responses={
        201: CaseSerializer,
        200: OpenApiResponse(
            NotRegisteredSerializer,
            description="Nothing saved: the likely duplicates to look at first",
        ),
        400: OpenApiResponse(description="Invalid input: a message per field"),
        403: OpenApiResponse(description="Not a provincial office's staff"),
        404: OpenApiResponse(description="link_person: no such person, or not visible"),
    },
)
class RegistrationView(APIView):
    permission_classes = [role_permission(*PROVINCIAL_ROLES)]

    def post(self, request):
        body = RegistrationSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person = dict(data["person"])
        documents = [services.DocumentInput(**d) for d in person.pop("documents", [])]
        outcome = services.case_register(
            actor=request.user,
            person=person,
            documents=documents,
            case=data["case"],
            link_person_id=data["link_person"],
            confirmed_new=data["confirmed_new"],
            link_document_holder=data["link_document_holder"],
        )
        if outcome.case is None:
            return Response(NotRegisteredSerializer(outcome).data)
        return Response(
            CaseSerializer(outcome.case, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
