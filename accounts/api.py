from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from .models import Membership, Organisation, User


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
