"""(g) Form comfort in Chromium, in Thai (issue 17): a social worker starts a screening and finds
the interpreter's language by typing three Thai letters and pressing Enter, where the plain
select had about 600 entries; and the main menu of every role fits on one line of a 1366 x 768
office screen. Like tests/test_journeys.py, whose fixtures and helpers it uses; the rest of form
comfort is tested without a browser in tests/test_form_comfort.py."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Role
from notifications.models import Notification
from tests.factories import UserFactory, member, register_case, screening_in_state
from tests.test_journeys import form, patient_pages, reference_data, sign_in, th  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_social_worker_types_a_few_thai_letters_to_pick_the_interpreters_language(
    page: Page, live_server, worker_chiangmai
):
    case = register_case(worker_chiangmai)
    sign_in(page, live_server, worker_chiangmai)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.locator("summary", has_text=th("Start a screening")).click()
    start = form(page, reverse("cases:start_screening", args=[case.pk]))
    # The form comes when opened: its type-ahead box is made once it is in the page.
    expect(start.locator(".ts-wrapper")).to_have_count(1)

    # The box is named by its label, as a screen reader reads it, and typed into.
    picker = start.get_by_role("combobox", name=th("Interpreter's language"))
    picker.press_sequentially("พม่")
    choices = page.get_by_role("listbox", name=th("Interpreter's language"))
    expect(choices.get_by_role("option", name="พม่า", exact=True)).to_be_visible()
    expect(choices.get_by_role("option", name="ลาว", exact=True)).to_have_count(0)
    picker.press("Enter")
    expect(start.locator("select[name=interpreter_language]")).to_have_value("my")
    # Done with the box (Escape, as a keyboard user leaves it): under a loaded CI machine its
    # list was once still open over the form's button.
    picker.press("Escape")
    expect(choices).to_be_hidden()

    # The start time is already there (now, in the Buddhist era): nothing else to type.
    expect(start.locator("[name=custody_started_at]")).to_have_value(re.compile(r" \d\d:\d\d$"))
    interpreter = start.get_by_label(th("Interpreter"), exact=True)
    interpreter.fill("นางสาวมะ")
    # Sent from the keyboard (Enter in the last field): on a loaded CI machine the language
    # box's list opened again over the button as the focus moved, and took the click.
    interpreter.press("Enter")
    expect(page.get_by_test_id("interpreter-language")).to_have_text("พม่า")


def test_what_was_typed_in_a_refused_form_comes_back_once(
    page: Page, live_server, worker_chiangmai
):
    """A form refused by the service (core.actions.perform) returns the user to the page it
    was on, where the form would be new and empty: its section opens again with what was
    typed, the type-ahead choice and the ticks included."""
    screening = screening_in_state(worker_chiangmai, "open")
    sign_in(page, live_server, worker_chiangmai)
    page.goto(f"{live_server.url}{screening.get_absolute_url()}")
    page.locator("summary", has_text=th("Record an interview")).click()
    address = reverse("cases:screening_interview", args=[screening.pk])
    interview = form(page, address)
    interview.locator("[name=held_at]").fill("01/01/2599 10:00")  # 2056: the future
    interview.locator("[name=interviewer]").fill("สมศรี ใจดี")
    interview.locator("[name=topics]").first.check()
    interview.locator("[name=summary]").fill("ถูกหลอกมาทำงานประมง")
    picker = interview.get_by_role("combobox", name=th("Language"))
    picker.press_sequentially("พม่")
    picker.press("Enter")
    language = interview.locator("select[name=language]").input_value()
    assert language
    interview.get_by_role("button").last.click()

    expect(page.locator("[data-refused]")).to_contain_text(th("This date is in the future."))
    interview = form(page, address)
    expect(interview.locator("[name=interviewer]")).to_have_value("สมศรี ใจดี")
    expect(interview.locator("[name=summary]")).to_have_value("ถูกหลอกมาทำงานประมง")
    expect(interview.locator("select[name=language]")).to_have_value(language)
    expect(interview.locator("[name=topics]").first).to_be_checked()
    expect(interview.locator("[name=held_at]")).to_have_value("01/01/2599 10:00")

    # Kept for that one page: opened again later, the form is new.
    page.reload()
    page.locator("summary", has_text=th("Record an interview")).click()
    expect(form(page, address).locator("[name=interviewer]")).to_have_value("")


ROLE_ORGANISATIONS = [
    (Role.SOCIAL_WORKER, "pso-50"),
    (Role.SUPERVISOR, "pso-50"),
    (Role.SHELTER_DIRECTOR, "shelter-kredtrakarn"),
    (Role.SHELTER_STAFF, "shelter-kredtrakarn"),
    (Role.CENTRAL_REVIEWER, "central"),  # the most entries
    (Role.SYSADMIN, "central"),
    ("", ""),  # in no organisation: one case shared by a grant
]


@pytest.mark.parametrize(("role", "organisation"), ROLE_ORGANISATIONS)
def test_the_main_menu_fits_on_one_line_of_a_1366_pixel_screen(
    page: Page, live_server, role, organisation
):
    username = f"nav-{role or 'guest'}"
    user = member(role, organisation, username) if role else UserFactory(username=username)
    user.first_name, user.last_name = "จันทร์เพ็ญ", "ศรีสวัสดิ์วงศ์"  # a long name, as many are
    user.save()
    for n in range(12):  # the unread badge widens the bar too
        Notification.objects.create(recipient=user, message=f"ข้อความ {n}")
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, user)

    expect(page.locator(".navbar-toggler")).to_be_hidden()  # the full bar, not the folded one
    brand = page.locator(".navbar-brand").bounding_box()
    items = page.locator("#nav-main > ul > li")
    assert items.count() >= 4
    for index in range(items.count()):
        box = items.nth(index).bounding_box()
        # Every entry stands beside the name of the system, none on a second line under it.
        assert box["y"] < brand["y"] + brand["height"], items.nth(index).inner_text()
        assert box["x"] + box["width"] <= 1366
    assert page.locator("nav.navbar").bounding_box()["height"] < 2 * brand["height"]
