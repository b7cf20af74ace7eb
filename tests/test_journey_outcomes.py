"""Journey (issue 18), in Thai, in Debian's Chromium against a live server: a social worker
opens the case of a person who went home from the Kredtrakarn shelter, records the 3-month
follow-up with the person's outcome (first forgetting part of it, which the page says in
Thai and keeps the answers given), and finds it on the case with the 6-month one due."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cases.models import Case
from outcomes.models import Outcome
from shelters import services as shelters
from sla.models import Deadline
from tests.factories import admission
from tests.test_journeys import patient_pages, reference_data, shoot, show_section, sign_in, th  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_social_worker_records_a_follow_up_and_its_outcome(
    page: Page, live_server, worker_chiangmai, director_kredtrakarn
):
    placement = admission(
        worker_chiangmai, director_kredtrakarn, person={"name_th": "ขิ่น มา", "estimated_age": 22}
    )
    shelters.placement_discharge(
        placement_id=placement.pk, actor=director_kredtrakarn, reason="reintegrated"
    )
    case = Case.objects.get(pk=placement.case_id)

    sign_in(page, live_server, worker_chiangmai)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    show_section(page, "outcomes")
    outcomes = page.get_by_test_id("case-outcomes")
    expect(outcomes.get_by_test_id("follow-up-due")).to_contain_text(th("3-month follow-up"))
    outcomes.get_by_role("link", name=th("Record the follow-up and its outcome")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(th("3-month follow-up"))

    form = page.get_by_test_id("outcome-form")
    form.get_by_label(th("Met or spoken to")).check()
    form.get_by_label(th("safe housing")).select_option("yes")
    form.get_by_label(th("income or work")).select_option("partly")
    form.get_by_role("button", name=th("Record the follow-up")).click()
    # Part of the situation is missing: said in Thai, the answers given kept.
    expect(form).to_contain_text(th("Choose an answer (or “not known”)."))
    expect(form.get_by_label(th("safe housing"))).to_have_value("yes")
    assert not Outcome.objects.exists()

    form.get_by_label(th("identity documents or permit")).select_option("yes")
    form.get_by_label(th("compensation received")).select_option("no")
    form.get_by_label(th("education or training")).select_option("unknown")
    form.get_by_label(th("health"), exact=True).select_option("good")
    form.get_by_label(th("the person's own view of their situation")).select_option("better")
    form.get_by_label(th("In the person's own words")).fill("ได้ทำงานที่ร้านอาหารใกล้บ้าน")
    shoot(page, "outcome-1-follow-up")
    form.get_by_role("button", name=th("Record the follow-up")).click()

    expect(page.get_by_text(th("Follow-up visit recorded."))).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{case.get_absolute_url()}")
    show_section(page, "outcomes")
    outcomes = page.get_by_test_id("case-outcomes")
    expect(outcomes).to_contain_text("ได้ทำงานที่ร้านอาหารใกล้บ้าน")
    expect(outcomes.get_by_test_id("follow-up-due")).to_contain_text(th("6-month follow-up"))
    show_section(page, "timeline")
    expect(page.get_by_test_id("timeline")).to_contain_text(th("Follow-up visit"))
    shoot(page, "outcome-2-case")
    outcome = Outcome.objects.get()
    assert (outcome.moment, outcome.income, outcome.health) == ("months_3", "partly", "good")
    assert Deadline.objects.filter(clock="follow_up", state="met").count() == 1
    assert reverse("outcomes:follow_up", args=[case.pk]) in page.content()
