"""A repatriation to Myanmar recorded through the pages and through the API, with the same
services: every move, the refusals a user meets (in Thai on the pages, as 400/403/404/409 in
the API, never a 500), and the list's audited export."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from cases import services as cases
from repatriation.models import CounterpartAgency, DataTransfer, Repatriation
from repatriation.workflow import Status
from tests.factories import register_case, repatriation_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def myanmar_case(worker_chiangmai):
    case = register_case(worker_chiangmai, name_th="ขิ่น ซู", name_latin="Khin Su", nationality="MM")
    cases.consent_record(
        case=case,
        actor=worker_chiangmai,
        step="repatriation",
        decision="given",
        rights_notified=True,
    )
    return case


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_repatriation_to_myanmar_through_the_api(worker_chiangmai, myanmar_case):
    client = api(worker_chiangmai)
    created = client.post(
        "/api/v1/repatriations/",
        {
            "case": myanmar_case.pk,
            "counterpart": "mm-dsw",
            "destination": "เมียวดี",
            "plan": "ส่งตัวพร้อมล่าม",
            "travel_document": "certificate_of_identity",
            "travel_document_number": "CI-1",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["kind"] == "repatriation" and body["status"] == "planned"
    url = f"/api/v1/repatriations/{body['id']}/"
    today = timezone.localdate()
    steps = [
        ("send", {}, "sent"),
        ("assess", {"assessment": "ครอบครัวพร้อม", "assessed_on": today.isoformat()}, "assessed"),
        (
            "schedule",
            {"handover_on": (today + dt.timedelta(days=5)).isoformat(), "handover_place": "แม่สอด"},
            "scheduled",
        ),
        ("hand-over", {"note": "ส่งมอบเรียบร้อย"}, "handed_over"),
        ("confirm", {"confirmed_on": today.isoformat(), "reference": "DSW/9"}, "confirmed"),
    ]
    for name, data, status in steps:
        response = client.post(f"{url}{name}/", data, format="json")
        assert response.status_code == 200, (name, response.json())
        assert response.json()["status"] == status
    assert len(client.get(url).json()["events"]) == 6
    assert DataTransfer.objects.filter(repatriation_id=body["id"]).count() == 1
    counterparts = client.get("/api/v1/counterparts/").json()
    assert {"MM", "KH", "LA", "VN"} <= {row["country"] for row in counterparts}


def test_the_api_refuses_clearly(worker_chiangmai, worker_tak, director_kredtrakarn, myanmar_case):
    client = api(worker_chiangmai)
    repatriation = repatriation_in_state(worker_chiangmai, "sent", case=myanmar_case)
    url = f"/api/v1/repatriations/{repatriation.pk}/"
    # A move the table does not allow: 409, in Thai.
    conflict = client.post(f"{url}confirm/", {"confirmed_on": "2026-11-01"}, format="json")
    assert conflict.status_code == 409
    # Bad input: 400 with a message on the field.
    bad = client.post(f"{url}assess/", {"assessed_on": "not a date"}, format="json")
    assert bad.status_code == 400 and {"assessment", "assessed_on"} <= set(bad.json()["errors"])
    future = client.post(
        f"{url}assess/",
        {
            "assessment": "x",
            "assessed_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert future.status_code == 400 and "assessed_on" in future.json()["errors"]
    # Another province: the repatriation does not exist for them.
    assert api(worker_tak).get(url).status_code == 404
    assert api(worker_tak).post(f"{url}assess/", {}, format="json").status_code == 404
    # A second plan while one is under way: 409.
    again = client.post(
        "/api/v1/repatriations/",
        {"case": myanmar_case.pk, "counterpart": "mm-dsw", "destination": "x", "plan": "y"},
        format="json",
    )
    assert again.status_code == 409
    # A case the user may not see cannot be named.
    other = register_case(worker_tak, nationality="MM")
    hidden = client.post(
        "/api/v1/repatriations/",
        {"case": other.pk, "counterpart": "mm-dsw", "destination": "x", "plan": "y"},
        format="json",
    )
    assert hidden.status_code == 400
    repatriation.refresh_from_db()
    assert repatriation.status == Status.SENT


def test_the_api_lists_only_what_the_user_may_see(worker_chiangmai, worker_tak, central_reviewer):
    mine = repatriation_in_state(worker_chiangmai, "planned")
    theirs = repatriation_in_state(worker_tak, "planned")

    def ids(user):
        rows = api(user).get("/api/v1/repatriations/").json()["results"]
        return {row["id"] for row in rows}

    assert ids(worker_chiangmai) == {mine.pk}
    assert ids(central_reviewer) == {mine.pk, theirs.pk}


def test_a_social_worker_plans_and_moves_a_repatriation_on_the_pages(
    client, worker_chiangmai, myanmar_case
):
    client.force_login(worker_chiangmai)
    section = reverse("cases:case_section", args=[myanmar_case.pk, "repatriation"])
    case_page = client.get(section).content.decode()  # below the case page's fold
    new_url = reverse("repatriation:new", args=[myanmar_case.pk])
    assert new_url in case_page
    assert client.get(new_url).status_code == 200
    response = client.post(
        new_url,
        {
            "counterpart": CounterpartAgency.objects.get(code="mm-dsw").pk,
            "destination": "เมียวดี",
            "plan": "ส่งตัวพร้อมล่าม",
            "travel_document": "emergency",
            "travel_document_number": "ETD-7",
        },
    )
    repatriation = Repatriation.objects.get(case=myanmar_case)
    assert response.status_code == 302 and response["Location"] == repatriation.get_absolute_url()
    act = lambda move, data: client.post(  # noqa: E731
        reverse("repatriation:act", args=[repatriation.pk, move]), data, follow=True
    )
    today = timezone.localdate()
    act("send", {"note": ""})
    act("assess", {"assessment": "มารดาพร้อมรับ", "assessed_on": f"{today:%d/%m}/{today.year + 543}"})
    act(
        "schedule",
        {"handover_on": (today + dt.timedelta(days=2)).isoformat(), "handover_place": "แม่สอด"},
    )
    act("hand_over", {"note": ""})
    page = act("confirm", {"confirmed_on": today.isoformat(), "reference": "DSW/1"})
    repatriation.refresh_from_db()
    assert repatriation.status == Status.CONFIRMED
    assert page.status_code == 200 and "DSW/1" in page.content.decode()


def test_bad_input_on_the_pages_is_told_in_thai_and_changes_nothing(client, worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, "assessed")
    client.force_login(worker_chiangmai)
    page = client.post(
        reverse("repatriation:act", args=[repatriation.pk, "schedule"]),
        {"handover_on": "2020-01-01", "handover_place": "แม่สอด"},
        follow=True,
    )
    assert page.status_code == 200
    assert "วันส่งมอบตัวผ่านไปแล้ว" in page.content.decode()
    repatriation.refresh_from_db()
    assert repatriation.status == Status.ASSESSED
    wrong = client.post(
        reverse("repatriation:act", args=[repatriation.pk, "confirm"]),
        {"confirmed_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert wrong.status_code == 200
    assert (
        client.post(reverse("repatriation:act", args=[repatriation.pk, "fly"])).status_code == 404
    )


def test_the_plan_form_says_what_is_missing_in_thai(client, worker_chiangmai, myanmar_case):
    client.force_login(worker_chiangmai)
    page = client.post(
        reverse("repatriation:new", args=[myanmar_case.pk]),
        {"destination": "เมียวดี", "plan": "แผน"},
    )
    assert page.status_code == 200
    assert "เลือกหน่วยงานคู่ภาคีของประเทศของบุคคล" in page.content.decode()
    assert not Repatriation.objects.exists()


def test_the_list_and_its_export_are_audited(client, supervisor_chiangmai, worker_chiangmai):
    repatriation = repatriation_in_state(worker_chiangmai, "scheduled")
    client.force_login(supervisor_chiangmai)
    page = client.get(reverse("repatriation:list"), {"status": "scheduled"})
    assert page.status_code == 200 and repatriation.case.number in page.content.decode()
    export = client.get(reverse("repatriation:export"), {"format": "csv", "country": "MM"})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert repatriation.case.number in content and "Khin Su" not in content
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("pk")
    assert event.changes["list"] == "repatriations" and event.changes["rows"] == 1
    client.force_login(worker_chiangmai)
    assert client.get(reverse("repatriation:export"), {"format": "csv"}).status_code == 403
