"""Partner agencies on a case (issue 21): a provincial office shares a case with a police
officer and a labour inspector; each sees exactly the parts shared until the expiry, updates
its own tasks on the plan across agencies and reads the interview record; nothing else of the
case reaches them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organisation
from cases import services as cases
from cases.models import AccessGrant, SharedPart
from core.domain import ActionForbidden
from notifications.models import Notification
from partners import services as partners
from partners.models import PlanTask
from partners.workflow import TaskStatus
from sla.models import Clock, Deadline
from sla.sweep import sweep
from tests.factories import (
    partner_officer,
    register_case,
    screening_in_state,
    share_case,
)

pytestmark = pytest.mark.django_db

POLICE_PARTS = [SharedPart.IDENTITY, SharedPart.SCREENING, SharedPart.INTERVIEWS]
LABOUR_PARTS = [SharedPart.INTERVIEWS, SharedPart.DOCUMENTS]


@pytest.fixture
def team(worker_chiangmai, supervisor_chiangmai, settings, tmp_path):
    """A Chiang Mai case with its screening, an interview, a note and a document, shared with a
    police officer (identity, screening, interviews) and a labour inspector (interviews and
    documents)."""
    settings.MEDIA_ROOT = tmp_path
    case = register_case(worker_chiangmai, name_th="มาลัย ลับมาก", estimated_age=30)
    screening = screening_in_state(
        worker_chiangmai,
        "open",
        case=case,
        custody_started_at=timezone.now() - dt.timedelta(hours=2),
    )
    cases.consent_record(case=case, actor=worker_chiangmai, step="interview", decision="given")
    interview = cases.interview_record(
        screening_id=screening.pk,
        actor=worker_chiangmai,
        held_at=timezone.now() - dt.timedelta(minutes=5),
        interviewer="สมศรี ใจดี",
        interpreter="Ko Zaw",
        language="my",
        topics=["recruitment", "debt"],
        summary="ถูกหลอกมาทำงานประมง ค่าจ้างถูกหักเป็นหนี้",
        recording_reference="REC-2569-001",
    )
    cases.case_note_add(case=case, actor=worker_chiangmai, text="บันทึกภายในของสำนักงาน")
    document = cases.case_document_add(
        case=case,
        actor=worker_chiangmai,
        uploaded_file=SimpleUploadedFile("pay.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    police = partner_officer("police", "pol.somchai")
    labour = partner_officer("labour", "lab.suda")
    police_grant = share_case(case, supervisor_chiangmai, police, POLICE_PARTS)
    labour_grant = share_case(case, supervisor_chiangmai, labour, LABOUR_PARTS)
    return {
        "case": case,
        "screening": screening,
        "interview": interview,
        "document": document,
        "police": police,
        "labour": labour,
        "grants": (police_grant, labour_grant),
    }


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def case_addresses(t) -> list[str]:
    """Every address of the case outside the partner's pages."""
    case = t["case"]
    return [
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:summary", args=[case.pk]),
        reverse("cases:person", args=[case.person_id]),
        reverse("cases:screening", args=[t["screening"].pk]),
        reverse("cases:document", args=[case.pk, t["document"].pk]),
        reverse("justice:case", args=[case.pk]),
        reverse("api:case-detail", args=[case.pk]),
        reverse("api:person-detail", args=[case.person_id]),
        reverse("api:screening-detail", args=[t["screening"].pk]),
    ]


def test_the_police_officer_and_the_labour_inspector_see_exactly_the_parts_shared(client, team):
    case = team["case"]
    url = reverse("partners:case", args=[case.pk])
    police = page(client, team["police"], url).content.decode()
    assert "มาลัย ลับมาก" in police  # identity
    assert 'data-testid="shared-screening"' in police
    assert "ถูกหลอกมาทำงานประมง" in police and "Ko Zaw" in police and "REC-2569-001" in police
    assert 'data-testid="shared-files"' not in police and "pay.pdf" not in police
    assert "บันทึกภายในของสำนักงาน" not in police  # a note is never shared

    labour = page(client, team["labour"], url).content.decode()
    assert "มาลัย ลับมาก" not in labour  # identity not shared with labour
    assert 'data-testid="shared-screening"' not in labour
    assert "ถูกหลอกมาทำงานประมง" in labour and "pay.pdf" in labour
    assert "บันทึกภายในของสำนักงาน" not in labour
    document = reverse("partners:document", args=[case.pk, team["document"].pk])
    assert page(client, team["labour"], document).status_code == 200
    assert page(client, team["police"], document).status_code == 404


def test_nothing_else_of_the_case_reaches_a_partner(client, team):
    for officer in (team["police"], team["labour"]):
        client.force_login(officer)
        for url in case_addresses(team):
            assert client.get(url).status_code == 404, (officer.username, url)
        api = APIClient()
        api.force_authenticate(officer)
        assert api.get(reverse("api:case-list")).json()["results"] == []
        assert api.get(reverse("api:person-list")).json()["results"] == []
        assert api.get(reverse("api:screening-list")).json()["results"] == []


def test_after_the_expiry_every_address_of_the_case_is_a_404(client, team):
    AccessGrant.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    case = team["case"]
    for officer in (team["police"], team["labour"]):
        assert page(client, officer, reverse("partners:case", args=[case.pk])).status_code == 404
        home = page(client, officer, reverse("partners:home")).content.decode()
        assert case.number not in home
        for url in case_addresses(team):
            assert client.get(url).status_code == 404


def test_a_partner_sees_nothing_shared_with_another_officer(client, team, supervisor_chiangmai):
    colleague = partner_officer("police", "pol.other")
    url = reverse("partners:case", args=[team["case"].pk])
    assert page(client, colleague, url).status_code == 404
    other_case = register_case(supervisor_chiangmai, name_th="อื่น")
    url = reverse("partners:case", args=[other_case.pk])
    assert page(client, team["police"], url).status_code == 404


def test_the_partner_home_lists_the_shared_cases_and_the_agency_tasks(
    client, team, supervisor_chiangmai
):
    partners.plan_task_add(
        case=team["case"],
        actor=supervisor_chiangmai,
        organisation=team["police"].membership.organisation,
        title="บันทึกคำให้การ",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    assert page(client, team["police"], reverse("home")).url == reverse("partners:home")
    home = page(client, team["police"], reverse("partners:home")).content.decode()
    assert team["case"].number in home and "มาลัย ลับมาก" in home and "บันทึกคำให้การ" in home
    labour_home = page(client, team["labour"], reverse("partners:home")).content.decode()
    assert team["case"].number in labour_home and "มาลัย ลับมาก" not in labour_home
    assert "บันทึกคำให้การ" not in labour_home  # another agency's task is not in its queue


def test_the_supervisor_shares_from_the_case_page_and_the_officer_is_told(
    client, worker_chiangmai, supervisor_chiangmai
):
    case = register_case(worker_chiangmai)
    police = partner_officer("police", "pol.new")
    client.force_login(supervisor_chiangmai)
    form = client.get(reverse("cases:case_form", args=[case.pk, "access"])).content.decode()
    assert "data-typeahead" in form and police.get_full_name() in form
    assert worker_chiangmai.get_full_name() not in form  # only partner officers are offered
    assert 'name="parts"' in form and "checked" not in form  # each part chosen, none for them
    ends = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    shared = client.post(
        reverse("cases:give_access", args=[case.pk]),
        {
            "organisation": police.membership.organisation.pk,
            "user": police.pk,
            "parts": ["identity", "interviews"],
            "purpose": "สอบปากคำ",
            "expires_at": ends,
        },
    )
    assert shared.status_code == 302
    grant = case.access_grants.get()
    assert grant.parts == ["identity", "interviews"] and grant.organisation.agency == "police"
    note = Notification.objects.get(recipient=police)
    assert case.number in note.message and note.link == reverse("home")
    owner_page = client.get(case.get_absolute_url()).content.decode()
    assert police.get_full_name() in owner_page and "ข้อมูลตัวบุคคล" in owner_page
    client.post(reverse("cases:revoke_access", args=[case.pk, grant.pk]))
    assert page(client, police, reverse("partners:case", args=[case.pk])).status_code == 404


def test_sharing_refuses_a_person_of_another_agency_and_a_share_of_nothing(
    client, worker_chiangmai, supervisor_chiangmai
):
    case = register_case(worker_chiangmai)
    police = partner_officer("police", "pol.a")
    labour = partner_officer("labour", "lab.a")
    client.force_login(supervisor_chiangmai)
    ends = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(
        reverse("cases:give_access", args=[case.pk]),
        {
            "organisation": police.membership.organisation.pk,
            "user": labour.pk,
            "parts": ["identity"],
            "purpose": "สอบปากคำ",
            "expires_at": ends,
        },
    )
    assert refused.status_code == 200
    assert "เลือกบุคคลจากหน่วยงานภาคีที่เลือกไว้" in refused.content.decode()
    with pytest.raises(ValidationError) as error:
        share_case(case, supervisor_chiangmai, police, [])
    assert "parts" in error.value.message_dict
    assert not case.access_grants.exists()


def test_a_worker_is_not_offered_the_list_of_partner_officers(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    partner_officer("police", "pol.hidden")
    client.force_login(worker_chiangmai)
    assert client.get(reverse("cases:case_form", args=[case.pk, "access"])).status_code == 403


def test_a_partner_updates_its_own_task_and_not_another_agency(
    client, team, supervisor_chiangmai, worker_chiangmai
):
    due = timezone.localdate() + dt.timedelta(days=3)
    police_org = team["police"].membership.organisation
    labour_org = team["labour"].membership.organisation
    police_task = partners.plan_task_add(
        case=team["case"],
        actor=supervisor_chiangmai,
        organisation=police_org,
        title="สอบปากคำ",
        due_on=due,
    )
    labour_task = partners.plan_task_add(
        case=team["case"],
        actor=supervisor_chiangmai,
        organisation=labour_org,
        title="ตรวจโรงงาน",
        due_on=due,
    )
    assert (
        Deadline.objects.get(clock=Clock.PLAN_TASK, object_id=police_task.pk).organisation
        == police_org
    )
    assert Notification.objects.filter(recipient=team["police"]).count() == 2  # share, task
    # Both agencies see the whole plan.
    shared = page(client, team["labour"], reverse("partners:case", args=[team["case"].pk]))
    assert "สอบปากคำ" in shared.content.decode() and "ตรวจโรงงาน" in shared.content.decode()
    client.force_login(team["police"])
    moved = client.post(
        reverse("partners:task_move", args=[police_task.pk]), {"to": "done", "note": "เสร็จแล้ว"}
    )
    assert moved.status_code == 302
    police_task.refresh_from_db()
    assert police_task.status == TaskStatus.DONE and police_task.note == "เสร็จแล้ว"
    deadline = Deadline.objects.get(clock=Clock.PLAN_TASK, object_id=police_task.pk)
    assert deadline.state == Deadline.State.MET
    assert Notification.objects.filter(recipient=worker_chiangmai, topic="plan").exists()
    client.post(reverse("partners:task_move", args=[labour_task.pk]), {"to": "done"})
    labour_task.refresh_from_db()
    assert labour_task.status == TaskStatus.TO_DO
    with pytest.raises(ActionForbidden):
        partners.plan_task_move(task_id=labour_task.pk, actor=team["police"], to="done")
    api = APIClient()
    api.force_authenticate(team["police"])
    url = reverse("api:plan-task-move", args=[labour_task.pk])
    assert api.post(url, {"to": "in_progress"}, format="json").status_code == 403
    assert len(api.get(reverse("api:plan-task-list")).json()["results"]) == 2


def test_a_task_goes_only_to_an_agency_on_the_case(team, supervisor_chiangmai):
    stranger = partner_officer("health", "doc.x").membership.organisation
    with pytest.raises(ValidationError) as error:
        partners.plan_task_add(
            case=team["case"],
            actor=supervisor_chiangmai,
            organisation=stranger,
            title="ตรวจสุขภาพ",
            due_on=timezone.localdate(),
        )
    assert "organisation" in error.value.message_dict
    with pytest.raises(ActionForbidden):
        partners.plan_task_add(
            case=team["case"],
            actor=team["police"],
            organisation=team["police"].membership.organisation,
            title="x",
            due_on=timezone.localdate(),
        )
    assert not PlanTask.objects.exists()


def test_the_add_a_task_form_comes_when_opened_and_without_javascript_on_its_page(
    client, team, supervisor_chiangmai, worker_tak
):
    """The case page holds a toggle and a link, not the form: the form comes from the task's
    address (a fragment for htmx, a page of its own without JavaScript), offering the case's
    office and the agencies it is shared with; not to a partner, nor to another office."""
    case = team["case"]
    url = reverse("partners:task_add", args=[case.pk])
    client.force_login(supervisor_chiangmai)
    page = client.get(reverse("cases:case_section", args=[case.pk, "plan"])).content.decode()
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page
    assert 'name="organisation"' not in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'name="organisation"' in fragment
    assert team["police"].membership.organisation.name in fragment
    whole = client.get(url).content.decode()
    assert "<html" in whole and case.get_absolute_url() in whole
    client.force_login(team["police"])
    assert client.get(url).status_code == 403
    client.force_login(worker_tak)
    assert client.get(url).status_code == 404


def test_a_refused_task_comes_back_with_the_reason_at_its_field(client, team, supervisor_chiangmai):
    """A task given to an agency that already has it open: the form's page again, the reason
    beside the task's name in Thai, what was typed still there, nothing added."""
    case = team["case"]
    police = team["police"].membership.organisation
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    partners.plan_task_add(
        case=case,
        actor=supervisor_chiangmai,
        organisation=police,
        title="สอบปากคำ",
        due_on=tomorrow,
    )
    client.force_login(supervisor_chiangmai)
    answer = client.post(
        reverse("partners:task_add", args=[case.pk]),
        {"organisation": police.pk, "title": "สอบปากคำ", "due_on": tomorrow.isoformat()},
        headers={"Accept-Language": "th"},
    )
    assert answer.status_code == 200
    form = answer.context["form"]
    assert list(form.errors) == ["title"]
    assert "หน่วยงานนี้" in form.errors["title"][0]
    assert 'value="สอบปากคำ"' in answer.content.decode()
    assert PlanTask.objects.filter(case=case).count() == 1


def test_the_sweep_reminds_the_partner_of_its_task(team, supervisor_chiangmai):
    task = partners.plan_task_add(
        case=team["case"],
        actor=supervisor_chiangmai,
        organisation=team["police"].membership.organisation,
        title="สอบปากคำ",
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    sweep(now=timezone.now() + dt.timedelta(days=4))  # two days before the end of its day
    reminder = Notification.objects.filter(recipient=team["police"], topic="deadline").get()
    assert reminder.link == reverse("partners:case", args=[task.case_id])
    assert not Notification.objects.filter(recipient=team["labour"], topic="deadline").exists()


def test_a_recording_is_referenced_only_with_the_person_consent(worker_chiangmai):
    screening = screening_in_state(
        worker_chiangmai, "open", custody_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as error:
        cases.interview_record(
            screening_id=screening.pk,
            actor=worker_chiangmai,
            held_at=timezone.now() - dt.timedelta(minutes=1),
            interviewer="สมศรี",
            summary="สรุป",
            recording_reference="REC-1",
        )
    assert "recording_reference" in error.value.message_dict
    assert not screening.interviews.exists()


def test_interviews_per_person_are_on_the_case_and_the_dashboard(
    client, team, worker_chiangmai, supervisor_chiangmai
):
    for _ in range(2):
        cases.interview_record(
            screening_id=team["screening"].pk,
            actor=worker_chiangmai,
            held_at=timezone.now() - dt.timedelta(minutes=1),
            interviewer="ร.ต.อ. สมชาย",
            summary="สัมภาษณ์ซ้ำ",
        )
    client.force_login(supervisor_chiangmai)
    plan = reverse("cases:case_section", args=[team["case"].pk, "plan"])  # on the case page
    case_page = client.get(plan).content.decode()
    assert "บุคคลนี้ถูกสัมภาษณ์แล้ว 3 ครั้ง" in case_page
    dashboard = client.get(reverse("reports:dashboard"))
    figures = dashboard.context["figures"]["interviews"]
    assert figures == {"persons": 1, "interviews": 3, "average": 3.0, "over_target": 1, "target": 2}
    api = APIClient()
    api.force_authenticate(supervisor_chiangmai)
    assert api.get(reverse("api:dashboard")).json()["interviews"]["over_target"] == 1


def test_a_partner_agency_says_what_it_does():
    organisation = Organisation(code="p-x", name_th="ก", name_en="x", kind="partner")
    with pytest.raises(ValidationError):
        organisation.full_clean()


def plan_tasks_of(team, supervisor, organisation, *titles):
    return [
        partners.plan_task_add(
            case=team["case"],
            actor=supervisor,
            organisation=organisation,
            title=title,
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )
        for title in titles
    ]


def test_when_the_share_ends_the_agency_open_tasks_are_cancelled_and_the_team_told(
    team, supervisor_chiangmai, worker_chiangmai
):
    police = team["police"].membership.organisation
    done, open_task, labour_task = (
        *plan_tasks_of(team, supervisor_chiangmai, police, "สอบปากคำ", "ติดตามพยาน"),
        *plan_tasks_of(team, supervisor_chiangmai, team["labour"].membership.organisation, "x"),
    )
    partners.plan_task_move(task_id=done.pk, actor=team["police"], to="done", note="เสร็จแล้ว")
    cases.access_grant_revoke(grant_id=team["grants"][0].pk, actor=supervisor_chiangmai)

    statuses = dict(PlanTask.objects.values_list("pk", "status"))
    assert statuses == {
        done.pk: TaskStatus.DONE,
        open_task.pk: TaskStatus.CANCELLED,
        labour_task.pk: TaskStatus.TO_DO,
    }
    clock = Deadline.objects.get(clock=Clock.PLAN_TASK, object_id=open_task.pk)
    assert clock.state == Deadline.State.CANCELLED
    told = Notification.objects.filter(message__contains="ไม่ได้แบ่งปันรายกรณีกับ")
    assert worker_chiangmai.pk in set(told.values_list("recipient", flat=True))
    assert team["police"].pk not in set(told.values_list("recipient", flat=True))
    assert "1 งาน" in told.first().message


def test_an_expired_share_cancels_the_tasks_too_but_not_while_a_colleague_still_shares(
    team, supervisor_chiangmai
):
    police = team["police"].membership.organisation
    [task] = plan_tasks_of(team, supervisor_chiangmai, police, "สอบปากคำ")
    colleague = partner_officer("police", "pol.colleague")
    share_case(team["case"], supervisor_chiangmai, colleague, POLICE_PARTS, days=30)
    cases.access_grant_revoke(grant_id=team["grants"][0].pk, actor=supervisor_chiangmai)
    task.refresh_from_db()
    assert task.status == TaskStatus.TO_DO  # the colleague still sees the case

    cases.access_grants_expire(now=timezone.now() + dt.timedelta(days=31))
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert task.updated_by is None  # the system ended it


def test_the_same_open_task_is_not_given_twice_to_one_agency(team, supervisor_chiangmai):
    police = team["police"].membership.organisation
    [first] = plan_tasks_of(team, supervisor_chiangmai, police, "สอบปากคำ")
    with pytest.raises(ValidationError) as error:
        plan_tasks_of(team, supervisor_chiangmai, police, " สอบปากคำ ")
    assert error.value.message_dict["title"] == ["หน่วยงานนี้มีงานนี้ค้างอยู่ในแผนแล้ว"]
    # Another agency may have it, and the police again once the first is done.
    plan_tasks_of(team, supervisor_chiangmai, team["labour"].membership.organisation, "สอบปากคำ")
    partners.plan_task_move(task_id=first.pk, actor=team["police"], to="done", note="เสร็จ")
    plan_tasks_of(team, supervisor_chiangmai, police, "สอบปากคำ")
    assert PlanTask.objects.count() == 3


def test_a_share_until_a_date_alone_ends_at_the_end_of_that_day(
    client, worker_chiangmai, supervisor_chiangmai
):
    case = register_case(worker_chiangmai)
    police = partner_officer("police", "pol.date")
    client.force_login(supervisor_chiangmai)
    day = timezone.localdate() + dt.timedelta(days=3)
    shared = client.post(
        reverse("cases:give_access", args=[case.pk]),
        {
            "organisation": police.membership.organisation.pk,
            "user": police.pk,
            "parts": ["interviews"],
            "purpose": "สอบปากคำ",
            "expires_at": f"{day.day:02}/{day.month:02}/{day.year + 543}",
        },
    )
    assert shared.status_code == 302
    ends = timezone.localtime(case.access_grants.get().expires_at)
    assert (ends.date(), ends.hour, ends.minute) == (day, 23, 59)
