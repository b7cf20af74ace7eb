"""What the operation, person, shelter and holiday pages do, through /api/v1/: operations and
their mass intake (upload, preview with the possible duplicates, confirm, progress, recovery),
a person's cases, viewers and merge, a resident's care plan and outings, a section's beds, the
bed board, the holiday calendar. Each through the pages' services, with their refusals: another
role 403, another office 404, a stale If-Match 412, bad input a problem with Thai messages."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from audit.models import AuditEvent
from cases import services
from cases.models import Case, IntakeBatch, Person
from sla.calendar import is_working_day
from tests.factories import admission, member, register_case

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]")
HEADER = "name_th,name_latin,name_native,sex,date_of_birth,nationality,languages"
CUSTODY = dt.datetime(2026, 11, 20, 5, 30, tzinfo=dt.UTC)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_thai_problem(response, status, *fields):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert THAI.search(body["detail"]), body
    for field in fields:
        assert THAI.search(" ".join(body["errors"][field])), body
    return body


def stale(client, url, etag, body=None, method="post"):
    """A change sent with a version someone else's change has replaced."""
    return getattr(client, method)(url, body or {}, format="json", HTTP_IF_MATCH=etag)


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def operation(worker_chiangmai):
    return services.operation_create(
        actor=worker_chiangmai,
        name="ปฏิบัติการแม่สอด",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 20),
        custody_started_at=CUSTODY,
    )


def csv_file(*rows):
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return SimpleUploadedFile("persons.csv", text.encode("utf-8-sig"), content_type="text/csv")


# --- Operations and mass intake ------------------------------------------------------------


def test_a_worker_records_an_operation_and_reads_it_with_its_cases_and_clocks(
    worker_chiangmai, worker_tak, director_kredtrakarn
):
    client = api(worker_chiangmai)
    made = client.post(
        "/api/v1/operations/",
        {
            "name": "ปฏิบัติการเชียงใหม่",
            "province": "50",
            "started_on": "2026-11-20",
            "custody_started_at": "2026-11-20T05:30:00Z",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    operation = made.json()
    assert operation["organisation"] == worker_chiangmai.membership.organisation.code
    assert [o["id"] for o in client.get("/api/v1/operations/").json()["results"]] == [
        operation["id"]
    ]
    detail = client.get(f"/api/v1/operations/{operation['id']}/").json()
    assert detail["cases"] == [] and detail["clocks"]["open"] == 0

    assert api(worker_tak).get(f"/api/v1/operations/{operation['id']}/").status_code == 404
    assert api(director_kredtrakarn).get("/api/v1/operations/").status_code == 403


def test_an_operation_without_a_custody_start_is_refused_in_thai(worker_chiangmai):
    refused = api(worker_chiangmai).post(
        "/api/v1/operations/", {"name": "x", "province": "50"}, format="json"
    )
    assert_thai_problem(refused, 400, "started_on", "custody_started_at")


def test_a_file_is_uploaded_previewed_with_its_duplicates_and_imported_with_progress(
    worker_chiangmai, worker_tak, operation, django_capture_on_commit_callbacks
):
    known = register_case(worker_chiangmai, name_th="สมชาย ใจดี", name_latin="Somchai Jaidee")
    register_case(
        worker_tak, name_th="มะ ลา", name_latin="Ma La", date_of_birth=dt.date(1997, 3, 12)
    )
    client = api(worker_chiangmai)
    uploaded = client.post(
        f"/api/v1/operations/{operation.pk}/intake/",
        {
            "file": csv_file(
                "สมชาย ใจดี,Somchai Jaidee,,male,,TH,th",
                "มะ ลา,Ma La,,female,2540-03-12,MM,my",
            )
        },
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.json()
    batch = uploaded.json()
    assert (batch["status"], batch["total"]) == ("validated", 2)

    preview = client.get(f"/api/v1/intake-batches/{batch['id']}/")
    assert preview.status_code == 200 and preview["ETag"]
    rows = preview.json()["rows"]
    [mine] = rows[0]["matches"]
    assert mine["person"] == known.person_id and mine["person_name"]
    # Another office's person: a possible match, neither named nor numbered.
    assert [(m["person"], m["person_name"]) for m in rows[1]["matches"]] == [(None, None)]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_type__model="intakebatch", object_id=batch["id"]
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            f"/api/v1/intake-batches/{batch['id']}/confirm/",
            {"links": {str(rows[0]["number"]): known.person_id}},
            format="json",
            HTTP_IF_MATCH=preview["ETag"],
        )
    assert confirmed.status_code == 200, confirmed.json()
    progress = client.get(f"/api/v1/intake-batches/{batch['id']}/progress/").json()
    assert (progress["status"], progress["processed"], progress["linked"]) == ("done", 2, 1)
    assert len(progress["case_ids"]) == 2
    assert Person.objects.filter(name_latin="Somchai Jaidee").count() == 1

    # Done: a second confirmation is a 409, and the other office sees nothing of it.
    again = client.post(f"/api/v1/intake-batches/{batch['id']}/confirm/", {}, format="json")
    assert again.status_code == 409 and THAI.search(again.json()["detail"])
    assert api(worker_tak).get(f"/api/v1/intake-batches/{batch['id']}/").status_code == 404
    detail = client.get(f"/api/v1/operations/{operation.pk}/").json()
    assert {c["id"] for c in detail["cases"]} == set(progress["case_ids"])


def test_a_file_that_cannot_be_read_or_a_bad_answer_is_a_thai_problem(worker_chiangmai, operation):
    client = api(worker_chiangmai)
    unreadable = client.post(
        f"/api/v1/operations/{operation.pk}/intake/",
        {"file": SimpleUploadedFile("a.csv", b"\xff\xfe\x00garbage", content_type="text/csv")},
        format="multipart",
    )
    assert_thai_problem(unreadable, 400, "file")
    batch = client.post(
        f"/api/v1/operations/{operation.pk}/intake/",
        {"file": csv_file("มะ ลา,Ma La,,female,,MM,my", "มะ ลา,Ma La,,female,,MM,my")},
        format="multipart",
    ).json()
    # The second row may be the first one's person: the answer is needed.
    unanswered = client.post(f"/api/v1/intake-batches/{batch['id']}/confirm/", {}, format="json")
    assert_thai_problem(unanswered, 400, "non_field_errors")
    forged = client.post(
        f"/api/v1/intake-batches/{batch['id']}/confirm/",
        {"links": {"two": 1}},
        format="json",
    )
    assert forged.status_code == 400 and "links" in forged.json()["errors"]
    assert IntakeBatch.objects.get(pk=batch["id"]).status == "validated"


def test_a_stale_confirmation_is_a_412_and_an_import_running_cannot_be_retried(
    worker_chiangmai, supervisor_chiangmai, operation
):
    client = api(worker_chiangmai)
    batch = client.post(
        f"/api/v1/operations/{operation.pk}/intake/",
        {"file": csv_file("คำ พอน,Kham Phone,,male,,LA,lo")},
        format="multipart",
    ).json()
    url = f"/api/v1/intake-batches/{batch['id']}/"
    seen = client.get(url)["ETag"]
    IntakeBatch.objects.filter(pk=batch["id"]).update(updated_at=timezone.now())
    assert stale(client, f"{url}confirm/", seen).status_code == 412
    assert IntakeBatch.objects.get(pk=batch["id"]).status == "validated"

    IntakeBatch.objects.filter(pk=batch["id"]).update(
        status="importing", importing_since=timezone.now()
    )
    running = api(supervisor_chiangmai).post(f"{url}retry/")
    assert running.status_code == 409 and THAI.search(running.json()["detail"])
    assert api(supervisor_chiangmai).post(f"{url}cancel/").status_code == 409


def test_a_lost_import_is_cancelled_through_the_api(worker_chiangmai, operation):
    batch = IntakeBatch.objects.create(
        operation=operation,
        uploaded_by=worker_chiangmai,
        file_name="a.csv",
        status="importing",
        importing_since=timezone.now() - dt.timedelta(hours=1),
    )
    client = api(worker_chiangmai)
    assert client.get(f"/api/v1/intake-batches/{batch.pk}/progress/").json()["stalled"] is True
    cancelled = client.post(f"/api/v1/intake-batches/{batch.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "failed"


def test_the_screenings_of_an_operation_start_at_once(worker_chiangmai, worker_tak, operation):
    case = register_case(worker_chiangmai)
    Case.objects.filter(pk=case.pk).update(operation=operation)
    url = f"/api/v1/operations/{operation.pk}/start-screenings/"
    assert api(worker_tak).post(url, {}, format="json").status_code == 404
    future = api(worker_chiangmai).post(
        url, {"custody_started_at": "2099-01-01T00:00:00Z"}, format="json"
    )
    assert future.status_code == 400 and THAI.search(future.json()["detail"])
    started = api(worker_chiangmai).post(
        url, {"custody_started_at": "2026-11-20T06:00:00Z"}, format="json"
    )
    assert started.status_code == 200 and len(started.json()["started"]) == 1
    template = api(worker_chiangmai).get(f"/api/v1/operations/{operation.pk}/intake-template/")
    assert template.status_code == 200 and b"name_th" in template.content


# --- Persons ---------------------------------------------------------------------------------


def test_the_central_division_merges_two_records_of_one_person(
    worker_chiangmai, worker_tak, central_reviewer
):
    keep = register_case(worker_chiangmai, name_th="มะ ลา")
    other = register_case(worker_tak, name_th="จันทร์ เพ็ญ")
    url = f"/api/v1/persons/{keep.person_id}/"
    central = api(central_reviewer)
    etag = central.get(url)["ETag"]

    body = {"case_number": other.number, "reason": "บัตรประชาชนใบเดียวกัน", "confirmed": True}
    refused = api(worker_chiangmai).post(f"{url}merge/", body, format="json")
    assert refused.status_code == 403
    unconfirmed = central.post(f"{url}merge/", {**body, "confirmed": False}, format="json")
    assert_thai_problem(unconfirmed, 400, "confirmed")
    unknown = central.post(f"{url}merge/", {**body, "case_number": "NRM-0"}, format="json")
    assert_thai_problem(unknown, 400, "case_number")

    merged = central.post(f"{url}merge/", body, format="json", HTTP_IF_MATCH=etag)
    assert merged.status_code == 200, merged.json()
    assert "จันทร์ เพ็ญ" in merged.json()["aliases"]
    assert not Person.objects.filter(pk=other.person_id).exists()
    assert stale(central, f"{url}merge/", etag, body).status_code == 412
    cases = central.get(f"{url}cases/").json()
    assert {c["number"] for c in cases} == {keep.number, other.number}


def test_a_person_page_lists_the_cases_and_who_looked(worker_chiangmai, worker_tak):
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    url = f"/api/v1/persons/{case.person_id}/"
    client.get(url)
    assert [c["number"] for c in client.get(f"{url}cases/").json()] == [case.number]
    viewers = client.get(f"{url}viewers/").json()
    assert viewers[0]["username"] == worker_chiangmai.username
    assert api(worker_tak).get(f"{url}viewers/").status_code == 404


# --- Shelters --------------------------------------------------------------------------------


@pytest.fixture
def director_narisawat(db):
    return member(Role.SHELTER_DIRECTOR, "shelter-narisawat")


@pytest.fixture
def stay(worker_chiangmai, director_kredtrakarn):
    return admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})


def test_the_shelter_keeps_a_care_plan_with_its_history_and_versions(
    stay, staff_kredtrakarn, director_kredtrakarn, worker_chiangmai, central_reviewer
):
    staff = api(staff_kredtrakarn)
    made = staff.post(
        "/api/v1/care-plan-items/",
        {"placement": stay.pk, "service": "health", "due_on": "2099-01-01"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    url = f"/api/v1/care-plan-items/{made.json()['id']}/"
    etag = staff.get(url)["ETag"]
    changed = staff.put(url, {"status": "in_progress", "note": "นัดแพทย์"}, format="json")
    assert changed.status_code == 200
    assert [h["status"] for h in changed.json()["history"]] == ["planned", "in_progress"]
    assert stale(staff, url, etag, {"status": "done"}, method="put").status_code == 412

    early = staff.put(url, {"status": "done", "due_on": "2000-01-01"}, format="json")
    assert_thai_problem(early, 400, "due_on")
    listed = api(central_reviewer).get(f"/api/v1/care-plan-items/?placement={stay.pk}")
    assert [i["id"] for i in listed.json()["results"]] == [made.json()["id"]]
    refused = api(central_reviewer).put(url, {"status": "done"}, format="json")
    assert refused.status_code == 403
    assert api(worker_chiangmai).get(url).status_code == 403


def test_an_outing_is_recorded_and_ended_once(stay, staff_kredtrakarn, director_narisawat):
    staff = api(staff_kredtrakarn)
    made = staff.post(
        "/api/v1/movements/",
        {"placement": stay.pk, "kind": "outing", "started_at": timezone.now().isoformat()},
        format="json",
    )
    assert made.status_code == 201, made.json()
    url = f"/api/v1/movements/{made.json()['id']}/"
    etag = staff.get(url)["ETag"]
    future = staff.post(f"{url}end/", {"ended_at": "2099-01-01T00:00:00Z"}, format="json")
    assert_thai_problem(future, 400, "ended_at")
    ended = staff.post(
        f"{url}end/", {"ended_at": timezone.now().isoformat()}, format="json", HTTP_IF_MATCH=etag
    )
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert (
        stale(staff, f"{url}end/", etag, {"ended_at": timezone.now().isoformat()}).status_code
        == 412
    )
    again = staff.post(f"{url}end/", {"ended_at": timezone.now().isoformat()}, format="json")
    assert again.status_code == 409
    assert api(director_narisawat).get(url).status_code == 404  # another shelter's resident


def test_the_director_changes_a_sections_beds_but_not_below_its_residents(
    stay, director_kredtrakarn, staff_kredtrakarn, director_narisawat
):
    director = api(director_kredtrakarn)
    url = f"/api/v1/shelter-units/{stay.unit_id}/"
    etag = director.get(url)["ETag"]
    too_few = director.post(f"{url}capacity/", {"capacity": 0}, format="json")
    assert_thai_problem(too_few, 400, "capacity")
    changed = director.post(f"{url}capacity/", {"capacity": 40}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["capacity"] == 40
    assert stale(director, f"{url}capacity/", etag, {"capacity": 41}).status_code == 412
    assert api(staff_kredtrakarn).post(f"{url}capacity/", {"capacity": 41}).status_code == 403
    assert api(director_narisawat).post(f"{url}capacity/", {"capacity": 41}).status_code == 404


def test_the_bed_board_and_residents_of_my_shelter(
    stay, director_kredtrakarn, staff_kredtrakarn, worker_chiangmai
):
    board = api(director_kredtrakarn).get("/api/v1/shelters/mine/")
    assert board.status_code == 200
    data = board.json()
    assert [r["id"] for r in data["residents"]] == [stay.pk]
    assert sum(unit["occupied"] for unit in data["units"]) == 1
    residents = api(staff_kredtrakarn).get("/api/v1/shelters/mine/residents/").json()
    assert [r["case_number"] for r in residents] == [stay.case.number]
    assert api(worker_chiangmai).get("/api/v1/shelters/mine/").status_code == 403


# --- The holiday calendar ----------------------------------------------------------------


def _next_working_day() -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def test_a_sysadmin_adds_and_withdraws_a_holiday(sysadmin, supervisor_chiangmai):
    client = api(sysadmin)
    day = _next_working_day()
    no_note = client.post(
        "/api/v1/deadlines/holidays/", {"date": day.isoformat(), "kind": "added"}, format="json"
    )
    assert_thai_problem(no_note, 400, "note")
    made = client.post(
        "/api/v1/deadlines/holidays/",
        {"date": day.isoformat(), "kind": "added", "note": "มติคณะรัฐมนตรี"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    calendar = client.get(f"/api/v1/deadlines/holidays/?year={day.year + 543}").json()
    assert calendar["year"] == day.year
    assert day.isoformat() in [row["date"] for row in calendar["days"]]

    url = f"/api/v1/deadlines/holidays/{made.json()['id']}/"
    etag = client.get(url)["ETag"]
    withdrawn = client.post(f"{url}withdraw/", HTTP_IF_MATCH=etag)
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert client.post(f"{url}withdraw/", HTTP_IF_MATCH=etag).status_code == 412
    assert api(supervisor_chiangmai).get("/api/v1/deadlines/holidays/").status_code == 403


# --- Versions on the court and plan moves ------------------------------------------------


def test_hearings_claims_and_plan_tasks_refuse_a_stale_move(worker_chiangmai, supervisor_chiangmai):
    from justice import services as justice
    from partners.services import plan_task_add

    case = register_case(worker_chiangmai)
    prosecution = justice.prosecution_record(
        case=case,
        actor=worker_chiangmai,
        offence="trafficking",
        police_station="สภ.เมือง",
        police_case_number="1/2569",
        officer_name="ร.ต.อ. หนึ่ง",
        reported_on=dt.date(2026, 11, 1),
    )
    hearing = justice.hearing_schedule(
        prosecution_id=prosecution.pk,
        actor=worker_chiangmai,
        kind="witness",
        scheduled_at=timezone.now() + dt.timedelta(days=10),
    )
    claim = justice.claim_file(
        case=case,
        actor=worker_chiangmai,
        source="fund",
        amount_claimed=Decimal("1000"),
        claimed_on=dt.date(2026, 11, 2),
    )
    task = plan_task_add(
        case=case,
        actor=supervisor_chiangmai,
        organisation=supervisor_chiangmai.membership.organisation,
        title="เยี่ยมบ้าน",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    client = api(worker_chiangmai)
    moves = [
        (f"/api/v1/hearings/{hearing.pk}/", "postpone/", {"scheduled_at": "2099-01-01T09:00Z"}),
        (f"/api/v1/compensation-claims/{claim.pk}/", "withdraw/", {"reason": "ถอน"}),
        (f"/api/v1/plan-tasks/{task.pk}/", "move/", {"to": "in_progress"}),
    ]
    for url, move, body in moves:
        etag = client.get(url)["ETag"]
        made = client.post(f"{url}{move}", body, format="json", HTTP_IF_MATCH=etag)
        assert made.status_code == 200, (url, made.json())
        assert made["ETag"] != etag
        assert stale(client, f"{url}{move}", etag, body).status_code == 412, url


# --- Registering a person and their case ---------------------------------------------------


def registration(**extra):
    return {
        "person": {"name_latin": "Khin Ma", "sex": "female", "nationality": "MM"},
        "case": {
            "intake_channel": "police_raid",
            "intake_date": "2026-11-20",
            "intake_province": "50",
        },
        **extra,
    }


def test_a_registration_shows_the_likely_duplicates_first_then_links_or_registers(
    worker_chiangmai, worker_tak, director_kredtrakarn
):
    existing = register_case(worker_chiangmai, name_th="", name_latin="Khin Ma", nationality="MM")
    client = api(worker_chiangmai)
    shown = client.post("/api/v1/registrations/", registration(), format="json")
    assert shown.status_code == 200, shown.json()
    assert [m["person"] for m in shown.json()["matches"]] == [existing.person_id]
    assert Case.objects.count() == 1

    linked = client.post(
        "/api/v1/registrations/", registration(link_person=existing.person_id), format="json"
    )
    assert linked.status_code == 201 and linked.json()["person"] == existing.person_id
    new = client.post("/api/v1/registrations/", registration(confirmed_new=True), format="json")
    assert new.status_code == 201 and new.json()["person"] != existing.person_id
    assert Person.objects.count() == 2

    # Tak sees nothing of Chiang Mai's persons: registering there, the match is "elsewhere".
    theirs = api(worker_tak).post("/api/v1/registrations/", registration(), format="json")
    assert theirs.json()["matches"] == [] and theirs.json()["elsewhere"] is True
    hidden = api(worker_tak).post(
        "/api/v1/registrations/", registration(link_person=existing.person_id), format="json"
    )
    assert hidden.status_code == 404
    assert api(director_kredtrakarn).post("/api/v1/registrations/", {}).status_code == 403


def test_a_registration_with_bad_input_is_a_thai_problem(worker_chiangmai):
    bad = api(worker_chiangmai).post(
        "/api/v1/registrations/",
        registration(person={"sex": "x"}, case={"intake_province": "99"}),
        format="json",
    )
    body = assert_thai_problem(bad, 400, "person.sex", "case.intake_province")
    assert "case.intake_date" in body["errors"]


def test_a_case_timeline_is_read_as_the_case_page_shows_it(worker_chiangmai, worker_tak):
    case = register_case(worker_chiangmai)
    timeline = api(worker_chiangmai).get(f"/api/v1/cases/{case.pk}/timeline/")
    assert timeline.status_code == 200 and timeline.json()[0]["kind"] == "opened"
    assert api(worker_tak).get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404
