"""The notification matrix, walked end to end (issue 16): every workflow event of
notifications.matrix.EVENTS is made to happen the way users make it happen, and tells exactly
the people the table names: in the inbox, in each one's language, by e-mail unless they turned
the topic off, and never with a victim's name in an e-mail. An event named in the code and
missing from the table (or a row no code sends) fails here."""

import ast
import datetime as dt
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Organisation
from audit.exports import ListExport
from cases import intake
from cases import services as cases
from cases.models import Person
from exports import services as exports
from insights import services as insights
from justice import services as justice
from notifications import services as notifications
from notifications.matrix import EVENTS, Audience, as_markdown, workflow_event
from notifications.models import Delivery, Notification
from outcomes import services as outcomes
from privacy import services as privacy
from referrals import services as referrals
from shelters import services as shelters
from shelters.models import ShelterUnit
from sla.sweep import sweep
from tests.factories import (
    UserFactory,
    admission,
    case_in_state,
    member,
    partner_officer,
    referral_in_state,
    register_case,
    repatriation_in_state,
    screening_in_state,
    share_case,
)

A = Audience
SHELTER = "shelter-kredtrakarn"


@pytest.fixture
def p(
    worker_chiangmai,
    supervisor_chiangmai,
    director_kredtrakarn,
    worker_tak,
    central_reviewer,
    monkeypatch,
):
    monkeypatch.setattr(notifications, "request_delivery", lambda: None)
    central_reviewer.language = "en"  # one recipient reads English: each in their language
    central_reviewer.save()
    return SimpleNamespace(
        worker=worker_chiangmai,
        supervisor=supervisor_chiangmai,
        director=director_kredtrakarn,
        tak=worker_tak,
        central=central_reviewer,
        central2=member("central_reviewer", "central", "reviewer.two"),
        partner=UserFactory(username="pol.partner"),
    )


def team(p):
    return {A.CASE_TEAM: {p.worker, p.supervisor}}


def everyone_central(p):
    return {p.central, p.central2}


def _grant(p, days=7):
    case = register_case(p.worker)
    return cases.access_grant_give(
        case=case,
        actor=p.supervisor,
        user=p.partner,
        purpose="สอบปากคำ",
        expires_at=timezone.now() + dt.timedelta(days=days),
    )


def _revoke(p):
    grant = _grant(p)
    cases.access_grant_revoke(grant_id=grant.pk, actor=p.supervisor)
    return {A.GRANTEE: {p.partner}}


def _expire(p):
    _grant(p)
    cases.access_grants_expire(now=timezone.now() + dt.timedelta(days=8))
    return {}


def _plan_task(p, organisation=None):
    from partners import services as partners

    case = register_case(p.worker)
    police = partner_officer("police", "pol.plan")
    share_case(case, p.supervisor, police, ["interviews"])
    task = partners.plan_task_add(
        case=case,
        actor=p.supervisor,
        organisation=organisation or police.membership.organisation,
        title="บันทึกคำให้การ",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    return task, police


def _plan(p, to):
    from partners import services as partners

    if to == "assigned":
        _task, police = _plan_task(p)
        return {A.TASK_OWNERS: {police}}
    task, police = _plan_task(p)
    if to == "cancelled":
        partners.plan_task_move(task_id=task.pk, actor=p.supervisor, to="cancelled")
        return {A.TASK_OWNERS: {police}}
    if to == "share_ended":
        grant = task.case.access_grants.get(user=police)
        cases.access_grant_revoke(grant_id=grant.pk, actor=p.supervisor)
        return {A.CASE_TEAM: {p.worker}}  # the supervisor ended the share: not told
    partners.plan_task_move(task_id=task.pk, actor=police, to=to, note="สอบปากคำแล้ว")
    return team(p) if to == "done" else {}


def _extend(p):
    screening = screening_in_state(p.worker)
    cases.screening_extend(
        screening_id=screening.pk,
        actor=p.worker,
        until=screening.deadline_at + dt.timedelta(days=3),
        order_reference="คำสั่งศาล 12/2569",
    )
    return {}


def _transfer(p):
    referral_in_state(
        p.worker,
        "accepted",
        kind="transfer",
        to=p.tak.membership.organisation.code,
        receiver=p.tak,
    )
    return {}


def _withdraw_draft(p):
    referral = referral_in_state(p.worker, "draft")
    referrals.referral_withdraw(referral_id=referral.pk, actor=p.worker, reason="ครอบครัวรับกลับ")
    return {}


def _redirect(p):
    referral = referral_in_state(p.worker, "declined", receiver=p.director)
    referrals.referral_redirect(
        referral_id=referral.pk,
        actor=p.central,
        to_organisation=Organisation.objects.get(code="shelter-narisawat"),
        note="มีเตียงว่าง",
    )
    return {A.SENDER: {p.worker}}


def _answer(p):
    referral = referral_in_state(p.worker, "submitted", review="queried", reviewer=p.central)
    referrals.referral_answer_query(referral_id=referral.pk, actor=p.worker, answer="มีเอกสารแล้ว")
    return {A.CENTRAL: everyone_central(p)}


def _adult(p):
    return admission(p.worker, p.director, person={"estimated_age": 30, "sex": "female"})


def _move(p, section, reason=""):
    placement = _adult(p)
    unit = ShelterUnit.objects.get(shelter__organisation__code=SHELTER, section=section)
    shelters.placement_move_section(
        placement_id=placement.pk, unit_id=unit.pk, actor=p.director, override_reason=reason
    )


def _discharge(p):
    placement = _adult(p)
    shelters.placement_discharge(placement_id=placement.pk, actor=p.director, reason="reintegrated")
    return team(p)


SITUATION = {
    "safe_housing": "yes",
    "income": "yes",
    "documents": "partly",
    "compensation": "no",
    "education": "unknown",
    "health": "fair",
    "own_view": "better",
}


def _outcome(p, *, revictimised=False):
    """The 3-month follow-up after a stay, recorded by the lead worker with the outcome."""
    placement = _adult(p)
    shelters.placement_discharge(placement_id=placement.pk, actor=p.director, reason="reintegrated")
    outcomes.follow_up_outcome_record(
        case_id=placement.case_id,
        actor=p.worker,
        contact="reached",
        revictimised=revictimised,
        note="นายจ้างเดิมติดต่อมาอีก" if revictimised else "",
        **SITUATION,
    )
    # The lead worker records it: the team's supervisor and the central division are told.
    return {A.CASE_TEAM: {p.supervisor}, A.CENTRAL: everyone_central(p)} if revictimised else {}


def _capacity(p):
    unit = ShelterUnit.objects.get(shelter__organisation__code=SHELTER, section="women")
    shelters.unit_set_capacity(unit_id=unit.pk, actor=p.director, capacity=unit.capacity + 1)
    return {}


def _resident_return(p, state):
    """A return home of a woman living in Kredtrakarn, moved to `state` by her social worker."""
    placement = _adult(p)
    return repatriation_in_state(p.worker, state, case=placement.case)


def _return_told(p, state, *, team=False, residence=False):
    _resident_return(p, state) if residence else repatriation_in_state(p.worker, state)
    told = {A.CENTRAL: everyone_central(p)}
    if team:  # the worker who moves it knows: their supervisor is told
        told[A.CASE_TEAM] = {p.supervisor}
    if residence:
        told[A.RESIDENCE] = {p.director}
    return told


def _sweep_at(p, hours):
    screening = screening_in_state(p.worker)
    sweep(now=screening.custody_started_at + dt.timedelta(hours=hours))


INTAKE_FILE = (
    "name_th,name_latin,name_native,sex,date_of_birth,nationality,languages,"
    "document_kind,document_number,exploitation_types,risk_level\r\n"
    "คำ พอน,Kham Phone,,male,,LA,lo,,,labour_agriculture,\r\n"
)


def _possible_duplicate(p):
    theirs = register_case(p.tak, name_latin="Kham Phone", nationality="LA", estimated_age=30)
    ours = register_case(p.worker, name_latin="Kham Phone", nationality="LA", estimated_age=30)
    cases.possible_duplicate_report(case=ours, actor=p.worker, persons=[theirs.person])
    return {A.CENTRAL: everyone_central(p)}


def _intake_matching_elsewhere(p):
    register_case(p.tak, name_th="คำ พอน", name_latin="Kham Phone", nationality="LA")
    _intake(p)
    return {A.CENTRAL: everyone_central(p)}


def _intake(p, *, fail=False):
    now = timezone.now()
    operation = cases.operation_create(
        actor=p.worker,
        name="ปฏิบัติการแม่สอด",
        province=p.worker.membership.organisation.province,
        started_on=timezone.localdate(now - dt.timedelta(hours=2)),
        custody_started_at=now - dt.timedelta(hours=1),
    )
    upload = SimpleUploadedFile(
        "raid.csv", INTAKE_FILE.encode("utf-8-sig"), content_type="text/csv"
    )
    batch = intake.intake_batch_create(actor=p.worker, operation=operation, uploaded_file=upload)
    intake.intake_confirm(batch_id=batch.pk, actor=p.worker)
    if fail:  # the worker lost their role while the file was being imported
        p.worker.memberships.update(is_active=False)
    intake.intake_import(batch_id=batch.pk)
    return {A.UPLOADER: {p.worker}}


def _export(p, *, fail=False):
    """The supervisor asks for the Excel file of a long case list; a worker writes it, or finds
    that the supervisor may no longer export."""
    register_case(p.worker)
    job = exports.export_job_request(
        actor=p.supervisor,
        export=ListExport(name="cases", format="xlsx", filters={}, count=1, headers=[], rows=[]),
        path=reverse("cases:export"),
        query="format=xlsx",
    )
    if fail:  # the supervisor lost their role while the file was being prepared
        p.supervisor.memberships.update(is_active=False)
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        exports.export_job_prepare(job_id=job.pk)
    return {A.REQUESTER: {p.supervisor}}


def _reminder(p):
    _sweep_at(p, 19)  # the s.29 reminder is due at 18 hours
    return {A.CLOCK_HOLDERS: {p.worker, p.supervisor}}


def _missed(p):
    _sweep_at(p, 25)
    return {A.CLOCK_HOLDERS: {p.worker}}  # the supervisor is told as the escalation


def _escalated(p):
    _sweep_at(p, 25)
    return {A.ESCALATION: {p.supervisor}}


def _prosecution(p, *, resident=False, charged=False):
    """A police case on a Chiang Mai case (whose person lives in Kredtrakarn if `resident`),
    charged before a court if `charged`."""
    case = _adult(p).case if resident else register_case(p.worker)
    prosecution = justice.prosecution_record(
        case=case,
        actor=p.worker,
        offence="trafficking",
        police_station="สภ.เมือง",
        police_case_number="5/2569",
        officer_name="ร.ต.อ. สอง",
        reported_on=dt.date(2026, 11, 1),
    )
    if charged:
        justice.prosecution_charge(
            prosecution_id=prosecution.pk,
            actor=p.worker,
            prosecutor_office="",
            court="ศาลอาญาคดีค้ามนุษย์",
            court_case_number="คม.1/2569",
            charged_on=dt.date(2026, 11, 2),
        )
    return prosecution


def _hearing(p, resident=True):
    return justice.hearing_schedule(
        prosecution_id=_prosecution(p, resident=resident).pk,
        actor=p.worker,
        kind="witness",
        scheduled_at=timezone.now() + dt.timedelta(days=10),
    )


def _justice(p, step):
    """A step of justice's workflows that tells the shelter where the person lives (its
    director here), or nobody."""
    shelter = {A.RESIDENCE: {p.director}}
    if step == "concluded":
        prosecution = _prosecution(p, resident=True, charged=True)
        justice.prosecution_conclude(
            prosecution_id=prosecution.pk,
            actor=p.worker,
            verdict="convicted",
            judgment_on=dt.date(2026, 11, 3),
        )
        return shelter
    if step == "scheduled":
        _hearing(p)
        return shelter
    if step == "postponed":
        hearing = _hearing(p)
        later = hearing.scheduled_at + dt.timedelta(days=7)
        justice.hearing_postpone(hearing_id=hearing.pk, actor=p.worker, scheduled_at=later)
        return shelter
    if step == "cancelled":
        justice.hearing_cancel(hearing_id=_hearing(p).pk, actor=p.worker, note="ศาลงดนัด")
        return shelter
    if step == "held":
        hearing = _hearing(p, resident=False)
        hearing.__class__.objects.filter(pk=hearing.pk).update(scheduled_at=timezone.now())
        justice.hearing_record_held(hearing_id=hearing.pk, actor=p.worker)
        return {}
    if step in ("charged", "dropped", "witness"):
        prosecution = _prosecution(p, charged=step == "charged")
        if step == "dropped":
            justice.prosecution_drop(prosecution_id=prosecution.pk, actor=p.worker, reason="x")
        if step == "witness":
            justice.prosecution_witness_update(
                prosecution_id=prosecution.pk, actor=p.worker, witness="willing"
            )
        return {}
    claim = justice.claim_file(
        case=register_case(p.worker),
        actor=p.worker,
        source="fund",
        amount_claimed=Decimal("1000"),
        claimed_on=dt.date(2026, 11, 2),
    )
    day = dt.date(2026, 11, 3)
    if step in ("awarded", "received", "unpaid"):
        justice.claim_award(
            claim_id=claim.pk, actor=p.worker, amount_awarded=Decimal("900"), decided_on=day
        )
    if step == "received":
        justice.claim_receive(
            claim_id=claim.pk, actor=p.worker, amount_received=Decimal("900"), received_on=day
        )
    if step == "unpaid":
        justice.claim_mark_unpaid(claim_id=claim.pk, actor=p.worker, reason="ไม่มีทรัพย์สิน")
    if step == "rejected":
        justice.claim_reject(claim_id=claim.pk, actor=p.worker, decided_on=day, reason="x")
    if step == "withdrawn":
        justice.claim_withdraw(claim_id=claim.pk, actor=p.worker, reason="x")
    return {}


def _privacy_officers(p):
    """Two data protection officers: the first acts, the second is told."""
    return member("data_protection_officer", "central", "dpo.one"), member(
        "data_protection_officer", "central", "dpo.two"
    )


def _breach(p, step="recorded"):
    officer, other = _privacy_officers(p)
    breach = privacy.breach_record(
        actor=officer, summary="อีเมลส่งผิดผู้รับ", discovered_at=timezone.now()
    )
    if step == "recorded":
        return {A.DATA_PROTECTION: {other}, A.CENTRAL_HEAD: everyone_central(p)}
    risk = "unlikely" if step == "not_reportable" else "risk"
    privacy.breach_assess(breach_id=breach.pk, actor=officer, risk=risk, risk_assessment="x")
    if step == "assessed":
        return {}
    if step == "not_reportable":
        privacy.breach_not_reportable(breach_id=breach.pk, actor=officer)
        return {A.CENTRAL_HEAD: everyone_central(p)}
    if step == "told":
        privacy.breach_persons_told(breach_id=breach.pk, actor=officer, told_at=timezone.now())
        return {}
    privacy.breach_report(breach_id=breach.pk, actor=officer, reported_at=timezone.now())
    if step == "reported":
        return {A.CENTRAL_HEAD: everyone_central(p)}
    privacy.breach_close(breach_id=breach.pk, actor=officer, measures="เปลี่ยนขั้นตอน")
    return {}


def _subject_request(p, step="received", kind="access"):
    officer, other = _privacy_officers(p)
    request = privacy.request_record(
        actor=officer,
        kind=kind,
        case_number=register_case(p.worker).number,
        requester="ผู้ขอ",
        received_at=timezone.now(),
        received_by=Organisation.objects.get(code="central"),
    )
    if step == "received":
        return {A.DATA_PROTECTION: {other}}
    privacy.request_verify(request_id=request.pk, actor=officer, evidence="บัตรประชาชน")
    if step != "verified":
        privacy.request_decide(
            request_id=request.pk, actor=officer, decision="granted", ground="right"
        )
    if step == "answered":
        privacy.request_release(request_id=request.pk, actor=officer, reviewed=True)
    return {}


def _break_glass(p, review=False):
    officer, _other = _privacy_officers(p)
    glass = privacy.break_glass_open(  # a supervisor of another office, Tak's
        actor=member("supervisor", "pso-63", "sup.tak.glass"),
        case_number=register_case(p.worker).number,
        reason="ตรวจสอบเหตุละเมิดข้อมูลที่แจ้งเข้ามา",
    )
    if review:
        privacy.break_glass_review(glass_id=glass.pk, actor=officer, note="เหมาะสม")
        return {}
    return {A.CENTRAL: everyone_central(p), **team(p)}


SCENARIOS = {
    "screening.started": lambda p: screening_in_state(p.worker) and {},
    "screening.extended": _extend,
    "screening.decided": lambda p: screening_in_state(p.worker, "decided") and {},
    "screening.awaiting_second_review": lambda p: (
        screening_in_state(p.worker, "pending_second_review") and {A.CENTRAL: everyone_central(p)}
    ),
    "screening.confirmed": lambda p: (
        screening_in_state(p.worker, "confirmed", reviewer=p.central) and team(p)
    ),
    "screening.reopened": lambda p: (
        screening_in_state(p.worker, "reopened", reviewer=p.central) and team(p)
    ),
    "case.opened": lambda p: register_case(p.worker) and {},
    "case.closed": lambda p: case_in_state(p.worker, "closed") and {},
    "case.reopened": lambda p: case_in_state(p.worker, "reopened") and {},
    "case.transferred": _transfer,
    "referral.drafted": lambda p: referral_in_state(p.worker, "draft") and {},
    "referral.submitted": lambda p: (
        referral_in_state(p.worker, "submitted")
        and {A.RECEIVER: {p.director}, A.CENTRAL: everyone_central(p)}
    ),
    "referral.acknowledged": lambda p: (
        referral_in_state(p.worker, "acknowledged", receiver=p.director) and {A.SENDER: {p.worker}}
    ),
    "referral.accepted": lambda p: (
        referral_in_state(p.worker, "accepted", receiver=p.director) and {A.SENDER: {p.worker}}
    ),
    "referral.declined": lambda p: (
        referral_in_state(p.worker, "declined", receiver=p.director)
        and {A.SENDER: {p.worker}, A.CENTRAL: everyone_central(p)}
    ),
    "referral.completed": lambda p: (
        referral_in_state(p.worker, "completed", receiver=p.director) and {A.SENDER: {p.worker}}
    ),
    "referral.withdrawn": lambda p: (
        referral_in_state(p.worker, "withdrawn") and {A.RECEIVER: {p.director}}
    ),
    "referral.withdrawn_draft": _withdraw_draft,
    "referral.redirected": _redirect,
    "review.endorsed": lambda p: (
        referral_in_state(p.worker, "submitted", review="endorsed", reviewer=p.central)
        and {A.SENDER: {p.worker}}
    ),
    "review.queried": lambda p: (
        referral_in_state(p.worker, "submitted", review="queried", reviewer=p.central)
        and {A.SENDER: {p.worker}}
    ),
    # The head of the division (its other reviewers), not the reviewer who escalated.
    "review.escalated": lambda p: (
        referral_in_state(p.worker, "submitted", review="escalated", reviewer=p.central)
        and {A.CENTRAL_HEAD: {p.central2}}
    ),
    "review.answered": _answer,
    "placement.admitted": lambda p: _adult(p) and {},
    "placement.admitted_outside_section": lambda p: (
        admission(
            p.worker,
            p.director,
            person={"estimated_age": 16, "sex": "female"},
            override_reason="ห้องเด็กปิดซ่อม",
        )
        and {A.CENTRAL: everyone_central(p)}
    ),
    "placement.moved": lambda p: _move(p, "lgbtqi") or {},
    "placement.moved_outside_section": lambda p: (
        _move(p, "girls", "อยู่กับลูกสาว") or {A.CENTRAL: everyone_central(p)}
    ),
    "placement.discharged": _discharge,
    "placement.capacity_changed": _capacity,
    "repatriation.planned": lambda p: repatriation_in_state(p.worker) and {},
    "repatriation.sent": lambda p: _return_told(p, "sent"),
    "repatriation.assessed": lambda p: repatriation_in_state(p.worker, "assessed") and {},
    "repatriation.scheduled": lambda p: _return_told(p, "scheduled", residence=True),
    "repatriation.handed_over": lambda p: _return_told(p, "handed_over", team=True, residence=True),
    "repatriation.confirmed": lambda p: _return_told(p, "confirmed", team=True),
    "repatriation.cancelled": lambda p: _return_told(p, "cancelled", team=True, residence=True),
    "outcome.recorded": _outcome,
    "outcome.revictimisation": lambda p: _outcome(p, revictimised=True),
    "access.granted": lambda p: _grant(p) and {A.GRANTEE: {p.partner}},
    "access.revoked": _revoke,
    "access.expired": _expire,
    "plan.assigned": lambda p: _plan(p, "assigned"),
    "plan.started": lambda p: _plan(p, "in_progress"),
    "plan.done": lambda p: _plan(p, "done"),
    "plan.cancelled": lambda p: _plan(p, "cancelled"),
    "plan.share_ended": lambda p: _plan(p, "share_ended"),
    "intake.imported": _intake,
    "intake.matches_elsewhere": _intake_matching_elsewhere,
    "case.possible_duplicate_elsewhere": _possible_duplicate,
    "intake.failed": lambda p: _intake(p, fail=True),
    "deadline.reminder": _reminder,
    "deadline.missed": _missed,
    "deadline.escalated": _escalated,
    "export.ready": _export,
    "export.failed": lambda p: _export(p, fail=True),
    "justice.prosecution_recorded": lambda p: _prosecution(p) and {},
    "justice.charged": lambda p: _justice(p, "charged"),
    "justice.witness_updated": lambda p: _justice(p, "witness"),
    "justice.concluded": lambda p: _justice(p, "concluded"),
    "justice.dropped": lambda p: _justice(p, "dropped"),
    "justice.hearing_scheduled": lambda p: _justice(p, "scheduled"),
    "justice.hearing_postponed": lambda p: _justice(p, "postponed"),
    "justice.hearing_cancelled": lambda p: _justice(p, "cancelled"),
    "justice.hearing_held": lambda p: _justice(p, "held"),
    "justice.claim_filed": lambda p: _justice(p, "filed"),
    "justice.claim_awarded": lambda p: _justice(p, "awarded"),
    "justice.claim_rejected": lambda p: _justice(p, "rejected"),
    "justice.claim_withdrawn": lambda p: _justice(p, "withdrawn"),
    "justice.claim_received": lambda p: _justice(p, "received"),
    "justice.claim_unpaid": lambda p: _justice(p, "unpaid"),
    "blocker.started": lambda p: _blocker(p),
    "blocker.ended": lambda p: _blocker(p, end=True),
    "privacy.breach_recorded": _breach,
    "privacy.breach_assessed": lambda p: _breach(p, "assessed"),
    "privacy.breach_reported": lambda p: _breach(p, "reported"),
    "privacy.breach_not_reportable": lambda p: _breach(p, "not_reportable"),
    "privacy.breach_persons_told": lambda p: _breach(p, "told"),
    "privacy.breach_closed": lambda p: _breach(p, "closed"),
    "privacy.request_received": _subject_request,
    "privacy.request_verified": lambda p: _subject_request(p, "verified"),
    "privacy.request_decided": lambda p: _subject_request(p, "decided", kind="objection"),
    "privacy.copy_prepared": lambda p: _subject_request(p, "decided"),
    "privacy.request_answered": lambda p: _subject_request(p, "answered"),
    "privacy.break_glass": _break_glass,
    "privacy.break_glass_reviewed": lambda p: _break_glass(p, review=True),
    "privacy.retention_anonymised": lambda p: privacy.retention_run(dry_run=False) and {},
    "lesson.raised": lambda p: _lesson(p, "raised"),
    "lesson.endorsed": lambda p: _lesson(p, "endorsed"),
    "lesson.considered": lambda p: _lesson(p, "considered"),
    "lesson.answered": lambda p: _lesson(p, "answered"),
    "lesson.action_assigned": lambda p: _lesson(p, "action_assigned"),
    "lesson.action_done": lambda p: _lesson(p, "action_done"),
    "lesson.closed": lambda p: _lesson(p, "closed"),
}


def _lesson(p, step):
    """An issue the Chiang Mai worker raised on the lessons-learned register, which the Tak
    office faces too, taken as far as `step`."""
    from lessons import services as lessons

    lesson = lessons.lesson_raise(
        actor=p.worker, title="ไม่มีล่าม", topic="interpreters", what_happened="รอล่ามสองวัน"
    )
    if step == "raised":
        return {A.CENTRAL: everyone_central(p)}
    lessons.lesson_endorse(actor=p.tak, lesson_id=lesson.pk)
    raisers = {A.LESSON_RAISERS: {p.worker, p.tak}}
    if step == "endorsed":
        return {}
    if step == "considered":
        lessons.lesson_consider(actor=p.central, lesson_id=lesson.pk)
        return raisers
    due = timezone.localdate() + dt.timedelta(days=10)
    owner = Organisation.objects.get(code="pso-50")
    action = {"organisation": owner, "title": "ส่งรายชื่อล่าม", "due_on": due}
    lessons.lesson_answer(
        actor=p.central, lesson_id=lesson.pk, decision="ทำบัญชีล่ามกลาง", actions=[action]
    )
    if step == "answered":
        return raisers
    if step == "action_assigned":
        return {A.ACTION_OWNERS: {p.worker, p.supervisor}}
    [added] = lesson.actions.all()
    lessons.lesson_action_done(actor=p.supervisor, action_id=added.pk, note="ส่งแล้ว")
    if step == "action_done":
        return {A.CENTRAL: everyone_central(p)}
    lessons.lesson_close(actor=p.central2, lesson_id=lesson.pk)
    return raisers


def _blocker(p, end=False):
    screening = screening_in_state(p.worker, "open")
    blocker = insights.blocker_start(
        actor=p.worker, record="screening", record_id=screening.pk, reason="no_interpreter",
        language="my",
    )  # fmt: skip
    if end:
        insights.blocker_end(actor=p.worker, blocker_id=blocker.pk)
        return {}
    return {A.CASE_TEAM: {p.supervisor}}


def test_every_event_has_a_scenario():
    assert set(SCENARIOS) == set(EVENTS)


def _events_sent_in(source: str) -> set[str]:
    """The event names given as first argument to announce, compose or an app's _announce
    (a literal, or either branch of a conditional expression)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if func not in {"announce", "compose", "_announce"}:
            continue
        first = node.args[0]
        for value in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                names.add(value.value)
    return names


def test_the_code_sends_every_event_of_the_table_and_no_other():
    """The event names the application's code sends are the table's rows."""
    base = Path(settings.BASE_DIR)
    sent = set()
    for app in (path for path in base.iterdir() if (path / "apps.py").exists()):
        for path in app.rglob("*.py"):
            sent |= _events_sent_in(path.read_text(encoding="utf-8"))
    assert sent == set(EVENTS)


@pytest.mark.django_db
@pytest.mark.parametrize("event", sorted(EVENTS))
def test_each_event_tells_exactly_its_audiences(event, p):
    fired = []

    def listen(sender, event, recipients, **kwargs):
        fired.append((event, recipients))

    workflow_event.connect(listen)
    try:
        expected = SCENARIOS[event](p)
    finally:
        workflow_event.disconnect(listen)
    told = [recipients for name, recipients in fired if name == event]
    assert told, f"{event} was not announced"
    rule = EVENTS[event]
    assert set(expected) == set(rule.tell)
    people = set().union(*expected.values()) if expected else set()
    assert {user.pk for user in told[-1]} == {user.pk for user in people}
    topic = event.split(".")[0]
    for user in people:
        note = Notification.objects.filter(recipient=user, topic=topic).latest("pk")
        thai = re.search(r"[\u0e00-\u0e7f]", note.message.split("NRM-")[0])
        assert bool(thai) == (user.language == "th"), (user.language, note.message)
        assert Delivery.objects.filter(notification=note).exists() == (
            rule.email and bool(user.email)
        )
    notifications.outbox_deliver()
    names = [
        name
        for person in Person.objects.all()
        for name in (person.name_th, person.name_latin, person.name_native)
        if name
    ]
    for email in mail.outbox:
        for name in names:
            assert name not in email.subject and name not in email.body


@pytest.mark.django_db
def test_a_topic_turned_off_stays_in_the_inbox_only(p):
    notifications.preference_set(user=p.worker, email=True, email_off_topics=["referral"])
    referral_in_state(p.worker, "accepted", receiver=p.director)
    told = Notification.objects.filter(recipient=p.worker, topic="referral")
    assert told.count() == 2  # acknowledged, accepted
    assert not Delivery.objects.filter(notification__in=told).exists()
    screening_in_state(p.worker, "confirmed", reviewer=p.central)
    assert Delivery.objects.filter(notification__recipient=p.worker).exists()  # screenings


@pytest.mark.django_db
def test_the_preferences_form_saves_the_topics(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    client.post(
        reverse("notifications:preferences"), {"email": "on", "topics": ["screening", "deadline"]}
    )
    preference = worker_chiangmai.notification_preference
    assert preference.email is True
    assert (
        "referral" in preference.email_off_topics and "deadline" not in preference.email_off_topics
    )
    page = client.get(reverse("notifications:inbox")).context["preference_form"]
    assert set(page.initial["topics"]) == {"screening", "deadline"}


def test_the_docs_show_the_table_as_it_is():
    with translation.override("en"):
        written = (Path(settings.BASE_DIR) / "docs" / "NOTIFICATIONS.md").read_text(
            encoding="utf-8"
        )
        assert written == as_markdown(), (
            "run: manage.py notification_matrix > docs/NOTIFICATIONS.md"
        )


@pytest.mark.django_db
def test_a_person_given_access_is_told_and_opens_the_case_from_the_notice(client, p):
    grant = _grant(p)
    note = Notification.objects.get(recipient=p.partner)
    assert grant.case.number in note.message
    client.force_login(p.partner)
    home = client.get("/")
    assert 'data-testid="shared-cases"' in home.content.decode()  # not a dead end
    assert client.get(note.link).status_code == 200
    listed = client.get(reverse("cases:list")).content.decode()
    assert grant.case.number in listed
