"""The three main journeys, in Thai, in Debian's Chromium against a live server:

(a) a social worker registers a person (typing a Buddhist-era date of birth), records the
    s.33 rights, screens them within the clock as a victim and refers them to a shelter;
(b) the shelter's director acknowledges, accepts and admits the person into a section;
(c) a central reviewer endorses the referral and sees the case counted on the dashboard;
(d) a deadline's reminder, sent by the real sweep, appears in the user's inbox;
and (e) a director admits a child into an adult section only with a reason, which the central
    division is told, and then moves her to the girls' section.

Each journey starts from the state the one before leaves (made through the services, so each
test stands alone) and saves screenshots to docs/screenshots/journey-*.png for the README.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from accounts.models import Organisation
from cases.models import Case
from core.dates import input_date, input_datetime
from referrals.models import Referral
from shelters.models import Placement, ShelterUnit
from sla.models import Deadline
from sla.tasks import sweep_deadlines
from tests.conftest import PASSWORD
from tests.factories import admission, referral_in_state

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # A live server needs committed data; the reference data comes back for every test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def th(text: str) -> str:
    """What the Thai page shows for `text`."""
    with translation.override("th"):
        return translation.gettext(text)


def show_section(page: Page, name: str) -> None:
    """Scroll to a section of the case page that comes when it scrolls into view
    (templates/includes/section_on_demand.html), unless it is there already."""
    waiting = page.get_by_test_id(f"section-{name}")
    if waiting.count():
        waiting.scroll_into_view_if_needed()


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"journey-{name}.png", full_page=True)


def sign_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label(th("User name")).fill(user.username)
    page.get_by_label(th("Password")).fill(PASSWORD)
    page.get_by_role("button", name=th("Sign in")).click()
    expect(page.get_by_test_id("who")).to_be_attached()  # signed in (folded away on a tablet)
    expect(page.locator("html")).to_have_attribute("lang", "th")


def form(page: Page, url: str):
    """The form that posts to `url` (a page holds several, some with the same field names)."""
    return page.locator(f"form[action='{url}']")


@pytest.fixture(autouse=True)
def reference_data(transactional_db, reference_data_snapshot):
    """The reference data is back before each journey (tests/conftest.py, reference_data_back).
    Django's serialized rollback keeps its copy on the connection object of the context that
    created the test database, which Playwright's sync API (run in another context) does not
    see: the session's snapshot is given to this one, so that the journey's flush leaves
    content types alone, as serialized rollback expects."""
    connection._test_serialized_contents = reference_data_snapshot


@pytest.fixture(autouse=True)
def patient_pages(context):
    """An older office PC may be slow: wait up to 15 s for a page to answer."""
    context.set_default_timeout(15_000)


def test_a_social_worker_registers_screens_and_refers_a_person(
    page: Page, live_server, worker_chiangmai
):
    sign_in(page, live_server, worker_chiangmai)
    shoot(page, "a1-home")
    page.goto(f"{live_server.url}{reverse('cases:register')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        th("Register a person and open a case")
    )
    page.locator("#id_name_th").fill("ขิ่น มา")
    page.locator("#id_name_latin").fill("Khin Ma")
    page.locator("#id_sex").select_option("female")
    born = page.locator("#id_date_of_birth")
    expect(born).to_have_attribute("aria-describedby", "id_date_of_birth_format")
    expect(page.locator("#id_date_of_birth_format")).to_contain_text("24/08/2567")
    born.fill("05/03/2548")  # 5 March 2005, typed in the Buddhist era
    page.locator("#id_nationality").select_option("MM")
    page.locator("#id_intake_channel").select_option("police_raid")
    today = timezone.localdate()
    with translation.override("th"):
        page.locator("#id_intake_date").fill(input_date(today))
    page.locator("#id_intake_province").select_option(
        str(worker_chiangmai.membership.organisation.province_id)
    )
    page.locator("input[name=exploitation_types][value=labour_fishing]").check()
    shoot(page, "a2-register")
    page.get_by_role("button", name=th("Register"), exact=True).click()

    expect(page.get_by_test_id("case-status")).to_be_visible()
    case = Case.objects.get()
    assert case.person.date_of_birth == dt.date(2005, 3, 5)
    page_text = page.locator("main").inner_text()
    assert "5 มี.ค. 2548" in page_text  # shown back in the Buddhist era

    # The s.33 rights, then the screening: the clock starts at custody, an hour ago.
    consent = form(page, reverse("cases:add_consent", args=[case.pk]))
    page.locator("summary", has_text=th("Record consent")).click()
    consent.locator("[name=step]").select_option("screening")
    consent.locator("[name=rights_notified]").check()
    consent.locator("[name=decision]").select_option("given")
    consent.get_by_role("button").click()
    page.locator("summary", has_text=th("Start a screening")).click()
    started = timezone.localtime() - dt.timedelta(hours=1)
    with translation.override("th"):
        page.locator("#id_custody_started_at").fill(input_datetime(started))
    page.get_by_role("button", name=th("Start the screening")).click()
    expect(page.get_by_test_id("deadline")).to_be_visible()
    screening = case.screenings.get()
    deadline = page.get_by_test_id("deadline").inner_text()
    assert re.search(r"\d{1,2} \S+ 25\d\d \d\d:\d\d", deadline), deadline

    member = form(page, reverse("cases:screening_add_member", args=[screening.pk]))
    member.locator("[name=name]").fill("ร.ต.อ. สมชาย กล้าหาญ")
    member.locator("[name=agency]").select_option("police")
    member.get_by_role("button").click()
    expect(page.get_by_test_id("members")).to_contain_text("สมชาย")
    indicators = form(page, reverse("cases:screening_indicators", args=[screening.pk]))
    indicators.locator("[name=indicators]").first.check()
    indicators.get_by_role("button").click()
    decision = form(page, reverse("cases:screening_decide", args=[screening.pk]))
    decision.locator("[name=outcome]").select_option("victim_trafficking")
    decision.locator("[name=reason]").fill("ถูกบังคับทำงานบนเรือประมง ถูกยึดเอกสาร")
    shoot(page, "a3-screening")
    decision.get_by_role("button").click()
    screening.refresh_from_db()
    assert screening.outcome == "victim_trafficking"
    assert screening.decided_at <= screening.deadline_at  # within the clock

    # Refer to the Kredtrakarn shelter.
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("link", name=th("Refer the person")).click()
    kredtrakarn = Organisation.objects.get(code="shelter-kredtrakarn")
    page.locator("#id_kind").select_option("shelter_placement")
    page.locator("#id_to_organisation").select_option(str(kredtrakarn.pk))
    page.locator("input[name=services_requested][value=shelter]").check()
    page.locator("#id_reason").fill("ต้องการที่พักที่ปลอดภัยระหว่างดำเนินคดี")
    page.locator("input[name=consent][value=given]").check()
    expect(page.get_by_test_id("consent-on-record")).to_contain_text(th("none yet"))
    page.locator("input[name=consent_now]").check()  # told their rights, consents now
    shoot(page, "a4-refer")
    page.get_by_role("button", name=th("Save the referral")).click()
    expect(page.get_by_test_id("state")).to_have_text(th("Submitted"))
    referral = Referral.objects.get()
    assert referral.to_organisation == kredtrakarn and referral.case == case
    shoot(page, "a5-referred")

    # The letter to print, in Thai with the Buddhist-era date.
    page.get_by_role("link", name=th("Referral letter to print")).click()
    letter = page.get_by_test_id("letter")
    expect(letter).to_contain_text(case.number)
    expect(letter).to_contain_text(str(timezone.localdate().year + 543))
    expect(page.get_by_role("button", name=th("Print"))).to_be_visible()
    shoot(page, "a6-letter")
    page.emulate_media(media="print")  # on paper: no navigation, no buttons
    expect(page.locator("nav")).to_be_hidden()
    expect(page.get_by_role("button", name=th("Print"))).to_be_hidden()
    shoot(page, "a7-letter-print")


# The person the shelter and the central division meet in journeys (b) to (d).
KHIN_MA = {"name_th": "ขิ่น มา", "name_latin": "Khin Ma", "estimated_age": 22}


def referral_of_khin_ma(worker, state: str = "submitted", director=None) -> Referral:
    return referral_in_state(
        worker,
        state,
        receiver=director,
        person=KHIN_MA,
        reason="ต้องการที่พักที่ปลอดภัย",
        services_requested=["shelter", "medical"],
    )


def test_a_shelter_director_acknowledges_accepts_and_admits(
    page: Page, live_server, worker_chiangmai, director_kredtrakarn
):
    referral = referral_of_khin_ma(worker_chiangmai)
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, upright
    sign_in(page, live_server, director_kredtrakarn)
    incoming = page.locator("#nav-main").get_by_role("link", name=th("Incoming referrals"))
    expect(incoming).to_be_hidden()  # the navigation folds away on a tablet
    page.get_by_role("button", name=th("Menu")).click()
    shoot(page, "b0-tablet-menu")
    incoming.click()
    page.get_by_role("link", name=referral.case.number).first.click()
    expect(page.get_by_test_id("state")).to_have_text(th("Submitted"))
    shoot(page, "b1-incoming")
    form(page, reverse("referrals:act", args=[referral.pk, "acknowledge"])).get_by_role(
        "button"
    ).click()
    expect(page.get_by_test_id("state")).to_have_text(th("Acknowledged"))
    form(page, reverse("referrals:act", args=[referral.pk, "accept"])).get_by_role("button").click()
    expect(page.get_by_test_id("state")).to_have_text(th("Accepted"))

    # Admission, from the shelter's bed board.
    page.goto(f"{live_server.url}{reverse('shelters:home')}")
    admit = form(page, reverse("shelters:admit", args=[referral.pk]))
    unit = ShelterUnit.objects.get(shelter__organisation=referral.to_organisation, section="women")
    admit.locator("select").select_option(str(unit.pk))
    shoot(page, "b2-bed-board")
    admit.get_by_role("button").click()
    placement = Placement.objects.get()
    assert placement.unit == unit and placement.case == referral.case
    page.goto(f"{live_server.url}{placement.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text(str(timezone.localdate().year + 543))
    shoot(page, "b3-admitted")


def test_a_director_overrides_the_section_for_a_child_and_then_moves_her(
    page: Page, live_server, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    referral = referral_in_state(
        worker_chiangmai,
        "accepted",
        receiver=director_kredtrakarn,
        person={"name_th": "น้องฝน", "estimated_age": 16, "sex": "female"},
        reason="พักกับพี่สาว",
    )
    women = ShelterUnit.objects.get(shelter__organisation=referral.to_organisation, section="women")
    girls = ShelterUnit.objects.get(shelter__organisation=referral.to_organisation, section="girls")
    sign_in(page, live_server, director_kredtrakarn)
    page.goto(f"{live_server.url}{reverse('shelters:home')}")
    admit = form(page, reverse("shelters:admit", args=[referral.pk]))
    expect(page.get_by_test_id("person-facts").first).to_contain_text(th("Child"))

    # Into the women's section without a word: refused, with the reason why.
    admit.locator("select").select_option(str(women.pk))
    admit.get_by_role("button").click()
    expect(page.locator(".alert-danger")).to_contain_text(th("Reason"))
    assert not Placement.objects.exists()

    # With the director's reason: admitted, and the central division is told.
    admit = form(page, reverse("shelters:admit", args=[referral.pk]))
    admit.locator("select").select_option(str(women.pk))
    admit.get_by_label(th("Reason to admit into a section not meant for this person")).fill(
        "ห้องเด็กปิดซ่อม อยู่กับพี่สาวชั่วคราว"
    )
    shoot(page, "e1-override")
    admit.get_by_role("button").click()
    placement = Placement.objects.get()
    assert placement.unit == women
    assert central_reviewer.notifications.filter(message__contains=referral.case.number).exists()
    page.goto(f"{live_server.url}{reverse('shelters:home')}")
    expect(page.get_by_test_id("unit-women").get_by_test_id("misfit")).to_contain_text("น้องฝน")

    # The girls' section is meant for her: moved without a reason, with its own event.
    page.goto(f"{live_server.url}{placement.get_absolute_url()}")
    page.locator("summary", has_text=th("Move to another section")).click()
    move = page.get_by_test_id("move-section")
    move.locator("select").select_option(str(girls.pk))
    shoot(page, "e2-move")
    move.get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    placement.refresh_from_db()
    assert placement.unit == girls
    assert placement.case.events.filter(kind="moved").exists()
    page.goto(f"{live_server.url}{reverse('shelters:home')}")
    expect(page.get_by_test_id("unit-girls").get_by_test_id("children")).to_be_visible()
    expect(page.get_by_test_id("misfit")).to_have_count(0)
    shoot(page, "e3-bed-board")


def test_a_central_reviewer_endorses_and_sees_the_case_on_the_dashboard(
    page: Page, live_server, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    referral = referral_of_khin_ma(worker_chiangmai, "accepted", director_kredtrakarn)
    sign_in(page, live_server, central_reviewer)
    # By keyboard: the first Tab shows the skip link, Enter moves to the page's content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=th("Skip to content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The shelters' beds come from the occupancy page once the queue is shown (htmx).
    expect(page.get_by_test_id("occupancy").get_by_role("row")).not_to_have_count(0)
    # The tab still names the page, not the occupancy page the beds came from.
    expect(page).to_have_title(f"{th('Central review')} · NRM")
    shoot(page, "c1-review-queue")
    page.get_by_role("link", name=referral.case.number).first.click()
    review = form(page, reverse("referrals:act", args=[referral.pk, "review"]))
    review.locator("input[name=decision][value=endorse]").check()
    review.locator("[name=note]").fill("เห็นชอบการส่งต่อ")
    review.get_by_role("button").click()
    expect(page.get_by_test_id("review-state")).to_have_text(th("Endorsed"))
    referral.refresh_from_db()
    assert referral.review_state == "endorsed"
    shoot(page, "c2-endorsed")

    page.goto(f"{live_server.url}{reverse('reports:dashboard')}")
    page.get_by_test_id("refresh").click()  # figures are cached: count again, as a user would
    expect(page.get_by_test_id("kpi-registered").locator(".kpi-value")).to_have_text("1")
    expect(page.get_by_test_id("kpi-referrals").locator(".kpi-value")).to_have_text("1")
    shoot(page, "c3-dashboard")

    page.get_by_role("link", name=th("Annual figures and anonymised statistics")).click()
    expect(page.get_by_test_id("annual-figures")).to_be_visible()
    shoot(page, "c4-annual")


def test_a_deadline_reminder_reaches_the_inbox(
    page: Page, live_server, worker_chiangmai, director_kredtrakarn
):
    placement = admission(
        worker_chiangmai,
        director_kredtrakarn,
        person=KHIN_MA,
        reason="ต้องการที่พักที่ปลอดภัย",
        services_requested=["shelter", "medical"],
    )
    # Days pass: the care plan's reminder time comes (the plan is due within 7 days).
    care_plan = Deadline.objects.get(clock="care_plan", closed_at__isnull=True)
    now = timezone.now()
    Deadline.objects.filter(pk=care_plan.pk).update(remind_at=now, next_action_at=now)
    done = sweep_deadlines()  # the Celery task's function, run in-process
    assert done.get("reminded") == 1, done

    sign_in(page, live_server, director_kredtrakarn)
    expect(page.get_by_test_id("inbox-link").locator(".badge")).to_be_visible()
    page.get_by_test_id("inbox-link").click()
    reminders = page.get_by_test_id("notifications")
    expect(reminders).to_contain_text(placement.case.number)
    expect(reminders).to_contain_text(th("Care plan after admission"))
    shoot(page, "d1-reminder")
