"""The case page's sections below the fold (notes, documents, timeline, the return home, the
outcomes, the court case, the plan, the waits) come when they scroll into view: the page holds
their place and a link, htmx swaps each in, and without JavaScript the link opens it on a page
of its own. Each is a read of the case: seen by whoever sees the case, and logged."""

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from cases import services
from cases.views.case_sections import CASE_SECTIONS
from tests.factories import admission, register_case

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def section_url(case, name):
    return reverse("cases:case_section", args=[case.pk, name])


def views_of(case) -> int:
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_type__model="case", object_id=case.pk
    ).count()


def test_the_case_page_holds_the_place_of_each_section_below_the_fold(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    services.case_note_add(case=case, actor=worker_chiangmai, text="พบที่ด่านแม่สอด")
    client.force_login(worker_chiangmai)
    page = client.get(case.get_absolute_url()).content.decode()
    for name in CASE_SECTIONS:
        assert f'hx-get="{section_url(case, name)}"' in page
        assert f'href="{section_url(case, name)}"' in page  # without JavaScript
    assert "พบที่ด่านแม่สอด" not in page  # the note comes with its section
    assert 'name="text"' in page  # the form to add a note stays on the page
    assert 'id="plan"' in page  # a task's link back to the plan finds its place


def test_a_section_comes_alone_for_htmx_and_on_a_page_without_it(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    services.case_note_add(case=case, actor=worker_chiangmai, text="พบที่ด่านแม่สอด")
    client.force_login(worker_chiangmai)
    fragment = client.get(section_url(case, "notes"), **HTMX).content.decode()
    assert "พบที่ด่านแม่สอด" in fragment and "<html" not in fragment
    page = client.get(section_url(case, "notes")).content.decode()
    assert "<html" in page and "พบที่ด่านแม่สอด" in page
    assert "กลับไปที่รายกรณี" in page  # "Back to the case", in Thai
    timeline = client.get(section_url(case, "timeline"), **HTMX).content.decode()
    assert 'data-testid="timeline"' in timeline and "เปิดรายกรณี" in timeline  # "Case opened"


@pytest.mark.parametrize("name", list(CASE_SECTIONS))
def test_every_section_answers_in_thai(client, worker_chiangmai, name):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    response = client.get(section_url(case, name), **HTMX)
    assert response.status_code == 200
    title = CASE_SECTIONS[name].title
    with translation.override("en"):
        english = str(title)
    with translation.override("th"):
        thai = str(title)
    assert thai != english
    assert (
        f'<h1 class="h3 mb-3">{thai}</h1>' in client.get(section_url(case, name)).content.decode()
    )


def test_a_section_is_only_for_those_who_see_the_case_and_its_reading_is_logged(
    client, worker_chiangmai, worker_tak
):
    case = register_case(worker_chiangmai)
    client.force_login(worker_tak)  # another province: the case does not exist for them
    assert client.get(section_url(case, "timeline"), **HTMX).status_code == 404
    assert views_of(case) == 0
    client.force_login(worker_chiangmai)
    assert client.get(section_url(case, "nonsense"), **HTMX).status_code == 404
    assert client.get(section_url(case, "timeline"), **HTMX).status_code == 200
    assert views_of(case) == 1


def test_a_shelter_reads_the_case_timeline_without_where_else_the_person_went(
    client, worker_chiangmai, director_kredtrakarn
):
    placement = admission(worker_chiangmai, director_kredtrakarn)
    client.force_login(worker_chiangmai)
    own = client.get(section_url(placement.case, "timeline"), **HTMX).content.decode()
    client.force_login(director_kredtrakarn)
    shelter = client.get(section_url(placement.case, "timeline"), **HTMX).content.decode()
    assert own.count("<li") > shelter.count("<li") > 0
