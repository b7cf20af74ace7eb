"""The lessons-learned register (issue 20): an office raises an issue, others add that they
face it too, the central division answers with a decision and actions with owners and due
dates, reminded and escalated through the deadlines, marked done by their owners, and every
office reads the register ("you said, we did"), the cases by number only where it may see
them; the register taken away for the sub-committee's meeting."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Organisation, Role
from audit.models import AuditEvent
from core.domain import ActionForbidden, TransitionNotAllowed
from lessons import services
from lessons.models import Lesson
from lessons.workflow import ActionStatus, LessonStatus
from notifications.models import Notification
from nrm.menu import DropDown, bar
from sla.models import Clock, Deadline
from sla.selectors import running_deadlines_of
from sla.sweep import sweep
from tests.factories import register_case

pytestmark = pytest.mark.django_db


def th(text: str) -> str:
    with translation.override("th"):
        return translation.gettext(text)


def _raise(actor, **fields):
    fields.setdefault("title", "ไม่มีล่ามภาษาพม่าในวันคัดแยก")
    fields.setdefault("topic", "interpreters")
    fields.setdefault("what_happened", "รอล่ามสองวัน ผู้เสียหายไม่ได้รับการคัดแยกตามเวลา")
    fields.setdefault("days_lost", 2)
    fields.setdefault("proposal", "ทำบัญชีล่ามกลางระดับภาค")
    return services.lesson_raise(actor=actor, **fields)


def _organisation(code):
    return Organisation.objects.get(code=code)


def test_an_item_goes_from_raised_to_answered_with_actions_reminders_and_closure(
    worker_chiangmai, supervisor_chiangmai, worker_tak, director_kredtrakarn, central_reviewer
):
    case = register_case(worker_chiangmai)
    lesson = _raise(worker_chiangmai, case_numbers=[case.number])
    assert lesson.status == LessonStatus.RAISED and list(lesson.cases.all()) == [case]
    assert Notification.objects.filter(recipient=central_reviewer, topic="lesson").exists()

    services.lesson_endorse(actor=worker_tak, lesson_id=lesson.pk, comment="ตากก็เจอเช่นกัน")
    services.lesson_endorse(actor=director_kredtrakarn, lesson_id=lesson.pk)
    with pytest.raises(ValidationError):  # once per organisation
        services.lesson_endorse(actor=worker_tak, lesson_id=lesson.pk)

    services.lesson_consider(actor=central_reviewer, lesson_id=lesson.pk)
    due = timezone.localdate() + dt.timedelta(days=10)
    services.lesson_answer(
        actor=central_reviewer,
        lesson_id=lesson.pk,
        decision="จัดทำบัญชีล่ามกลาง และทำสัญญาจ้างล่ามรายวัน",
        actions=[
            {"organisation": _organisation("pso-50"), "title": "ส่งรายชื่อล่าม", "due_on": due},
        ],
    )
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.ANSWERED and lesson.decided_by == central_reviewer
    told = {
        n.recipient
        for n in Notification.objects.filter(topic="lesson", link=lesson.get_absolute_url())
    }
    assert {worker_chiangmai, worker_tak, director_kredtrakarn} <= told  # fmt: skip
    [action] = lesson.actions.all()
    assert Notification.objects.filter(recipient=supervisor_chiangmai, topic="lesson").exists()

    # The action's clock: on the owner's deadlines, reminded, then escalated to the centre.
    deadline = Deadline.objects.get(clock=Clock.LESSON_ACTION, object_id=action.pk)
    assert deadline.organisation.code == "pso-50"
    assert deadline in running_deadlines_of(user=supervisor_chiangmai)
    assert deadline not in running_deadlines_of(user=worker_tak)
    assert sweep(now=deadline.remind_at + dt.timedelta(minutes=1))["reminded"] == 1
    reminder = Notification.objects.filter(recipient=worker_chiangmai, topic="deadline").latest(
        "pk"
    )
    assert lesson.number in reminder.message and reminder.link == action.get_absolute_url()
    assert sweep(now=deadline.due_at + dt.timedelta(minutes=1))["breached"] == 1
    assert Notification.objects.filter(
        recipient=central_reviewer, topic="deadline", message__contains=lesson.number
    ).exists()

    with pytest.raises(TransitionNotAllowed):  # an action is still to do
        services.lesson_close(actor=central_reviewer, lesson_id=lesson.pk)
    with pytest.raises(ActionForbidden):  # not Tak's action
        services.lesson_action_done(actor=worker_tak, action_id=action.pk, note="x")
    with pytest.raises(ValidationError):
        services.lesson_action_done(actor=supervisor_chiangmai, action_id=action.pk, note=" ")
    services.lesson_action_done(
        actor=supervisor_chiangmai, action_id=action.pk, note="ส่งรายชื่อล่าม 12 คนแล้ว"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    deadline.refresh_from_db()
    assert deadline.closed_at is not None
    services.lesson_close(actor=central_reviewer, lesson_id=lesson.pk)
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.CLOSED
    kinds = set(
        AuditEvent.objects.filter(
            object_type__model__in=["lesson", "lessonaction", "endorsement"]
        ).values_list("object_type__model", flat=True)
    )
    assert kinds == {"lesson", "lessonaction", "endorsement"}


def test_closing_an_item_on_its_page_asks_for_a_confirmation(
    client, worker_chiangmai, central_reviewer
):
    lesson = _raise(worker_chiangmai)
    services.lesson_answer(actor=central_reviewer, lesson_id=lesson.pk, decision="ทำบัญชีล่าม")
    client.force_login(central_reviewer)
    url = reverse("lessons:close", args=[lesson.pk])
    page = client.get(lesson.get_absolute_url()).content.decode()
    form = page.split(f'action="{url}"')[1].split("</form>")[0]
    assert 'type="checkbox" name="confirm"' in form and "required" in form

    refused = client.post(url, follow=True, headers={"Accept-Language": "th"})  # not ticked
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.ANSWERED
    assert refused.status_code == 200
    with translation.override("th"):
        why = translation.gettext("Tick the box to close the item: it cannot be reopened.")
    assert why != "Tick the box to close the item: it cannot be reopened."
    assert why in refused.content.decode()
    client.post(url, {"confirm": "on"})
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.CLOSED


def test_only_offices_and_shelters_raise_and_only_the_centre_answers(
    worker_chiangmai, central_reviewer, staff_kredtrakarn, data_protection_officer, sysadmin
):
    for outsider in (central_reviewer, data_protection_officer, sysadmin):
        with pytest.raises(ActionForbidden):
            _raise(outsider)
    lesson = _raise(staff_kredtrakarn)  # shelter staff see the pain points first-hand
    with pytest.raises(ActionForbidden):
        services.lesson_answer(actor=worker_chiangmai, lesson_id=lesson.pk, decision="x")
    with pytest.raises(ActionForbidden):  # its own organisation does not endorse it
        services.lesson_endorse(actor=staff_kredtrakarn, lesson_id=lesson.pk)
    with pytest.raises(ValidationError) as refused:  # no answer without a decision
        services.lesson_answer(actor=central_reviewer, lesson_id=lesson.pk, decision="  ")
    assert "decision" in refused.value.message_dict
    with pytest.raises(TransitionNotAllowed):  # actions while considered or answered
        services.lesson_action_add(
            actor=central_reviewer,
            lesson_id=lesson.pk,
            organisation=_organisation("pso-50"),
            title="x",
            due_on=timezone.localdate(),
        )
    services.lesson_consider(actor=central_reviewer, lesson_id=lesson.pk)
    with pytest.raises(ActionForbidden):
        services.lesson_action_add(
            actor=worker_chiangmai,
            lesson_id=lesson.pk,
            organisation=_organisation("pso-50"),
            title="x",
            due_on=timezone.localdate(),
        )
    with pytest.raises(ValidationError) as refused:
        services.lesson_action_add(
            actor=central_reviewer,
            lesson_id=lesson.pk,
            organisation=_organisation("pso-50"),
            title="x",
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "due_on" in refused.value.message_dict


def test_the_raiser_links_only_cases_it_sees_and_others_learn_only_how_many(
    client, worker_chiangmai, worker_tak, supervisor_chiangmai, central_reviewer
):
    mine = register_case(worker_chiangmai)
    theirs = register_case(worker_tak, name_th="อื่น")
    with pytest.raises(ValidationError) as refused:  # Tak's case: as if it did not exist
        _raise(worker_chiangmai, case_numbers=[mine.number, theirs.number])
    assert theirs.number in refused.value.messages[0]
    lesson = _raise(worker_chiangmai, case_numbers=[mine.number])

    client.force_login(worker_tak)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert mine.number not in page
    listed = client.get(reverse("lessons:list")).content.decode()
    assert lesson.number in listed and mine.number not in listed
    body = APIClient()
    body.force_login(worker_tak)
    answer = body.get(reverse("api:lesson-detail", args=[lesson.pk])).json()
    assert answer["case_numbers"] == [] and answer["other_case_count"] == 1

    client.force_login(supervisor_chiangmai)
    assert mine.number in client.get(lesson.get_absolute_url()).content.decode()
    client.force_login(central_reviewer)
    assert mine.number in client.get(reverse("lessons:list")).content.decode()


def test_a_wrong_role_on_the_pages_gets_a_thai_message_not_an_error(
    client, worker_chiangmai, worker_tak
):
    lesson = _raise(worker_chiangmai)
    client.force_login(worker_tak)
    response = client.post(
        reverse("lessons:answer", args=[lesson.pk]), {"decision": "ตัดสินเอง"}, follow=True
    )
    assert response.status_code == 200
    assert th("Only the central division answers the register.") in response.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).status == LessonStatus.RAISED


def test_the_raise_form_shows_the_services_refusal_beside_the_field(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    response = client.post(
        reverse("lessons:new"),
        {"title": "x", "topic": "referral", "what_happened": "y", "case_numbers": "NRM-0000-00-1"},
    )
    assert response.status_code == 200
    assert "NRM-0000-00-1" in response.context["form"].errors["case_numbers"][0]
    response = client.post(
        reverse("lessons:new"), {"title": "รอผลตรวจ", "topic": "referral", "what_happened": "y"}
    )
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response["Location"] == lesson.get_absolute_url()


def test_the_register_is_exported_for_the_sub_committee_with_its_actions(
    client, worker_chiangmai, worker_tak, central_reviewer
):
    case = register_case(worker_chiangmai)
    lesson = _raise(worker_chiangmai, case_numbers=[case.number])
    services.lesson_endorse(actor=worker_tak, lesson_id=lesson.pk)
    services.lesson_answer(
        actor=central_reviewer,
        lesson_id=lesson.pk,
        decision="จัดทำบัญชีล่ามกลาง",
        actions=[
            {
                "organisation": _organisation("central"),
                "title": "ออกหนังสือเวียน",
                "due_on": timezone.localdate() + dt.timedelta(days=5),
            }
        ],
    )
    _raise(worker_tak, title="รอเตียงในสถานคุ้มครอง", topic="shelter")
    client.force_login(central_reviewer)
    response = client.get(reverse("lessons:export"), {"format": "csv", "status": "answered"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    with translation.override("th"):
        assert row[translation.pgettext("reference", "Number")] == lesson.number
    assert row[th("Cases that show it")] == case.number
    assert row[th("Organisations facing it too")] == "1"
    assert row[th("Decision of the central division")] == "จัดทำบัญชีล่ามกลาง"
    assert "ออกหนังสือเวียน" in row[th("Actions")]
    export = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("pk")
    assert export.changes["list"] == "lessons" and export.changes["rows"] == 1

    response = client.get(reverse("lessons:export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 3  # the header and both items
    assert client.get(reverse("lessons:export"), {"format": "pdf"}).status_code == 400


def test_the_register_filters_by_state_and_topic(client, worker_chiangmai, staff_kredtrakarn):
    _raise(worker_chiangmai)
    shelter = _raise(staff_kredtrakarn, title="เตียงเต็ม", topic="shelter")
    client.force_login(staff_kredtrakarn)
    page = client.get(reverse("lessons:list"), {"topic": "shelter"})
    assert [row.pk for row, _cells in page.context["rows"]] == [shelter.pk]
    page = client.get(reverse("lessons:list"), {"status": "closed"})
    assert page.context["rows"] == []


def test_the_api_raises_answers_and_marks_an_action_done(
    worker_chiangmai, worker_tak, central_reviewer
):
    api = APIClient()
    api.force_login(worker_chiangmai)
    created = api.post(
        reverse("api:lesson-list"),
        {"title": "รอเอกสาร", "topic": "documents", "what_happened": "รอหนังสือเดินทาง"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    refused = api.post(reverse("api:lesson-answer", args=[pk]), {"decision": "x"}, format="json")
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")

    api.force_login(worker_tak)
    assert api.post(reverse("api:lesson-endorse", args=[pk]), {}, format="json").status_code == 200

    api.force_login(central_reviewer)
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    action = {"organisation": "pso-63", "title": "ส่งรายชื่อ", "due_on": due}
    answered = api.post(
        reverse("api:lesson-answer", args=[pk]),
        {"decision": "ประสานสถานทูต", "actions": [action]},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["status"] == "answered" and len(body["endorsements"]) == 1
    action_id = body["actions"][0]["id"]
    added = api.post(
        reverse("api:lesson-actions", args=[pk]),
        {"organisation": "central", "title": "ออกหนังสือ", "due_on": due},
        format="json",
    )
    assert added.status_code == 201

    done_url = reverse("api:lesson-action-done", kwargs={"pk": pk, "action_id": action_id})
    assert api.post(done_url, {"note": "x"}, format="json").status_code == 403  # not the centre's
    assert api.post(reverse("api:lesson-close", args=[pk])).status_code == 409
    api.force_login(worker_tak)
    assert api.post(done_url, {"note": ""}, format="json").status_code == 400
    done = api.post(done_url, {"note": "ส่งแล้ว"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    listed = api.get(reverse("api:lesson-list")).json()["results"]
    assert [item["id"] for item in listed] == [pk]


@pytest.mark.parametrize("role", Role.values)
def test_every_office_finds_the_register_in_its_menu_and_no_one_else(role):
    """The offices, the shelters and the central division read the register from the lists'
    menu; a sysadmin, the data protection officer and a partner agency have no work there."""
    entries = [
        entry
        for item in bar(role)
        for entry in (item.entries if isinstance(item, DropDown) else [item])
    ]
    shown = "lessons:list" in [entry.url_name for entry in entries]
    assert shown == (role not in (Role.SYSADMIN, Role.DATA_PROTECTION_OFFICER, Role.PARTNER))


def test_the_owning_office_sees_its_action_among_its_deadlines(
    client, worker_tak, supervisor_chiangmai, central_reviewer
):
    lesson = _raise(worker_tak)
    services.lesson_consider(actor=central_reviewer, lesson_id=lesson.pk)
    action = services.lesson_action_add(
        actor=central_reviewer,
        lesson_id=lesson.pk,
        organisation=_organisation("pso-50"),
        title="ส่งรายชื่อล่าม",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    client.force_login(supervisor_chiangmai)
    mine = client.get(reverse("sla:mine")).content.decode()
    assert lesson.number in mine and action.get_absolute_url() in mine
    client.force_login(worker_tak)  # the raiser's office owns no action
    assert lesson.number not in client.get(reverse("sla:mine")).content.decode()


def test_the_audit_log_names_the_registers_records_by_the_items_number(
    client, worker_chiangmai, worker_tak, central_reviewer
):
    lesson = _raise(worker_chiangmai)
    services.lesson_endorse(actor=worker_tak, lesson_id=lesson.pk)
    services.lesson_consider(actor=central_reviewer, lesson_id=lesson.pk)
    services.lesson_action_add(
        actor=central_reviewer,
        lesson_id=lesson.pk,
        organisation=_organisation("pso-63"),
        title="ส่งรายชื่อล่าม",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    client.force_login(central_reviewer)
    page = client.get(reverse("audit:search")).content.decode()
    assert page.count(lesson.number) >= 4  # raised, endorsed, considered, the action
    assert "ส่งรายชื่อล่าม" in page


def test_the_regional_offices_are_offered_in_their_numbers_order():
    from lessons.forms import action_organisations

    offices = [
        o.code for o in action_organisations() if o.kind == Organisation.Kind.REGIONAL_OFFICE
    ]
    assert offices[:3] == ["rso-1", "rso-2", "rso-3"] and offices[-2:] == ["rso-10", "rso-11"]
