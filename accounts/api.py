from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import mfa
from .models import Membership, Organisation, User
from .services import api_token_issue, api_token_revoke, credentials_revoke


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


class TokenListSerializer(serializers.ModelSerializer):
    token_key = serializers.CharField(
        read_only=True, help_text="The token's first characters, which name it to revoke it"
    )

    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry"]
        read_only_fields = fields


@extend_schema(summary="The user's own API tokens (one per device), newest first")
class MyTokensView(ListAPIView):
    serializer_class = TokenListSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn with no user
            return AuthToken.objects.none()
        return AuthToken.objects.filter(user=self.request.user).order_by("-created")


@extend_schema(
    summary="Revoke one of the user's own tokens (this one too, if named)",
    request=None,
    responses={204: None, 404: OpenApiResponse(description="No such token of this user")},
)
class TokenRevokeView(APIView):
    def post(self, request, token_key):
        if not api_token_revoke(user=request.user, token_key=token_key):
            raise Http404
        return Response(status=204)


@extend_schema(
    summary="End every session and API token of the user (this one too): a lost phone",
    request=None,
    responses={
        200: inline_serializer("SignedOutEverywhere", {"tokens": serializers.IntegerField()})
    },
)
class SignOutEverywhereView(APIView):
    def post(self, request):
        return Response({"tokens": credentials_revoke(request.user, actor=request.user)})
