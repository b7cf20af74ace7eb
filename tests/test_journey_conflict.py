"""Issue 22's journey, in Thai, in Debian's Chromium against a live server: two people of the
shelter update the same care-plan item from pages opened at the same time. The first is saved;
the second is told that someone else changed it, sees the item as it is now, finds what they
typed kept in the form, and saving it again (now against what they have been shown) is
accepted. Screenshot: docs/screenshots/journey-v1-conflict.png."""

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from shelters import services as shelters
from shelters.models import CarePlanItem, Placement
from tests.factories import admission
from tests.test_journeys import form, reference_data, shoot, sign_in, th  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONFLICT = (
    "Someone else changed this record after you opened it. Nothing was saved: "
    "look at the record as it is now, then make your change again."
)


def update_item(page: Page, url: str, item: CarePlanItem, *, status: str, note: str) -> None:
    update = form(page, url)
    page.get_by_test_id("care-item").get_by_text(th("Update")).click()
    update.get_by_label(th("status")).select_option(label=status)
    update.get_by_label(th("note")).fill(note)
    update.get_by_role("button", name=th("Save")).click()


def test_the_second_of_two_people_updating_a_care_plan_item_sees_the_first_ones_change(
    page: Page,
    browser,
    browser_context_args,
    live_server,
    worker_chiangmai,
    director_kredtrakarn,
    staff_kredtrakarn,
):
    stay = admission(worker_chiangmai, director_kredtrakarn)
    Placement.objects.filter(pk=stay.pk).update(admitted_at=timezone.now() - dt.timedelta(days=1))
    item = shelters.care_plan_item_add(
        placement_id=stay.pk, actor=director_kredtrakarn, service="psychosocial"
    )
    url = reverse("shelters:care_plan_item", args=[stay.pk, item.pk])
    in_progress, done = th("In progress"), th("Done")

    # Both open the resident's page at the same time.
    director = page
    sign_in(director, live_server, director_kredtrakarn)
    director.goto(f"{live_server.url}{stay.get_absolute_url()}")
    staff_context = browser.new_context(**browser_context_args)
    staff_context.set_default_timeout(15_000)
    staff = staff_context.new_page()
    sign_in(staff, live_server, staff_kredtrakarn)
    staff.goto(f"{live_server.url}{stay.get_absolute_url()}")
    seen = form(staff, url).locator("input[name$='version']").input_value()

    # The director saves first.
    update_item(director, url, item, status=in_progress, note="นัดนักจิตวิทยาวันจันทร์")
    expect(director.locator(".alert-success")).to_contain_text(th("Care plan saved."))

    # The staff member saves what they wrote on the page opened before: refused, nothing saved.
    update_item(staff, url, item, status=done, note="พบนักจิตวิทยาแล้ว")
    expect(staff.locator(".alert-danger")).to_contain_text(th(CONFLICT))
    row = staff.get_by_test_id("care-item")
    expect(row).to_contain_text(in_progress)  # the item as it is now
    expect(row).to_contain_text("นัดนักจิตวิทยาวันจันทร์")
    refreshed = CarePlanItem.objects.get(pk=item.pk)
    assert refreshed.status == "in_progress" and refreshed.note == "นัดนักจิตวิทยาวันจันทร์"
    # What they typed is back in the form; its version is the one the page shows now.
    update = form(staff, url)
    expect(update.get_by_label(th("note"))).to_have_value("พบนักจิตวิทยาแล้ว")
    expect(update.locator("input[name$='version']")).not_to_have_value(seen)
    shoot(staff, "v1-conflict")

    # Sent again, now against what they have been shown: saved.
    update.get_by_role("button", name=th("Save")).click()
    expect(staff.locator(".alert-success")).to_contain_text(th("Care plan saved."))
    expect(staff.get_by_test_id("care-item")).to_contain_text(done)
    assert CarePlanItem.objects.get(pk=item.pk).status == "done"
    staff_context.close()
