"""The breach register (PDPA s.37(4)): 72 real hours from becoming aware of a breach to the
report to the regulator, reminded to the data protection officer and escalated to the head of
the central division; the persons affected read from the audit log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from core.domain import ActionForbidden, TransitionNotAllowed
from notifications.models import Notification
from privacy import services
from privacy.models import Breach
from sla.models import Deadline
from sla.sweep import sweep
from tests.factories import register_case

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def clock(breach):
    return Deadline.objects.get(clock="breach_report", object_id=breach.pk)


def record(actor, **fields):
    fields.setdefault("summary", "แล็ปท็อปของเจ้าหน้าที่หายพร้อมรหัสผ่านที่บันทึกไว้")
    fields.setdefault("discovered_at", timezone.now() - dt.timedelta(hours=1))
    return services.breach_record(actor=actor, **fields)


def test_the_report_clock_is_72_real_hours_from_becoming_aware(data_protection_officer):
    # A Friday evening: working days would push the deadline past the weekend.
    aware = timezone.now() - dt.timedelta(hours=2)
    breach = record(data_protection_officer, discovered_at=aware)
    deadline = clock(breach)
    assert deadline.started_at == aware
    assert deadline.due_at == aware + dt.timedelta(hours=72)
    assert deadline.organisation.kind == "central"


def test_a_breach_not_reported_reminds_the_officer_then_escalates_to_the_head(
    data_protection_officer, central_reviewer, worker_chiangmai
):
    breach = record(data_protection_officer)
    deadline = clock(breach)
    assert sweep(now=deadline.remind_at + dt.timedelta(minutes=1)) == {"reminded": 1}
    assert [m for m in inbox(data_protection_officer) if breach.number in m and "เตือน" in m]
    assert not [m for m in inbox(data_protection_officer) if "รายกรณี" in m]  # no case's
    assert sweep(now=deadline.due_at + dt.timedelta(minutes=1)) == {"breached": 1}
    assert [m for m in inbox(data_protection_officer) if "เกินกำหนด" in m]
    assert [m for m in inbox(central_reviewer) if breach.number in m and "ยกระดับ" in m]
    assert not inbox(worker_chiangmai)
    # Reported late: the clock stays breached on the record.
    services.breach_assess(
        breach_id=breach.pk,
        actor=data_protection_officer,
        risk="high",
        risk_assessment="ชื่อและที่อยู่ของผู้เสียหายที่เป็นเด็ก",
    )
    services.breach_report(
        breach_id=breach.pk, actor=data_protection_officer, reported_at=timezone.now()
    )
    assert clock(breach).closed_at is not None


def test_a_breach_reported_in_time_meets_its_clock_and_tells_the_head(
    data_protection_officer, central_reviewer
):
    breach = record(data_protection_officer)
    services.breach_assess(
        breach_id=breach.pk, actor=data_protection_officer, risk="risk", risk_assessment="ชื่อ"
    )
    services.breach_report(
        breach_id=breach.pk,
        actor=data_protection_officer,
        reported_at=timezone.now(),
        regulator_reference="สคส. 12/2569",
    )
    assert clock(breach).state == Deadline.State.MET
    assert Breach.objects.get(pk=breach.pk).status == "reported"
    assert [m for m in inbox(central_reviewer) if breach.number in m]
    actions = AuditEvent.objects.filter(object_id=str(breach.pk), object_type__model="breach")
    assert set(actions.values_list("action", flat=True)) == {"create", "update", "transition"}


def test_a_breach_is_not_reported_before_its_risk_is_assessed(data_protection_officer):
    breach = record(data_protection_officer)
    with pytest.raises(ValidationError):
        services.breach_report(
            breach_id=breach.pk, actor=data_protection_officer, reported_at=timezone.now()
        )
    assert clock(breach).closed_at is None


def test_only_a_breach_unlikely_to_harm_goes_unreported(data_protection_officer):
    breach = record(data_protection_officer)
    services.breach_assess(
        breach_id=breach.pk, actor=data_protection_officer, risk="high", risk_assessment="เด็ก"
    )
    with pytest.raises(ValidationError):
        services.breach_not_reportable(breach_id=breach.pk, actor=data_protection_officer)
    services.breach_assess(
        breach_id=breach.pk,
        actor=data_protection_officer,
        risk="unlikely",
        risk_assessment="ไฟล์เข้ารหัส กุญแจไม่ได้หายไปด้วย",
    )
    services.breach_not_reportable(breach_id=breach.pk, actor=data_protection_officer)
    assert clock(breach).state == Deadline.State.MET
    with pytest.raises(TransitionNotAllowed):
        services.breach_report(
            breach_id=breach.pk, actor=data_protection_officer, reported_at=timezone.now()
        )


def test_a_high_risk_breach_closes_only_once_the_persons_are_told(data_protection_officer):
    breach = record(data_protection_officer)
    services.breach_assess(
        breach_id=breach.pk, actor=data_protection_officer, risk="high", risk_assessment="เด็ก"
    )
    services.breach_report(
        breach_id=breach.pk, actor=data_protection_officer, reported_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        services.breach_close(breach_id=breach.pk, actor=data_protection_officer, measures="x")
    services.breach_persons_told(
        breach_id=breach.pk, actor=data_protection_officer, told_at=timezone.now()
    )
    closed = services.breach_close(
        breach_id=breach.pk, actor=data_protection_officer, measures="เปลี่ยนรหัสผ่านทุกบัญชี"
    )
    assert closed.status == "closed"


def test_the_persons_affected_are_read_from_the_audit_log_of_the_account(
    data_protection_officer, worker_chiangmai, client
):
    seen = register_case(worker_chiangmai, name_th="มะลิ ทองดี")
    register_case(worker_chiangmai, name_th="ไม่ได้ เปิดดู")
    start = timezone.now()
    client.force_login(worker_chiangmai)
    assert client.get(seen.get_absolute_url()).status_code == 200
    breach = record(
        data_protection_officer,
        account=worker_chiangmai,
        period_start=start,
        period_end=timezone.now(),
    )
    assert list(breach.affected_persons.all()) == [seen.person]


def test_a_breach_discovered_in_the_future_is_refused(data_protection_officer):
    with pytest.raises(ValidationError) as refused:
        record(data_protection_officer, discovered_at=timezone.now() + dt.timedelta(hours=1))
    assert "discovered_at" in refused.value.message_dict
    assert not Breach.objects.exists()


def test_only_the_data_protection_officer_keeps_the_register(central_reviewer, sysadmin):
    for user in (central_reviewer, sysadmin):
        with pytest.raises(ActionForbidden):
            record(user)


def test_the_officer_sees_the_register_in_thai_with_the_time_left(data_protection_officer, client):
    breach = record(data_protection_officer)
    client.force_login(data_protection_officer)
    page = client.get("/privacy/").content.decode()
    assert breach.number in page and "รายงานภายใน" in page
    page = client.get(breach.get_absolute_url()).content.decode()
    assert "ทะเบียนการละเมิด" in page and "2569" in page


def test_the_record_of_processing_comes_from_every_app_that_holds_personal_data(
    client, sysadmin, data_protection_officer
):
    from core.processing import record_of_processing

    apps = {activity.app for activity in record_of_processing()}
    assert {"cases", "referrals", "shelters", "repatriation", "justice", "outcomes"} <= apps
    for user in (sysadmin, data_protection_officer):
        client.force_login(user)
        page = client.get("/privacy/processing/").content.decode()
        assert "บันทึกรายการกิจกรรมการประมวลผล" in page and "มาตรา 28" in page
