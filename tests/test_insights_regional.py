"""The regional academic support offices' view (issue 20): a regional officer sees its
provinces' stage times, blockers and deadlines side by side, and no case content unless a
case is granted to it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Membership, Organisation, Role
from accounts.selectors import covered_provinces
from cases import services as cases
from insights import services
from insights.figures import Filters, stage_figures
from insights.spans import count_stage_spans
from nrm.menu import bar
from sla.models import Deadline
from sla.selectors import compliance_by_province
from tests.factories import member, ready_to_decide, screening_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_bangkok(db):
    return member(Role.SOCIAL_WORKER, "pso-10", "wipa")


def decided(worker, **person):
    """A screening of a new case of the worker's office, decided now, ten hours after custody."""
    screening = screening_in_state(
        worker, "open", custody_started_at=timezone.now() - dt.timedelta(hours=10)
    )
    ready_to_decide(screening, worker)
    cases.screening_decide(
        screening_id=screening.pk, actor=worker, outcome="victim_trafficking", reason="r"
    )
    count_stage_spans()  # as beat does every ten minutes
    return screening


def wait(worker, screening, reason="police"):
    return services.blocker_start(
        actor=worker, record="screening", record_id=screening.pk, reason=reason
    )


def this_year():
    today = timezone.localdate()
    return Filters(start=today - dt.timedelta(days=365), end=today, by="province")


def identification(figures):
    [stage] = [f for f in figures if f.stage.key == "identification"]
    return {figure.key: figure for figure in stage.groups}


def test_the_regional_office_covers_its_provinces_from_the_reference_data(regional_officer):
    codes = set(covered_provinces(user=regional_officer).values_list("code", flat=True))
    assert {"50", "63"} <= codes and "10" not in codes
    every = Organisation.objects.filter(kind="regional_office").values_list(
        "covered_provinces__code", flat=True
    )
    assert len(set(every)) == 77  # each province is some office's


def test_a_regional_officer_belongs_to_a_regional_office():
    membership = Membership(
        user=member(Role.SOCIAL_WORKER, "pso-50"),
        organisation=Organisation.objects.get(code="pso-10"),
        role=Role.REGIONAL_OFFICER,
    )
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_a_regional_officer_lands_on_its_provinces_figures(client, regional_officer):
    client.force_login(regional_officer)
    home = client.get(reverse("home"))
    assert home.url == reverse("insights:regional")
    page = client.get(home.url).content.decode()
    scope = page.split('data-testid="regional-scope"')[1].split("</p>")[0]
    assert "เชียงใหม่" in scope and "ตาก" in scope and "กรุงเทพมหานคร" not in scope
    for chart in ("deadlines", "clocks", "within", "identification"):
        assert f'data-testid="chart-{chart}"' in page


def test_the_regional_figures_count_its_provinces_and_no_other(
    client, regional_officer, worker_chiangmai, worker_tak, worker_bangkok, central_reviewer
):
    for worker in (worker_chiangmai, worker_tak, worker_bangkok):
        decided(worker)
    # Its tables link to no list of cases: it sees none of them.
    client.force_login(regional_officer)
    for page in ("insights:regional", "insights:stage_times"):
        text = client.get(reverse(page), {"by": "province"}).content.decode()
        assert 'data-testid="table-identification"' in text
        assert reverse("insights:stage_cases", args=["identification"]) not in text
    client.force_login(central_reviewer)
    text = client.get(reverse("insights:stage_times"), {"by": "province"}).content.decode()
    assert reverse("insights:stage_cases", args=["identification"]) in text
    mine = identification(stage_figures(user=regional_officer, filters=this_year()))
    assert set(mine) == {"50", "63"} and mine["50"].count == 1
    everyone = identification(stage_figures(user=central_reviewer, filters=this_year()))
    assert {"10", "50", "63"} <= set(everyone)
    client.force_login(regional_officer)
    table = client.get(reverse("insights:regional")).content.decode()
    table = table.split('data-testid="table-identification"')[1].split("</table>")[0]
    assert "เชียงใหม่" in table and "ตาก" in table and "กรุงเทพมหานคร" not in table


def test_another_regions_province_is_not_a_choice(
    client, regional_officer, worker_bangkok, worker_chiangmai
):
    wait(worker_bangkok, screening_in_state(worker_bangkok, "open"), reason="documents")
    wait(worker_chiangmai, screening_in_state(worker_chiangmai, "open"))
    client.force_login(regional_officer)
    for name in ("insights:regional", "insights:blockers", "insights:stage_times"):
        response = client.get(reverse(name), {"province": "10"})
        assert response.status_code == 200
        text = response.content.decode()
        assert "รอเอกสาร" not in text and 'data-testid="top-10"' not in text, name
    blockers = client.get(reverse("insights:blockers")).content.decode()
    assert 'data-testid="top-50"' in blockers and "รอตำรวจ" in blockers
    api = APIClient()
    api.force_authenticate(regional_officer)
    assert api.get("/api/v1/insights/stage-times/", {"province": "10"}).status_code == 400


def test_the_regional_officer_sees_no_case_content(
    client, regional_officer, worker_chiangmai, worker_tak
):
    screening = decided(worker_chiangmai)
    case = screening.case
    blocker = wait(worker_tak, screening_in_state(worker_tak, "open"))
    client.force_login(regional_officer)
    page = client.get(reverse("insights:regional")).content.decode()
    assert case.number not in page and case.person.name_th not in page
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.number not in client.get(reverse("cases:list")).content.decode()
    drill = client.get(
        reverse("insights:stage_cases", args=["identification"]), {"by": "province", "group": "50"}
    ).content.decode()
    assert case.number not in drill and 'data-testid="no-stage-cases"' in drill
    assert "ไม่มีรายกรณีใดที่แบ่งปันให้ท่าน" in drill or "not their cases" in drill
    api = APIClient()
    api.force_authenticate(regional_officer)
    assert api.get("/api/v1/cases/").json()["results"] == []
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api.get(f"/api/v1/screenings/{screening.pk}/").status_code == 404
    assert api.get("/api/v1/blockers/").json()["results"] == []
    assert api.get(f"/api/v1/blockers/{blocker.pk}/").status_code == 404
    with pytest.raises(Http404):  # it cannot say a record of its provinces waits
        wait(regional_officer, screening)
    menu = [getattr(item, "url_name", "") for item in bar(Role.REGIONAL_OFFICER)]
    assert "cases:list" not in menu and "home" in menu


def test_a_case_granted_to_the_regional_officer_opens_and_drills_down(
    client, regional_officer, worker_chiangmai, supervisor_chiangmai
):
    screening = decided(worker_chiangmai)
    cases.access_grant_give(
        case=screening.case,
        actor=supervisor_chiangmai,
        user=regional_officer,
        purpose="coaching",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    client.force_login(regional_officer)
    assert client.get(screening.case.get_absolute_url()).status_code == 200
    drill = client.get(
        reverse("insights:stage_cases", args=["identification"]), {"by": "province", "group": "50"}
    ).content.decode()
    assert screening.case.number in drill


def test_other_roles_do_not_open_the_regional_view(client, worker_chiangmai, central_reviewer):
    for user in (worker_chiangmai, central_reviewer):
        client.force_login(user)
        assert client.get(reverse("insights:regional")).status_code == 403


def test_the_deadlines_of_its_provinces_met_missed_and_running(
    worker_chiangmai, worker_tak, worker_bangkok, regional_officer
):
    decided(worker_chiangmai)  # its identification clock met
    screening_in_state(worker_tak, "open")  # running
    late = screening_in_state(
        worker_tak, "open", custody_started_at=timezone.now() - dt.timedelta(days=3)
    )
    screening_in_state(worker_bangkok, "open")
    assert Deadline.objects.filter(object_id=late.pk, closed_at__isnull=True).exists()
    now = timezone.now()
    provinces, clocks = compliance_by_province(
        provinces=list(covered_provinces(user=regional_officer)),
        start=now - dt.timedelta(days=30),
        end=now + dt.timedelta(days=1),
        now=now,
    )
    by_code = {row.key: row for row in provinces}
    assert "10" not in by_code
    assert (by_code["50"].met, by_code["50"].missed, by_code["50"].share) == (1, 0, 100.0)
    assert by_code["63"].running >= 1 and by_code["63"].overdue >= 1
    assert {row.key for row in clocks} >= {"identification"}


def test_the_api_gives_the_regional_deadlines_to_the_regional_officer_only(
    client, worker_chiangmai, worker_bangkok, regional_officer, central_reviewer
):
    decided(worker_chiangmai)
    decided(worker_bangkok)  # another region's
    client.force_login(regional_officer)
    data = client.get(reverse("api:regional_deadlines")).json()
    by_code = {row["key"]: row for row in data["provinces"]}
    assert "10" not in by_code
    assert (by_code["50"]["met"], by_code["50"]["share"]) == (1, 100.0)
    assert "identification" in {row["key"] for row in data["clocks"]}
    assert client.get(reverse("api:regional_deadlines"), {"province": "10"}).status_code == 400
    client.force_login(central_reviewer)
    assert client.get(reverse("api:regional_deadlines")).status_code == 403


def test_a_stage_with_no_figure_says_so_and_groups_without_one_are_not_drawn_as_zero(
    client, regional_officer, worker_chiangmai
):
    """The walk found empty charts on a 0-1 axis and provinces without figures drawn like 0 %:
    a chart with no value says so in words, a group with none stays in the table only."""
    decided(worker_chiangmai)
    client.force_login(regional_officer)
    response = client.get(reverse("insights:regional"))
    page = response.content.decode()
    drawn = {chart["id"]: chart for chart in response.context["chart_data"]}
    # Identification (ten hours, in Chiang Mai only) is drawn, with Chiang Mai alone.
    assert drawn["identification"]["labels"] == ["เชียงใหม่"]
    assert drawn["identification"]["series"][0]["data"] == [10.0]
    # No referral was acknowledged: no chart, a sentence, the table still behind it.
    assert "acknowledged" not in drawn
    assert 'data-testid="chart-acknowledged-empty"' in page
    assert 'data-chart="acknowledged"' not in page
    assert 'data-testid="table-acknowledged"' in page


def test_a_stage_that_takes_minutes_is_drawn_in_minutes(client, central_reviewer, worker_tak):
    screening = screening_in_state(
        worker_tak, "open", custody_started_at=timezone.now() - dt.timedelta(minutes=50)
    )
    ready_to_decide(screening, worker_tak)
    cases.screening_decide(
        screening_id=screening.pk, actor=worker_tak, outcome="victim_trafficking", reason="r"
    )
    count_stage_spans()
    client.force_login(central_reviewer)
    response = client.get(reverse("insights:stage_times"), {"by": "province"})
    [chart] = [c for c in response.context["chart_data"] if c["id"] == "identification"]
    assert chart["series"][0]["label"] == "ค่ามัธยฐาน (นาที)"
    assert 49 <= chart["series"][0]["data"][0] <= 51


def test_a_chart_whose_figures_are_all_zero_says_so_instead_of_an_empty_axis():
    from core.charts import chart_data

    zero = {"id": "z", "type": "bar", "labels": ["ตาก"], "series": [{"label": "m", "data": [0]}]}
    some = {
        "id": "s",
        "type": "bar",
        "labels": ["ตาก", "น่าน"],
        "series": [{"label": "m", "data": [0, 2]}],
    }
    assert [chart["id"] for chart in chart_data([zero, some])] == ["s"]
    assert zero["all_zero"] and not zero["drawn"] and some["drawn"]
