from csp.decorators import csp_exempt
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from accounts.api import (
    MeView,
    MyTokensView,
    SignOutEverywhereView,
    TokenRevokeView,
    TokenView,
)
from accounts.views import home
from cases.api import CaseViewSet, PersonViewSet, ScreeningViewSet
from cases.api_operations import IntakeBatchViewSet, OperationViewSet
from cases.api_register import RegistrationView
from exports.api import ExportJobViewSet
from insights.api import BlockerViewSet, RegionalDeadlinesView, StageCasesView, StageTimesView
from justice.api import ClaimViewSet, HearingViewSet, ProsecutionViewSet
from lessons.api import LessonViewSet
from notifications.api import NotificationViewSet, PreferenceView
from outcomes.api import CaseCloseView, OutcomeViewSet
from partners.api import PlanTaskViewSet, SharedCaseViewSet
from privacy.api import (
    BreachViewSet,
    BreakGlassViewSet,
    ProcessingView,
    RetentionRuleListView,
    RetentionRunListView,
    SubjectRequestViewSet,
    TransferListView,
)
from referrals.api import ReferralViewSet
from repatriation.api import CounterpartViewSet, RepatriationViewSet
from reports import audit_log
from reports.api import AnnualView, DashboardView, HtcdsFileView
from reports.audit_log.api import AuditLogView
from shelters.api import PlacementViewSet, ShelterViewSet
from shelters.api_stays import CarePlanItemViewSet, MovementViewSet, ShelterUnitViewSet
from sla.api import DeadlineBoardView, HolidayViewSet, MyDeadlinesView
from webhooks.api import EndpointViewSet

from . import health, metrics

router = SimpleRouter()
router.register("persons", PersonViewSet, basename="person")
router.register("cases", CaseViewSet, basename="case")
router.register("screenings", ScreeningViewSet, basename="screening")
router.register("operations", OperationViewSet, basename="operation")
router.register("intake-batches", IntakeBatchViewSet, basename="intake-batch")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("shelters", ShelterViewSet, basename="shelter")
router.register("placements", PlacementViewSet, basename="placement")
router.register("shelter-units", ShelterUnitViewSet, basename="unit")
router.register("care-plan-items", CarePlanItemViewSet, basename="care-plan-item")
router.register("movements", MovementViewSet, basename="movement")
router.register("repatriations", RepatriationViewSet, basename="repatriation")
router.register("counterparts", CounterpartViewSet, basename="counterpart")
router.register("outcomes", OutcomeViewSet, basename="outcome")
router.register("prosecutions", ProsecutionViewSet, basename="prosecution")
router.register("hearings", HearingViewSet, basename="hearing")
router.register("compensation-claims", ClaimViewSet, basename="claim")
router.register("plan-tasks", PlanTaskViewSet, basename="plan-task")
router.register("partners/cases", SharedCaseViewSet, basename="shared-case")
router.register("blockers", BlockerViewSet, basename="blocker")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("privacy/breaches", BreachViewSet, basename="breach")
router.register("privacy/requests", SubjectRequestViewSet, basename="subject-request")
router.register("privacy/break-glass", BreakGlassViewSet, basename="break-glass")
router.register("webhooks", EndpointViewSet, basename="webhook")
router.register("exports", ExportJobViewSet, basename="export")
router.register("deadlines/holidays", HolidayViewSet, basename="holiday")

api_v1 = [
    *router.urls,
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("me/tokens/", MyTokensView.as_view(), name="my_tokens"),
    path("me/tokens/<str:token_key>/revoke/", TokenRevokeView.as_view(), name="token_revoke"),
    path("me/sign-out-everywhere/", SignOutEverywhereView.as_view(), name="sign_out_everywhere"),
    path(
        "me/notification-preferences/",
        PreferenceView.as_view(),
        name="notification_preferences",
    ),
    path("registrations/", RegistrationView.as_view(), name="registration"),
    # A case closes with the person's outcome (outcomes, an app above cases).
    path("cases/<pk>/close/", CaseCloseView.as_view(), name="case-close"),
    path("reports/dashboard/", DashboardView.as_view(), name="dashboard"),
    path("reports/annual/", AnnualView.as_view(), name="annual"),
    path("reports/htcds/", HtcdsFileView.as_view(), name="htcds_export"),
    path("insights/stage-times/", StageTimesView.as_view(), name="stage_times"),
    path("insights/stage-times/<slug:stage>/cases/", StageCasesView.as_view(), name="stage_cases"),
    path(
        "insights/regional/deadlines/",
        RegionalDeadlinesView.as_view(),
        name="regional_deadlines",
    ),
    path("deadlines/board/", DeadlineBoardView.as_view(), name="deadline_board"),
    path("deadlines/mine/", MyDeadlinesView.as_view(), name="my_deadlines"),
    path("audit-log/", AuditLogView.as_view(), name="audit_log"),
    path("privacy/retention/rules/", RetentionRuleListView.as_view(), name="retention_rules"),
    path("privacy/retention/runs/", RetentionRunListView.as_view(), name="retention_runs"),
    path("privacy/processing/", ProcessingView.as_view(), name="processing"),
    path("privacy/transfers/", TransferListView.as_view(), name="transfers_abroad"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI starts itself with an inline script: its page alone goes without the CSP.
    path(
        "docs/",
        csp_exempt()(SpectacularSwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
]

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("referrals/", include("referrals.urls")),
    path("shelters/", include("shelters.urls")),
    path("repatriation/", include("repatriation.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("justice/", include("justice.urls")),
    path("partners/", include("partners.urls")),
    path("insights/", include("insights.urls")),
    path("privacy/", include("privacy.urls")),
    path("lessons/", include("lessons.urls")),
    path("notifications/", include("notifications.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("sso/", include("sso.urls")),
    path("deadlines/", include("sla.urls")),
    path(
        "audit/",
        include(
            (
                [
                    path("", audit_log.search, name="search"),
                    path("export/", audit_log.export, name="export"),
                ],
                "audit",
            )
        ),
    ),
    path("reports/", include("reports.urls")),
    path("exports/", include("exports.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]

handler404 = "core.problems.page_not_found"
