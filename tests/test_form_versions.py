"""Every web form that changes a versioned record carries the record's version when its page
was drawn: sent after someone else changed the record, it is refused with the Thai conflict
message and nothing is saved; the page the user comes back to carries the record's new
version, and sent with it the change is made (as the API's If-Match, tests/test_api_versions.py).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import services as cases
from cases.models import Case
from insights import services as insights
from justice import services as justice
from lessons import services as lessons
from notifications.models import Preference
from notifications.services import preference_set
from partners.services import plan_task_add
from privacy import services as privacy
from privacy.models import RetentionRule
from shelters import services as shelters
from shelters.models import Placement
from sla.models import ClockPolicy
from sla.services import holiday_change_add
from tests.factories import (
    admission,
    case_in_state,
    partner_officer,
    referral_in_state,
    register_case,
    repatriation_in_state,
    screening_in_state,
    share_case,
)
from tests.test_admin_back_door import form_data
from tests.test_holidays import next_working_day
from tests.test_intake import CUSTODY
from tests.test_intake_recovery import confirmed_but_never_imported, minutes_ago
from webhooks.models import Endpoint

pytestmark = pytest.mark.django_db

CONFLICT = "มีผู้อื่นแก้ไขรายการนี้หลังจากที่ท่านเปิดดู"


def version_on(page, action: str) -> str:
    """The version carried by the page's form that posts to `action`."""
    body = page.content.decode()
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', body, re.S)
    assert form, f"no form posts to {action}"
    found = re.search(r'name="(?:[\w-]+-)?version" value="(\d+)"', form.group(1))
    assert found, f"the form that posts to {action} carries no version"
    return found.group(1)


def someone_else_changes(record) -> None:
    """Another person saves the record after the page was drawn: its version moves on."""
    type(record).objects.filter(pk=record.pk).update(updated_at=timezone.now())


def stale_is_refused_then_fresh_is_saved(
    client,
    user,
    *,
    page: str,
    action: str,
    data: dict,
    record,
    saved,
    prefix: str = "",
    on_demand: bool = False,
):
    """`saved()`: whether the user's change was made. `on_demand`: the form is in a section
    the page the user is back on loads when shown (the case page's), read again from there."""
    client.force_login(user)
    version = version_on(client.get(page), action)
    someone_else_changes(record)
    refused = client.post(action, {**data, f"{prefix}version": version}, follow=True)
    assert CONFLICT in refused.content.decode()
    assert not saved(), "a form sent on a stale version changed the record"
    # The page the user is back on shows the record as it is now, with its version now.
    fresh = version_on(client.get(page) if on_demand else refused, action)
    assert fresh != version
    client.post(action, {**data, f"{prefix}version": fresh})
    assert saved(), "the form sent again on the version now shown was not saved"


def refreshed(record):
    return type(record).objects.get(pk=record.pk)


# --- Shelters -----------------------------------------------------------------------------


@pytest.fixture
def stay(worker_chiangmai, director_kredtrakarn):
    """A person who came yesterday (a stay of one minute has no outing to come back from)."""
    placement = admission(worker_chiangmai, director_kredtrakarn)
    Placement.objects.filter(pk=placement.pk).update(
        admitted_at=timezone.now() - dt.timedelta(days=1)
    )
    return refreshed(placement)


def test_a_care_plan_item_changed_meanwhile_is_not_overwritten(client, stay, staff_kredtrakarn):
    item = shelters.care_plan_item_add(
        placement_id=stay.pk, actor=staff_kredtrakarn, service="psychosocial"
    )
    stale_is_refused_then_fresh_is_saved(
        client,
        staff_kredtrakarn,
        page=stay.get_absolute_url(),
        action=reverse("shelters:care_plan_item", args=[stay.pk, item.pk]),
        data={f"item{item.pk}-status": "done"},
        prefix=f"item{item.pk}-",
        record=item,
        saved=lambda: refreshed(item).status == "done",
    )


def test_a_return_from_an_outing_changed_meanwhile_is_not_recorded(client, stay, staff_kredtrakarn):
    outing = shelters.movement_record(
        placement_id=stay.pk,
        actor=staff_kredtrakarn,
        kind="outing",
        started_at=timezone.now() - dt.timedelta(hours=3),
    )
    back = timezone.localtime() - dt.timedelta(hours=1)
    stale_is_refused_then_fresh_is_saved(
        client,
        staff_kredtrakarn,
        page=stay.get_absolute_url(),
        action=reverse("shelters:movement_end", args=[stay.pk, outing.pk]),
        data={"ended_at": f"{back:%d/%m}/{back.year + 543} {back:%H:%M}"},
        record=outing,
        saved=lambda: refreshed(outing).ended_at is not None,
    )


def test_a_section_whose_beds_changed_meanwhile_keeps_them(client, stay, director_kredtrakarn):
    unit = stay.unit
    stale_is_refused_then_fresh_is_saved(
        client,
        director_kredtrakarn,
        page=reverse("shelters:home"),
        action=reverse("shelters:set_capacity", args=[unit.pk]),
        data={"capacity": unit.capacity + 3},
        record=unit,
        saved=lambda: refreshed(unit).capacity == unit.capacity + 3,
    )


def test_a_stay_changed_meanwhile_is_not_discharged(client, stay, director_kredtrakarn):
    stale_is_refused_then_fresh_is_saved(
        client,
        director_kredtrakarn,
        page=stay.get_absolute_url(),
        action=reverse("shelters:discharge", args=[stay.pk]),
        data={"reason": "reintegrated", "confirm": "on"},
        record=stay,
        saved=lambda: refreshed(stay).status == "discharged",
    )


# --- The plan across agencies ---------------------------------------------------------------


def test_a_plan_task_changed_meanwhile_is_not_moved(client, worker_chiangmai, supervisor_chiangmai):
    case = register_case(worker_chiangmai)
    officer = partner_officer()
    share_case(case, supervisor_chiangmai, officer, ["screening"])
    task = plan_task_add(
        case=case,
        actor=supervisor_chiangmai,
        organisation=officer.membership.organisation,
        title="สอบปากคำ",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    stale_is_refused_then_fresh_is_saved(
        client,
        officer,
        page=reverse("partners:case", args=[case.pk]),
        action=reverse("partners:task_move", args=[task.pk]),
        data={"to": "in_progress", "note": "นัดสอบปากคำแล้ว"},
        record=task,
        saved=lambda: refreshed(task).status == "in_progress",
    )


# --- Holidays, webhooks, notification preferences -------------------------------------------


def test_a_holiday_change_changed_meanwhile_is_not_deleted(client, sysadmin):
    day = next_working_day(timezone.localdate())
    change = holiday_change_add(actor=sysadmin, day=day, kind="added", note="มติคณะรัฐมนตรี")
    stale_is_refused_then_fresh_is_saved(
        client,
        sysadmin,
        page=f"{reverse('sla:holidays')}?year={day.year}",
        action=reverse("sla:holiday_withdraw", args=[change.pk]),
        data={},
        record=change,
        saved=lambda: refreshed(change).withdrawn_at is not None,
    )


def test_a_webhook_endpoint_changed_meanwhile_is_not_disabled(client, supervisor_chiangmai):
    endpoint = Endpoint.objects.create(
        organisation=supervisor_chiangmai.membership.organisation,
        url="https://partner.example.org/hooks",
        event_kinds=["referral.submitted"],
        created_by=supervisor_chiangmai,
    )
    stale_is_refused_then_fresh_is_saved(
        client,
        supervisor_chiangmai,
        page=reverse("webhooks:detail", args=[endpoint.pk]),
        action=reverse("webhooks:disable", args=[endpoint.pk]),
        data={},
        record=endpoint,
        saved=lambda: not refreshed(endpoint).active,
    )


def test_a_notification_choice_changed_in_another_tab_is_not_overwritten(client, worker_chiangmai):
    preference_set(user=worker_chiangmai, email=False, email_off_topics=[])
    preference = Preference.objects.get(user=worker_chiangmai)
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_chiangmai,
        page=reverse("notifications:inbox"),
        action=reverse("notifications:preferences"),
        data={"email": "on"},
        record=preference,
        saved=lambda: refreshed(preference).email,
    )


# --- Privacy --------------------------------------------------------------------------------


def test_a_breach_changed_meanwhile_is_not_assessed_over(client, data_protection_officer):
    breach = privacy.breach_record(
        actor=data_protection_officer, summary="แฟ้มหาย", discovered_at=timezone.now()
    )
    stale_is_refused_then_fresh_is_saved(
        client,
        data_protection_officer,
        page=breach.get_absolute_url(),
        action=reverse("privacy:breach_act", args=[breach.pk, "assess"]),
        data={"risk": "high", "risk_assessment": "ชื่อและที่อยู่ของผู้เสียหาย"},
        record=breach,
        saved=lambda: refreshed(breach).risk == "high",
    )


def test_a_subject_request_changed_meanwhile_is_not_verified(
    client, worker_chiangmai, central_reviewer, data_protection_officer
):
    subject_request = privacy.request_record(
        actor=data_protection_officer,
        kind="access",
        case_number=register_case(worker_chiangmai).number,
        requester="ผู้เสียหาย",
        received_at=timezone.now(),
        received_by=central_reviewer.membership.organisation,
    )
    status = subject_request.status
    stale_is_refused_then_fresh_is_saved(
        client,
        data_protection_officer,
        page=subject_request.get_absolute_url(),
        action=reverse("privacy:request_act", args=[subject_request.pk, "verify"]),
        data={"evidence": "บัตรประจำตัวประชาชน"},
        record=subject_request,
        saved=lambda: refreshed(subject_request).status != status,
    )


def test_an_emergency_access_reviewed_meanwhile_is_not_reviewed_over(
    client, worker_tak, supervisor_chiangmai, data_protection_officer
):
    glass = privacy.break_glass_open(
        actor=supervisor_chiangmai,
        case_number=register_case(worker_tak).number,
        reason="ตรวจสอบเหตุละเมิดข้อมูล",
    )
    stale_is_refused_then_fresh_is_saved(
        client,
        data_protection_officer,
        page=reverse("privacy:break_glass"),
        action=reverse("privacy:break_glass_review", args=[glass.pk]),
        data={"note": "เหตุจำเป็นจริง"},
        record=glass,
        saved=lambda: refreshed(glass).reviewed_at is not None,
    )


# --- Justice --------------------------------------------------------------------------------


@pytest.fixture
def prosecution(worker_chiangmai):
    return justice.prosecution_record(
        case=register_case(worker_chiangmai),
        actor=worker_chiangmai,
        offence="trafficking",
        police_station="สภ.เมือง",
        police_case_number="1/2569",
        officer_name="ร.ต.อ. หนึ่ง",
        reported_on=timezone.localdate() - dt.timedelta(days=30),
    )


def test_a_proceeding_changed_meanwhile_is_not_charged(client, worker_chiangmai, prosecution):
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_chiangmai,
        page=prosecution.get_absolute_url(),
        action=reverse("justice:charge", args=[prosecution.pk]),
        data={
            "court": "ศาลอาญา",
            "court_case_number": "อ.1/2569",
            "charged_on": timezone.localdate().isoformat(),
        },
        record=prosecution,
        saved=lambda: refreshed(prosecution).status == "before_court",
    )


def test_a_hearing_changed_meanwhile_is_not_recorded_as_held(client, worker_chiangmai, prosecution):
    hearing = justice.hearing_schedule(
        prosecution_id=prosecution.pk,
        actor=worker_chiangmai,
        kind="witness",
        scheduled_at=timezone.now() + dt.timedelta(days=10),
    )
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_chiangmai,
        page=prosecution.get_absolute_url(),
        action=reverse("justice:hearing_cancel", args=[hearing.pk]),
        data={"note": "ศาลเลื่อนคดี"},
        record=hearing,
        saved=lambda: refreshed(hearing).status == "cancelled",
    )


def test_a_claim_changed_meanwhile_is_not_awarded(client, worker_chiangmai):
    claim = justice.claim_file(
        case=register_case(worker_chiangmai),
        actor=worker_chiangmai,
        source="fund",
        amount_claimed=Decimal("1000"),
        claimed_on=timezone.localdate() - dt.timedelta(days=10),
    )
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_chiangmai,
        page=claim.get_absolute_url(),
        action=reverse("justice:claim_award", args=[claim.pk]),
        data={"amount_awarded": "800", "decided_on": timezone.localdate().isoformat()},
        record=claim,
        saved=lambda: refreshed(claim).status == "awarded",
    )


# --- Referrals, repatriation, cases, persons, waits -------------------------------------------


def test_a_referral_moved_meanwhile_is_not_acknowledged(
    client, worker_chiangmai, director_kredtrakarn
):
    referral = referral_in_state(worker_chiangmai, "submitted")
    stale_is_refused_then_fresh_is_saved(
        client,
        director_kredtrakarn,
        page=referral.get_absolute_url(),
        action=reverse("referrals:act", args=[referral.pk, "acknowledge"]),
        data={"note": "รับทราบ"},
        record=referral,
        saved=lambda: refreshed(referral).state == "acknowledged",
    )


def test_a_repatriation_changed_meanwhile_is_not_cancelled(client, worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, "planned")
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_chiangmai,
        page=repatriation.get_absolute_url(),
        action=reverse("repatriation:act", args=[repatriation.pk, "cancel"]),
        data={"reason": "ผู้เสียหายขออยู่ต่อ"},
        record=repatriation,
        saved=lambda: refreshed(repatriation).status == "cancelled",
    )


def test_a_case_changed_meanwhile_is_not_reopened(client, worker_chiangmai):
    case = case_in_state(worker_chiangmai, "closed")
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_chiangmai,
        page=case.get_absolute_url(),
        action=reverse("cases:reopen", args=[case.pk]),
        data={"reason": "มีข้อมูลใหม่"},
        record=case,
        saved=lambda: refreshed(case).status == "reopened",
    )


def test_a_person_changed_meanwhile_is_not_merged_into(
    client, worker_chiangmai, worker_tak, central_reviewer
):
    keep = register_case(worker_chiangmai, name_th="สมชาย ใจดี").person
    duplicate = register_case(worker_tak, name_th="สมชาย ใจดี")
    stale_is_refused_then_fresh_is_saved(
        client,
        central_reviewer,
        page=reverse("cases:person", args=[keep.pk]),
        action=reverse("cases:person_merge", args=[keep.pk]),
        data={"case_number": duplicate.number, "reason": "เลขประจำตัวเดียวกัน", "confirmed": "on"},
        record=keep,
        saved=lambda: Case.objects.get(pk=duplicate.pk).person_id == keep.pk,
    )


def test_a_wait_changed_meanwhile_is_not_ended(client, worker_chiangmai):
    referral = referral_in_state(worker_chiangmai, "submitted")
    blocker = insights.blocker_start(
        actor=worker_chiangmai, record="referral", record_id=referral.pk, reason="police"
    )
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_chiangmai,
        page=reverse("cases:case_section", args=[referral.case_id, "blockers"]),
        action=reverse("insights:blocker_end", args=[blocker.pk]),
        data={},
        record=blocker,
        saved=lambda: refreshed(blocker).ended_at is not None,
        on_demand=True,
    )


def test_a_case_changed_meanwhile_is_not_closed_and_the_answers_stay(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    url = reverse("outcomes:close", args=[case.pk])
    version = client.get(url).context["form"]["version"].value()
    someone_else_changes(case)
    answers = {"reason": "กลับคืนสู่ครอบครัว", "contact": "contact_lost"}
    refused = client.post(url, {**answers, "version": version})
    assert CONFLICT in refused.content.decode()
    form = refused.context["form"]
    assert form["reason"].value() == answers["reason"]
    assert refreshed(case).is_open
    client.post(url, {**answers, "version": form["version"].value()})
    assert not refreshed(case).is_open


def test_a_form_sent_without_a_version_is_saved_as_before(client, stay, staff_kredtrakarn):
    """Scripts and forms drawn before versions existed send none: the change is made."""
    item = shelters.care_plan_item_add(
        placement_id=stay.pk, actor=staff_kredtrakarn, service="psychosocial"
    )
    client.force_login(staff_kredtrakarn)
    url = reverse("shelters:care_plan_item", args=[stay.pk, item.pk])
    client.post(url, {f"item{item.pk}-status": "in_progress"})
    assert refreshed(item).status == "in_progress"


def test_a_lost_import_changed_meanwhile_is_not_stopped(client, worker_chiangmai):
    operation = cases.operation_create(
        actor=worker_chiangmai,
        name="ปฏิบัติการแม่สอด",
        province=worker_chiangmai.membership.organisation.province,
        started_on=CUSTODY.date(),
        custody_started_at=CUSTODY,
    )
    batch = confirmed_but_never_imported(client, worker_chiangmai, operation)
    minutes_ago(batch, 4)
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_chiangmai,
        page=reverse("cases:intake_progress", args=[operation.pk, batch.pk]),
        action=reverse("cases:intake_cancel", args=[operation.pk, batch.pk]),
        data={},
        record=batch,
        saved=lambda: refreshed(batch).status == "failed",
    )


def test_a_screening_changed_meanwhile_gets_no_second_review(
    client, worker_chiangmai, central_reviewer
):
    screening = screening_in_state(worker_chiangmai, "pending_second_review")
    stale_is_refused_then_fresh_is_saved(
        client,
        central_reviewer,
        page=screening.get_absolute_url(),
        action=reverse("cases:screening_second_review", args=[screening.pk]),
        data={"confirm": "1", "note": "ไม่พบข้อบ่งชี้การค้ามนุษย์"},
        record=screening,
        saved=lambda: refreshed(screening).status != "pending_second_review",
    )


# --- The lessons-learned register -----------------------------------------------------------


@pytest.fixture
def lesson(worker_chiangmai):
    return lessons.lesson_raise(
        actor=worker_chiangmai,
        title="ไม่มีล่ามภาษาพม่าในวันคัดแยก",
        topic="interpreters",
        what_happened="รอล่ามสองวัน",
    )


def test_a_lesson_changed_meanwhile_is_not_endorsed(client, lesson, worker_tak):
    stale_is_refused_then_fresh_is_saved(
        client,
        worker_tak,
        page=lesson.get_absolute_url(),
        action=reverse("lessons:endorse", args=[lesson.pk]),
        data={"comment": "เราก็รอล่ามเช่นกัน"},
        record=lesson,
        saved=lambda: lesson.endorsements.exists(),
    )


@pytest.mark.parametrize(
    ("move", "data", "status"),
    [
        ("consider", {}, "under_consideration"),
        ("answer", {"decision": "จัดทำบัญชีล่ามกลาง"}, "answered"),
    ],
)
def test_a_lesson_changed_meanwhile_is_not_taken_up_or_answered(
    client, lesson, central_reviewer, move, data, status
):
    stale_is_refused_then_fresh_is_saved(
        client,
        central_reviewer,
        page=lesson.get_absolute_url(),
        action=reverse(f"lessons:{move}", args=[lesson.pk]),
        data=data,
        record=lesson,
        saved=lambda: refreshed(lesson).status == status,
    )


def test_a_lesson_changed_meanwhile_gets_no_action(client, lesson, central_reviewer):
    lessons.lesson_consider(actor=central_reviewer, lesson_id=lesson.pk)
    stale_is_refused_then_fresh_is_saved(
        client,
        central_reviewer,
        page=lesson.get_absolute_url(),
        action=reverse("lessons:action_add", args=[lesson.pk]),
        data={
            "title": "ส่งรายชื่อล่าม",
            "organisation": central_reviewer.membership.organisation_id,
            "due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        },
        record=lesson,
        saved=lambda: lesson.actions.exists(),
    )


def test_a_lesson_changed_meanwhile_is_not_closed(client, lesson, central_reviewer):
    lessons.lesson_answer(actor=central_reviewer, lesson_id=lesson.pk, decision="รับทราบ")
    stale_is_refused_then_fresh_is_saved(
        client,
        central_reviewer,
        page=lesson.get_absolute_url(),
        action=reverse("lessons:close", args=[lesson.pk]),
        data={"confirm": "on"},
        record=lesson,
        saved=lambda: refreshed(lesson).status == "closed",
    )


# --- Deadline rules and retention rules (the admin) -------------------------------------------


def admin_stale_is_refused_then_fresh_is_saved(client, sysadmin, *, record, change: dict, saved):
    """The admin's change form of `record`, sent after someone else saved it: nothing saved or
    audited, the conflict message on the change page, which carries the version now."""
    meta = record._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    client.force_login(sysadmin)
    data = form_data(client, url)
    assert data["version"], "the admin's form carries no version"
    someone_else_changes(record)
    audited = AuditEvent.objects.count()
    refused = client.post(url, {**data, **change}, follow=True)
    assert refused.redirect_chain == [(url, 302)]
    assert CONFLICT in refused.content.decode()
    assert not saved(), "an admin form sent on a stale version changed the record"
    assert AuditEvent.objects.count() == audited
    fresh = form_data(client, url)
    assert fresh["version"] != data["version"]
    assert client.post(url, {**fresh, **change}).status_code == 302
    assert saved(), "the admin form sent again on the version now shown was not saved"


def test_a_deadline_rule_changed_meanwhile_is_not_saved_over(client, sysadmin):
    policy = ClockPolicy.objects.get(clock="identification")
    admin_stale_is_refused_then_fresh_is_saved(
        client,
        sysadmin,
        record=policy,
        change={"due_after": "20"},
        saved=lambda: refreshed(policy).due_after == 20,
    )


def test_a_retention_rule_changed_meanwhile_is_not_saved_over(client, sysadmin):
    rule = RetentionRule.objects.order_by("pk").first()
    years = rule.years_after_closure + 1
    admin_stale_is_refused_then_fresh_is_saved(
        client,
        sysadmin,
        record=rule,
        change={"years_after_closure": str(years)},
        saved=lambda: refreshed(rule).years_after_closure == years,
    )


def test_an_admin_form_sent_without_a_version_is_saved_as_before(client, sysadmin):
    policy = ClockPolicy.objects.get(clock="identification")
    url = reverse("admin:sla_clockpolicy_change", args=[policy.pk])
    client.force_login(sysadmin)
    data = form_data(client, url)
    del data["version"]
    assert client.post(url, {**data, "due_after": "20"}).status_code == 302
    assert refreshed(policy).due_after == 20
    event = AuditEvent.objects.get(actor=sysadmin, object_id=str(policy.pk))
    assert set(event.changes) == {"due_after"}  # the version is no change to the rule
