"""/api/v1/persons/, /cases/ and /screenings/: the same selectors and services as the pages."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from accounts.models import Province, User
from audit.api import AuditedListMixin, AuditedRetrieveMixin
from core.api import FilteredPlainRowsMixin, PlainRowsSerializer, VersionedMixin

from . import search, selectors, services
from .api_persons import PersonRecordsMixin
from .api_records import CaseRecordsMixin
from .filters import CaseFilter
from .models import (
    Case,
    Consent,
    ConsentStep,
    ExploitationType,
    IdentityDocument,
    Indicator,
    IntakeChannel,
    Interview,
    InterviewTopic,
    Outcome,
    Person,
    RiskLevel,
    Screening,
    ScreeningMember,
    Sex,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Visible, but this user may not do this"),
    404: OpenApiResponse(description="No such object, or not visible to this user"),
}
TRANSITION_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Not allowed from the object's current state"),
}


def iso_code(length: int, text: str):
    """A country or language code as plain text in the schema: the lists are hundreds long,
    and the model checks the code when the service saves (400 with the field's name)."""
    return serializers.CharField(
        max_length=length, required=False, allow_blank=True, help_text=text
    )


class IdentityDocumentSerializer(serializers.ModelSerializer):
    issuing_country = iso_code(2, "ISO 3166-1 alpha-2")

    class Meta:
        model = IdentityDocument
        fields = ["kind", "number", "issuing_country", "expires_on"]


class PersonSerializer(serializers.ModelSerializer):
    documents = IdentityDocumentSerializer(many=True, required=False)
    sex = serializers.ChoiceField(choices=Sex.choices)
    aliases = serializers.ListField(child=serializers.CharField(), required=False)
    languages = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
    is_child = serializers.BooleanField(read_only=True)
    nationality = iso_code(2, "ISO 3166-1 alpha-2; empty when stateless or unknown")

    class Meta:
        model = Person
        fields = [
            "id",
            "name_th",
            "name_latin",
            "name_native",
            "aliases",
            "sex",
            "date_of_birth",
            "estimated_age",
            "age_disputed",
            "is_child",
            "nationality",
            "stateless",
            "languages",
            "phone",
            "documents",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate(self, attrs):
        return attrs  # the service runs the model's checks (with the name key set)


class CaseSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    intake_province = serializers.SlugRelatedField(
        slug_field="code", queryset=Province.objects.all()
    )
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    intake_channel = serializers.ChoiceField(choices=IntakeChannel.choices)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices), required=False
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "person",
            "owner",
            "lead_worker",
            "intake_channel",
            "intake_date",
            "intake_province",
            "exploitation_types",
            "risk_level",
            "status",
            "closed_reason",
            "operation",
            "created_at",
        ]
        # The list writes `.values()` rows with these fields (CaseViewSet.get_queryset).
        list_serializer_class = PlainRowsSerializer
        read_only_fields = [
            "number",
            "owner",
            "lead_worker",
            "status",
            "closed_reason",
            "operation",
            "created_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            # A case may only be opened for a person the user can already see. Only a write
            # needs the queryset (a read would pay for the user's visibility for nothing).
            self.fields["person"].queryset = selectors.person_list_visible_to(user=request.user)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MemberSerializer(serializers.ModelSerializer):
    # Any account by its number: the service checks it, with the same refusal for one that
    # does not exist, so that the answer tells nobody which accounts there are.
    account = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": services.MEMBER_ACCOUNT_REFUSED},
    )
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ScreeningMember
        fields = ["name", "agency", "position", "account", "organisation"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}


class InterviewSerializer(serializers.ModelSerializer):
    language = iso_code(3, "ISO 639")
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=InterviewTopic.choices), required=False
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "held_at",
            "interviewer",
            "interpreter",
            "language",
            "location",
            "topics",
            "summary",
            "recording_reference",
        ]


class ScreeningSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, required=False)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    interviews = InterviewSerializer(many=True, read_only=True)
    interpreter_language = iso_code(3, "ISO 639")

    class Meta:
        model = Screening
        fields = [
            "id",
            "case",
            "status",
            "custody_started_at",
            "deadline_at",
            "extension_order_reference",
            "interpreter_name",
            "interpreter_language",
            "members",
            "indicators",
            "interviews",
            "outcome",
            "outcome_reason",
            "decided_by",
            "decided_at",
            "second_reviewer",
            "second_reviewed_at",
            "second_review_note",
        ]
        read_only_fields = [
            "status",
            "deadline_at",
            "extension_order_reference",
            "indicators",
            "outcome",
            "outcome_reason",
            "decided_by",
            "decided_at",
            "second_reviewer",
            "second_reviewed_at",
            "second_review_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.method not in SAFE_METHODS:
            self.fields["case"].queryset = selectors.case_list_visible_to(user=request.user)


class ChecklistSerializer(serializers.Serializer):
    indicators = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Indicator.objects.all()
    )


class ExtensionSerializer(serializers.Serializer):
    until = serializers.DateTimeField()
    order_reference = serializers.CharField(max_length=100)


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField()


class SecondReviewSerializer(serializers.Serializer):
    confirm = serializers.BooleanField()
    note = serializers.CharField()


class ConsentSerializer(serializers.ModelSerializer):
    step = serializers.ChoiceField(choices=ConsentStep.choices)
    language = iso_code(3, "ISO 639")

    class Meta:
        model = Consent
        fields = ["id", "step", "rights_notified", "decision", "reason", "language", "recorded_at"]
        read_only_fields = ["recorded_at"]


class PersonListSerializer(serializers.ModelSerializer):
    """A person in a list: enough to find them, not their documents or languages (those are
    read one person at a time, and each reading is logged)."""

    is_child = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name_th", "name_latin", "sex", "is_child", "nationality", "created_at"]


SEARCH = OpenApiParameter(
    "q",
    str,
    description=(
        "A name in any script and spelling, a case number, an identity document's number or a "
        "phone number: only what it finds, best match first (as the case list's search)."
    ),
)


@contextmanager
def _search_errors():
    """A search the database could not finish in time is a 400 with its message on `q`."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError({"q": error.messages}) from None


@extend_schema_view(
    list=extend_schema(
        summary="Persons with a case the user may see (a summary of each; the page is logged)",
        parameters=[SEARCH],
        responses={200: PersonListSerializer(many=True)},
    ),
    retrieve=extend_schema(responses={200: PersonSerializer, **ERRORS}),
    create=extend_schema(responses={201: PersonSerializer, **ERRORS}),
    merge=extend_schema(responses={200: PersonSerializer, **ERRORS}),
)
class PersonViewSet(
    PersonRecordsMixin,
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PersonSerializer

    def get_serializer_class(self):
        return PersonListSerializer if self.action == "list" else PersonSerializer

    def get_queryset(self):
        people = selectors.person_list_visible_to(user=self.request.user)
        if self.action != "list":
            return people.prefetch_related("documents")
        with _search_errors():
            return search.persons_matching(self.request.query_params.get("q", ""), persons=people)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        documents = [services.DocumentInput(**d) for d in data.pop("documents", [])]
        serializer.instance = services.person_create(
            actor=self.request.user, documents=documents, **data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Cases the user may see, newest first (best match first with q), narrowed by "
        "the case list's filters (status and province may be given more than once)",
    ),
    retrieve=extend_schema(responses={200: CaseSerializer, **ERRORS}),
    create=extend_schema(responses={201: CaseSerializer, **ERRORS}),
)
class CaseViewSet(
    FilteredPlainRowsMixin,
    CaseRecordsMixin,
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseSerializer

    filterset_class = CaseFilter  # the case list's own filters, `q` among them

    def get_queryset(self):
        # Only the rows the serializer reads: the person, lead worker and operation are
        # given by id; a join more is a plan to make on every request (docs/PERFORMANCE.md).
        # The list is a page of plain rows (FilteredPlainRowsMixin).
        cases = selectors.case_list_visible_to(user=self.request.user).select_related(None)
        if self.action != "list":
            return cases.select_related("owner", "intake_province")
        return cases

    def perform_create(self, serializer):
        serializer.instance = services.case_open(
            actor=self.request.user, **serializer.validated_data
        )

    def _transition(self, service, serializer_class=ReasonSerializer):
        case = self.get_object()
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        case = service(case_id=case.pk, actor=self.request.user, **body.validated_data)
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses={200: CaseSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._transition(services.case_reopen)

    @extend_schema(methods=["GET"], responses={200: ConsentSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"], request=ConsentSerializer, responses={201: ConsentSerializer, **ERRORS}
    )
    @action(detail=True, methods=["get", "post"])
    def consents(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            consents = case.consents.order_by("-recorded_at", "-pk")
            return self._shown(case, consents, ConsentSerializer)
        body = ConsentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        consent = services.consent_record(case=case, actor=request.user, **body.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Screenings of the cases the user may see"),
    retrieve=extend_schema(responses={200: ScreeningSerializer, **ERRORS}),
    create=extend_schema(responses={201: ScreeningSerializer, **ERRORS}),
)
class ScreeningViewSet(
    VersionedMixin,
    AuditedListMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ScreeningSerializer

    def get_queryset(self):
        members = ScreeningMember.objects.select_related("organisation")
        return selectors.screening_list_visible_to(user=self.request.user).prefetch_related(
            Prefetch("members", members), "indicators", "interviews"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        members = [services.MemberInput(**m) for m in data.pop("members", [])]
        serializer.instance = services.screening_start(
            case_id=data.pop("case").pk, actor=self.request.user, members=members, **data
        )

    def _respond(self, screening):
        screening = self.get_queryset().get(pk=screening.pk)
        return Response(ScreeningSerializer(screening, context=self.get_serializer_context()).data)

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(
        request=ChecklistSerializer, responses={200: ScreeningSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def indicators(self, request, pk=None):
        screening = self.get_object()
        data = self._body(ChecklistSerializer)
        return self._respond(
            services.screening_update(
                screening_id=screening.pk,
                actor=request.user,
                indicator_codes=[i.code for i in data["indicators"]],
            )
        )

    @extend_schema(
        request=MemberSerializer, responses={200: ScreeningSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        screening = self.get_object()
        member = services.MemberInput(**self._body(MemberSerializer))
        return self._respond(
            services.screening_update(
                screening_id=screening.pk, actor=request.user, members=[member]
            )
        )

    @extend_schema(request=InterviewSerializer, responses={200: ScreeningSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def interviews(self, request, pk=None):
        screening = self.get_object()
        services.interview_record(
            screening_id=screening.pk, actor=request.user, **self._body(InterviewSerializer)
        )
        return self._respond(screening)

    @extend_schema(
        request=ExtensionSerializer, responses={200: ScreeningSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        screening = self.get_object()
        return self._respond(
            services.screening_extend(
                screening_id=screening.pk, actor=request.user, **self._body(ExtensionSerializer)
            )
        )

    @extend_schema(
        request=DecisionSerializer, responses={200: ScreeningSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        screening = self.get_object()
        return self._respond(
            services.screening_decide(
                screening_id=screening.pk, actor=request.user, **self._body(DecisionSerializer)
            )
        )

    @extend_schema(
        request=SecondReviewSerializer, responses={200: ScreeningSerializer, **TRANSITION_ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="second-review")
    def second_review(self, request, pk=None):
        screening = self.get_object()
        return self._respond(
            services.screening_second_review(
                screening_id=screening.pk, actor=request.user, **self._body(SecondReviewSerializer)
            )
        )
