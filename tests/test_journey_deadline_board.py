"""(f) The central division opens the national deadline board from the dashboard: the overdue
counter is a link to the clocks past their deadline, where the Tak office's late s.29
screening stands first. In Thai, in Debian's Chromium, like tests/test_journeys.py (whose
fixtures and helpers it uses)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sla.models import ClockStatus
from sla.tasks import sweep_deadlines
from tests.factories import screening_in_state
from tests.test_journeys import patient_pages, reference_data, shoot, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_central_reviewer_opens_the_national_deadline_board_from_the_dashboard(
    page: Page, live_server, worker_tak, central_reviewer
):
    # The Tak office took a person into custody 30 hours ago: the 24-hour s.29 limit has
    # passed, and the sweep marks the breach.
    screening = screening_in_state(
        worker_tak, custody_started_at=timezone.now() - dt.timedelta(hours=30)
    )
    assert sweep_deadlines().get("breached") == 1
    number = screening.case.number

    sign_in(page, live_server, central_reviewer)
    page.get_by_test_id("dashboard-link").click()
    overdue = page.get_by_test_id("kpi-breaches")
    expect(overdue.locator(".kpi-value")).to_have_text("1")
    overdue.click()

    expect(page).to_have_url(f"{live_server.url}{reverse('sla:board')}?status=breached")
    expect(page.get_by_test_id("board-title")).to_be_visible()
    expect(page.locator("#id_status")).to_have_value(ClockStatus.BREACHED)
    row = page.get_by_test_id("board").locator(f"tr[data-number='{number}']")
    expect(row).to_have_attribute("data-status", ClockStatus.BREACHED)
    expect(row).to_contain_text(worker_tak.membership.organisation.name_th)
    expect(row.get_by_test_id("status")).to_be_visible()
    shoot(page, "f1-deadline-board")

    row.get_by_role("link", name=number).click()
    expect(page).to_have_url(f"{live_server.url}{reverse('cases:screening', args=[screening.pk])}")
