"""Issue 20's lessons-learned register, in Thai, in Debian's Chromium against a live server: the
Tak office raises its issue with interpreters on a mass screening day, naming its case; the
central division takes it up, answers with a decision and gives Tak an action due in ten days
(reminded by the deadline sweep); Tak marks it done. Screenshots:
docs/screenshots/journey-l*.png."""

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from core.dates import input_date
from lessons.models import Lesson
from notifications.models import Notification
from sla.models import Clock, Deadline
from sla.sweep import sweep
from tests.factories import register_case
from tests.test_journeys import form, reference_data, shoot, sign_in, th  # noqa: F401


def pgettext_th(context: str, text: str) -> str:
    with translation.override("th"):
        return translation.pgettext(context, text)


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def patient_pages(context):
    context.set_default_timeout(15_000)


def test_an_office_raises_an_issue_and_the_centre_answers_with_an_action(
    page: Page, live_server, worker_tak, central_reviewer
):
    case = register_case(worker_tak, name_th="มะ ลา", estimated_age=22)

    # Tak raises the issue from the register, with its case.
    sign_in(page, live_server, worker_tak)
    page.goto(f"{live_server.url}{reverse('lessons:list')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(th("Lessons-learned register"))
    page.get_by_test_id("raise-lesson").click()
    raise_form = page.get_by_test_id("lesson-form")
    raise_form.get_by_label(th("Issue")).fill("ไม่มีล่ามภาษาพม่าในวันคัดแยกหมู่")
    raise_form.get_by_label(th("Topic")).select_option("interpreters")
    raise_form.get_by_label(pgettext_th("lesson", "What happened")).fill("รอล่ามจากจังหวัดอื่นสองวัน")
    raise_form.get_by_label(th("Time it costs (days)")).fill("2")
    raise_form.get_by_label(th("What we propose")).fill("บัญชีล่ามกลางระดับภาค")
    raise_form.get_by_label(th("Cases that show it")).fill(case.number)
    raise_form.get_by_role("button", name=th("Raise the issue")).click()
    expect(page.locator(".alert-success")).to_contain_text(
        th("The issue is on the register: the central division is told.")
    )
    expect(page.get_by_test_id("status")).to_have_text(th("Raised"))
    expect(page.get_by_test_id("linked-cases")).to_have_text(case.number)
    shoot(page, "l1-raised")
    lesson = Lesson.objects.get()

    # The central division takes it up, answers, and gives Tak an action.
    page.context.clear_cookies()
    sign_in(page, live_server, central_reviewer)
    page.goto(f"{live_server.url}{lesson.get_absolute_url()}")
    page.get_by_role("button", name=th("Take it up: under consideration")).click()
    expect(page.get_by_test_id("status")).to_have_text(th("Under consideration"))
    answer = form(page, reverse("lessons:answer", args=[lesson.pk]))
    answer.get_by_role("button", name=th("Record the answer")).click()  # no decision yet
    expect(page.locator(".alert-danger")).to_contain_text(
        th("Write the decision before answering.")
    )
    answer.get_by_label(th("Decision of the central division")).fill("จัดทำบัญชีล่ามกลางระดับภาค")
    answer.get_by_role("button", name=th("Record the answer")).click()
    expect(page.get_by_test_id("status")).to_have_text(th("Answered"))
    expect(page.get_by_test_id("decision")).to_have_text("จัดทำบัญชีล่ามกลางระดับภาค")

    add = form(page, reverse("lessons:action_add", args=[lesson.pk]))
    tak = worker_tak.membership.organisation
    picker = add.get_by_role("combobox", name=th("Organisation that does it"))
    picker.press_sequentially("จังหวัดตาก")
    choices = page.get_by_role("listbox", name=th("Organisation that does it"))
    choices.get_by_role("option", name=tak.name_th, exact=True).click()
    expect(add.locator("select[name=organisation]")).to_have_value(str(tak.pk))
    # Chosen at once after typing: the list stays closed (a late refresh had opened it again
    # over the form's button).
    page.wait_for_timeout(600)
    expect(choices).to_be_hidden()
    add.locator("[name=title]").fill("ส่งรายชื่อล่ามในพื้นที่")
    due = timezone.localdate() + dt.timedelta(days=10)
    with translation.override("th"):
        add.get_by_label(th("Due on")).fill(input_date(due))
    expect(choices).to_be_hidden()
    add.get_by_role("button", name=th("Add the action")).click()
    expect(page.locator(".alert")).to_contain_text(
        th("Action added: its organisation is told, and reminded before it is due.")
    )
    expect(page.get_by_test_id("action-status")).to_have_text(th("To do"))
    shoot(page, "l2-answered")

    # The deadline sweep reminds Tak before the action is due.
    [action] = lesson.actions.all()
    deadline = Deadline.objects.get(clock=Clock.LESSON_ACTION, object_id=action.pk)
    sweep(now=deadline.remind_at + dt.timedelta(minutes=1))
    assert Notification.objects.filter(recipient=worker_tak, topic="deadline").exists()

    # Tak reads the answer ("you said, we did") and marks its action done.
    page.context.clear_cookies()
    sign_in(page, live_server, worker_tak)
    page.goto(f"{live_server.url}{lesson.get_absolute_url()}")
    expect(page.get_by_test_id("we-did")).to_contain_text("จัดทำบัญชีล่ามกลางระดับภาค")
    page.get_by_test_id("action").locator("summary").click()
    page.get_by_test_id("action").get_by_label(th("What was done")).fill("ส่งรายชื่อแล้ว 9 คน")
    page.get_by_test_id("action").get_by_role("button", name=th("Done")).click()
    expect(page.get_by_test_id("action-status")).to_have_text(th("Done"))
    shoot(page, "l3-done")
    deadline.refresh_from_db()
    assert deadline.closed_at is not None

    # The register shows every office the item's state.
    page.goto(f"{live_server.url}{reverse('lessons:list')}")
    row = page.locator(f"tr[data-number='{lesson.number}']")
    expect(row).to_contain_text(th("Answered"))
    expect(row).to_contain_text(case.number)
    shoot(page, "l4-register")
