"""(g) Finding a person (issue 17): a social worker types "Min Htun", a Thai spelling without
its space and the Chinese name "李伟" into the search box at the top of every page and finds
the persons registered as "Min Tun" and "Li Wei", never the person of another province; then
opens the person page from the case. In Thai, in Debian's Chromium, like tests/test_journeys.py
(whose fixtures and helpers it uses)."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import register_case
from tests.test_journeys import patient_pages, reference_data, shoot, sign_in, th  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_finds_a_person_by_any_spelling_from_the_search_box(
    page: Page, live_server, worker_chiangmai, worker_tak
):
    min_tun = register_case(
        worker_chiangmai,
        name_th="มิน ทุน",
        name_latin="Min Tun",
        name_native="မင်းထွန်း",
        sex="male",
        nationality="MM",
    )
    li_wei = register_case(
        worker_chiangmai, name_th="ลี เหว่ย", name_latin="Li Wei", name_native="李伟", sex="male"
    )
    elsewhere = register_case(worker_tak, name_latin="Min Htun", sex="male")
    sign_in(page, live_server, worker_chiangmai)

    for typed, found in (("Min Htun", min_tun), ("มินทุน", min_tun), ("李伟", li_wei)):
        box = page.get_by_test_id("header-search").get_by_role("searchbox")
        box.fill(typed)
        box.press("Enter")
        results = page.get_by_test_id("cases")
        expect(results.get_by_role("link", name=found.number)).to_be_visible()
        expect(results).not_to_contain_text(elsewhere.number)
    shoot(page, "g1-search")

    page.get_by_role("link", name=li_wei.number).click()
    page.get_by_test_id("person-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ลี เหว่ย")
    expect(page.get_by_role("link", name=li_wei.number)).to_be_visible()
