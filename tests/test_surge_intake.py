"""Surge intake (issue 16): importing an operation's file starts every person's identification
from the custody start, in the import's transaction; a bulk start for persons imported
before; the operation's clocks on its page; the same person twice in one file; strong matches
to registered persons linked unless the worker says otherwise, the new spelling kept."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cases import intake, services
from cases.intake.cells import cell_datetime
from cases.models import Case, IntakeBatch, Operation, Person, Screening
from core.domain import ActionForbidden
from sla.models import Clock, Deadline
from tests.factories import register_case, screening_in_state
from tests.test_intake import confirm, csv_upload, upload

pytestmark = pytest.mark.django_db

CUSTODY = dt.datetime(2026, 11, 20, 5, 30, tzinfo=dt.UTC)  # 12:30 in Bangkok
HEADER = "name_th,name_latin,sex,date_of_birth,estimated_age,nationality,custody_started_at"


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def operation(worker_chiangmai):
    return services.operation_create(
        actor=worker_chiangmai,
        name="Release from a scam compound",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 20),
        custody_started_at=CUSTODY,
    )


def made_up_name(number: int) -> str:
    """A name of two made-up words, unlike every other number's (no repeat in the file)."""
    r = random.Random(number)  # noqa: S311 (test data)

    def word() -> str:
        return "".join(r.choice("bdgklmnprstvz") + r.choice("aeiou") for _ in range(3)).title()

    return f"{word()} {word()}"


def row(latin="", *, thai="", sex="female", born="", age="30", nationality="MM", custody=""):
    return f"{thai},{latin},{sex},{born},{'' if born else age},{nationality},{custody}"


def preview_of(client, batch):
    return client.get(reverse("cases:intake_preview", args=[batch.operation_id, batch.pk]))


def identification_deadlines():
    return Deadline.objects.filter(clock=Clock.IDENTIFICATION)


# --- The import starts every identification -------------------------------------------------


@pytest.mark.slow  # 300 persons, cases and screenings: 5 to 8 s (the rows below check the same)
def test_300_persons_imported_have_300_open_screenings_due_24_hours_after_custody(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    rows = [row(made_up_name(n), age=str(18 + n % 30)) for n in range(300)]
    upload(english, operation, csv_upload(rows, header=HEADER))
    batch = IntakeBatch.objects.get()
    assert batch.errors == [] and not any(entry["data"]["repeats"] for entry in batch.rows)

    confirm(english, batch, django_capture_on_commit_callbacks)

    batch.refresh_from_db()
    assert batch.status == "done" and len(batch.case_ids) == 300
    screenings = Screening.objects.filter(case__operation=operation)
    assert screenings.count() == 300
    assert set(screenings.values_list("status", "custody_started_at", "deadline_at")) == {
        ("open", CUSTODY, CUSTODY + dt.timedelta(hours=24))
    }
    deadlines = identification_deadlines()
    assert deadlines.count() == 300
    assert set(deadlines.values_list("started_at", "due_at", "closed_at")) == {
        (CUSTODY, CUSTODY + dt.timedelta(hours=24), None)
    }
    assert set(deadlines.values_list("object_id", flat=True)) == set(
        screenings.values_list("pk", flat=True)
    )


def test_a_failure_midway_leaves_no_screening_and_no_clock(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks, monkeypatch
):
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload([row(made_up_name(n)) for n in range(12)], header=HEADER))
    batch = IntakeBatch.objects.get()
    real_register = intake.operation_persons_register

    def register_then_refuse_the_tenth(**kwargs):
        real_register(**kwargs)
        raise services.RegistrationRefused(9, ["The counter is broken."])

    monkeypatch.setattr(intake, "operation_persons_register", register_then_refuse_the_tenth)

    confirm(english, batch, django_capture_on_commit_callbacks)

    assert IntakeBatch.objects.get().status == "failed"
    assert not Screening.objects.exists() and not identification_deadlines().exists()
    assert not Case.objects.exists() and not Person.objects.exists()


def test_a_row_may_give_its_own_custody_start_in_either_era(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    rows = [
        row("Aung Kyaw Moe", custody="21/11/2569 08:00"),
        row("Khin Nyein Aye", custody="2026-11-20 23:15"),
        row("Sok Dara", nationality="KH"),
    ]
    upload(english, operation, csv_upload(rows, header=HEADER))
    batch = IntakeBatch.objects.get()
    assert batch.errors == []
    assert "Custody started 21/11/2569 08:00" in preview_of(english, batch).content.decode()

    confirm(english, batch, django_capture_on_commit_callbacks)

    bangkok = dt.timezone(dt.timedelta(hours=7))
    started = dict(Screening.objects.values_list("case__person__name_latin", "custody_started_at"))
    assert started == {
        "Aung Kyaw Moe": dt.datetime(2026, 11, 21, 8, 0, tzinfo=bangkok),
        "Khin Nyein Aye": dt.datetime(2026, 11, 20, 23, 15, tzinfo=bangkok),
        "Sok Dara": CUSTODY,
    }
    for screening in Screening.objects.all():
        assert screening.deadline_at == screening.custody_started_at + dt.timedelta(hours=24)


def test_a_spreadsheet_date_and_time_is_read_in_thai_time_and_a_date_alone_is_refused():
    with translation.override("en"):
        moment = cell_datetime(dt.datetime(2569, 11, 21, 8, 0))
        assert moment == timezone.make_aware(dt.datetime(2026, 11, 21, 8, 0))
        with pytest.raises(ValidationError, match="is not a date and time"):
            cell_datetime("21/11/2569")
        with pytest.raises(ValidationError, match="is not a date and time"):
            cell_datetime(dt.date(2026, 11, 21))


def test_a_custody_start_in_the_future_or_before_the_operation_is_refused(
    english, worker_chiangmai, operation
):
    english.force_login(worker_chiangmai)
    future = timezone.localtime() + dt.timedelta(hours=2)
    rows = [
        row("Aung Kyaw Moe", custody=future.strftime("%Y-%m-%d %H:%M")),
        row("Khin Nyein Aye", custody="19/11/2569 23:00"),
        row("Sok Dara", nationality="KH", custody="yesterday"),
    ]
    upload(english, operation, csv_upload(rows, header=HEADER))
    batch = IntakeBatch.objects.get()

    assert [(error["row"], error["field"]) for error in batch.errors] == [
        (2, "custody_started_at"),
        (3, "custody_started_at"),
        (4, "custody_started_at"),
    ]
    assert batch.errors[0]["message"] == "This date is in the future."
    assert batch.errors[1]["message"] == (
        "Custody cannot have started before the day of the operation (20 Nov 2026)."
    )
    assert not batch.can_confirm

    with pytest.raises(ValidationError) as refused:
        services.operation_create(
            actor=worker_chiangmai,
            name="Raid",
            province=operation.province,
            started_on=timezone.localdate(),
            custody_started_at=timezone.now() + dt.timedelta(hours=1),
        )
    assert "custody_started_at" in refused.value.message_dict
    page = english.post(
        reverse("cases:operation_create"),
        {
            "name": "Raid",
            "province": operation.province_id,
            "started_on": "2026-11-20",
            "custody_started_at": "19/11/2569 22:00",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["custody_started_at"] == [
        "Custody cannot have started before the day of the operation (20 Nov 2026)."
    ]
    assert Operation.objects.count() == 1


def test_an_operation_is_not_recorded_without_its_custody_start(english, worker_chiangmai):
    english.force_login(worker_chiangmai)
    page = english.post(
        reverse("cases:operation_create"),
        {
            "name": "Raid",
            "province": worker_chiangmai.membership.organisation.province_id,
            "started_on": "2026-11-20",
        },
    )
    assert page.status_code == 200 and "custody_started_at" in page.context["form"].errors
    assert not Operation.objects.exists()


def test_without_a_custody_start_on_the_operation_or_the_row_nothing_is_imported(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    # An operation recorded before the custody start was asked.
    Operation.objects.filter(pk=operation.pk).update(custody_started_at=None)
    english.force_login(worker_chiangmai)
    plain = "name_latin,name_th,sex,date_of_birth,nationality"

    response = upload(english, operation, csv_upload(["Aung Kyaw Moe,,male,,MM"], header=plain))

    assert "add the column custody_started_at" in " ".join(response.context["form"].errors["file"])
    assert not IntakeBatch.objects.exists()

    rows = [row("Aung Kyaw Moe", custody="20/11/2569 09:00"), row("Khin Nyein Aye")]
    upload(english, operation, csv_upload(rows, header=HEADER))
    batch = IntakeBatch.objects.get()
    assert batch.errors == [
        {
            "row": 3,
            "field": "custody_started_at",
            "message": "Give the date and time this person was taken into custody: the "
            "operation does not record one.",
        }
    ]
    refused = confirm(english, batch, django_capture_on_commit_callbacks)
    assert "correct them in the file" in refused.content.decode()
    assert not Screening.objects.exists() and not Person.objects.exists()


# --- Starting the screening of persons imported before ----------------------------------------


def case_in_operation(actor, operation, **person):
    """A case of the operation, opened as an import before this change left it: no screening."""
    case = register_case(actor, **person)
    Case.objects.filter(pk=case.pk).update(operation=operation)
    return case


def test_one_post_starts_every_missing_screening_once(
    english, worker_chiangmai, supervisor_chiangmai, operation, central_reviewer
):
    waiting = [
        case_in_operation(worker_chiangmai, operation, name_latin=f"Person {n}") for n in range(3)
    ]
    screened = case_in_operation(worker_chiangmai, operation, name_latin="Screened")
    decided = case_in_operation(worker_chiangmai, operation, name_latin="Decided")
    screening_in_state(worker_chiangmai, "open", case=screened)
    screening_in_state(worker_chiangmai, "decided", case=decided)
    closed = case_in_operation(worker_chiangmai, operation, name_latin="Closed")
    services.case_close(case_id=closed.pk, actor=worker_chiangmai, reason="ส่งกลับแล้ว")
    english.force_login(supervisor_chiangmai)
    page = english.get(reverse("cases:operation_detail", args=[operation.pk]))
    assert 'value="20/11/2026 12:30"' in page.content.decode(), "the operation's, in Thai time"
    assert page.context["clocks"]["without_screening"] == 3
    url = reverse("cases:operation_start_screenings", args=[operation.pk])
    later = timezone.localtime(CUSTODY + dt.timedelta(hours=2))

    response = english.post(url, {"custody_started_at": later.strftime("%d/%m/%Y %H:%M")})

    assert response.status_code == 302
    started = Screening.objects.filter(case__in=waiting)
    assert started.count() == 3
    assert set(started.values_list("custody_started_at", "deadline_at")) == {
        (later, later + dt.timedelta(hours=24))
    }
    assert identification_deadlines().filter(object_id__in=started.values("pk")).count() == 3
    assert screened.screenings.count() == 1 and decided.screenings.count() == 1
    assert not closed.screenings.exists()
    assert all(case.events.filter(kind="screening_started").exists() for case in waiting)

    again = english.post(url, {"custody_started_at": later.strftime("%d/%m/%Y %H:%M")}, follow=True)

    assert Screening.objects.count() == 5, "a second run starts nothing"
    assert "Every person of the operation has a screening already." in again.content.decode()
    assert not again.context["clocks"]["without_screening"]


def test_the_bulk_start_is_refused_to_other_roles_and_other_provinces(
    client, worker_chiangmai, worker_tak, director_kredtrakarn, central_reviewer, operation
):
    case = case_in_operation(worker_chiangmai, operation)
    url = reverse("cases:operation_start_screenings", args=[operation.pk])
    body = {"custody_started_at": "2026-11-20 13:00"}
    for user, status in [(director_kredtrakarn, 403), (central_reviewer, 403), (worker_tak, 404)]:
        client.force_login(user)
        assert client.post(url, body).status_code == status
    with pytest.raises(ActionForbidden):
        services.operation_screenings_start(
            operation_id=operation.pk, actor=worker_tak, custody_started_at=CUSTODY
        )
    client.force_login(worker_chiangmai)
    assert client.get(url).status_code == 405
    assert not case.screenings.exists()


def test_the_bulk_start_refuses_a_custody_start_in_the_future_or_before_the_operation(
    worker_chiangmai, operation
):
    case_in_operation(worker_chiangmai, operation)
    for moment in (timezone.now() + dt.timedelta(minutes=5), CUSTODY - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            services.operation_screenings_start(
                operation_id=operation.pk, actor=worker_chiangmai, custody_started_at=moment
            )
        assert list(refused.value.message_dict) == ["custody_started_at"]
    assert not Screening.objects.exists()


# --- The operation's clocks -----------------------------------------------------------------


def test_the_operation_page_counts_open_due_soon_and_breached_clocks(
    english, worker_chiangmai, operation
):
    now = timezone.now()
    for hours_ago in (1, 2, 20, 30, 50):  # due in 23 h, 22 h, 4 h; breached; breached
        case = case_in_operation(worker_chiangmai, operation, name_latin=f"Held {hours_ago}")
        screening_in_state(
            worker_chiangmai,
            "open",
            case=case,
            custody_started_at=now - dt.timedelta(hours=hours_ago),
        )
    decided = case_in_operation(worker_chiangmai, operation, name_latin="Decided")
    screening_in_state(worker_chiangmai, "decided", case=decided)
    case_in_operation(worker_chiangmai, operation, name_latin="Waiting")
    register_case(worker_chiangmai, name_latin="Elsewhere")  # not in the operation
    english.force_login(worker_chiangmai)

    page = english.get(reverse("cases:operation_detail", args=[operation.pk]))

    assert page.context["clocks"] == {
        "open": 5,
        "due_soon": 1,
        "breached": 2,
        "without_screening": 1,
    }
    text = page.content.decode()
    assert 'data-testid="clocks-open">5<' in text
    assert 'data-testid="clocks-due-soon">1<' in text
    assert 'data-testid="clocks-breached">2<' in text
    assert 'data-testid="start-screenings"' in text


# --- The same person twice in one file --------------------------------------------------------


def test_two_identical_rows_without_a_document_are_flagged_and_need_an_answer(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    same = row("Aung Kyaw Moe", thai="อ่อง จ่อ โม", sex="male", age="")
    upload(
        english,
        operation,
        csv_upload([same, row("Sok Dara", nationality="KH"), same], header=HEADER),
    )
    batch = IntakeBatch.objects.get()

    repeats = {entry["row"]: entry["data"]["repeats"] for entry in batch.rows}
    assert [r["row"] for r in repeats[2]] == [4] and [r["row"] for r in repeats[4]] == [2]
    assert repeats[3] == [] and not repeats[4][0]["same_document"]
    text = preview_of(english, batch).content.decode()
    assert 'data-testid="repeat-2-4"' in text and 'data-testid="repeat-4-2"' in text
    assert 'name="same-4"' in text and 'name="same-2"' not in text
    assert 'value="different"' in text

    refused = confirm(english, batch, django_capture_on_commit_callbacks)

    assert "Row 4 may be the same person as row 2" in refused.content.decode()
    assert IntakeBatch.objects.get().status == "validated" and not Person.objects.exists()

    confirm(english, batch, django_capture_on_commit_callbacks, same={4: 2})

    assert Person.objects.filter(name_latin="Aung Kyaw Moe").count() == 1
    assert Case.objects.count() == 2 and Screening.objects.count() == 2
    assert IntakeBatch.objects.get().processed == 3


def test_rows_kept_as_different_persons_are_both_registered(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload([row("Aung Aung", age="")] * 2, header=HEADER))
    batch = IntakeBatch.objects.get()

    confirm(english, batch, django_capture_on_commit_callbacks, same={3: "different"})

    assert Person.objects.filter(name_latin="Aung Aung").count() == 2
    assert Screening.objects.count() == 2


def test_the_same_person_in_two_scripts_is_flagged_and_merged_with_both_spellings(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    rows = [
        row("Somsri Jaidee", born="1995-03-02", nationality="TH"),
        row("Somying Rakthai", born="1990-01-01", nationality="TH"),
        row(thai="สมศรี ใจดี", born="2538-03-02", nationality="TH"),
    ]
    upload(english, operation, csv_upload(rows, header=HEADER))
    batch = IntakeBatch.objects.get()
    [repeat] = batch.rows[2]["data"]["repeats"]
    assert repeat["row"] == 2
    assert {"same name", "same date of birth", "same nationality"} <= set(repeat["reasons"])

    confirm(english, batch, django_capture_on_commit_callbacks, same={4: 2})

    somsri = Person.objects.get(name_latin="Somsri Jaidee")
    assert somsri.aliases == ["สมศรี ใจดี"] and somsri.cases.count() == 1
    assert Person.objects.count() == 2


def test_the_same_document_on_two_rows_is_flagged_and_can_only_be_one_person(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    header = "name_latin,name_th,sex,date_of_birth,nationality,document_kind,document_number"
    rows = ["Zaw Min,,male,,MM,passport,MC 100200", "Aung Aung,,male,,MM,passport,MC100200"]
    upload(english, operation, csv_upload(rows, header=header))
    batch = IntakeBatch.objects.get()

    assert batch.errors == []
    [repeat] = batch.rows[1]["data"]["repeats"]
    assert repeat["row"] == 2 and repeat["same_document"] and repeat["score"] == 100
    [first] = batch.rows[0]["data"]["repeats"]
    assert first["row"] == 3
    refused = confirm(english, batch, django_capture_on_commit_callbacks, same={3: "different"})
    assert "Row 3 holds the same identity document as row 2" in refused.content.decode()

    confirm(english, batch, django_capture_on_commit_callbacks, same={3: 2})

    zaw = Person.objects.get()
    assert zaw.aliases == ["Aung Aung"] and zaw.documents.count() == 1


def test_a_refused_confirmation_shows_the_page_again_with_the_answers_given(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    rows = [
        row("Aung Aung", age=""),
        row("Zaw Min", age=""),
        row("Aung Aung", age=""),
        row("Zaw Min", age=""),
    ]
    upload(english, operation, csv_upload(rows, header=HEADER))
    batch = IntakeBatch.objects.get()

    refused = confirm(english, batch, django_capture_on_commit_callbacks, same={4: "different"})

    assert refused.status_code == 200
    assert "Row 5 may be the same person as row 3" in refused.content.decode()
    answers = {r["number"]: r["same_as"] for r in refused.context["rows"]}
    assert answers[4] == "different" and answers[5] is None


# --- Matches against registered persons -------------------------------------------------------

REGISTERED = [
    row("Aung Kyaw Moe", thai="อ่อง จ่อ โม", sex="male", age="30"),
    row("Khin Nyein Aye", born="1997-03-12"),
    row("Sok Dara", nationality="KH", age="24"),
]


def import_file(client, operation, rows, capture, **choices):
    upload(client, operation, csv_upload(rows, header=HEADER))
    batch = IntakeBatch.objects.latest("pk")
    confirm(client, batch, capture, **choices)
    batch.refresh_from_db()
    assert batch.status == "done", batch.failure_message
    return batch


def test_a_reuploaded_files_strong_matches_default_to_their_persons_and_weak_ones_to_new(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    import_file(english, operation, REGISTERED, django_capture_on_commit_callbacks)
    persons = dict(Person.objects.values_list("name_latin", "pk"))
    weak = row("Aung Kyaw Mo", sex="male", age="")  # a similar name, nothing else agreeing
    upload(english, operation, csv_upload([*REGISTERED, weak], header=HEADER))
    batch = IntakeBatch.objects.latest("pk")

    preview = preview_of(english, batch)

    linked = {r["number"]: r["linked"] for r in preview.context["rows"]}
    assert linked == {
        2: persons["Aung Kyaw Moe"],
        3: persons["Khin Nyein Aye"],
        4: persons["Sok Dara"],
        5: None,
    }
    [weak_row] = [r for r in preview.context["rows"] if r["number"] == 5]
    assert [m["person_id"] for m in weak_row["linkable"]] == [persons["Aung Kyaw Moe"]]
    assert not weak_row["linkable"][0]["suggested"]
    assert preview.context["suggested_links"] == 3
    assert 'data-testid="accept-suggested"' in preview.content.decode()

    # The worker confirms what the page shows.
    shown = {str(number): person_id for number, person_id in linked.items() if person_id}
    assert [r["row"] for r in preview.context["rows"][3]["repeats"]] == [2]
    confirm(english, batch, django_capture_on_commit_callbacks, same={5: "different"}, **shown)

    assert Person.objects.count() == 4
    # Linked, but already in this operation: no second case (the same raid imported twice).
    assert Case.objects.filter(person_id=persons["Sok Dara"]).count() == 1


def test_accepting_all_suggested_links_links_every_strong_match(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    import_file(english, operation, REGISTERED, django_capture_on_commit_callbacks)
    upload(english, operation, csv_upload(REGISTERED, header=HEADER))
    batch = IntakeBatch.objects.latest("pk")

    with django_capture_on_commit_callbacks(execute=True):
        english.post(
            reverse("cases:intake_confirm", args=[operation.pk, batch.pk]),
            {"accept_suggested": "1", "link-2": "", "link-3": "", "link-4": ""},
        )

    batch.refresh_from_db()
    assert batch.status == "done"
    assert Person.objects.count() == 3, "nobody registered twice"
    # The same file imported twice into one operation: no second case or clock for anyone.
    assert all(person.cases.count() == 1 for person in Person.objects.all())
    assert Screening.objects.count() == 3
    assert batch.case_ids == []
    page = english.get(reverse("cases:intake_progress_status", args=[operation.pk, batch.pk]))
    text = page.content.decode()
    assert "0 cases opened" in text and "3 rows were persons already registered" in text


def test_a_linked_person_keeps_the_new_spelling_as_an_alias_and_is_found_by_it(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    existing = register_case(
        worker_chiangmai,
        name_th="",
        name_latin="Aung Kyaw Moe",
        sex="male",
        estimated_age=30,
        nationality="MM",
    ).person
    new_spelling = row("AUNG KYAW MOE", thai="อ่อง จ่อ โม", sex="male", age="30")

    import_file(
        english,
        operation,
        [new_spelling],
        django_capture_on_commit_callbacks,
        **{"2": existing.pk},
    )

    existing.refresh_from_db()
    assert existing.aliases == ["อ่อง จ่อ โม"], "the same name in capitals is not a new spelling"
    assert existing.cases.count() == 2
    found = english.get(reverse("cases:list"), {"q": "อ่อง จ่อ โม"}).context["page"]
    assert {case.person_id for case in found} == {existing.pk}
