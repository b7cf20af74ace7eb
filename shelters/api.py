"""/api/v1/shelters/ (with live occupancy) and /api/v1/placements/ with admit, transfer and
discharge: the same selectors and services as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.api import AuditedListMixin, AuditedRetrieveMixin
from core.api import ListFilterBackend, VersionedMixin
from referrals.api import ReferralSerializer
from referrals.models import ConsentBasis
from referrals.selectors import referral_get_visible

from . import selectors, services
from .api_stays import MyShelterMixin, UnitSerializer
from .filters import PlacementFilter
from .models import DischargeReason, Placement, Shelter, ShelterUnit

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but this user may not do this"),
    404: OpenApiResponse(description="No such object, or not visible to this user"),
    409: OpenApiResponse(description="Not allowed now: wrong state, or no bed free"),
}


class ShelterSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="organisation.code")
    name_th = serializers.CharField(source="organisation.name_th")
    name_en = serializers.CharField(source="organisation.name_en")
    province_code = serializers.CharField(source="organisation.province.code")
    units = UnitSerializer(many=True)
    total_beds = serializers.IntegerField()

    class Meta:
        model = Shelter
        fields = [
            "id",
            "code",
            "name_th",
            "name_en",
            "province_code",
            "target_group",
            "total_beds",
            "units",
        ]


@extend_schema_view(list=extend_schema(summary="The shelters, their sections and free beds now"))
class ShelterViewSet(
    MyShelterMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Capacity and occupancy only: no resident is named here, so every signed-in user may
    read it (a social worker chooses a shelter with it; the central division's national
    overview of occupancy is this list). `mine` is the bed board of the user's own shelter."""

    serializer_class = ShelterSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.shelter_list_with_units()


class PlacementSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    shelter = serializers.CharField(source="unit.shelter.organisation.code", read_only=True)
    section = serializers.CharField(source="unit.section", read_only=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "case",
            "case_number",
            "shelter",
            "section",
            "unit",
            "referral",
            "status",
            "admitted_at",
            "planned_end",
            "discharged_at",
            "discharge_reason",
            "discharge_note",
        ]
        read_only_fields = fields


class AdmitSerializer(serializers.Serializer):
    referral = serializers.IntegerField()
    unit = serializers.PrimaryKeyRelatedField(queryset=ShelterUnit.objects.all())
    planned_end = serializers.DateField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class MoveSectionSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=ShelterUnit.objects.all())
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DischargeSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=DischargeReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TransferSerializer(serializers.Serializer):
    to_shelter = serializers.CharField(help_text="The receiving shelter's code")
    reason = serializers.CharField()
    consent = serializers.ChoiceField(choices=ConsentBasis.choices)
    consent_note = serializers.CharField(required=False, allow_blank=True, default="")
    consent_now = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The person, told their rights (s.33), consents now: recorded on the case",
    )

    def validate_to_shelter(self, code):
        try:
            return Shelter.objects.select_related("organisation").get(organisation__code=code)
        except Shelter.DoesNotExist:
            raise serializers.ValidationError(_("No shelter has this code.")) from None


@extend_schema_view(
    list=extend_schema(summary="Placements of the cases the user may see"),
    retrieve=extend_schema(responses={200: PlacementSerializer, **ERRORS}),
)
class PlacementViewSet(
    VersionedMixin, AuditedListMixin, AuditedRetrieveMixin, viewsets.GenericViewSet
):
    serializer_class = PlacementSerializer
    filter_backends = [ListFilterBackend]  # the list page's own filters
    filterset_class = PlacementFilter

    def get_queryset(self):
        return selectors.placement_list_visible_to(user=self.request.user)

    @extend_schema(request=AdmitSerializer, responses={201: PlacementSerializer, **ERRORS})
    @action(detail=False, methods=["post"])
    def admit(self, request):
        body = AdmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # A referral the user may not see is a 404, like any other object.
        referral = referral_get_visible(user=request.user, referral_id=data["referral"])
        placement = services.placement_admit(
            referral_id=referral.pk,
            unit_id=data["unit"].pk,
            actor=request.user,
            planned_end=data["planned_end"],
            override_reason=data["override_reason"],
        )
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DischargeSerializer, responses={200: PlacementSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def discharge(self, request, pk=None):
        placement = self.get_object()
        body = DischargeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        placement = services.placement_discharge(
            placement_id=placement.pk, actor=request.user, **body.validated_data
        )
        return Response(PlacementSerializer(placement).data)

    @extend_schema(request=MoveSectionSerializer, responses={200: PlacementSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="move-section")
    def move_section(self, request, pk=None):
        placement = self.get_object()
        body = MoveSectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        placement = services.placement_move_section(
            placement_id=placement.pk,
            actor=request.user,
            unit_id=body.validated_data["unit"].pk,
            override_reason=body.validated_data["override_reason"],
        )
        return Response(PlacementSerializer(placement).data)

    @extend_schema(request=TransferSerializer, responses={201: ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        placement = self.get_object()
        body = TransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.placement_transfer(
            placement_id=placement.pk, actor=request.user, **body.validated_data
        )
        return Response(
            ReferralSerializer(referral, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
