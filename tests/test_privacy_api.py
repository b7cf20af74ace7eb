"""The data protection register through the API (/api/v1/privacy/): the officer keeps it as on
the pages, the central division reads it, nobody else sees it; every step with If-Match; bad
input refused in Thai."""

import datetime as dt

import pytest
from django.utils import timezone

from privacy import services
from privacy.models import Breach, BreakGlass, SubjectRequest
from privacy.workflow import BreachStatus, RequestStatus
from tests.factories import register_case
from tests.test_api_problems import THAI, assert_problem, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def breach(data_protection_officer):
    return services.breach_record(
        actor=data_protection_officer,
        summary="แล็ปท็อปหาย",
        discovered_at=timezone.now() - dt.timedelta(hours=2),
    )


@pytest.fixture
def access_request(data_protection_officer, worker_chiangmai, central_reviewer):
    case = register_case(worker_chiangmai, name_th="ผู้ขอ", estimated_age=30)
    return services.request_record(
        actor=data_protection_officer,
        kind="access",
        case_number=case.number,
        requester="ผู้ขอเอง",
        received_at=timezone.now(),
        received_by=central_reviewer.membership.organisation,
    )


def test_the_officer_records_a_breach_and_takes_it_to_the_regulator(data_protection_officer):
    client = token_client(data_protection_officer)
    created = client.post(
        "/api/v1/privacy/breaches/",
        {"summary": "ส่งอีเมลผิดคน", "discovered_at": timezone.now().isoformat()},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/privacy/breaches/{created.json()['id']}/"
    assessed = client.post(
        url + "assess/", {"risk": "high", "risk_assessment": "ชื่อและที่อยู่"}, format="json"
    )
    assert assessed.json()["risk"] == "high"
    reported = client.post(
        url + "report/", {"reported_at": timezone.now().isoformat()}, format="json"
    )
    assert reported.status_code == 200
    assert reported.json()["status"] == BreachStatus.REPORTED
    assert client.get("/api/v1/privacy/breaches/").json()["results"][0]["summary"] == "ส่งอีเมลผิดคน"


def test_the_central_division_reads_the_register_but_changes_nothing(central_reviewer, breach):
    client = token_client(central_reviewer)
    assert client.get(f"/api/v1/privacy/breaches/{breach.pk}/").status_code == 200
    refused = client.post(f"/api/v1/privacy/breaches/{breach.pk}/not-reportable/")
    assert_problem(refused, 403)
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.OPEN


def test_a_social_worker_sees_no_privacy_record(worker_chiangmai, breach, access_request):
    client = token_client(worker_chiangmai)
    for path in (
        "/api/v1/privacy/breaches/",
        f"/api/v1/privacy/breaches/{breach.pk}/",
        f"/api/v1/privacy/requests/{access_request.pk}/",
        "/api/v1/privacy/transfers/",
        "/api/v1/privacy/retention/runs/",
        "/api/v1/privacy/processing/",
    ):
        assert client.get(path).status_code in (403, 404), path
    assert_problem(client.post("/api/v1/privacy/breaches/", {}, format="json"), 403)


def test_the_officer_reads_the_register_but_no_case(data_protection_officer, access_request):
    client = token_client(data_protection_officer)
    detail = client.get(f"/api/v1/privacy/requests/{access_request.pk}/").json()
    assert detail["case_numbers"]  # what the officer names to the offices
    case_id = access_request.person.cases.get().pk
    assert client.get(f"/api/v1/cases/{case_id}/").status_code == 404
    assert client.get("/api/v1/cases/").json()["results"] == []


def test_a_stale_if_match_changes_nothing(data_protection_officer, breach):
    client = token_client(data_protection_officer)
    url = f"/api/v1/privacy/breaches/{breach.pk}/"
    seen = client.get(url)["ETag"]
    services.breach_assess(
        breach_id=breach.pk, actor=data_protection_officer, risk="risk", risk_assessment="น้อย"
    )
    stale = client.post(
        url + "assess/",
        {"risk": "high", "risk_assessment": "สูง"},
        format="json",
        HTTP_IF_MATCH=seen,
    )
    body = assert_problem(stale, 412)
    assert THAI.search(body["detail"])
    assert Breach.objects.get(pk=breach.pk).risk == "risk"
    fresh = client.get(url)["ETag"]
    assert fresh != seen
    assert (
        client.post(
            url + "assess/",
            {"risk": "high", "risk_assessment": "สูง"},
            format="json",
            HTTP_IF_MATCH=fresh,
        ).status_code
        == 200
    )


def test_bad_input_is_refused_field_by_field_in_thai(data_protection_officer, breach):
    client = token_client(data_protection_officer)
    missing = assert_problem(client.post("/api/v1/privacy/breaches/", {}, format="json"), 400)
    assert {"summary", "discovered_at"} <= set(missing["errors"])
    assert all(THAI.search(m) for m in missing["errors"]["summary"])
    # The service's own rule: a breach is reported only once its risk is assessed.
    early = client.post(
        f"/api/v1/privacy/breaches/{breach.pk}/report/",
        {"reported_at": timezone.now().isoformat()},
        format="json",
    )
    body = assert_problem(early, 400)
    assert THAI.search(body["errors"]["reported_at"][0])


def test_a_move_from_the_wrong_state_is_a_conflict(data_protection_officer, access_request):
    client = token_client(data_protection_officer)
    released = client.post(
        f"/api/v1/privacy/requests/{access_request.pk}/release/", {"reviewed": True}, format="json"
    )
    assert_problem(released, 409)


def test_an_access_request_is_answered_with_the_copy_the_officer_reads(
    data_protection_officer, access_request
):
    client = token_client(data_protection_officer)
    url = f"/api/v1/privacy/requests/{access_request.pk}/"
    assert_problem(client.get(url + "copy/"), 404)  # nothing prepared yet
    client.post(url + "verify/", {"evidence": "บัตรประชาชน"}, format="json")
    decided = client.post(
        url + "decide/", {"decision": "granted", "ground": "right"}, format="json"
    )
    assert decided.json()["status"] == RequestStatus.AWAITING_RELEASE
    copy = client.get(url + "copy/").json()
    assert "ผู้ขอ" in copy["copy"] and copy["language"] == "th"
    released = client.post(url + "release/", {"reviewed": True}, format="json").json()
    assert released["status"] == RequestStatus.ANSWERED and released["released"]


def test_the_copy_is_the_officers_alone(central_reviewer, access_request):
    client = token_client(central_reviewer)
    assert client.get(f"/api/v1/privacy/requests/{access_request.pk}/").status_code == 200
    assert_problem(client.get(f"/api/v1/privacy/requests/{access_request.pk}/copy/"), 403)


def test_a_supervisor_opens_a_case_in_an_emergency_and_the_officer_reviews_it(
    supervisor_chiangmai, worker_tak, data_protection_officer
):
    case = register_case(worker_tak, name_th="ฉุกเฉิน", estimated_age=30)
    supervisor = token_client(supervisor_chiangmai)
    short = supervisor.post(
        "/api/v1/privacy/break-glass/", {"case_number": case.number, "reason": "ด่วน"}
    )
    assert "reason" in assert_problem(short, 400)["errors"]
    opened = supervisor.post(
        "/api/v1/privacy/break-glass/",
        {"case_number": case.number, "reason": "ผู้เสียหายอยู่ในอันตราย ต้องดูข้อมูลติดต่อ"},
        format="json",
    )
    assert opened.status_code == 201, opened.content
    assert supervisor.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    glass_id = opened.json()["id"]
    assert_problem(
        supervisor.post(f"/api/v1/privacy/break-glass/{glass_id}/review/", {"note": "x"}), 403
    )
    officer = token_client(data_protection_officer)
    assert_problem(
        officer.post("/api/v1/privacy/break-glass/", {"case_number": case.number, "reason": "x"}),
        403,
    )
    reviewed = officer.post(
        f"/api/v1/privacy/break-glass/{glass_id}/review/", {"note": "มีเหตุจำเป็น"}, format="json"
    )
    assert reviewed.json()["reviewed_by"] == data_protection_officer.username
    assert BreakGlass.objects.get(pk=glass_id).review_note == "มีเหตุจำเป็น"


def test_the_officer_reads_retention_and_asks_for_a_dry_run(data_protection_officer):
    client = token_client(data_protection_officer)
    assert {rule["kind"] for rule in client.get("/api/v1/privacy/retention/rules/").json()} == {
        "notes_documents",
        "identity",
    }
    run = client.post("/api/v1/privacy/retention/runs/")
    assert run.status_code == 201 and run.json()["dry_run"] is True
    assert (
        client.get("/api/v1/privacy/retention/runs/").json()["results"][0]["id"] == run.json()["id"]
    )


def test_the_record_of_processing_and_the_transfers_are_read(data_protection_officer, sysadmin):
    activities = token_client(sysadmin).get("/api/v1/privacy/processing/").json()
    assert {"cases", "privacy"} <= {activity["app"] for activity in activities}
    transfers = token_client(data_protection_officer).get("/api/v1/privacy/transfers/")
    assert transfers.status_code == 200 and transfers.json()["results"] == []


def test_a_request_is_recorded_with_its_clock(
    data_protection_officer, worker_chiangmai, central_reviewer
):
    case = register_case(worker_chiangmai, name_th="ขอลบ", estimated_age=30)
    client = token_client(data_protection_officer)
    created = client.post(
        "/api/v1/privacy/requests/",
        {
            "kind": "erasure",
            "case_number": case.number,
            "requester": "ทนายความ",
            "received_at": timezone.now().isoformat(),
            "received_by": central_reviewer.membership.organisation.code,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert SubjectRequest.objects.get(pk=created.json()["id"]).person == case.person
    unknown = client.post(
        "/api/v1/privacy/requests/",
        {
            "kind": "erasure",
            "case_number": "NRM-0000-00-0000",
            "requester": "x",
            "received_at": timezone.now().isoformat(),
            "received_by": central_reviewer.membership.organisation.code,
        },
        format="json",
    )
    assert THAI.search(assert_problem(unknown, 400)["errors"]["case_number"][0])


def test_a_review_of_an_emergency_access_reviewed_since_is_refused(
    supervisor_chiangmai, worker_tak, data_protection_officer
):
    glass = services.break_glass_open(
        actor=supervisor_chiangmai,
        case_number=register_case(worker_tak, name_th="ทบทวน", estimated_age=30).number,
        reason="ผู้เสียหายอยู่ในอันตราย ต้องดูข้อมูลติดต่อ",
    )
    client = token_client(data_protection_officer)
    url = f"/api/v1/privacy/break-glass/{glass.pk}/review/"
    seen = '"0"'  # a version the record never had (the list gives no ETag per row)
    stale = client.post(url, {"note": "ไม่จำเป็น"}, format="json", HTTP_IF_MATCH=seen)
    assert_problem(stale, 412)
    assert BreakGlass.objects.get(pk=glass.pk).review_note == ""
