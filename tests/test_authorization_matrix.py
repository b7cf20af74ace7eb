"""Who may reach what: every endpoint of the URL configuration, HTML and API, against every
persona (own office, another province, the shelter, the central division, a sysadmin, a person
granted one case, a person whose grant has expired, a partner agency's officer the case is
shared with: its partner pages only, never the case's own addresses; the data protection
officer; a regional officer whose office covers the case's province: its figures, no case).

The list of endpoints is read from the URL configuration: a new endpoint without a rule here
fails the suite. For each endpoint the rule names the personas who may succeed; everyone else
must get 403 or 404 (405 for a GET on a POST-only page), and nobody a server error.
"""

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organisation, Role
from audit.exports import ListExport
from audit.models import AuditEvent
from cases import services as cases
from cases.models import AccessGrant, IntakeBatch
from exports import services as exports
from insights import services as insights
from justice import services as justice
from lessons import services as lessons
from notifications.services import Message, notify_many
from outcomes.models import Outcome
from partners.services import plan_task_add
from privacy import services as privacy
from shelters import services as shelters
from shelters.models import Shelter
from sla.calendar import is_working_day
from sla.services import holiday_change_add
from tests.factories import (
    UserFactory,
    admission,
    member,
    partner_officer,
    referral_in_state,
    register_case,
    repatriation_in_state,
    screening_in_state,
    share_case,
)
from tests.shared_data import built_once
from webhooks.models import Delivery as WebhookDelivery
from webhooks.models import Endpoint
from webhooks.models import Message as WebhookMessage

pytestmark = pytest.mark.django_db

PERSONAS = [
    "owner",
    "supervisor",
    "other",
    "director",
    "staff",
    "central",
    "sysadmin",
    "granted",
    "expired",
    "partner",
    "dpo",
    "regional",
]
PROVINCIAL = {"owner", "supervisor", "other"}
OWN_OFFICE = {"owner", "supervisor"}
SEES_PRIVATE_CASE = {"owner", "supervisor", "central", "granted"}
SEES_REFERRAL = {"owner", "supervisor", "director", "central"}
SHELTER = {"director", "staff"}
MEMBERS = set(PERSONAS) - {"granted", "expired"}
# A partner officer reads the parts shared with them on their own pages, and nothing else.
NOT_PARTNER = set(PERSONAS) - {"partner"}
EXPORTERS = {"supervisor", "director", "central"}  # accountable for the personal data they take
EVERYONE = set(PERSONAS)
PRIVACY_READERS = {"dpo", "central"}  # the data protection register (privacy.permissions)
# Every office reads the lessons-learned register (a regional office too); not a sysadmin,
# the officer or a partner.
REGISTER_READERS = PROVINCIAL | SHELTER | {"central", "regional"}
# Another office or shelter than the one that raised the world's item says it faces it too.
ENDORSERS = {"other", "director", "staff", "regional"}

# name: (method, personas who may succeed). None: not checked here (public, or sign-in flow).
RULES = {
    "home": ("get", MEMBERS),
    "accounts:login": None,
    "accounts:logout": None,
    "accounts:switch_language": None,
    "accounts:mfa_setup": None,
    "accounts:mfa_verify": None,
    "accounts:devices": ("get", EVERYONE),
    "accounts:password_change": ("get", EVERYONE),
    "accounts:password_reset_confirm": None,  # a one-time link, before signing in
    # Single sign-on, before signing in (404 unless configured; tests/test_sso.py).
    "sso:start": None,
    "sso:callback": None,
    # Each acts on the signed-in user's own tokens and sessions only (tests/test_api_me.py).
    "accounts:token_revoke": None,
    "accounts:sign_out_everywhere": None,
    "accounts:sysadmin_home": ("get", {"sysadmin"}),
    # A sysadmin manages any organisation's webhooks, a supervisor or director their own: the
    # world's endpoint is the Chiang Mai office's (tests/test_webhooks.py).
    "webhooks:list": ("get", {"supervisor", "director", "sysadmin"}),
    "webhooks:new": ("get", {"supervisor", "director", "sysadmin"}),
    "webhooks:detail": ("get", {"supervisor", "sysadmin"}),
    "webhooks:disable": ("post", {"supervisor", "sysadmin"}),
    "webhooks:send_again": ("post", {"supervisor", "sysadmin"}),
    "cases:home": ("get", PROVINCIAL),
    "cases:operation_list": ("get", PROVINCIAL),
    "cases:operation_create": ("get", PROVINCIAL),
    "cases:operation_detail": ("get", OWN_OFFICE),
    "cases:operation_start_screenings": ("post", OWN_OFFICE),
    "cases:intake_upload": ("get", OWN_OFFICE),
    "cases:intake_template": ("get", OWN_OFFICE),
    "cases:intake_preview": ("get", OWN_OFFICE),
    "cases:intake_confirm": ("post", OWN_OFFICE),
    "cases:intake_retry": ("post", OWN_OFFICE),
    "cases:intake_cancel": ("post", OWN_OFFICE),
    "cases:intake_progress": ("get", OWN_OFFICE),
    "cases:intake_progress_status": ("get", OWN_OFFICE),
    "cases:register": ("get", PROVINCIAL),
    "cases:list": ("get", EVERYONE - {"sysadmin"}),  # each sees their own cases, or none
    "cases:export": ("get", EXPORTERS),
    "cases:detail": ("get", SEES_PRIVATE_CASE),
    "cases:summary": ("get", SEES_PRIVATE_CASE),
    "cases:case_form": ("get", OWN_OFFICE),  # the consent form, as the case page offers it
    "cases:case_section": ("get", SEES_PRIVATE_CASE),  # the timeline, below the case page's fold
    "cases:reopen": ("post", OWN_OFFICE),
    "cases:add_note": ("post", OWN_OFFICE),
    "cases:add_document": ("post", OWN_OFFICE),
    "cases:document": ("get", SEES_PRIVATE_CASE),
    "cases:add_consent": ("post", OWN_OFFICE),
    "cases:add_permit": ("post", OWN_OFFICE),
    "outcomes:list": ("get", PROVINCIAL | SHELTER | {"central"}),  # each sees their own, or none
    "outcomes:export": ("get", EXPORTERS),
    "outcomes:follow_up": ("post", OWN_OFFICE),
    "outcomes:close": ("post", OWN_OFFICE),
    "cases:give_access": ("post", {"supervisor"}),
    "cases:revoke_access": ("post", {"supervisor"}),
    "cases:start_screening": ("post", OWN_OFFICE),
    "cases:person": ("get", SEES_PRIVATE_CASE),
    "cases:person_merge": ("post", {"central"}),
    "cases:screening": ("get", SEES_PRIVATE_CASE),
    "cases:screening_add_member": ("post", OWN_OFFICE),
    "cases:screening_indicators": ("post", OWN_OFFICE),
    "cases:screening_interview": ("post", OWN_OFFICE),
    "cases:screening_extend": ("post", OWN_OFFICE),
    "cases:screening_decide": ("post", OWN_OFFICE),
    "cases:screening_second_review": ("post", {"central"}),
    "referrals:home": ("get", {"central"}),
    "referrals:inbox": ("get", PROVINCIAL | {"director"}),  # the staff answer no referral
    "referrals:sent": ("get", PROVINCIAL),
    "referrals:list": ("get", PROVINCIAL | {"director", "central"}),
    "referrals:export": ("get", EXPORTERS),
    "referrals:new": ("get", OWN_OFFICE),
    "referrals:detail": ("get", SEES_REFERRAL),
    "referrals:letter": ("get", SEES_REFERRAL),
    "referrals:act": ("post", {"director"}),  # acknowledge
    "shelters:home": ("get", SHELTER),
    "shelters:coming": ("get", {"director"}),
    "shelters:residents": ("get", SHELTER),
    "shelters:national": ("get", {"central"}),
    "shelters:placements": ("get", PROVINCIAL | SHELTER | {"central"}),
    "shelters:placements_export": ("get", EXPORTERS),
    "shelters:admit": ("post", {"director"}),
    "shelters:set_capacity": ("post", {"director"}),
    "shelters:resident": ("get", {"director", "staff", "central"}),
    "shelters:care_plan": ("post", SHELTER),
    "shelters:care_plan_item": ("post", SHELTER),
    "shelters:movement": ("post", SHELTER),
    "shelters:movement_end": ("post", SHELTER),
    "shelters:discharge": ("post", {"director"}),
    "shelters:transfer": ("post", {"director"}),
    "shelters:move_section": ("post", {"director"}),
    "repatriation:list": ("get", PROVINCIAL | SHELTER | {"central"}),
    "repatriation:export": ("get", EXPORTERS),
    "repatriation:new": ("get", OWN_OFFICE),
    # A resident's repatriation: the shelter sees it (DESIGN.md §6), only the owner moves it.
    "repatriation:detail": ("get", {"owner", "supervisor", "director", "staff", "central"}),
    "repatriation:act": ("post", OWN_OFFICE),
    "notifications:inbox": ("get", EVERYONE),
    "notifications:mark_all_read": ("post", EVERYONE),
    "notifications:preferences": ("post", EVERYONE),
    "notifications:open": ("post", {"owner"}),
    "sla:mine": ("get", EVERYONE),
    "sla:board": ("get", {"supervisor", "director", "central"}),  # the clocks they oversee
    "sla:holidays": ("get", {"sysadmin"}),  # the holiday calendar: reference data
    "sla:holiday_withdraw": ("post", {"sysadmin"}),
    "audit:search": ("get", {"central"}),
    "audit:export": ("get", {"central"}),
    "reports:dashboard": ("get", {"supervisor", "director", "central"}),
    # A regional officer's figures count its provinces' cases; its drill-down lists none of
    # them (none is granted to it here: tests/test_insights_regional.py).
    "insights:regional": ("get", {"regional"}),
    "insights:stage_times": ("get", {"supervisor", "director", "central", "regional"}),
    "insights:stage_cases": ("get", {"supervisor", "director", "central", "regional"}),
    "insights:blockers": ("get", {"supervisor", "director", "central", "regional"}),
    # Said by the offices (and the shelter) the record waits on: the screening's office here;
    # the referral's sender and its receiving shelter for the end of a wait.
    "insights:blocker_start": ("post", OWN_OFFICE),
    "insights:blocker_end": ("post", {"owner", "supervisor", "director"}),
    "api:blocker-list": ("get", EVERYONE),  # each the blockers of their cases, or none
    "api:blocker-detail": ("get", SEES_REFERRAL),  # the world's blocker holds up its referral
    "api:blocker-end": ("post", {"owner", "supervisor", "director"}),
    "reports:annual": ("get", {"central"}),
    "reports:annual_export": ("get", {"central"}),
    "reports:anonymised_export": ("get", {"central"}),
    "reports:htcds_export": ("get", EXPORTERS),  # 400 without a format, refused or not
    "reports:htcds_anonymised_export": ("get", {"central"}),
    # A prepared export file: its page and download are for who asked for it alone.
    "exports:job": ("get", {"supervisor"}),
    "exports:download": ("get", {"supervisor"}),
    "api:person-list": ("get", EVERYONE),
    "api:person-detail": ("get", SEES_PRIVATE_CASE),
    "api:case-list": ("get", EVERYONE),
    "api:case-detail": ("get", SEES_PRIVATE_CASE),
    "api:case-close": ("post", OWN_OFFICE),
    "api:case-consents": ("post", OWN_OFFICE),
    "api:case-reopen": ("post", OWN_OFFICE),
    "api:case-notes": ("get", SEES_PRIVATE_CASE),
    "api:case-timeline": ("get", SEES_PRIVATE_CASE),
    "api:case-documents": ("get", SEES_PRIVATE_CASE),
    "api:case-document": ("get", SEES_PRIVATE_CASE),
    "api:case-permits": ("get", SEES_PRIVATE_CASE),
    "api:case-access-grants": ("get", {"supervisor"}),
    "api:case-revoke-access": ("post", {"supervisor"}),
    "api:person-cases": ("get", SEES_PRIVATE_CASE),
    "api:person-viewers": ("get", SEES_PRIVATE_CASE),
    "api:person-merge": ("post", {"central"}),
    "api:registration": ("post", PROVINCIAL),  # 400 for the empty body
    # Operations and their intake files: the provincial staff of the operation's office.
    "api:operation-list": ("get", PROVINCIAL),
    "api:operation-detail": ("get", OWN_OFFICE),
    "api:operation-start-screenings": ("post", OWN_OFFICE),
    "api:operation-intake": ("post", OWN_OFFICE),
    "api:operation-intake-template": ("get", OWN_OFFICE),
    "api:intake-batch-list": ("get", PROVINCIAL),
    "api:intake-batch-detail": ("get", OWN_OFFICE),
    "api:intake-batch-confirm": ("post", OWN_OFFICE),
    "api:intake-batch-progress": ("get", OWN_OFFICE),
    "api:intake-batch-retry": ("post", OWN_OFFICE),  # 409: the import has not stalled
    "api:intake-batch-cancel": ("post", OWN_OFFICE),
    "api:notification-list": ("get", EVERYONE),  # each their own inbox
    "api:notification-detail": ("get", {"owner"}),
    "api:notification-read": ("post", {"owner"}),
    "api:notification-read-all": ("post", EVERYONE),
    "api:audit_log": ("get", {"central"}),
    "api:screening-list": ("get", EVERYONE),
    "api:screening-detail": ("get", SEES_PRIVATE_CASE),
    "api:screening-decide": ("post", OWN_OFFICE),
    "api:screening-extend": ("post", OWN_OFFICE),
    "api:screening-indicators": ("post", OWN_OFFICE),
    "api:screening-interviews": ("post", OWN_OFFICE),
    "api:screening-members": ("post", OWN_OFFICE),
    "api:screening-second-review": ("post", {"central"}),
    "api:referral-list": ("get", EVERYONE),
    "api:referral-detail": ("get", SEES_REFERRAL),
    "api:referral-accept": ("post", {"director"}),
    "api:referral-acknowledge": ("post", {"director"}),
    "api:referral-answer": ("post", OWN_OFFICE),
    "api:referral-complete": ("post", {"director"}),
    "api:referral-decline": ("post", {"director"}),
    "api:referral-redirect": ("post", {"central"}),
    "api:referral-review": ("post", {"central"}),
    "api:referral-submit": ("post", OWN_OFFICE),
    "api:referral-withdraw": ("post", OWN_OFFICE),
    "api:shelter-list": ("get", EVERYONE),
    "api:shelter-detail": ("get", EVERYONE),
    "api:placement-list": ("get", EVERYONE),
    "api:placement-admit": ("post", {"director"}),
    "api:placement-detail": ("get", {"owner", "supervisor", "director", "staff", "central"}),
    "api:placement-discharge": ("post", {"director"}),
    "api:placement-transfer": ("post", {"director"}),
    "api:placement-move-section": ("post", {"director"}),
    "api:shelter-mine": ("get", SHELTER),
    "api:shelter-residents": ("get", SHELTER),
    "api:unit-detail": ("get", EVERYONE),  # beds and occupancy, as the shelters' list
    "api:unit-capacity": ("post", {"director"}),
    "api:care-plan-item-list": ("get", {"director", "staff", "central"}),
    "api:care-plan-item-detail": ("get", {"director", "staff", "central"}),
    "api:movement-list": ("get", {"director", "staff", "central"}),
    "api:movement-detail": ("get", {"director", "staff", "central"}),
    "api:movement-end": ("post", SHELTER),
    "api:repatriation-list": ("get", EVERYONE),
    "api:repatriation-detail": ("get", {"owner", "supervisor", "director", "staff", "central"}),
    "api:repatriation-send": ("post", OWN_OFFICE),
    "api:repatriation-assess": ("post", OWN_OFFICE),
    "api:repatriation-schedule": ("post", OWN_OFFICE),
    "api:repatriation-hand-over": ("post", OWN_OFFICE),
    "api:repatriation-confirm": ("post", OWN_OFFICE),
    "api:repatriation-cancel": ("post", OWN_OFFICE),
    "api:counterpart-list": ("get", EVERYONE),
    "api:outcome-list": ("get", EVERYONE),
    "api:outcome-detail": ("get", SEES_PRIVATE_CASE),
    "api:outcome-follow-up": ("post", OWN_OFFICE),
    "api:outcome-close-case": ("post", OWN_OFFICE),
    # Court cases and compensation (justice): read as the case is read, recorded by its office.
    "justice:case": ("get", SEES_PRIVATE_CASE),
    "justice:record_prosecution": ("post", OWN_OFFICE),
    "justice:file_claim": ("post", OWN_OFFICE),
    "justice:prosecutions": ("get", PROVINCIAL | SHELTER | {"central"}),
    "justice:prosecutions_export": ("get", EXPORTERS),
    "justice:prosecution": ("get", SEES_PRIVATE_CASE),
    "justice:charge": ("post", OWN_OFFICE),
    "justice:witness": ("post", OWN_OFFICE),
    "justice:conclude": ("post", OWN_OFFICE),
    "justice:drop": ("post", OWN_OFFICE),
    "justice:schedule_hearing": ("post", OWN_OFFICE),
    "justice:hearing_held": ("post", OWN_OFFICE),
    "justice:hearing_postpone": ("post", OWN_OFFICE),
    "justice:hearing_cancel": ("post", OWN_OFFICE),
    "justice:claims": ("get", PROVINCIAL | SHELTER | {"central"}),
    "justice:claims_export": ("get", EXPORTERS),
    "justice:claim": ("get", SEES_PRIVATE_CASE),
    "justice:claim_award": ("post", OWN_OFFICE),
    "justice:claim_reject": ("post", OWN_OFFICE),
    "justice:claim_withdraw": ("post", OWN_OFFICE),
    "justice:claim_receive": ("post", OWN_OFFICE),
    "justice:claim_unpaid": ("post", OWN_OFFICE),
    "api:prosecution-list": ("get", EVERYONE),
    "api:prosecution-detail": ("get", SEES_PRIVATE_CASE),
    "api:prosecution-charge": ("post", OWN_OFFICE),
    "api:prosecution-witness": ("post", OWN_OFFICE),
    "api:prosecution-conclude": ("post", OWN_OFFICE),
    "api:prosecution-drop": ("post", OWN_OFFICE),
    "api:hearing-list": ("get", EVERYONE),
    "api:hearing-detail": ("get", SEES_PRIVATE_CASE),
    "api:hearing-held": ("post", OWN_OFFICE),
    "api:hearing-postpone": ("post", OWN_OFFICE),
    "api:hearing-cancel": ("post", OWN_OFFICE),
    "api:claim-list": ("get", EVERYONE),
    "api:claim-detail": ("get", SEES_PRIVATE_CASE),
    "api:claim-award": ("post", OWN_OFFICE),
    "api:claim-reject": ("post", OWN_OFFICE),
    "api:claim-withdraw": ("post", OWN_OFFICE),
    "api:claim-receive": ("post", OWN_OFFICE),
    "api:claim-unpaid": ("post", OWN_OFFICE),
    # Personal data protection (privacy): kept by the officer, read by the central division.
    "privacy:home": ("get", PRIVACY_READERS),
    "privacy:breaches": ("get", PRIVACY_READERS),
    "privacy:breach_new": ("get", {"dpo"}),
    "privacy:breach": ("get", PRIVACY_READERS),
    "privacy:breach_act": ("post", {"dpo"}),
    "privacy:requests": ("get", PRIVACY_READERS),
    "privacy:request_new": ("get", {"dpo"}),
    "privacy:request": ("get", PRIVACY_READERS),
    "privacy:request_act": ("post", {"dpo"}),
    "privacy:transfers": ("get", PRIVACY_READERS),
    "privacy:retention": ("get", {"dpo"}),
    "privacy:processing": ("get", {"dpo", "sysadmin"}),
    "privacy:break_glass": ("get", PRIVACY_READERS | {"supervisor"}),
    "privacy:break_glass_review": ("post", {"dpo"}),
    "privacy:retention_dry_run": ("post", {"dpo"}),
    # The register through the API, as its pages (privacy/api.py).
    "api:breach-list": ("get", PRIVACY_READERS),
    "api:breach-detail": ("get", PRIVACY_READERS),
    "api:breach-assess": ("post", {"dpo"}),
    "api:breach-report": ("post", {"dpo"}),
    "api:breach-not-reportable": ("post", {"dpo"}),
    "api:breach-persons-told": ("post", {"dpo"}),
    "api:breach-close": ("post", {"dpo"}),
    "api:subject-request-list": ("get", PRIVACY_READERS),
    "api:subject-request-detail": ("get", PRIVACY_READERS),
    "api:subject-request-verify": ("post", {"dpo"}),
    "api:subject-request-decide": ("post", {"dpo"}),
    "api:subject-request-release": ("post", {"dpo"}),
    # The officer's alone, and a 404 until a copy is prepared (tests/test_privacy_api.py).
    "api:subject-request-copy": ("get", set()),
    "api:break-glass-list": ("get", PRIVACY_READERS | {"supervisor"}),
    "api:break-glass-review": ("post", {"dpo"}),
    "api:retention_rules": ("get", {"dpo"}),
    "api:retention_runs": ("get", {"dpo"}),
    "api:processing": ("get", {"dpo", "sysadmin"}),
    "api:transfers_abroad": ("get", PRIVACY_READERS),
    "api:webhook-list": ("get", {"supervisor", "director", "sysadmin"}),
    "api:webhook-detail": ("get", {"supervisor", "sysadmin"}),
    "api:webhook-disable": ("post", {"supervisor", "sysadmin"}),
    "api:webhook-deliveries": ("get", {"supervisor", "sysadmin"}),
    "api:webhook-send-again": ("post", {"supervisor", "sysadmin"}),
    "api:export-list": ("get", EVERYONE),  # each their own files
    "api:export-detail": ("get", {"supervisor"}),
    "api:export-download": ("get", {"supervisor"}),
    "api:annual": ("get", {"central"}),
    "api:htcds_export": ("get", EXPORTERS),  # 400 without a format
    "api:my_tokens": ("get", EVERYONE),  # each their own
    "api:notification_preferences": ("get", EVERYONE),  # each their own
    # Each acts on the signed-in user's own tokens and sessions only (tests/test_accounts_api.py).
    "api:token_revoke": None,
    "api:sign_out_everywhere": None,
    "api:token": None,
    "api:me": ("get", EVERYONE),
    "api:dashboard": ("get", {"supervisor", "director", "central"}),
    "api:stage_times": ("get", {"supervisor", "director", "central", "regional"}),
    "api:regional_deadlines": ("get", {"regional"}),
    "api:deadline_board": ("get", {"supervisor", "director", "central"}),
    "api:my_deadlines": ("get", EVERYONE),  # each their own organisation's clocks, or none
    "api:holiday-list": ("get", {"sysadmin"}),
    "api:holiday-detail": ("get", {"sysadmin"}),
    "api:holiday-withdraw": ("post", {"sysadmin"}),
    "api:schema": ("get", EVERYONE),
    "api:docs": ("get", EVERYONE),
    # Partner agencies (issue 21): the shared parts of a case, its plan across agencies.
    "partners:home": ("get", {"partner"}),
    "partners:case": ("get", {"partner"}),
    "partners:document": ("get", set()),  # the police officer is not shown the documents
    "partners:task_add": ("post", OWN_OFFICE),
    "partners:task_move": ("post", {"partner", "owner", "supervisor"}),
    "api:plan-task-list": ("get", EVERYONE),  # each sees the tasks of their cases, or none
    "api:plan-task-detail": ("get", {"owner", "supervisor", "central", "granted", "partner"}),
    "api:plan-task-move": ("post", {"partner", "owner", "supervisor"}),
    "api:shared-case-list": ("get", {"partner"}),
    "api:shared-case-detail": ("get", {"partner"}),
    "api:shared-case-document": ("get", set()),  # the police officer is not shown the documents
    # A regional officer reads the drill-down too: it lists none of its provinces' cases.
    "api:stage_cases": ("get", {"supervisor", "director", "central", "regional"}),
    # The lessons-learned register (issue 20): every office reads it; the offices and shelters
    # raise and endorse, the central division answers, an action's owner marks it done.
    "lessons:list": ("get", REGISTER_READERS),
    "lessons:export": ("get", EXPORTERS),
    "lessons:new": ("get", REGISTER_READERS),
    "lessons:detail": ("get", REGISTER_READERS),
    "lessons:endorse": ("post", ENDORSERS),
    "lessons:consider": ("post", {"central"}),
    "lessons:answer": ("post", {"central"}),
    "lessons:action_add": ("post", {"central"}),
    "lessons:close": ("post", {"central"}),
    "lessons:action_done": ("post", {"director", "staff"}),  # the shelter owns the action
    "api:lesson-list": ("get", EVERYONE),  # the register, or nothing
    "api:lesson-detail": ("get", REGISTER_READERS),
    "api:lesson-endorse": ("post", ENDORSERS),
    "api:lesson-consider": ("post", {"central"}),
    "api:lesson-answer": ("post", {"central"}),
    "api:lesson-actions": ("post", {"central"}),
    "api:lesson-close": ("post", {"central"}),
    "api:lesson-action-done": ("post", {"director", "staff"}),
    "healthz": None,
    "readyz": None,
    # A bearer token from the environment, not a user's session (tests/test_metrics.py).
    "metrics": None,
}


def endpoints() -> dict[str, str]:
    """Every named endpoint outside the Django admin, from the URL configuration, with its
    route (to know its parameters)."""

    def walk(patterns, namespace="", prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                if inner != "admin":
                    yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = ":".join(filter(None, [namespace, pattern.name]))
                yield name, prefix + str(pattern.pattern)

    return dict(walk(get_resolver().url_patterns))


def url_names():
    return sorted(endpoints())


def test_every_endpoint_has_an_access_rule():
    missing = [name for name in url_names() if name not in RULES]
    assert missing == [], f"add an access rule for: {missing}"
    assert set(RULES) <= set(url_names()), "a rule names an endpoint that no longer exists"


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module's tests: each test's requests and its own
    transaction roll back, so every test finds it as built (tests/shared_data.py)."""
    media = tmp_path_factory.mktemp("media")  # the uploaded document, the prepared export
    with built_once(django_db_blocker, MEDIA_ROOT=media):
        yield _world()


@pytest.fixture
def world(built_world, db):
    return built_world


def _world():
    """One office's private case (with its screening, document, grant) and a case referred to
    Kredtrakarn and admitted there, an Excel file the supervisor had prepared, plus the
    personas."""
    worker_chiangmai = member(Role.SOCIAL_WORKER, "pso-50", "somsri")
    supervisor_chiangmai = member(Role.SUPERVISOR, "pso-50", "arunee")
    worker_tak = member(Role.SOCIAL_WORKER, "pso-63", "prasert")
    director_kredtrakarn = member(Role.SHELTER_DIRECTOR, "shelter-kredtrakarn", "malee")
    staff_kredtrakarn = member(Role.SHELTER_STAFF, "shelter-kredtrakarn", "janpen")
    central_reviewer = member(Role.CENTRAL_REVIEWER, "central", "thanaporn")
    sysadmin = member(Role.SYSADMIN, "central", "itadmin")
    data_protection_officer = member(Role.DATA_PROTECTION_OFFICER, "central", "pimchanok")
    regional_officer = member(Role.REGIONAL_OFFICER, "rso-9", "wanna")
    private = register_case(worker_chiangmai, name_th="ลับ", estimated_age=30)
    screening = screening_in_state(worker_chiangmai, "open", case=private)
    document = cases.case_document_add(
        case=private,
        actor=worker_chiangmai,
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    granted, expired = UserFactory(username="police1"), UserFactory(username="police2")
    grant = cases.access_grant_give(
        case=private,
        actor=supervisor_chiangmai,
        user=granted,
        purpose="MDT",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    old = cases.access_grant_give(
        case=private,
        actor=supervisor_chiangmai,
        user=expired,
        purpose="MDT",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    AccessGrant.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    partner = partner_officer("police", "police3")
    share_case(private, supervisor_chiangmai, partner, ["identity", "screening", "interviews"])
    task = plan_task_add(
        case=private,
        actor=supervisor_chiangmai,
        organisation=partner.membership.organisation,
        title="สอบปากคำ",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    # An outcome of the private case (as recorded when a follow-up found contact lost).
    outcome = Outcome.objects.create(
        case=private, moment="closure", contact="contact_lost", recorded_by=worker_chiangmai
    )

    kredtrakarn = Organisation.objects.get(code="shelter-kredtrakarn")
    placement = admission(
        worker_chiangmai, director_kredtrakarn, person={"name_th": "พักอยู่", "estimated_age": 30}
    )
    unit = placement.unit
    outing = shelters.movement_record(
        placement_id=placement.pk,
        actor=director_kredtrakarn,
        kind="outing",
        started_at=placement.admitted_at,
    )
    item = shelters.care_plan_item_add(
        placement_id=placement.pk, actor=director_kredtrakarn, service="psychosocial"
    )
    referral = referral_in_state(
        worker_chiangmai, "submitted", person={"name_th": "ส่งต่อ", "estimated_age": 30}
    )
    repatriation = repatriation_in_state(worker_chiangmai, "sent", case=placement.case)
    blocker = insights.blocker_start(
        actor=worker_chiangmai, record="referral", record_id=referral.pk, reason="police"
    )
    operation = cases.operation_create(
        actor=worker_chiangmai,
        name="ปฏิบัติการ",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 1),
        custody_started_at=dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC),
    )
    batch = IntakeBatch.objects.create(
        operation=operation, uploaded_by=worker_chiangmai, file_name="a.csv"
    )
    [notification] = notify_many([Message([worker_chiangmai], "x", "/")])
    export_job = exports.export_job_request(
        actor=supervisor_chiangmai,
        export=ListExport(name="cases", format="xlsx", filters={}, count=1, headers=[], rows=[]),
        path=reverse("cases:export"),
        query="format=xlsx",
    )
    exports.export_job_prepare(job_id=export_job.pk)
    next_working_day = timezone.localdate() + dt.timedelta(days=1)
    while not is_working_day(next_working_day):
        next_working_day += dt.timedelta(days=1)
    holiday = holiday_change_add(
        actor=sysadmin, day=next_working_day, kind="added", note="มติคณะรัฐมนตรี"
    )
    prosecution = justice.prosecution_record(
        case=private,
        actor=worker_chiangmai,
        offence="trafficking",
        police_station="สภ.เมือง",
        police_case_number="1/2569",
        officer_name="ร.ต.อ. หนึ่ง",
        reported_on=dt.date(2026, 11, 1),
    )
    hearing = justice.hearing_schedule(
        prosecution_id=prosecution.pk,
        actor=worker_chiangmai,
        kind="witness",
        scheduled_at=timezone.now() + dt.timedelta(days=10),
    )
    claim = justice.claim_file(
        case=private,
        actor=worker_chiangmai,
        source="fund",
        amount_claimed=Decimal("1000"),
        claimed_on=dt.date(2026, 11, 2),
    )
    endpoint = Endpoint.objects.create(
        organisation=supervisor_chiangmai.membership.organisation,
        url="https://partner.example.org/hooks",
        event_kinds=["referral.submitted"],
        created_by=supervisor_chiangmai,
    )
    failed_call = WebhookDelivery.objects.create(
        message=WebhookMessage.objects.create(kind="referral.submitted", body="{}"),
        endpoint=endpoint,
        state=WebhookDelivery.State.FAILED,
    )
    breach = privacy.breach_record(
        actor=data_protection_officer, summary="x", discovered_at=timezone.now()
    )
    subject_request = privacy.request_record(
        actor=data_protection_officer,
        kind="access",
        case_number=private.number,
        requester="x",
        received_at=timezone.now(),
        received_by=central_reviewer.membership.organisation,
    )
    lesson = lessons.lesson_raise(
        actor=worker_chiangmai, title="ไม่มีล่าม", topic="interpreters", what_happened="รอล่าม"
    )
    lessons.lesson_consider(actor=central_reviewer, lesson_id=lesson.pk)
    lesson_action = lessons.lesson_action_add(
        actor=central_reviewer,
        lesson_id=lesson.pk,
        organisation=kredtrakarn,
        title="สำรวจเตียง",
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    glass = privacy.break_glass_open(  # on a case of Tak that no rule here reads
        actor=supervisor_chiangmai,
        case_number=register_case(worker_tak, name_th="อื่น").number,
        reason="ตรวจสอบเหตุละเมิดข้อมูล",
    )
    personas = {
        "owner": worker_chiangmai,
        "supervisor": supervisor_chiangmai,
        "other": worker_tak,
        "director": director_kredtrakarn,
        "staff": staff_kredtrakarn,
        "central": central_reviewer,
        "sysadmin": sysadmin,
        "granted": granted,
        "expired": expired,
        "partner": partner,
        "dpo": data_protection_officer,
        "regional": regional_officer,
    }
    args = {
        "case_id": private.pk,
        "screening_id": screening.pk,
        "document_id": document.pk,
        "name": "consent",
        "section": "timeline",
        "person_id": private.person_id,
        "grant_id": grant.pk,
        "referral_id": referral.pk,
        "placement_id": placement.pk,
        "movement_id": outing.pk,
        "item_id": item.pk,
        "unit_id": unit.pk,
        "operation_id": operation.pk,
        "batch_id": batch.pk,
        "notification_id": notification.pk,
        "change_id": holiday.pk,
        "job_id": export_job.pk,
        "prosecution_id": prosecution.pk,
        "hearing_id": hearing.pk,
        "claim_id": claim.pk,
        "action": "acknowledge",
        "repatriation_id": repatriation.pk,
        "move": "assess",
        "task_id": task.pk,
        "stage": "identification",
        "record": "screening",
        "record_id": screening.pk,
        "blocker_id": blocker.pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": failed_call.pk,
        "breach_id": breach.pk,
        "request_id": subject_request.pk,
        "step": "verify",
        "glass_id": glass.pk,
        "lesson_id": lesson.pk,
        "action_id": lesson_action.pk,
    }
    api_objects = {
        "person": private.person_id,
        "case": private.pk,
        "screening": screening.pk,
        "referral": referral.pk,
        "shelter": Shelter.objects.get(organisation=kredtrakarn).pk,
        "placement": placement.pk,
        "repatriation": repatriation.pk,
        "outcome": outcome.pk,
        "prosecution": prosecution.pk,
        "hearing": hearing.pk,
        "claim": claim.pk,
        "plan": task.pk,
        "notification": notification.pk,
        "breach": breach.pk,
        "subject": subject_request.pk,
        "break": glass.pk,
        "export": export_job.pk,
        "webhook": endpoint.pk,
        "shared": private.pk,
        "blocker": blocker.pk,
        "lesson": lesson.pk,
        "operation": operation.pk,
        "intake": batch.pk,
        "unit": unit.pk,
        "care": item.pk,
        "movement": outing.pk,
        "holiday": holiday.pk,
    }
    bodies = {
        "partners:task_move": {"to": "in_progress"},
        "api:plan-task-move": {"to": "in_progress"},
        "api:outcome-follow-up": {"case": private.pk, "contact": "reached"},
        "api:outcome-close-case": {"case": private.pk, "contact": "reached", "reason": "x"},
        "api:placement-admit": {"referral": referral.pk, "unit": unit.pk},
        "api:placement-transfer": {
            "to_shelter": "shelter-narisawat",
            "reason": "r",
            "consent": "given",
            "consent_now": True,
        },
        "api:placement-discharge": {"reason": "left"},
        "lessons:answer": {"decision": "ทำบัญชีล่ามกลาง"},
        "api:lesson-answer": {"decision": "ทำบัญชีล่ามกลาง"},
        "lessons:action_done": {"note": "สำรวจแล้ว"},
        "api:lesson-action-done": {"note": "สำรวจแล้ว"},
        "lessons:action_add": {
            "title": "ออกหนังสือเวียน",
            "organisation": str(kredtrakarn.pk),
            "due_on": "2099-01-01",
        },
        "api:lesson-actions": {
            "title": "ออกหนังสือเวียน",
            "organisation": "central",
            "due_on": "2099-01-01",
        },
    }
    return personas, args, api_objects, bodies


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def url_for(name, args, api_objects):
    """The endpoint's URL for the world's objects: each parameter by its name; an API `pk` by
    the router's basename."""
    kwargs = {}
    for match in PARAMETER.finditer(endpoints()[name]):
        parameter = match.group(1) or match.group(2)
        if parameter == "pk":
            kwargs["pk"] = api_objects[name.split(":")[1].split("-")[0]]
        else:
            kwargs[parameter] = args[parameter]
    return reverse(name, kwargs=kwargs)


# Who can see the object an endpoint acts on (when more than those who may act on it): they
# may get a refusal of another kind (400, 409, or the page's error message), but must never
# change anything. Everyone else must get 403 or 404.
SEES = {
    "referrals:act": SEES_REFERRAL,
    **{
        name: SEES_PRIVATE_CASE
        for name in RULES
        if name.startswith(("api:case-", "api:screening-"))
        or name.startswith(("cases:reopen", "cases:add_", "cases:give_access"))
        or name in ("outcomes:close", "outcomes:follow_up")
        or name in ("api:outcome-follow-up", "api:outcome-close-case")
        or name.startswith(("cases:revoke_access", "cases:start_screening", "cases:screening_"))
    },
    **{name: SEES_REFERRAL for name in RULES if name.startswith("api:referral-")},
    **{
        name: {"owner", "supervisor", "director", "staff", "central"}
        for name in RULES
        if name.startswith(("api:placement-", "shelters:care_plan", "shelters:movement"))
        or name in ("shelters:discharge", "shelters:transfer", "shelters:move_section")
    },
    "api:placement-admit": SEES_REFERRAL,  # it acts on the referral named in its body
    # The register's readers see its records; only the officer changes them.
    **{
        name: PRIVACY_READERS
        for name, rule in RULES.items()
        if name.startswith(("api:breach-", "api:subject-request-")) and rule[0] == "post"
    },
    "api:break-glass-review": PRIVACY_READERS | {"supervisor"},
    "api:movement-end": {"director", "staff", "central"},
    # Everyone on the case sees its plan; only the task's agency and the case's office move it.
    "partners:task_move": SEES_PRIVATE_CASE | {"partner"},
    "api:plan-task-move": SEES_PRIVATE_CASE | {"partner"},
    "insights:blocker_start": SEES_PRIVATE_CASE,
    **{
        name: REGISTER_READERS
        for name, rule in RULES.items()
        if name.startswith(("lessons:", "api:lesson-")) and rule[0] == "post"
    },
    "insights:blocker_end": SEES_REFERRAL,
    "api:blocker-end": SEES_REFERRAL,
    **{
        name: {"owner", "supervisor", "director", "staff", "central"}
        for name in RULES
        if name.startswith("api:repatriation-")
    },
    **{
        name: SEES_PRIVATE_CASE
        for name, rule in RULES.items()
        if name.startswith(("justice:", "api:prosecution-", "api:hearing-", "api:claim-"))
        and rule[0] == "post"
    },
}

CHECKED = [name for name, rule in RULES.items() if rule is not None]


def writes():
    """Audit entries of changes (not views or sign-ins): every service write leaves one."""
    return AuditEvent.objects.filter(
        action__in=[
            AuditEvent.Action.CREATE,
            AuditEvent.Action.UPDATE,
            AuditEvent.Action.TRANSITION,
        ]
    ).count()


SIGN_IN_PATHS = ("accounts:login", "accounts:mfa_setup", "accounts:mfa_verify")


def sent_to_sign_in(response) -> bool:
    """A redirect to the sign-in or the two-factor page: the endpoint refused the persona (as
    a stranger, or as someone not yet verified), however harmless the 302 looks."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    target = urlsplit(response["Location"]).path
    return any(target == reverse(name) for name in SIGN_IN_PATHS)


def test_a_redirect_to_sign_in_or_to_the_second_factor_is_a_refusal(
    client, settings, central_reviewer
):
    page = reverse("referrals:home")
    assert sent_to_sign_in(client.get(page))  # signed out
    settings.NRM_REQUIRE_MFA = True
    client.force_login(central_reviewer)
    assert sent_to_sign_in(client.get(page))  # signed in, not past the second factor
    settings.NRM_REQUIRE_MFA = False
    assert client.get(page).status_code == 200
    home = client.get(reverse("home"))
    assert home.status_code == 302 and not sent_to_sign_in(home)  # to the reviewer's own page


@pytest.mark.slow  # every endpoint by nine personas: the longest part of the suite
@pytest.mark.parametrize("name", CHECKED)
def test_only_the_rightful_personas_reach_the_endpoint(name, world):
    personas, args, api_objects, bodies = world
    method, allowed = RULES[name]
    url = url_for(name, args, api_objects)
    for persona in PERSONAS:
        client = APIClient()
        client.force_login(personas[persona])
        with transaction.atomic():
            before = writes()
            if method == "get":
                response = client.get(url)
            else:
                response = client.post(url, bodies.get(name, {}), format="json")
            changed = writes() != before
            transaction.set_rollback(True)
        status = response.status_code
        assert status < 500, f"{name} as {persona}: {status}"
        if persona in allowed:
            assert status not in (403, 404), f"{name} refused {persona}: {status}"
            assert not sent_to_sign_in(response), (
                f"{name} sent {persona} to {response['Location']}: a refusal, not access"
            )
        elif persona in SEES.get(name, ()):
            assert status in (302, 400, 403, 409), f"{name} as {persona}: {status}"
            assert not changed, f"{name} let {persona} change something"
        else:
            assert status in (403, 404), f"{name} let {persona} through: {status}"
            assert not changed, f"{name} let {persona} change something"


# The Django admin, as an entry point like the others (issue 24): who may open which page.
ADMIN_RULES = {
    "admin:index": {"sysadmin"},
    "admin:accounts_user_changelist": {"sysadmin"},
    "admin:accounts_membership_changelist": {"sysadmin"},  # seen; changed on the user's page
    "admin:accounts_organisation_changelist": {"sysadmin"},
    "admin:shelters_shelter_changelist": {"sysadmin"},
    "admin:sla_clockpolicy_changelist": {"sysadmin"},
    "admin:repatriation_counterpartagency_changelist": {"sysadmin"},
    "admin:privacy_retentionrule_changelist": {"sysadmin"},
    "admin:accounts_membership_add": set(),  # roles are given on the user's page, audited
    "admin:audit_auditevent_changelist": set(),  # the log is read through its own page
    "admin:auth_user_password_change": set(),  # nobody sets another's password
}


@pytest.mark.parametrize("name", sorted(ADMIN_RULES))
def test_only_the_rightful_personas_open_the_admin_page(name, world):
    personas, args, _api_objects, _bodies = world
    url = reverse(name, args=[personas["owner"].pk] if "password" in name else [])
    for persona, user in personas.items():
        client = APIClient()
        client.force_login(user)
        response = client.get(url)
        if persona in ADMIN_RULES[name]:
            assert response.status_code == 200, (name, persona)
        else:
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and "/admin/login/" in response["Location"]
            )
            assert refused, (name, persona, response.status_code)
