"""Issue 20's blockers, in Thai, in Debian's Chromium against a live server: a Chiang Mai
social worker says a screening waits because there is no interpreter (the page asks for the
language first), ends the wait when the interpreter comes, and the wait shows in the figures:
the regional office's view of its provinces counts it among Chiang Mai's blockers and in the
screening's time spent waiting. Screenshots: docs/screenshots/journey-b*.png."""

import datetime as dt
import os

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from cases import services as cases
from cases.reference import language_name
from insights.figures import Filters, stage_figures
from insights.models import Blocker
from insights.spans import count_stage_spans
from tests.factories import ready_to_decide, register_case, screening_in_state
from tests.test_journeys import reference_data, shoot, show_section, sign_in, th  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def patient_pages(context):
    context.set_default_timeout(15_000)


def test_a_wait_for_an_interpreter_recorded_in_the_browser_shows_in_the_figures(
    page: Page, live_server, worker_chiangmai, regional_officer
):
    case = register_case(worker_chiangmai, name_th="ขิ่น มา", estimated_age=24)
    screening = screening_in_state(
        worker_chiangmai,
        "open",
        case=case,
        custody_started_at=timezone.now() - dt.timedelta(minutes=2),
    )
    with translation.override("th"):
        burmese = language_name("my")

    sign_in(page, live_server, worker_chiangmai)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    show_section(page, "blockers")
    card = page.get_by_test_id(f"wait-screening-{screening.pk}")
    card.locator("summary", has_text=th("Record the wait")).click()  # the form comes when opened
    card.get_by_label(th("Waiting because")).select_option(
        label=th("No interpreter for the language")
    )
    card.locator("form").get_by_role("button", name=th("Record the wait")).click()
    # Which interpreter is missing matters: the form comes back on its page, the question at
    # the language's field and the reason still chosen; nothing is saved.
    language = page.get_by_label(th("Language (for an interpreter)"))
    expect(language).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(th("Say which language needs an interpreter."))).to_be_visible()
    assert not Blocker.objects.exists()
    expect(page.get_by_label(th("Waiting because"))).to_have_value("no_interpreter")
    language.select_option(label=burmese)
    page.locator("form", has=language).get_by_role("button", name=th("Record the wait")).click()
    expect(page.get_by_text(th("The wait is recorded."))).to_be_visible()
    show_section(page, "blockers")
    blockers = page.get_by_test_id("blockers-card")
    expect(blockers).to_contain_text(burmese)
    expect(blockers).to_contain_text(th("still waiting"))
    shoot(page, "b1-waiting")

    page.wait_for_timeout(3000)  # the interpreter arrives
    show_section(page, "blockers")
    page.get_by_test_id(f"wait-screening-{screening.pk}").get_by_role(
        "button", name=th("The wait is over")
    ).click()
    expect(page.get_by_text(th("The wait is over."))).to_be_visible()
    blocker = Blocker.objects.get()
    assert (blocker.reason, blocker.language, blocker.screening_id) == (
        "no_interpreter",
        "my",
        screening.pk,
    )
    assert blocker.ended_at is not None and blocker.ended_by == worker_chiangmai

    # The screening is decided: its stage (custody to decision) held the wait.
    ready_to_decide(screening, worker_chiangmai)
    cases.screening_decide(
        screening_id=screening.pk, actor=worker_chiangmai, outcome="victim_trafficking", reason="r"
    )
    count_stage_spans()  # as beat does every ten minutes
    today = timezone.localdate()
    figures = stage_figures(
        user=regional_officer,
        filters=Filters(start=today - dt.timedelta(days=1), end=today, by="province"),
    )
    [chiang_mai] = [f.groups[0] for f in figures if f.stage.key == "identification"]
    assert chiang_mai.key == "50" and chiang_mai.blocked_count == 1
    assert chiang_mai.blocked >= 3 and chiang_mai.blocked_share > 0

    page.context.clear_cookies()
    sign_in(page, live_server, regional_officer)
    top = page.get_by_test_id("top-50")  # its home: Chiang Mai's blockers beside Tak's
    expect(top).to_contain_text(f"{th('No interpreter for the language')} ({burmese})")
    expect(top.locator("tbody tr").first.locator("td").nth(1)).to_have_text("1")
    chart = page.get_by_test_id("chart-identification")
    chart.locator("summary").click()
    row = chart.get_by_test_id("table-identification").locator("tbody tr").first
    expect(row.locator("th")).to_contain_text("เชียงใหม่")
    expect(row.locator("td").last).to_have_text(str(chiang_mai.blocked_share))
    expect(page.get_by_text(case.number)).to_have_count(0)  # figures, not the case
    shoot(page, "b2-regional")
