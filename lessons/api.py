"""/api/v1/lessons/: the lessons-learned register for other systems, through the same
selectors and services as the pages: the items (every office reads them; the linked cases by
number only where the caller may see them), raise one (`POST`), `endorse`, `consider`,
`answer` (with actions), `actions` (add one), `actions/<id>/done`, `close`. An item answers
with its version (`ETag`); a change sent with `If-Match` is refused (412) if someone changed the
item since (core.api.VersionedMixin)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organisation
from core.api import ListFilterBackend, VersionedMixin

from . import selectors, services
from .filters import LessonFilter
from .forms import action_organisations
from .models import Endorsement, Lesson, LessonAction, Topic

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Not this user's to do"),
    404: OpenApiResponse(description="No such item, or the register is not for this user"),
    409: OpenApiResponse(description="Not allowed from the item's or the action's status"),
}


class LessonEndorsementSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Endorsement
        fields = ["id", "organisation", "organisation_name", "comment", "endorsed_at"]
        read_only_fields = fields


class LessonActionSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = LessonAction
        fields = [
            "id",
            "title",
            "organisation",
            "organisation_name",
            "due_on",
            "status",
            "note",
            "done_at",
        ]
        read_only_fields = fields


class LessonSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    case_numbers = serializers.ListField(
        child=serializers.CharField(),
        source="linked.numbers",
        read_only=True,
        help_text="The linked cases the caller may see",
    )
    other_case_count = serializers.IntegerField(
        source="linked.hidden", read_only=True, help_text="Linked cases the caller may not see"
    )
    endorsements = LessonEndorsementSerializer(many=True, read_only=True)
    actions = LessonActionSerializer(many=True, read_only=True)

    class Meta:
        model = Lesson
        fields = [
            "id",
            "number",
            "title",
            "topic",
            "what_happened",
            "days_lost",
            "proposal",
            "status",
            "organisation",
            "organisation_name",
            "raised_at",
            "case_numbers",
            "other_case_count",
            "endorsements",
            "decision",
            "decided_at",
            "actions",
            "closed_at",
        ]
        read_only_fields = fields


class LessonRaiseSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    topic = serializers.ChoiceField(choices=Topic.choices)
    what_happened = serializers.CharField(max_length=5000)
    days_lost = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=3650
    )
    proposal = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    case_numbers = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=200
    )


class LessonEndorseSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class LessonNewActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        help_text="The owning organisation's code: the central division, an office or a shelter",
    )
    due_on = serializers.DateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = action_organisations()


class LessonAnswerSerializer(serializers.Serializer):
    decision = serializers.CharField(allow_blank=True, max_length=5000)
    actions = LessonNewActionSerializer(many=True, required=False, default=list, max_length=50)


class LessonDoneSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, max_length=2000)


@extend_schema_view(
    list=extend_schema(summary="The lessons-learned register"),
    retrieve=extend_schema(responses={200: LessonSerializer, **ERRORS}),
)
class LessonViewSet(
    VersionedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = LessonSerializer
    filter_backends = [ListFilterBackend]  # the list page's own filters
    filterset_class = LessonFilter

    def get_queryset(self):
        return selectors.lesson_list_visible_to(user=self.request.user).prefetch_related(
            "endorsements__organisation", "actions__organisation"
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._with_cases(page)
        return page

    def _with_cases(self, lessons):
        linked = selectors.linked_cases_of(user=self.request.user, lessons=lessons)
        for lesson in lessons:
            lesson.linked = linked[lesson.pk]
        return lessons

    def _answer(self, lesson_id, code=status.HTTP_200_OK):
        lesson = self._with_cases([self.get_queryset().get(pk=lesson_id)])[0]
        return Response(LessonSerializer(lesson).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object().pk)

    @extend_schema(request=LessonRaiseSerializer, responses={201: LessonSerializer, **ERRORS})
    def create(self, request):
        body = LessonRaiseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lesson = services.lesson_raise(actor=request.user, **body.validated_data)
        return self._answer(lesson.pk, status.HTTP_201_CREATED)

    @extend_schema(request=LessonEndorseSerializer, responses={200: LessonSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def endorse(self, request, pk=None):
        lesson = self.get_object()
        body = LessonEndorseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.lesson_endorse(actor=request.user, lesson_id=lesson.pk, **body.validated_data)
        return self._answer(lesson.pk)

    @extend_schema(request=None, responses={200: LessonSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def consider(self, request, pk=None):
        lesson = self.get_object()
        services.lesson_consider(actor=request.user, lesson_id=lesson.pk)
        return self._answer(lesson.pk)

    @extend_schema(request=LessonAnswerSerializer, responses={200: LessonSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        lesson = self.get_object()
        body = LessonAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.lesson_answer(actor=request.user, lesson_id=lesson.pk, **body.validated_data)
        return self._answer(lesson.pk)

    @extend_schema(
        request=LessonNewActionSerializer, responses={201: LessonActionSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        lesson = self.get_object()
        body = LessonNewActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        added = services.lesson_action_add(
            actor=request.user, lesson_id=lesson.pk, **body.validated_data
        )
        return Response(LessonActionSerializer(added).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LessonDoneSerializer, responses={200: LessonActionSerializer, **ERRORS})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"actions/(?P<action_id>\d+)/done",
        url_name="action-done",
    )
    def action_done(self, request, pk=None, action_id=None):
        lesson = self.get_object()
        item = selectors.lesson_action_get_visible(user=request.user, action_id=action_id)
        if item.lesson_id != lesson.pk:
            raise Http404
        body = LessonDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.lesson_action_done(
            actor=request.user, action_id=item.pk, **body.validated_data
        )
        return Response(LessonActionSerializer(done).data)

    @extend_schema(request=None, responses={200: LessonSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        lesson = self.get_object()
        services.lesson_close(actor=request.user, lesson_id=lesson.pk)
        return self._answer(lesson.pk)
