"""/api/v1/plan-tasks/: the tasks of the plans across agencies the user sees (a partner
officer: those of the cases shared with them now), and `move` (started, done, cancelled) with
the same service as the pages."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import VersionedMixin

from . import selectors, services
from .models import PlanTask
from .workflow import TaskStatus

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but not this user's organisation's task"),
    404: OpenApiResponse(description="No such task, or not visible to this user"),
    409: OpenApiResponse(description="Not allowed from the task's status"),
}


class PlanTaskSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = PlanTask
        fields = [
            "id",
            "case",
            "case_number",
            "organisation",
            "organisation_name",
            "title",
            "due_on",
            "status",
            "note",
            "updated_at",
        ]
        read_only_fields = fields


class MoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[
            (s, s.label) for s in (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED)
        ]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_view(
    list=extend_schema(summary="Tasks of the plans across agencies the user sees"),
    retrieve=extend_schema(responses={200: PlanTaskSerializer, **ERRORS}),
)
class PlanTaskViewSet(
    VersionedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PlanTaskSerializer

    def get_queryset(self):
        return selectors.plan_task_list_visible_to(user=self.request.user)

    @extend_schema(request=MoveSerializer, responses={200: PlanTaskSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        task = self.get_object()
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.plan_task_move(task_id=task.pk, actor=request.user, **body.validated_data)
        return Response(PlanTaskSerializer(task).data)
