"""Everything a user can do or read in the web pages is in the API (issue 22): every web address
of the URL configuration has its API counterpart in the table below, or is named web-only with
the reason. A new page without an API counterpart (or a reason) fails here.

Each counterpart is "METHOD /api/v1/path/", `{...}` standing for an id; it must resolve to an
API view that answers that method, and no literal word of the path may be taken for an id (the
router's `persons/{pk}/` would otherwise swallow `persons/national/`).
"""

import re

from django.urls import Resolver404, resolve

from tests.test_authorization_matrix import endpoints

# Web URL name → its API counterparts (the moves of a page that posts several, each of them).
API_COUNTERPARTS = {
    "accounts:devices": ["GET /api/v1/me/tokens/"],
    "accounts:token_revoke": ["POST /api/v1/me/tokens/{token_key}/revoke/"],
    "accounts:sign_out_everywhere": ["POST /api/v1/me/sign-out-everywhere/"],
    "cases:home": ["GET /api/v1/cases/", "GET /api/v1/deadlines/mine/"],
    "cases:operation_list": ["GET /api/v1/operations/"],
    "cases:operation_create": ["POST /api/v1/operations/"],
    "cases:operation_detail": ["GET /api/v1/operations/{id}/"],
    "cases:operation_start_screenings": ["POST /api/v1/operations/{id}/start-screenings/"],
    "cases:intake_upload": ["POST /api/v1/operations/{id}/intake/"],
    "cases:intake_template": ["GET /api/v1/operations/{id}/intake-template/"],
    "cases:intake_preview": ["GET /api/v1/intake-batches/{id}/"],
    "cases:intake_confirm": ["POST /api/v1/intake-batches/{id}/confirm/"],
    "cases:intake_retry": ["POST /api/v1/intake-batches/{id}/retry/"],
    "cases:intake_cancel": ["POST /api/v1/intake-batches/{id}/cancel/"],
    "cases:intake_progress": ["GET /api/v1/intake-batches/{id}/progress/"],
    "cases:intake_progress_status": ["GET /api/v1/intake-batches/{id}/progress/"],
    "cases:register": ["POST /api/v1/registrations/"],
    "cases:list": ["GET /api/v1/cases/"],
    "cases:export": ["POST /api/v1/exports/"],
    "cases:detail": ["GET /api/v1/cases/{id}/", "GET /api/v1/cases/{id}/timeline/"],
    "cases:summary": ["GET /api/v1/cases/{id}/"],
    "cases:reopen": ["POST /api/v1/cases/{id}/reopen/"],
    "cases:add_note": ["POST /api/v1/cases/{id}/notes/"],
    "cases:add_document": ["POST /api/v1/cases/{id}/documents/"],
    "cases:document": ["GET /api/v1/cases/{id}/documents/{document_id}/"],
    "cases:add_consent": ["POST /api/v1/cases/{id}/consents/"],
    "cases:add_permit": ["POST /api/v1/cases/{id}/permits/"],
    "cases:give_access": ["POST /api/v1/cases/{id}/access-grants/"],
    "cases:revoke_access": ["POST /api/v1/cases/{id}/access-grants/{grant_id}/revoke/"],
    "cases:start_screening": ["POST /api/v1/screenings/"],
    "cases:person": [
        "GET /api/v1/persons/{id}/",
        "GET /api/v1/persons/{id}/cases/",
        "GET /api/v1/persons/{id}/viewers/",
    ],
    "cases:person_merge": ["POST /api/v1/persons/{id}/merge/"],
    "cases:screening": ["GET /api/v1/screenings/{id}/"],
    "cases:screening_add_member": ["POST /api/v1/screenings/{id}/members/"],
    "cases:screening_indicators": ["POST /api/v1/screenings/{id}/indicators/"],
    "cases:screening_interview": ["POST /api/v1/screenings/{id}/interviews/"],
    "cases:screening_extend": ["POST /api/v1/screenings/{id}/extend/"],
    "cases:screening_decide": ["POST /api/v1/screenings/{id}/decide/"],
    "cases:screening_second_review": ["POST /api/v1/screenings/{id}/second-review/"],
    # The review queue, the inbox and the sent box are the referral list's filters.
    "referrals:home": ["GET /api/v1/referrals/"],
    "referrals:inbox": ["GET /api/v1/referrals/"],
    "referrals:sent": ["GET /api/v1/referrals/"],
    "referrals:list": ["GET /api/v1/referrals/"],
    "referrals:export": ["POST /api/v1/exports/"],
    "referrals:new": ["POST /api/v1/referrals/"],
    "referrals:detail": ["GET /api/v1/referrals/{id}/"],
    "referrals:act": [
        "POST /api/v1/referrals/{id}/acknowledge/",
        "POST /api/v1/referrals/{id}/accept/",
        "POST /api/v1/referrals/{id}/decline/",
        "POST /api/v1/referrals/{id}/complete/",
        "POST /api/v1/referrals/{id}/withdraw/",
        "POST /api/v1/referrals/{id}/submit/",
        "POST /api/v1/referrals/{id}/answer/",
        "POST /api/v1/referrals/{id}/review/",
        "POST /api/v1/referrals/{id}/redirect/",
    ],
    "shelters:home": ["GET /api/v1/shelters/mine/"],
    "shelters:coming": ["GET /api/v1/shelters/mine/"],
    "shelters:residents": ["GET /api/v1/shelters/mine/residents/"],
    "shelters:national": ["GET /api/v1/shelters/"],
    "shelters:admit": ["POST /api/v1/placements/admit/"],
    "shelters:set_capacity": ["POST /api/v1/shelter-units/{id}/capacity/"],
    "shelters:placements": ["GET /api/v1/placements/"],
    "shelters:placements_export": ["POST /api/v1/exports/"],
    "shelters:resident": ["GET /api/v1/placements/{id}/"],
    "shelters:care_plan": ["GET /api/v1/care-plan-items/", "POST /api/v1/care-plan-items/"],
    "shelters:care_plan_item": ["PUT /api/v1/care-plan-items/{id}/"],
    "shelters:movement": ["GET /api/v1/movements/", "POST /api/v1/movements/"],
    "shelters:movement_end": ["POST /api/v1/movements/{id}/end/"],
    "shelters:discharge": ["POST /api/v1/placements/{id}/discharge/"],
    "shelters:move_section": ["POST /api/v1/placements/{id}/move-section/"],
    "shelters:transfer": ["POST /api/v1/placements/{id}/transfer/"],
    "repatriation:list": ["GET /api/v1/repatriations/"],
    "repatriation:export": ["POST /api/v1/exports/"],
    "repatriation:new": ["POST /api/v1/repatriations/"],
    "repatriation:detail": ["GET /api/v1/repatriations/{id}/"],
    "repatriation:act": [
        "POST /api/v1/repatriations/{id}/send/",
        "POST /api/v1/repatriations/{id}/assess/",
        "POST /api/v1/repatriations/{id}/schedule/",
        "POST /api/v1/repatriations/{id}/hand-over/",
        "POST /api/v1/repatriations/{id}/confirm/",
        "POST /api/v1/repatriations/{id}/cancel/",
    ],
    "outcomes:list": ["GET /api/v1/outcomes/"],
    "outcomes:export": ["POST /api/v1/exports/"],
    "outcomes:follow_up": ["POST /api/v1/outcomes/follow-up/"],
    "outcomes:close": ["POST /api/v1/outcomes/close-case/"],
    "justice:case": ["GET /api/v1/prosecutions/", "GET /api/v1/compensation-claims/"],
    "justice:record_prosecution": ["POST /api/v1/prosecutions/"],
    "justice:file_claim": ["POST /api/v1/compensation-claims/"],
    "justice:prosecutions": ["GET /api/v1/prosecutions/"],
    "justice:prosecutions_export": ["POST /api/v1/exports/"],
    "justice:prosecution": ["GET /api/v1/prosecutions/{id}/"],
    "justice:charge": ["POST /api/v1/prosecutions/{id}/charge/"],
    "justice:witness": ["POST /api/v1/prosecutions/{id}/witness/"],
    "justice:conclude": ["POST /api/v1/prosecutions/{id}/conclude/"],
    "justice:drop": ["POST /api/v1/prosecutions/{id}/drop/"],
    "justice:schedule_hearing": ["POST /api/v1/hearings/"],
    "justice:hearing_held": ["POST /api/v1/hearings/{id}/held/"],
    "justice:hearing_postpone": ["POST /api/v1/hearings/{id}/postpone/"],
    "justice:hearing_cancel": ["POST /api/v1/hearings/{id}/cancel/"],
    "justice:claims": ["GET /api/v1/compensation-claims/"],
    "justice:claims_export": ["POST /api/v1/exports/"],
    "justice:claim": ["GET /api/v1/compensation-claims/{id}/"],
    "justice:claim_award": ["POST /api/v1/compensation-claims/{id}/award/"],
    "justice:claim_reject": ["POST /api/v1/compensation-claims/{id}/reject/"],
    "justice:claim_withdraw": ["POST /api/v1/compensation-claims/{id}/withdraw/"],
    "justice:claim_receive": ["POST /api/v1/compensation-claims/{id}/receive/"],
    "justice:claim_unpaid": ["POST /api/v1/compensation-claims/{id}/unpaid/"],
    "partners:home": ["GET /api/v1/partners/cases/", "GET /api/v1/plan-tasks/"],
    "partners:case": ["GET /api/v1/partners/cases/{id}/"],
    "partners:document": ["GET /api/v1/partners/cases/{id}/documents/{document_id}/"],
    "partners:task_add": ["POST /api/v1/plan-tasks/"],
    "partners:task_move": ["POST /api/v1/plan-tasks/{id}/move/"],
    "insights:stage_times": ["GET /api/v1/insights/stage-times/"],
    "insights:stage_cases": ["GET /api/v1/insights/stage-times/{stage}/cases/"],
    "insights:blockers": ["GET /api/v1/blockers/"],
    "insights:blocker_start": ["POST /api/v1/blockers/"],
    "insights:blocker_end": ["POST /api/v1/blockers/{id}/end/"],
    "insights:regional": [
        "GET /api/v1/insights/regional/deadlines/",
        "GET /api/v1/insights/stage-times/",
        "GET /api/v1/blockers/",
    ],
    "lessons:list": ["GET /api/v1/lessons/"],
    "lessons:new": ["POST /api/v1/lessons/"],
    "lessons:detail": ["GET /api/v1/lessons/{id}/"],
    "lessons:endorse": ["POST /api/v1/lessons/{id}/endorse/"],
    "lessons:consider": ["POST /api/v1/lessons/{id}/consider/"],
    "lessons:answer": ["POST /api/v1/lessons/{id}/answer/"],
    "lessons:action_add": ["POST /api/v1/lessons/{id}/actions/"],
    "lessons:action_done": ["POST /api/v1/lessons/{id}/actions/{action}/done/"],
    "lessons:close": ["POST /api/v1/lessons/{id}/close/"],
    "lessons:export": ["POST /api/v1/exports/"],
    "privacy:home": ["GET /api/v1/privacy/breaches/", "GET /api/v1/privacy/requests/"],
    "privacy:breaches": ["GET /api/v1/privacy/breaches/"],
    "privacy:breach_new": ["POST /api/v1/privacy/breaches/"],
    "privacy:breach": ["GET /api/v1/privacy/breaches/{id}/"],
    "privacy:breach_act": [
        "POST /api/v1/privacy/breaches/{id}/assess/",
        "POST /api/v1/privacy/breaches/{id}/report/",
        "POST /api/v1/privacy/breaches/{id}/not-reportable/",
        "POST /api/v1/privacy/breaches/{id}/persons-told/",
        "POST /api/v1/privacy/breaches/{id}/close/",
    ],
    "privacy:requests": ["GET /api/v1/privacy/requests/"],
    "privacy:request_new": ["POST /api/v1/privacy/requests/"],
    "privacy:request": [
        "GET /api/v1/privacy/requests/{id}/",
        "GET /api/v1/privacy/requests/{id}/copy/",
    ],
    "privacy:request_act": [
        "POST /api/v1/privacy/requests/{id}/verify/",
        "POST /api/v1/privacy/requests/{id}/decide/",
        "POST /api/v1/privacy/requests/{id}/release/",
    ],
    "privacy:retention": [
        "GET /api/v1/privacy/retention/rules/",
        "GET /api/v1/privacy/retention/runs/",
    ],
    "privacy:retention_dry_run": ["POST /api/v1/privacy/retention/runs/"],
    "privacy:break_glass": [
        "GET /api/v1/privacy/break-glass/",
        "POST /api/v1/privacy/break-glass/",
    ],
    "privacy:break_glass_review": ["POST /api/v1/privacy/break-glass/{id}/review/"],
    "privacy:processing": ["GET /api/v1/privacy/processing/"],
    "privacy:transfers": ["GET /api/v1/privacy/transfers/"],
    "notifications:inbox": ["GET /api/v1/notifications/"],
    "notifications:mark_all_read": ["POST /api/v1/notifications/read-all/"],
    "notifications:preferences": [
        "GET /api/v1/me/notification-preferences/",
        "PUT /api/v1/me/notification-preferences/",
    ],
    "notifications:open": ["POST /api/v1/notifications/{id}/read/"],
    "webhooks:list": ["GET /api/v1/webhooks/"],
    "webhooks:new": ["POST /api/v1/webhooks/"],
    "webhooks:detail": ["GET /api/v1/webhooks/{id}/", "GET /api/v1/webhooks/{id}/deliveries/"],
    "webhooks:disable": ["POST /api/v1/webhooks/{id}/disable/"],
    "webhooks:send_again": ["POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/send-again/"],
    "sla:mine": ["GET /api/v1/deadlines/mine/"],
    "sla:board": ["GET /api/v1/deadlines/board/"],
    "sla:holidays": ["GET /api/v1/deadlines/holidays/", "POST /api/v1/deadlines/holidays/"],
    "sla:holiday_withdraw": ["POST /api/v1/deadlines/holidays/{id}/withdraw/"],
    "audit:search": ["GET /api/v1/audit-log/"],
    "audit:export": ["POST /api/v1/exports/"],
    "reports:dashboard": ["GET /api/v1/reports/dashboard/"],
    "reports:annual": ["GET /api/v1/reports/annual/"],
    "reports:annual_export": ["POST /api/v1/exports/"],
    "reports:anonymised_export": ["POST /api/v1/exports/"],
    "reports:htcds_export": ["GET /api/v1/reports/htcds/"],
    "reports:htcds_anonymised_export": ["POST /api/v1/exports/"],
    "exports:job": ["GET /api/v1/exports/{id}/"],
    "exports:download": ["GET /api/v1/exports/{id}/download/"],
}

# Addresses that are not pages of the product's work, and why they have no API counterpart.
WEB_ONLY = {
    # The role dispatch of "/": a redirect to the user's own home page (GET /api/v1/me/ says
    # who the user is and where they work).
    "home",
    # Signing in and out, in the browser (the API's own is POST /api/v1/auth/token/, with the
    # second factor's code; a token ends with POST /api/v1/me/tokens/{key}/revoke/).
    "accounts:login",
    "accounts:logout",
    "accounts:mfa_setup",
    "accounts:mfa_verify",
    "accounts:password_reset_confirm",  # a one-time link from an e-mail, before signing in
    "sso:start",  # OpenID Connect's browser redirects
    "sso:callback",
    # The interface's language (the API answers in the user's language, or Accept-Language).
    "accounts:switch_language",
    # A new password is typed on the page beside the old one; it ends every API token.
    "accounts:password_change",
    # The sysadmin's landing page: links to the Django admin, where reference data is kept.
    "accounts:sysadmin_home",
    # The case page's long forms, served as HTML fragments when their toggle opens; each form's
    # write has its API counterpart above.
    "cases:case_form",
    # The case page's sections below the fold, served as HTML fragments when they scroll into
    # view; each section's data has its endpoint above (the case's notes, documents and
    # timeline, its return home, outcomes, court case, plan tasks and waits).
    "cases:case_section",
    # The referral letter printed for an office that files on paper (its data:
    # GET /api/v1/referrals/{id}/).
    "referrals:letter",
    # Operations' own addresses: the load balancer's checks, Prometheus's scrape (a bearer
    # token from the environment).
    "healthz",
    "readyz",
    "metrics",
}

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def web_url_names() -> set[str]:
    return {name for name in endpoints() if not name.startswith("api:")}


def answers(path_and_method: str) -> str:
    """Why "METHOD /path/" has no API view that answers it, or "" when it has one."""
    method, path = path_and_method.split(" ", 1)
    ids = {
        placeholder: str(index + 1) for index, placeholder in enumerate(PLACEHOLDER.findall(path))
    }
    concrete = PLACEHOLDER.sub(lambda match: ids[match.group(1)], path)
    try:
        match = resolve(concrete)
    except Resolver404:
        return "no such address"
    if match.namespace != "api":
        return f"not an API address ({match.view_name})"
    if taken := set(match.kwargs.values()) - set(ids.values()):
        return f"taken for an id: {sorted(taken)} ({match.view_name})"
    actions = getattr(match.func, "actions", None)  # a viewset's methods and their actions
    if actions is not None:
        ok = method.lower() in actions
    else:
        ok = hasattr(match.func.cls, method.lower())
    return "" if ok else f"{match.view_name} does not answer {method}"


def test_every_web_page_has_an_api_counterpart_or_a_reason():
    web = web_url_names()
    missing = sorted(web - set(API_COUNTERPARTS) - WEB_ONLY)
    assert missing == [], f"give these web pages an API counterpart (or a reason): {missing}"
    assert set(API_COUNTERPARTS) & WEB_ONLY == set()
    gone = sorted((set(API_COUNTERPARTS) | WEB_ONLY) - web)
    assert gone == [], f"these web addresses no longer exist: {gone}"


def test_every_api_counterpart_answers():
    broken = {
        f"{name}: {counterpart}": reason
        for name, counterparts in API_COUNTERPARTS.items()
        for counterpart in counterparts
        if (reason := answers(counterpart))
    }
    assert broken == {}


def test_a_counterpart_that_does_not_answer_is_found():
    assert answers("GET /api/v1/cases/") == ""
    assert answers("POST /api/v1/cases/{id}/close/") == ""
    assert answers("GET /api/v1/no-such-thing/") == "no such address"
    assert answers("DELETE /api/v1/cases/{id}/close/") == "api:case-close does not answer DELETE"
    assert answers("GET /api/v1/shelters/national/").startswith("taken for an id")
    assert answers("GET /api/v1/shelters/mine/") == ""
    assert answers("GET /cases/all/").startswith("not an API address")
