"""Data subjects' requests (PDPA s.30): logged with the office that received them, the
requester's identity checked, answered within 30 calendar days with a decision and its legal
ground, and an access request answered with a copy of the person's data in their language that
the officer reads before it is released. Every step audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Organisation
from audit.models import AuditEvent
from core.domain import ActionForbidden, TransitionNotAllowed
from notifications.models import Notification
from privacy import services
from sla.models import Deadline
from sla.sweep import sweep
from tests.factories import register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(worker_chiangmai):
    return register_case(worker_chiangmai, name_th="ขิ่น ซู", name_latin="Khin Su", nationality="MM")


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def clock(request):
    return Deadline.objects.get(clock="subject_request", object_id=request.pk)


def log(officer, case, kind="access", **fields):
    fields.setdefault("received_at", timezone.now() - dt.timedelta(days=2))
    fields.setdefault("language", "en")
    return services.request_record(
        actor=officer,
        kind=kind,
        case_number=case.number,
        requester="Khin Su",
        received_by=Organisation.objects.get(code="pso-50"),
        **fields,
    )


def test_an_access_request_answered_inside_the_30_days(data_protection_officer, case):
    request = log(data_protection_officer, case)
    deadline = clock(request)
    # Calendar days, as s.30 counts them: not working days.
    assert deadline.due_at == request.received_at + dt.timedelta(days=30)
    services.request_verify(
        request_id=request.pk, actor=data_protection_officer, evidence="Passport MC123456"
    )
    decided = services.request_decide(
        request_id=request.pk, actor=data_protection_officer, decision="granted", ground="right"
    )
    # The copy is prepared in the person's language and waits for the officer's review.
    assert decided.status == "awaiting_release"
    assert "Khin Su" in decided.copy and case.number in decided.copy
    assert "Copy of your personal data" in decided.copy
    assert clock(request).closed_at is None
    with pytest.raises(ValidationError):
        services.request_release(
            request_id=request.pk, actor=data_protection_officer, reviewed=False
        )
    released = services.request_release(
        request_id=request.pk, actor=data_protection_officer, reviewed=True
    )
    assert released.status == "answered" and released.released_at
    assert clock(request).state == Deadline.State.MET
    steps = AuditEvent.objects.filter(
        object_type__model="subjectrequest", object_id=str(request.pk)
    )
    assert steps.filter(action="create").count() == 1
    assert steps.filter(action="transition").count() == 3


def test_a_copy_in_thai_has_buddhist_era_dates(data_protection_officer, case):
    request = log(data_protection_officer, case, language="th")
    services.request_verify(request_id=request.pk, actor=data_protection_officer, evidence="x")
    decided = services.request_decide(
        request_id=request.pk, actor=data_protection_officer, decision="granted", ground="right"
    )
    assert "2569" in decided.copy and "ขิ่น ซู" in decided.copy


def test_a_request_not_answered_in_30_days_reminds_then_escalates(
    data_protection_officer, central_reviewer, case
):
    request = log(
        data_protection_officer,
        case,
        kind="rectification",
        received_at=timezone.now() - dt.timedelta(days=31),
    )
    deadline = clock(request)
    assert deadline.remind_at == deadline.due_at - dt.timedelta(days=7)
    assert sweep(now=deadline.remind_at + dt.timedelta(minutes=1)) == {"reminded": 1}
    assert [m for m in inbox(data_protection_officer) if request.number in m]
    assert sweep(now=deadline.due_at + dt.timedelta(minutes=1)) == {"breached": 1}
    assert [m for m in inbox(central_reviewer) if request.number in m]
    services.request_verify(request_id=request.pk, actor=data_protection_officer, evidence="x")
    services.request_decide(
        request_id=request.pk, actor=data_protection_officer, decision="granted", ground="right"
    )
    closed = clock(request)
    assert closed.closed_at and closed.state == Deadline.State.BREACHED


def test_a_refusal_names_its_exemption_and_its_reasons(data_protection_officer, case):
    request = log(data_protection_officer, case, kind="erasure")
    services.request_verify(request_id=request.pk, actor=data_protection_officer, evidence="x")
    with pytest.raises(ValidationError) as refused:
        services.request_decide(
            request_id=request.pk, actor=data_protection_officer, decision="refused", ground="right"
        )
    assert "ground" in refused.value.message_dict
    decided = services.request_decide(
        request_id=request.pk,
        actor=data_protection_officer,
        decision="refused",
        ground="legal_claims",
        note="คดีอาญายังอยู่ระหว่างพิจารณา",
    )
    assert decided.status == "answered" and not decided.copy


def test_no_decision_before_the_identity_is_checked_except_a_refusal_for_it(
    data_protection_officer, case
):
    request = log(data_protection_officer, case)
    with pytest.raises(ValidationError):
        services.request_decide(
            request_id=request.pk, actor=data_protection_officer, decision="granted", ground="right"
        )
    refused = services.request_decide(
        request_id=request.pk,
        actor=data_protection_officer,
        decision="refused",
        ground="identity",
        note="ไม่มีเอกสารแสดงตัว",
    )
    assert refused.status == "answered" and not refused.copy
    with pytest.raises(TransitionNotAllowed):
        services.request_verify(request_id=request.pk, actor=data_protection_officer, evidence="x")


def test_an_unknown_case_number_is_refused_beside_its_field(data_protection_officer, case):
    with pytest.raises(ValidationError) as refused:
        services.request_record(
            actor=data_protection_officer,
            kind="access",
            case_number="NRM-2569-50-999999",
            requester="x",
            received_at=timezone.now(),
            received_by=Organisation.objects.get(code="central"),
        )
    assert "case_number" in refused.value.message_dict


def test_only_the_officer_handles_requests(central_reviewer, supervisor_chiangmai, case):
    for user in (central_reviewer, supervisor_chiangmai):
        with pytest.raises(ActionForbidden):
            log(user, case)


def test_the_officer_reviews_the_copy_on_the_request_page(data_protection_officer, case, client):
    request = log(data_protection_officer, case)
    services.request_verify(request_id=request.pk, actor=data_protection_officer, evidence="x")
    client.force_login(data_protection_officer)
    response = client.post(
        f"/privacy/requests/{request.pk}/decide/", {"decision": "granted", "ground": "right"}
    )
    assert response.status_code == 302
    page = client.get(request.get_absolute_url()).content.decode()
    assert 'data-testid="copy"' in page and "Khin Su" in page
