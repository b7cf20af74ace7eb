"""Issue 21's journey, in Thai, in Debian's Chromium against a live server: a police officer
the Chiang Mai office shared a case with finds it on their home page, reads the interview
record instead of interviewing the person again, and marks their task on the plan across
agencies done; the case's own page stays closed to them. Screenshots:
docs/screenshots/journey-p*.png."""

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases import services as cases
from partners.models import PlanTask
from partners.services import plan_task_add
from partners.workflow import TaskStatus
from sla.models import Clock, Deadline
from tests.factories import partner_officer, register_case, screening_in_state, share_case
from tests.test_journeys import reference_data, shoot, sign_in, th  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def patient_pages(context):
    context.set_default_timeout(15_000)


def test_a_police_partner_reads_the_interview_and_updates_its_task(
    page: Page, live_server, worker_chiangmai, supervisor_chiangmai
):
    case = register_case(worker_chiangmai, name_th="ขิ่น มา", estimated_age=24)
    screening = screening_in_state(
        worker_chiangmai,
        "open",
        case=case,
        custody_started_at=timezone.now() - dt.timedelta(hours=3),
    )
    cases.interview_record(
        screening_id=screening.pk,
        actor=worker_chiangmai,
        held_at=timezone.now() - dt.timedelta(hours=1),
        interviewer="สมศรี ใจดี",
        interpreter="Ko Zaw",
        language="my",
        topics=["recruitment", "work"],
        summary="นายหน้าชักชวนมาทำงานโรงงาน ถูกยึดหนังสือเดินทาง",
    )
    police = partner_officer("police", "pol.journey")
    share_case(case, supervisor_chiangmai, police, ["identity", "interviews"])
    task = plan_task_add(
        case=case,
        actor=supervisor_chiangmai,
        organisation=police.membership.organisation,
        title="บันทึกคำให้การผู้เสียหาย",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )

    sign_in(page, live_server, police)
    expect(page.get_by_role("heading", level=1)).to_have_text(th("Cases shared with your agency"))
    expect(page.get_by_test_id("shared-cases")).to_contain_text("ขิ่น มา")
    expect(page.get_by_test_id("my-tasks")).to_contain_text("บันทึกคำให้การผู้เสียหาย")
    shoot(page, "p1-partner-home")

    page.get_by_test_id("shared-cases").get_by_role("link", name=case.number).click()
    interviews = page.get_by_test_id("shared-interviews")
    expect(interviews).to_contain_text("นายหน้าชักชวนมาทำงานโรงงาน")
    expect(interviews).to_contain_text("Ko Zaw")
    expect(interviews).to_contain_text(th("Recruitment"))
    expect(page.get_by_test_id("shared-screening")).to_have_count(0)  # not shared

    plan = page.get_by_test_id("plan-card")
    plan.locator("summary").click()
    plan.get_by_label(th("New status")).select_option(TaskStatus.DONE.value)
    plan.get_by_label(th("What was done")).fill("สอบปากคำแล้ว โดยอ่านบันทึกสัมภาษณ์ ไม่ถามซ้ำ")
    plan.get_by_role("button", name=th("Save")).click()
    expect(page.locator(".alert-success")).to_contain_text(th("Task updated."))
    expect(page.get_by_test_id("task-status")).to_have_text(th("Done"))
    shoot(page, "p2-partner-case")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.updated_by == police
    assert Deadline.objects.get(clock=Clock.PLAN_TASK, object_id=task.pk).closed_at is not None
    assert PlanTask.objects.filter(status=TaskStatus.DONE).count() == 1

    # The case's own page is not theirs: a 404, not a refusal that confirms it exists.
    response = page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    assert response.status == 404
