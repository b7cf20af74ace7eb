"""The reports for other systems: the dashboard's figures (GET /api/v1/reports/dashboard/),
the annual figures, and the HTCDS file of the cases, through its page's own download view: the
same checks, the same audit event. The reports' files (annual figures, anonymised statistics,
HTCDS anonymised counts) are prepared by a worker: POST /api/v1/exports/ (exports/api.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import has_role
from core.exports import CONTENT_TYPES

from . import statistics, views
from .annual import annual_figures
from .anonymised import SMALLEST_GROUP, anonymised_tables
from .forms import AnnualFiguresForm, DashboardForm
from .views import DASHBOARD_ROLES
from .years import YearKind


class DashboardCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DashboardShareSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)


class DashboardMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    count = serializers.IntegerField()
    identified = serializers.IntegerField()


class DashboardCaseFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Cases registered in the period")
    open = serializers.IntegerField(help_text="Of those, still open")
    children = serializers.IntegerField()
    open_now = serializers.IntegerField(help_text="All open cases, whatever their date")
    by_sex = DashboardCountSerializer(many=True)
    by_age_group = DashboardCountSerializer(many=True)
    by_exploitation = DashboardCountSerializer(many=True)


class DashboardSlaSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    by_clock = DashboardShareSerializer(many=True)
    by_province = DashboardShareSerializer(many=True)


class DashboardShelterSerializer(serializers.Serializer):
    code = serializers.CharField(source="organisation.code")
    name = serializers.CharField(source="organisation.name")
    beds = serializers.IntegerField(source="total_beds", default=0)
    occupied = serializers.SerializerMethodField()

    def get_occupied(self, shelter) -> int:
        return sum(unit.occupied for unit in shelter.units.all())


class DashboardOutcomesSerializer(serializers.Serializer):
    """The outcome indicators (issue 18): /api/v1/outcomes/ with `queries` lists each one."""

    closed = serializers.IntegerField(help_text="Cases closed with the person's outcome")
    twelve_months = serializers.IntegerField(help_text="Of those, with a 12-month outcome")
    twelve_months_percent = serializers.FloatField(allow_null=True)
    retrafficked = serializers.IntegerField(
        help_text="Of those, re-trafficked within 24 months of closure"
    )
    revictimised = serializers.IntegerField(
        help_text="Outcomes recorded in the period with a sign of re-victimisation"
    )
    queries = serializers.DictField(child=serializers.CharField())


class DashboardInterviewsSerializer(serializers.Serializer):
    """Interview once: how often the persons of the period's cases were interviewed."""

    persons = serializers.IntegerField(help_text="Persons interviewed at least once")
    interviews = serializers.IntegerField(help_text="Their interviews")
    average = serializers.FloatField(allow_null=True, help_text="Interviews per person")
    over_target = serializers.IntegerField(help_text="Persons interviewed more than the target")
    target = serializers.IntegerField(help_text="At most this many interviews of a person")


class DashboardMoneySerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Claims")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Baht")


class DashboardCompensationSerializer(serializers.Serializer):
    claimed = DashboardMoneySerializer()
    awarded = DashboardMoneySerializer()
    received = DashboardMoneySerializer()


class DashboardCompensationSourceSerializer(DashboardCompensationSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class DashboardCompensationFiguresSerializer(DashboardCompensationSerializer):
    by_source = DashboardCompensationSourceSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["national", "provincial", "shelter"])
    start = serializers.DateField()
    end = serializers.DateField()
    province = serializers.CharField(allow_null=True)
    counted_at = serializers.DateTimeField(help_text="When the figures were counted")
    cases = DashboardCaseFiguresSerializer()
    by_nationality = DashboardCountSerializer(many=True)
    by_province = DashboardCountSerializer(many=True)
    monthly = DashboardMonthSerializer(many=True)
    screenings = DashboardCountSerializer(many=True)
    interviews = DashboardInterviewsSerializer()
    referrals = DashboardCountSerializer(many=True)
    declines = DashboardCountSerializer(
        many=True,
        help_text="The referrals submitted in the period and declined, by the receiver's "
        "reason (referrals' decline_reason)",
    )
    sla = DashboardSlaSerializer()
    breaches = serializers.IntegerField(
        help_text="Deadlines overdue now: /api/v1/deadlines/board/?status=breached lists them"
    )
    shelters = DashboardShelterSerializer(many=True)
    outcomes = DashboardOutcomesSerializer()
    compensation = DashboardCompensationFiguresSerializer(
        help_text="Compensation claimed, awarded and received in the period (each on the day "
        "of its step), in claims and baht, in all and by source"
    )


@extend_schema(
    summary="The dashboard's figures for the period and province",
    parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE, description="First intake date"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last intake date"),
        OpenApiParameter("province", str, description="2-digit province code"),
    ],
    responses=DashboardSerializer,
)
class DashboardView(APIView):
    """National figures for the central division, the office's for a supervisor, the
    shelter's for its director (the same as the dashboard page)."""

    def get(self, request):
        if not has_role(request.user, *DASHBOARD_ROLES):
            raise PermissionDenied
        form = DashboardForm.from_query(request.query_params, with_province=True)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors)
        filters = form.filters()
        figures = statistics.dashboard_figures(user=request.user, filters=filters)
        data = figures | {
            "scope": statistics.dashboard_scope(request.user),
            "start": filters.start,
            "end": filters.end,
            "province": filters.province.code if filters.province else None,
        }
        return Response(DashboardSerializer(data).data)


YEAR = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=YearKind.values, description="Kind of year"),
    OpenApiParameter("year", OpenApiTypes.INT, description="The year (Gregorian)"),
]


class AnnualFigureSerializer(serializers.Serializer):
    section = serializers.CharField()
    label = serializers.CharField()
    count = serializers.FloatField(allow_null=True)


class AnonymisedTableSerializer(serializers.Serializer):
    title = serializers.CharField()
    rows = DashboardCountSerializer(
        many=True, allow_null=True, help_text="None: fewer than 11 persons, not shown"
    )


class AnnualSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=YearKind.choices)
    start = serializers.DateField()
    end = serializers.DateField()
    figures = AnnualFigureSerializer(many=True)
    anonymised = AnonymisedTableSerializer(
        many=True,
        allow_null=True,
        help_text="The statistics that may be shared (a calendar year that has ended), else null",
    )
    smallest_group = serializers.IntegerField()


@extend_schema(
    summary="The year's national figures (s.40 report, TIP questionnaire), central division",
    parameters=YEAR,
    responses=AnnualSerializer,
)
class AnnualView(APIView):
    def get(self, request):
        if not has_role(request.user, Role.CENTRAL_REVIEWER):
            raise PermissionDenied
        asked = "kind" in request.query_params or "year" in request.query_params
        form = AnnualFiguresForm(request.query_params if asked else None)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors)
        start, end, kind = form.period()
        anonymised = None
        if views.may_share(kind, end):
            tables = anonymised_tables(user=request.user, start=start, end=end)
            anonymised = [{"title": title, "rows": rows} for title, rows in tables]
        data = {
            "kind": kind,
            "start": start,
            "end": end,
            "figures": annual_figures(user=request.user, start=start, end=end),
            "anonymised": anonymised,
            "smallest_group": SMALLEST_GROUP,
        }
        return Response(AnnualSerializer(data).data)


FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["csv", "xlsx"], required=True, description="The file's"
)
FILE_RESPONSES = {
    (200, CONTENT_TYPES["csv"]): OpenApiTypes.BINARY,
    (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
    400: OpenApiResponse(description="No valid format"),
}


class FormatIsTheFiles(DefaultContentNegotiation):
    """`?format=` names the file's format here, as on the pages, not DRF's renderer (which
    would answer 404 for csv): the answer is the file, or a problem in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReportFileView(APIView):
    """A report's file from its page's download view (`page_view`): its role check, its
    refusals (here as problems) and its audit event."""

    page_view = None
    content_negotiation_class = FormatIsTheFiles

    def get(self, request):
        response = type(self).page_view(request._request)
        if response.status_code == 400:
            raise ValidationError({"format": [response.content.decode()]})
        return response


def _file_schema(summary: str, parameters=()):
    return extend_schema(
        summary=summary, parameters=[FORMAT, *parameters], responses=FILE_RESPONSES
    )


@_file_schema("Every case the user may see in the HTCDS fields and codes (those who may export)")
class HtcdsFileView(ReportFileView):
    page_view = staticmethod(views.htcds_export)
