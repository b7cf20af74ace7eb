"""A shelter's daily work in the API, as on its pages: the bed board and the residents of the
user's shelter (/api/v1/shelters/mine/), a section's number of beds (/api/v1/shelter-units/),
a resident's care plan (/api/v1/care-plan-items/) and outings and phone use
(/api/v1/movements/). The same selectors and services as the pages: read by the shelter's staff
and the central division, written by the shelter's staff (403 otherwise), a stay the user may
not see is a 404."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import role_permission
from audit.api import AuditedListMixin, AuditedRetrieveMixin
from audit.reads import record_list
from core.api import VersionedMixin

from . import selectors, services
from .models import CarePlanItem, CarePlanItemChange, MovementRecord, Placement, ShelterUnit
from .permissions import is_director_of

SHELTER_ROLES = (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF)
# Who opens a stay's page, its care plan and outings among them (shelters.views.resident).
STAY_READERS = (*SHELTER_ROLES, Role.CENTRAL_REVIEWER)
DEPARTURES_WITHIN = dt.timedelta(days=14)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Not this shelter's staff (or director)"),
    404: OpenApiResponse(description="No such object, or not visible to this user"),
}
TRANSITION_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Not possible now: the stay ended, or already recorded"),
}
PLACEMENT = OpenApiParameter("placement", int, description="Only this stay's")


class UnitSerializer(serializers.ModelSerializer):
    occupied = serializers.IntegerField(read_only=True)
    free_beds = serializers.IntegerField(read_only=True)

    class Meta:
        model = ShelterUnit
        fields = ["id", "section", "capacity", "occupied", "free_beds"]


class VisiblePlacementField(serializers.PrimaryKeyRelatedField):
    """A stay the user may see (another is "does not exist", as a 404 would say)."""

    def get_queryset(self):
        return selectors.placement_list_visible_to(user=self.context["request"].user)


class CarePlanChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CarePlanItemChange
        fields = ["status", "due_on", "note", "changed_by", "changed_at"]
        read_only_fields = fields


class CarePlanItemSerializer(serializers.ModelSerializer):
    placement = VisiblePlacementField()
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    history = CarePlanChangeSerializer(many=True, read_only=True)

    class Meta:
        model = CarePlanItem
        fields = [
            "id",
            "placement",
            "service",
            "status",
            "due_on",
            "note",
            "updated_by",
            "updated_at",
            "history",
        ]
        read_only_fields = ["updated_at"]


class CarePlanUpdateSerializer(serializers.ModelSerializer):
    """An item's new status, due date and note; its service is what the item is."""

    class Meta:
        model = CarePlanItem
        fields = ["status", "due_on", "note"]
        extra_kwargs = {"status": {"required": True}}


class MovementSerializer(serializers.ModelSerializer):
    placement = VisiblePlacementField()
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MovementRecord
        fields = [
            "id",
            "placement",
            "kind",
            "started_at",
            "ended_at",
            "accompanied",
            "note",
            "recorded_by",
        ]


class MovementEndSerializer(serializers.Serializer):
    ended_at = serializers.DateTimeField()


class CapacitySerializer(serializers.Serializer):
    capacity = serializers.IntegerField(min_value=0, max_value=1000)


def _of_placement(request, rows):
    """`?placement=`: one stay's rows."""
    placement = request.query_params.get("placement")
    if placement is None:
        return rows
    if not placement.isdigit():
        raise serializers.ValidationError({"placement": [_integer_required()]})
    return rows.filter(placement_id=int(placement))


def _integer_required() -> str:
    return str(serializers.IntegerField.default_error_messages["invalid"])


class StayRecordViewSet(
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A stay's records (`model`, whose `placement` is the stay): those of the stays the user
    may see, for the roles that open a stay's page; added by `add`, the page's service."""

    permission_classes = [role_permission(*STAY_READERS)]
    model: type[CarePlanItem | MovementRecord]
    related: tuple[str, ...] = ()
    add = None

    def get_queryset(self):
        visible = selectors.placement_list_visible_to(user=self.request.user)
        rows = self.model.objects.filter(placement__in=visible.values("pk"))
        if self.action == "list":
            rows = _of_placement(self.request, rows)
        return rows.select_related(*self.related)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = type(self).add(
            placement_id=data.pop("placement").pk, actor=self.request.user, **data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Care-plan items of the stays the user may see", parameters=[PLACEMENT]
    ),
    retrieve=extend_schema(responses={200: CarePlanItemSerializer, **ERRORS}),
    create=extend_schema(
        summary="Add a service to a resident's care plan (the first closes the care-plan deadline)",
        responses={201: CarePlanItemSerializer, **TRANSITION_ERRORS},
    ),
    update=extend_schema(
        summary="An item's new status, due date or note (its history keeps the earlier ones)",
        request=CarePlanUpdateSerializer,
        responses={200: CarePlanItemSerializer, **TRANSITION_ERRORS},
    ),
)
class CarePlanItemViewSet(StayRecordViewSet):
    serializer_class = CarePlanItemSerializer
    audit_list_name = "care plan"
    model = CarePlanItem
    related = ("updated_by",)
    add = staticmethod(services.care_plan_item_add)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("history__changed_by").order_by("-pk")

    def update(self, request, pk=None):
        item = self.get_object()
        body = CarePlanUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.care_plan_item_update(item_id=item.pk, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Outings and phone use of the stays the user may see", parameters=[PLACEMENT]
    ),
    retrieve=extend_schema(responses={200: MovementSerializer, **ERRORS}),
    create=extend_schema(
        summary="Record a resident's outing or phone call (its end now, or later with end)",
        responses={201: MovementSerializer, **TRANSITION_ERRORS},
    ),
)
class MovementViewSet(StayRecordViewSet):
    serializer_class = MovementSerializer
    audit_list_name = "outings and phone use"
    model = MovementRecord
    related = ("recorded_by",)
    add = staticmethod(services.movement_record)

    @extend_schema(
        summary="The person is back (or the call ended): its end, recorded once",
        request=MovementEndSerializer,
        responses={200: MovementSerializer, **TRANSITION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        movement = self.get_object()
        body = MovementEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        movement = services.movement_end(
            movement_id=movement.pk, actor=request.user, **body.validated_data
        )
        return Response(self.get_serializer(movement).data)


@extend_schema_view(
    retrieve=extend_schema(
        summary="A section of a shelter: its beds, residents and free beds now",
        responses={200: UnitSerializer, **ERRORS},
    )
)
class ShelterUnitViewSet(VersionedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Capacity and occupancy only, like /shelters/: every signed-in user may read it; the
    shelter's director changes its number of beds."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        units = selectors.units_with_occupancy()
        if self.action == "capacity":
            # The director's own shelter's sections (another's is a 404, as on the page).
            membership = getattr(self.request.user, "membership", None)
            units = units.filter(
                shelter__organisation_id=getattr(membership, "organisation_id", None)
            )
        return units

    @extend_schema(
        summary="Change the number of beds of a section (never below its residents now)",
        request=CapacitySerializer,
        responses={200: UnitSerializer, **ERRORS},
    )
    @action(
        detail=True, methods=["post"], permission_classes=[role_permission(Role.SHELTER_DIRECTOR)]
    )
    def capacity(self, request, pk=None):
        unit = self.get_object()
        body = CapacitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.unit_set_capacity(unit_id=unit.pk, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=unit.pk)).data)


class ResidentSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")
    person_name = serializers.CharField(source="case.person.display_name")
    sex = serializers.CharField(source="case.person.sex")
    is_child = serializers.BooleanField(source="case.person.is_child")
    section = serializers.CharField(source="unit.section")

    class Meta:
        model = Placement
        fields = [
            "id",
            "case",
            "case_number",
            "person_name",
            "sex",
            "is_child",
            "unit",
            "section",
            "admitted_at",
            "planned_end",
        ]
        read_only_fields = fields


class MisfitSerializer(serializers.Serializer):
    placement = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())


class BoardUnitSerializer(UnitSerializer):
    children = serializers.IntegerField()
    misfits = MisfitSerializer(
        many=True, help_text="Residents the section is not meant for, and why"
    )

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "children", "misfits"]

    def to_representation(self, unit):
        unit.misfits = [
            {"placement": placement.pk, "warnings": warnings}
            for placement, warnings in unit.misfits
        ]
        return super().to_representation(unit)


class WaitingSerializer(serializers.Serializer):
    referral = serializers.IntegerField(source="pk")
    case_number = serializers.CharField(source="case.number")
    person_name = serializers.CharField(source="case.person.display_name")
    urgency = serializers.CharField()
    from_organisation = serializers.CharField(source="from_organisation.code")


class BedBoardSerializer(serializers.Serializer):
    shelter = serializers.IntegerField()
    shelter_code = serializers.CharField()
    units = BoardUnitSerializer(many=True)
    residents = ResidentSerializer(many=True)
    departures = serializers.ListField(
        child=serializers.IntegerField(), help_text="Stays planned to end within two weeks"
    )
    urgent = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The director's: urgent referrals waiting for the shelter's answer",
    )
    waiting = WaitingSerializer(
        many=True, help_text="The director's: accepted referrals waiting for a bed"
    )


class MyShelterMixin:
    """The bed board and residents of the user's own shelter (ShelterViewSet's)."""

    @extend_schema(
        summary="The bed board of the user's shelter: its sections, residents, departures in "
        "the next two weeks; for the director, the referrals waiting (the residents are logged)",
        responses={200: BedBoardSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"], permission_classes=[role_permission(*SHELTER_ROLES)])
    def mine(self, request):
        shelter, units = selectors.shelter_and_sections(request.user)
        director = is_director_of(request.user, shelter)
        selectors.bed_board(units=units, residents=selectors.residents_on_board(units=units))
        residents = list(selectors.residents(shelter=shelter))
        referrals = selectors.board_referrals(user=request.user) if director else None
        waiting = referrals.waiting if referrals else []
        record_list(residents, user=request.user, name="bed board")
        record_list(waiting, user=request.user, name="bed board: waiting for a bed")
        soon = timezone.localdate() + DEPARTURES_WITHIN
        board = {
            "shelter": shelter.pk,
            "shelter_code": shelter.organisation.code,
            "units": units,
            "residents": residents,
            "departures": [p.pk for p in residents if p.planned_end and p.planned_end <= soon],
            "urgent": [r.pk for r in referrals.urgent] if referrals else [],
            "waiting": waiting,
        }
        return Response(BedBoardSerializer(board).data)

    @extend_schema(
        summary="The residents of the user's shelter, the soonest planned departure first (logged)",
        responses={200: ResidentSerializer(many=True), **ERRORS},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="mine/residents",
        url_name="residents",
        permission_classes=[role_permission(*SHELTER_ROLES)],
    )
    def residents(self, request):
        shelter = selectors.shelter_of(request.user)
        residents = list(selectors.residents(shelter=shelter))
        record_list(residents, user=request.user, name="residents")
        return Response(ResidentSerializer(residents, many=True).data)
