from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import mfa
from .models import Membership, Organisation, User
from .services import api_token_issue


class OrganisationSerializer(serializers.ModelSerializer):
    province_code = serializers.CharField(source="province.code", default=None)

    class Meta:
        model = Organisation
        fields = ["code", "kind", "name_th", "name_en", "province_code"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer()

    class Meta:
        model = Membership
        fields = ["role", "organisation"]


class MeSerializer(serializers.ModelSerializer):
    membership = MembershipSerializer(allow_null=True)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "language", "membership"]


@extend_schema(summary="The signed-in user, their organisation and role")
class MeView(RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The authenticator app's code, for users who must use two-factor sign-in",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if mfa.mfa_required(user) and mfa.verify_code(user, attrs.get("otp", "")) is None:
            raise serializers.ValidationError(
                {"otp": [_("Two-factor authentication is required: give a valid code.")]}
            )
        return attrs


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        200: inline_serializer(
            "Token", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
        ),
        400: OpenApiResponse(description="Wrong user name, password or code"),
    },
)
class TokenView(APIView):
    """A token for a user name and password (and a code, for two-factor users), shown once:
    only its hash is kept. It expires after NRM_API_TOKEN_HOURS; the user sees and revokes
    their tokens on their account's page, and they all end with a new password or role."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        instance, token = api_token_issue(serializer.validated_data["user"])
        return Response({"token": token, "expires": instance.expiry})
