"""(h) After identification (issue 18): a social worker takes a Myanmar woman's return home from
the plan to the hand-over in the browser, in Thai: plans it with the counterpart agency from the
case page, sends it (the data handed abroad are recorded), records the family assessment,
schedules the hand-over with a Buddhist-era date, records the hand-over, is told in Thai that
the case cannot close until the counterpart confirms, then records the confirmation and closes
the case. In Debian's Chromium, like tests/test_journeys.py (whose fixtures and helpers it
uses)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases import services as cases
from core.dates import input_date
from repatriation.models import CounterpartAgency, Repatriation
from repatriation.workflow import Status
from tests.factories import register_case
from tests.test_journeys import (  # noqa: F401
    form,
    patient_pages,
    reference_data,
    shoot,
    show_section,
    sign_in,
    th,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_social_worker_takes_a_repatriation_to_myanmar_from_plan_to_hand_over(
    page: Page, live_server, worker_chiangmai
):
    case = register_case(
        worker_chiangmai, name_th="ขิ่น ซู", name_latin="Khin Su", nationality="MM", estimated_age=24
    )
    cases.consent_record(
        case=case,
        actor=worker_chiangmai,
        step="repatriation",
        decision="given",
        rights_notified=True,
    )
    myanmar = CounterpartAgency.objects.get(code="mm-dsw")
    sign_in(page, live_server, worker_chiangmai)

    # The plan, from the case page.
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    show_section(page, "repatriation")
    page.get_by_role("link", name=th("Plan the return home")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(th("Plan a repatriation"))
    page.get_by_label(th("Counterpart agency")).select_option(label=myanmar.name_th)
    page.get_by_label(th("Destination")).fill("เมืองเมียวดี รัฐกะเหรี่ยง")
    page.locator("#id_plan").fill("นักสังคมสงเคราะห์และล่ามเดินทางไปส่ง")
    page.locator("#id_travel_document").select_option("certificate_of_identity")
    page.get_by_label(th("Travel document number")).fill("CI-2569-0042")
    shoot(page, "h1-plan")
    page.get_by_role("button", name=th("Save the plan")).click()
    status = page.get_by_test_id("status")
    expect(status).to_have_text(th("Plan in preparation"))
    repatriation = Repatriation.objects.get(case=case)

    def act(move):
        return reverse("repatriation:act", args=[repatriation.pk, move])

    # Sent to the counterpart: the transfer of her data abroad is on record.
    page.get_by_role("button", name=th("Send the plan to the counterpart")).click()
    expect(status).to_have_text(th("Plan sent to the counterpart"))
    expect(page.get_by_test_id("transfers")).to_contain_text(myanmar.name_th)
    expect(page.get_by_test_id("deadlines")).to_contain_text(th("Counterpart's family assessment"))

    # The family assessment, then the hand-over's date (typed in the Buddhist era) and place.
    today = timezone.localdate()
    assessment = form(page, act("assess"))
    assessment.locator("[name=assessment]").fill("มารดาพร้อมรับกลับ ชุมชนปลอดภัย")
    assessment.locator("[name=assessed_on]").fill(input_date(today, "th"))
    assessment.get_by_role("button").click()
    expect(status).to_have_text(th("Family assessed"))
    day = today + dt.timedelta(days=5)
    schedule = form(page, act("schedule"))
    schedule.locator("[name=handover_on]").fill(input_date(day, "th"))
    schedule.locator("[name=handover_place]").fill("สะพานมิตรภาพไทย-เมียนมา แห่งที่ 1")
    schedule.get_by_role("button").click()
    expect(status).to_have_text(th("Hand-over scheduled"))
    expect(page.get_by_test_id("handover")).to_contain_text(str(day.year + 543))
    expect(page.get_by_test_id("deadlines")).to_contain_text(th("Repatriation hand-over"))
    shoot(page, "h2-scheduled")

    # The hand-over.
    page.get_by_role("button", name=th("Record the hand-over")).click()
    expect(status).to_have_text(th("Handed over"))

    # The case stays open until the counterpart confirms: its closing page (which asks for the
    # person's outcome at closure) says so in Thai before anything is typed, and its button
    # cannot be pressed.
    page.goto(f"{live_server.url}{reverse('outcomes:close', args=[case.pk])}")
    expect(page.get_by_test_id("close-blockers")).to_contain_text(
        th(
            "A repatriation or reintegration of this person is under way: the case can "
            "close once the counterpart confirms the hand-over, or the plan is cancelled."
        )
    )
    expect(page.get_by_test_id("outcome-form").locator("button[type=submit]")).to_be_disabled()
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.get_by_test_id("case-status")).to_have_text(th("Open"))
    shoot(page, "h3-case-stays-open")

    # The counterpart confirms; now the case closes.
    show_section(page, "repatriation")
    page.get_by_test_id("repatriations").get_by_role("link").first.click()
    confirmation = form(page, act("confirm"))
    confirmation.locator("[name=confirmed_on]").fill(input_date(today, "th"))
    confirmation.locator("[name=reference]").fill("DSW-MWD/2569/041")
    confirmation.get_by_role("button").click()
    expect(status).to_have_text(th("Confirmed by the counterpart"))
    close_with_outcome(page, live_server, case)
    expect(page.get_by_test_id("case-status")).to_have_text(th("Closed"))
    repatriation.refresh_from_db()
    assert repatriation.status == Status.CONFIRMED


def close_with_outcome(page, live_server, case):
    """Close the case with the person's outcome at closure: could not be asked, abroad."""
    page.goto(f"{live_server.url}{reverse('outcomes:close', args=[case.pk])}")
    closing = page.get_by_test_id("outcome-form")
    closing.locator("[name=reason]").fill("ส่งกลับเรียบร้อย")
    closing.locator("[name=contact][value=not_possible]").check()
    closing.locator("[name=not_possible_reason]").select_option("abroad")
    closing.locator("button[type=submit]").click()
