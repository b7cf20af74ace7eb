"""The stage figures and the blockers for other systems: GET /api/v1/insights/stage-times/
and the cases behind a figure (GET /api/v1/insights/stage-times/<stage>/cases/);
/api/v1/blockers/ (those of the cases the user may see; start one on a screening, referral or
stay, end it), through the same selectors and services as the pages."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import has_role
from audit.reads import record_list
from core.api import VersionedMixin

from . import services
from .dimensions import DIMENSIONS
from .figures import stage_figures
from .forms import StageFiltersForm
from .models import RECORDS, Blocker, Reason
from .selectors import blocker_list_visible_to, regional_deadlines, stage_cases_visible_to
from .spans import counted_at
from .stages import STAGE_BY_KEY
from .views import CASES_PER_PAGE, LIST_NAME, VIEWER_ROLES


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)
    count = serializers.IntegerField(help_text="People who went through the stage")
    median = serializers.FloatField(allow_null=True, help_text="Seconds")
    p90 = serializers.FloatField(allow_null=True, help_text="Seconds: the 90th percentile")
    within = serializers.IntegerField(help_text="Done within the stage's limit")
    limited = serializers.IntegerField(help_text="With a limit (0: the stage has none)")
    share = serializers.FloatField(allow_null=True, help_text="Percent within the limit")
    blocked = serializers.FloatField(help_text="Seconds of the stage spent waiting on blockers")
    blocked_count = serializers.IntegerField(help_text="People held up by a blocker")
    blocked_share = serializers.FloatField(
        allow_null=True, help_text="Percent of the stage's time spent waiting on blockers"
    )


class StageSerializer(serializers.Serializer):
    key = serializers.CharField(source="stage.key")
    label = serializers.CharField(source="stage.label")
    clocks = serializers.ListField(child=serializers.CharField(), source="stage.clocks")
    groups = FigureSerializer(many=True)


class StageTimesSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    by = serializers.ChoiceField(choices=[d.key for d in DIMENSIONS])
    counted_at = serializers.DateTimeField(
        allow_null=True, help_text="When the figures were counted (every ten minutes)"
    )
    stages = StageSerializer(many=True)


FILTERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="Stages begun from this day"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="to this day"),
    OpenApiParameter("province", str, description="2-digit province code"),
    OpenApiParameter("region", str, description="Region"),
    OpenApiParameter(
        "by", str, description="Break down by: " + ", ".join(d.key for d in DIMENSIONS)
    ),
]


def _filters(request):
    """The stage filters of the query, for a user who reads the stage times (else 403)."""
    if not has_role(request.user, *VIEWER_ROLES):
        raise PermissionDenied
    form = StageFiltersForm.from_query(request.query_params, user=request.user)
    if form.is_bound and not form.is_valid():
        raise ValidationError(form.errors)
    return form.filters()


@extend_schema(
    summary="Each stage's median, 90th percentile and share within its limit",
    parameters=FILTERS,
    responses=StageTimesSerializer,
)
class StageTimesView(APIView):
    """The stage times page's figures, over the cases the caller may see."""

    def get(self, request):
        filters = _filters(request)
        data = {
            "start": filters.start,
            "end": filters.end,
            "by": filters.by,
            "counted_at": counted_at(),
            "stages": stage_figures(user=request.user, filters=filters),
        }
        return Response(StageTimesSerializer(data).data)


class StageCaseSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    province = serializers.CharField(source="case.intake_province.name")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(allow_null=True)
    seconds = serializers.FloatField(help_text="How long the stage took, or has taken so far")
    in_time = serializers.BooleanField(allow_null=True, help_text="Within its limit, if any")
    waited = serializers.FloatField(allow_null=True, help_text="Seconds waiting on blockers")


class StageCasesPage(PageNumberPagination):
    page_size = CASES_PER_PAGE


@extend_schema(
    summary="The cases behind one figure: the stage's rows of one group, the longest first",
    parameters=[
        *FILTERS,
        OpenApiParameter("group", str, description="The group's key in the dimension `by`"),
    ],
)
class StageCasesView(generics.ListAPIView):
    serializer_class = StageCaseSerializer
    pagination_class = StageCasesPage

    def get_queryset(self):
        stage = STAGE_BY_KEY.get(self.kwargs["stage"])
        if stage is None:
            raise Http404
        filters = _filters(self.request)
        return stage_cases_visible_to(
            user=self.request.user,
            stage=stage,
            filters=filters,
            group=self.request.query_params.get("group", ""),
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        cases = [row.case for row in page]  # the cases shown, not the counted rows
        record_list(cases, user=request.user, name=LIST_NAME, query=request.query_params.dict())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ComplianceSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The province's code, or the clock")
    label = serializers.CharField()
    met = serializers.IntegerField(help_text="Ended in the period, met")
    missed = serializers.IntegerField(help_text="Ended in the period, missed")
    running = serializers.IntegerField(help_text="Running now, in time")
    overdue = serializers.IntegerField(help_text="Running now, past due")
    share = serializers.FloatField(allow_null=True, help_text="Percent met of those ended")


class RegionalDeadlinesSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    provinces = ComplianceSerializer(many=True)
    clocks = ComplianceSerializer(many=True)


@extend_schema(
    summary="A regional office's provinces: their deadlines met, missed and running",
    parameters=FILTERS[:3],
    responses={200: RegionalDeadlinesSerializer, 403: OpenApiResponse(description="Not regional")},
)
class RegionalDeadlinesView(APIView):
    """The regional page's deadlines by province and by clock (counts only, no case named):
    the stage figures and blockers of its provinces are /api/v1/insights/stage-times/ and
    /api/v1/blockers/ for the same officer."""

    def get(self, request):
        if not has_role(request.user, Role.REGIONAL_OFFICER):
            raise PermissionDenied
        filters = _filters(request)
        _provinces, (by_province, by_clock) = regional_deadlines(user=request.user, filters=filters)
        data = {
            "start": filters.start,
            "end": filters.end,
            "provinces": by_province,
            "clocks": by_clock,
        }
        return Response(RegionalDeadlinesSerializer(data).data)


BLOCKER_ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but not this user's office's record to speak for"),
    404: OpenApiResponse(description="No such record, or not visible to this user"),
    409: OpenApiResponse(description="The record already waits, is finished, or the wait ended"),
}


class BlockerSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    record = serializers.CharField(read_only=True, help_text="screening, referral or placement")
    record_id = serializers.SerializerMethodField()
    label = serializers.CharField(read_only=True, help_text="The reason in the user's language")
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = Blocker
        fields = [
            "id",
            "case",
            "case_number",
            "record",
            "record_id",
            "reason",
            "language",
            "note",
            "label",
            "organisation",
            "started_at",
            "ended_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_record_id(self, blocker) -> int:
        return getattr(blocker, f"{blocker.record}_id")


class BlockerStartSerializer(serializers.Serializer):
    record = serializers.ChoiceField(choices=RECORDS, help_text="What waits")
    record_id = serializers.IntegerField(min_value=1)
    reason = serializers.ChoiceField(choices=Reason.choices)
    language = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=10,
        help_text="For no_interpreter (required then): the language's code, as in `my`",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


@extend_schema_view(
    list=extend_schema(summary="The blockers of the cases the user may see, newest first"),
    retrieve=extend_schema(responses={200: BlockerSerializer, **BLOCKER_ERRORS}),
)
class BlockerViewSet(
    VersionedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = BlockerSerializer

    def get_queryset(self):
        return blocker_list_visible_to(user=self.request.user).select_related(
            "case", "organisation"
        )

    @extend_schema(
        summary="Say that a screening, referral or shelter stay waits, from now",
        request=BlockerStartSerializer,
        responses={201: BlockerSerializer, **BLOCKER_ERRORS},
    )
    def create(self, request):
        body = BlockerStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        blocker = services.blocker_start(actor=request.user, **body.validated_data)
        blocker = self.get_queryset().get(pk=blocker.pk)
        return Response(self.get_serializer(blocker).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Say that the wait is over, now",
        request=None,
        responses={200: BlockerSerializer, **BLOCKER_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        blocker = self.get_object()
        blocker = services.blocker_end(actor=request.user, blocker_id=blocker.pk)
        return Response(self.get_serializer(self.get_queryset().get(pk=blocker.pk)).data)
