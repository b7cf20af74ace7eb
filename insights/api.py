"""The stage figures for other systems: GET /api/v1/insights/stage-times/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_role

from .dimensions import DIMENSIONS
from .figures import stage_figures
from .forms import StageFiltersForm
from .selectors import sees_many_provinces
from .spans import counted_at
from .views import VIEWER_ROLES


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


@extend_schema(
    summary="Each stage's median, 90th percentile and share within its limit",
    parameters=[
        OpenApiParameter("start", OpenApiTypes.DATE, description="Stages begun from this day"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="to this day"),
        OpenApiParameter("province", str, description="2-digit province code"),
        OpenApiParameter("region", str, description="Region"),
        OpenApiParameter(
            "by", str, description="Break down by: " + ", ".join(d.key for d in DIMENSIONS)
        ),
    ],
    responses=StageTimesSerializer,
)
class StageTimesView(APIView):
    """The stage times page's figures, over the cases the caller may see."""

    def get(self, request):
        if not has_role(request.user, *VIEWER_ROLES):
            raise PermissionDenied
        form = StageFiltersForm.from_query(
            request.query_params, places=sees_many_provinces(request.user)
        )
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors)
        filters = form.filters()
        data = {
            "start": filters.start,
            "end": filters.end,
            "by": filters.by,
            "counted_at": counted_at(),
            "stages": stage_figures(user=request.user, filters=filters),
        }
        return Response(StageTimesSerializer(data).data)
