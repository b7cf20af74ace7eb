"""Issue 18's journey, in Thai, in Debian's Chromium against a live server: a social worker
opens a case whose person lives in a shelter, records the police case, the charge before the
court, the person's willingness to testify with an interpreter, a hearing (a Buddhist-era date
and time typed) and a compensation claim; the shelter is told of the hearing and both the
office and the shelter have its reminder clock. Screenshots: docs/screenshots/journey-j*.png."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from core.dates import input_date, input_datetime
from justice.models import CompensationClaim, Prosecution
from notifications.models import Notification
from sla.models import Clock, Deadline
from tests.factories import admission
from tests.test_journeys import form, reference_data, shoot, show_section, sign_in, th  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def patient_pages(context):
    context.set_default_timeout(15_000)


def test_a_social_worker_records_a_prosecution_a_hearing_and_a_compensation_claim(
    page: Page, live_server, worker_chiangmai, director_kredtrakarn
):
    case = admission(
        worker_chiangmai,
        director_kredtrakarn,
        person={"name_th": "ขิ่น มา", "estimated_age": 24, "nationality": "MM"},
    ).case
    sign_in(page, live_server, worker_chiangmai)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    show_section(page, "justice")
    card = page.get_by_test_id("justice-card")
    expect(card).to_contain_text(th("No court case or compensation claim recorded."))
    card.get_by_test_id("justice-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(th("Court case and compensation"))

    # The police case, with the day of the complaint typed in the Buddhist era.
    page.get_by_test_id("new-prosecution").locator("summary").click()
    page.locator("#prosecution_offence").select_option("trafficking")
    page.locator("#prosecution_police_station").fill("สภ.เมืองเชียงใหม่")
    page.locator("#prosecution_police_case_number").fill("456/2569")
    page.locator("#prosecution_officer_name").fill("ร.ต.อ. สมชาย กล้าหาญ")
    reported = timezone.localdate() - dt.timedelta(days=40)
    with translation.override("th"):
        page.locator("#prosecution_reported_on").fill(input_date(reported))
    page.get_by_test_id("new-prosecution").get_by_role("button", name=th("Record")).click()
    expect(page.get_by_test_id("prosecution-status")).to_have_text(th("Police investigation"))
    prosecution = Prosecution.objects.get()
    assert prosecution.reported_on == reported

    # The charge before the court.
    page.get_by_test_id("charge").locator("summary").click()
    page.locator("#charge_court").fill("ศาลอาญาคดีค้ามนุษย์")
    page.locator("#charge_court_case_number").fill("คม.12/2569")
    with translation.override("th"):
        page.locator("#charge_charged_on").fill(input_date(reported + dt.timedelta(days=20)))
    page.get_by_test_id("charge").get_by_role("button", name=th("Record")).click()
    expect(page.get_by_test_id("prosecution-status")).to_have_text(th("Before the court"))

    # The person will testify, with an interpreter and by video link.
    page.get_by_test_id("witness-form").locator("summary").click()
    page.locator("#witness_witness").select_option("willing")
    page.locator("#witness_interpreter").check()
    page.locator("#witness_interpreter_language").fill("พม่า")
    page.locator("#witness_video_testimony").check()
    page.get_by_test_id("witness-form").get_by_role("button", name=th("Save")).click()
    expect(page.get_by_test_id("witness")).to_have_text(th("Willing to testify"))

    # A hearing in three weeks, its date and time typed in the Buddhist era.
    hearing_at = timezone.localtime(timezone.now() + dt.timedelta(days=21)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    page.get_by_test_id("new-hearing").locator("summary").click()
    page.locator("#hearing_kind").select_option("witness")
    with translation.override("th"):
        page.locator("#hearing_scheduled_at").fill(input_datetime(hearing_at))
    page.locator("#hearing_place").fill("ห้องพิจารณาคดี 5")
    with translation.override("th"):
        schedule = translation.pgettext("hearing", "Schedule")
    page.get_by_test_id("new-hearing").get_by_role("button", name=schedule).click()
    expect(page.locator(".alert-success")).to_contain_text(
        th("The hearing is scheduled; reminders will come before the day.")
    )
    expect(page.get_by_test_id("hearings")).to_contain_text("ห้องพิจารณาคดี 5")
    shoot(page, "j1-prosecution")
    hearing = prosecution.hearings.get()
    assert hearing.scheduled_at == hearing_at
    clocks = Deadline.objects.filter(
        object_id=hearing.pk,
        closed_at__isnull=True,
        clock__in=[Clock.HEARING, Clock.HEARING_SHELTER],
    )
    assert {(d.clock, d.organisation.code) for d in clocks} == {
        (Clock.HEARING, "pso-50"),
        (Clock.HEARING_SHELTER, "shelter-kredtrakarn"),
    }
    assert Notification.objects.filter(recipient=director_kredtrakarn, topic="justice").exists()

    # The compensation claim against the offender, in this proceeding; a wrong one first.
    page.goto(f"{live_server.url}{reverse('justice:case', args=[case.pk])}")
    page.get_by_test_id("new-claim").locator("summary").click()
    page.locator("#claim_source").select_option("offender")
    page.locator("#claim_amount_claimed").fill("150000")
    with translation.override("th"):
        page.locator("#claim_claimed_on").fill(input_date(timezone.localdate()))
    page.get_by_test_id("new-claim").get_by_role("button", name=th("Record")).click()
    expect(page.locator(".alert-danger").first).to_contain_text(
        th("A claim against the offender is made in a criminal proceeding: choose it.")
    )
    # The form is open again with what was typed (static/js/keep-input.js): only the
    # proceeding is missing.
    expect(page.locator("#claim_source")).to_have_value("offender")
    expect(page.locator("#claim_amount_claimed")).to_have_value("150000")
    page.locator("#claim_prosecution").select_option(str(prosecution.pk))
    page.get_by_test_id("new-claim").get_by_role("button", name=th("Record")).click()
    expect(page.get_by_test_id("claim-status")).to_have_text(
        th("Claimed, waiting for the decision")
    )
    shoot(page, "j2-claim")
    claim = CompensationClaim.objects.get()
    assert (claim.prosecution, claim.amount_claimed) == (prosecution, 150000)

    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    show_section(page, "justice")
    expect(page.get_by_test_id("justice-card")).to_contain_text("456/2569")
    show_section(page, "timeline")
    expect(page.get_by_test_id("timeline")).to_contain_text(th("Court case or compensation"))
