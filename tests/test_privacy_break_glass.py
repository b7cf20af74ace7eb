"""Break-glass access: a supervisor opens a case of another office for a named reason, for a
few hours; the central division and the case's team are told; it is listed for the data
protection officer's review, and ends by itself."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from cases.services import access_grants_expire
from core.domain import ActionForbidden
from notifications.models import Notification
from privacy import services
from privacy.models import BreakGlass
from tests.factories import member, register_case

pytestmark = pytest.mark.django_db

REASON = "เด็กแจ้งสายด่วนว่าถูกพาตัวไปชายแดน ต้องการที่อยู่ครอบครัวทันที"


@pytest.fixture
def supervisor_tak(db):
    return member("supervisor", "pso-63", "wichai")


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_a_break_glass_access_opens_the_case_expires_and_is_listed(
    client,
    supervisor_tak,
    worker_chiangmai,
    supervisor_chiangmai,
    central_reviewer,
    data_protection_officer,
):
    case = register_case(worker_chiangmai, name_th="ดาว ใจกล้า")
    client.force_login(supervisor_tak)
    assert client.get(case.get_absolute_url()).status_code == 404

    response = client.post("/privacy/break-glass/", {"case_number": case.number, "reason": REASON})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert client.get(case.get_absolute_url()).status_code == 200
    for told in (central_reviewer, worker_chiangmai, supervisor_chiangmai):
        assert [m for m in inbox(told) if case.number in m], told
    assert not [m for m in inbox(central_reviewer) if "ดาว" in m]  # no person's name
    assert AuditEvent.objects.filter(
        object_type__model="breakglass", changes__reason=REASON
    ).exists()

    client.force_login(data_protection_officer)
    listed = client.get("/privacy/break-glass/").content.decode()
    assert case.number in listed and REASON in listed
    assert supervisor_tak.display_name in listed

    # Four hours later the periodic revocation ends it: the case is invisible again.
    assert access_grants_expire(now=timezone.now() + dt.timedelta(hours=4, minutes=1)) == 1
    client.force_login(supervisor_tak)
    assert client.get(case.get_absolute_url()).status_code == 404
    client.force_login(data_protection_officer)
    listed = client.get("/privacy/break-glass/").content.decode()
    assert "สิ้นสุด" in listed and case.number in listed


def test_the_officer_reviews_each_access(supervisor_tak, worker_chiangmai, data_protection_officer):
    case = register_case(worker_chiangmai)
    glass = services.break_glass_open(actor=supervisor_tak, case_number=case.number, reason=REASON)
    with pytest.raises(ActionForbidden):
        services.break_glass_review(glass_id=glass.pk, actor=supervisor_tak, note="ok")
    reviewed = services.break_glass_review(
        glass_id=glass.pk, actor=data_protection_officer, note="เหตุจำเป็นจริง"
    )
    assert reviewed.reviewed_by == data_protection_officer


def test_no_break_glass_without_a_reason_or_for_a_case_already_seen(
    supervisor_tak, supervisor_chiangmai, worker_chiangmai
):
    case = register_case(worker_chiangmai)
    with pytest.raises(ValidationError) as refused:
        services.break_glass_open(actor=supervisor_tak, case_number=case.number, reason="ด่วน")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.break_glass_open(
            actor=supervisor_chiangmai, case_number=case.number, reason=REASON
        )
    assert "case_number" in refused.value.message_dict


def test_only_a_supervisor_or_the_officer_breaks_the_glass(
    worker_tak, central_reviewer, worker_chiangmai
):
    case = register_case(worker_chiangmai)
    for user in (worker_tak, central_reviewer):
        with pytest.raises(ActionForbidden):
            services.break_glass_open(actor=user, case_number=case.number, reason=REASON)


def test_the_officer_who_reviews_emergency_access_cannot_open_a_case_by_it(
    client, worker_chiangmai, data_protection_officer
):
    case = register_case(worker_chiangmai, name_th="ดาว ใจกล้า")
    with pytest.raises(ActionForbidden):
        services.break_glass_open(
            actor=data_protection_officer, case_number=case.number, reason=REASON
        )
    client.force_login(data_protection_officer)
    page = client.get("/privacy/break-glass/")
    assert page.status_code == 200 and 'name="case_number"' not in page.content.decode()
    refused = client.post("/privacy/break-glass/", {"case_number": case.number, "reason": REASON})
    assert refused.status_code == 403 and not BreakGlass.objects.exists()
    assert client.get(case.get_absolute_url()).status_code == 404
