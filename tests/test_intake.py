"""Mass intake for an operation: a file of persons is checked row by row, nothing is saved
until the worker confirms, and the import saves every person and case or none."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Organisation
from cases import intake, services, tasks
from cases.models import Case, IntakeBatch, Person
from cases.services import DocumentInput
from tests.factories import register_case, thai_id

pytestmark = pytest.mark.django_db

HEADER = (
    "name_th,name_latin,name_native,sex,date_of_birth,nationality,languages,"
    "document_kind,document_number,exploitation_types,risk_level"
)
SOMCHAI_ID = thai_id("110170012345")
GOOD_ROWS = [
    f"สมชาย ใจดี,Somchai Jaidee,,male,1990-05-01,TH,th,thai_id,{SOMCHAI_ID},labour_fishing,high",
    'มะ ลา,Ma La,မလ,female,2540-03-12,MM,"my, shn",passport,MB123456,scam_compound,critical',
    "คำ พอน,Kham Phone,ຄຳພອນ,male,,LA,lo,,,labour_agriculture,",
    "สรอย ดารา,Sroy Dara,ស្រី ដារា,female,2001-12-24,KH,km,passport,N0412345,sexual,medium",
]


CUSTODY = dt.datetime(2026, 11, 20, 5, 30, tzinfo=dt.UTC)


def csv_upload(rows, *, header=HEADER, encoding="utf-8-sig", name="persons.csv"):
    text = "\r\n".join([header, *rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def english(client):
    """Messages asserted in English, whatever the Thai catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def operation(worker_chiangmai):
    return services.operation_create(
        actor=worker_chiangmai,
        name="Rescue from a scam compound, Mae Sot",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 20),
        custody_started_at=CUSTODY,
        lead_agency="DSI",
    )


def upload(client, operation, file):
    return client.post(reverse("cases:intake_upload", args=[operation.pk]), {"file": file})


def confirm(client, batch, django_capture_on_commit_callbacks, same=None, **links):
    """Post the preview's form: `links` row -> person id, `same` row -> an earlier row or
    "different"."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("cases:intake_confirm", args=[batch.operation_id, batch.pk]),
            {
                **{f"link-{row}": person_id for row, person_id in links.items()},
                **{f"same-{row}": answer for row, answer in (same or {}).items()},
            },
            follow=True,
        )


def test_a_good_csv_with_a_bom_and_thai_text_is_previewed_then_imported_all_together(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    response = upload(english, operation, csv_upload(GOOD_ROWS))

    batch = IntakeBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:intake_preview", args=[operation.pk, batch.pk])
    assert batch.errors == [] and batch.total == 4 and batch.status == "validated"
    assert Person.objects.count() == 0, "nothing is saved before the worker confirms"
    preview = english.get(response["Location"]).content.decode()
    assert "สมชาย ใจดี" in preview and "မလ" in preview
    assert "Confirm and register 4 persons" in preview

    page = confirm(english, batch, django_capture_on_commit_callbacks)

    batch.refresh_from_db()
    assert batch.status == "done"
    cases = Case.objects.filter(operation=operation).select_related("person")
    assert sorted(batch.case_ids) == sorted(case.pk for case in cases)
    assert len({case.number for case in cases}) == 4
    assert {case.person.name_th for case in cases} == {
        "สมชาย ใจดี",
        "มะ ลา",
        "คำ พอน",
        "สรอย ดารา",
    }
    ma_la = Person.objects.get(name_latin="Ma La")
    assert ma_la.date_of_birth == dt.date(1997, 3, 12), "a Buddhist-era year is converted"
    assert ma_la.languages == ["my", "shn"] and ma_la.name_native == "မလ"
    assert ma_la.documents.get().number == "MB123456"
    assert all(case.owner == operation.organisation for case in cases)
    assert all(case.intake_province == operation.province for case in cases)
    assert "0 of 4 rows imported" in page.content.decode(), "the task runs after the commit"
    progress = english.get(reverse("cases:intake_progress", args=[operation.pk, batch.pk]))
    assert "4 of 4 rows imported" in progress.content.decode()
    assert "hx-get" not in progress.content.decode(), "polling stops once done"
    assert reverse("cases:operation_detail", args=[operation.pk]) in progress.content.decode()

    detail = english.get(reverse("cases:operation_detail", args=[operation.pk]))
    assert {case.number for case in cases} <= {c.number for c in detail.context["cases"]}


def test_a_file_with_wrong_columns_gets_one_message_naming_them(
    english, worker_chiangmai, operation
):
    english.force_login(worker_chiangmai)
    header = "name_th,name_latin,date_of_birth,nationalty,favourite_colour"
    response = upload(
        english, operation, csv_upload(["สมชาย,Somchai,1990-01-01,TH,red"], header=header)
    )

    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["file"])
    assert "nationalty (did you mean nationality?)" in message
    assert "favourite_colour" in message
    assert "Missing columns: sex, nationality." in message
    assert IntakeBatch.objects.count() == 0
    assert Person.objects.count() == 0


def test_a_file_in_thai_windows_encoding_is_refused_with_a_clear_message(
    english, worker_chiangmai, operation
):
    english.force_login(worker_chiangmai)
    row = "สมชาย ใจดี,Somchai Jaidee,,male,1990-05-01,TH,th,,,,"
    response = upload(english, operation, csv_upload([row], encoding="cp874"))

    message = " ".join(response.context["form"].errors["file"])
    assert "The file is not UTF-8 text: save it as 'CSV UTF-8'" in message
    assert IntakeBatch.objects.count() == 0


def test_utf8_without_a_bom_and_utf16_are_read(english, worker_chiangmai, operation):
    english.force_login(worker_chiangmai)
    assert upload(english, operation, csv_upload(GOOD_ROWS, encoding="utf-8")).status_code == 302
    tabbed = [row.replace('"my, shn"', "my").replace(",", "\t") for row in GOOD_ROWS]
    utf16 = csv_upload(tabbed, header=HEADER.replace(",", "\t"), encoding="utf-16")
    assert upload(english, operation, utf16).status_code == 302
    assert [batch.errors for batch in IntakeBatch.objects.all()] == [[], []]
    assert IntakeBatch.objects.first().rows[0]["raw"]["name_th"] == "สมชาย ใจดี"


def test_bad_rows_are_listed_with_their_row_numbers_and_cannot_be_confirmed(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    rows = [
        GOOD_ROWS[0].replace(SOMCHAI_ID, SOMCHAI_ID[:-1] + str((int(SOMCHAI_ID[-1]) + 1) % 10)),
        GOOD_ROWS[1].replace("2540-03-12", "2099-01-01"),
        GOOD_ROWS[2].replace(",LA,", ",XX,"),
        GOOD_ROWS[3],
    ]
    response = upload(english, operation, csv_upload(rows))
    batch = IntakeBatch.objects.get()
    page = english.get(response["Location"]).content.decode()

    assert {(error["row"], error["field"]) for error in batch.errors} == {
        (2, "document_number"),
        (3, "date_of_birth"),
        (4, "nationality"),
    }
    assert "not a valid Thai ID number" in page
    assert "This date is in the future." in page
    assert "Unknown country code: XX" in page
    assert "Row 2" in page and "Row 3" in page and "Row 4" in page
    assert "Confirm and register" not in page

    refused = confirm(english, batch, django_capture_on_commit_callbacks)

    assert "correct them in the file and upload it again" in refused.content.decode()
    batch.refresh_from_db()
    assert batch.status == "validated"
    assert Person.objects.count() == 0 and Case.objects.count() == 0


def test_the_same_document_on_two_rows_is_one_person_registered_once(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload([GOOD_ROWS[1], GOOD_ROWS[1].replace("Ma La", "Mya")]))
    batch = IntakeBatch.objects.get()

    assert batch.errors == []
    [repeat] = batch.rows[1]["data"]["repeats"]
    assert (repeat["row"], repeat["score"], repeat["same_document"]) == (2, 100, True)
    preview = english.get(reverse("cases:intake_preview", args=[operation.pk, batch.pk]))
    row = preview.context["rows"][1]
    assert row["must_merge"] and row["same_as"] == 2, "the only answer, chosen already"
    assert 'value="different"' not in preview.content.decode()

    refused = confirm(english, batch, django_capture_on_commit_callbacks, same={3: "different"})
    assert "Row 3 holds the same identity document as row 2" in refused.content.decode()
    assert Person.objects.count() == 0

    confirm(english, batch, django_capture_on_commit_callbacks, same={3: 2})

    person = Person.objects.get()
    assert person.name_latin == "Ma La" and person.aliases == ["Mya"]
    assert person.documents.count() == 1 and person.cases.count() == 1


def test_an_excel_file_works_with_real_dates_and_numeric_ids(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name_th", "name_latin", "sex", "date_of_birth", "nationality",
                  "document_kind", "document_number", "age_disputed"])  # fmt: skip
    sheet.append(["สมหญิง รักดี", "Somying Rakdee", "หญิง", dt.datetime(1988, 2, 29), "TH",
                  "thai_id", int(SOMCHAI_ID), False])  # fmt: skip
    sheet.append([None, "Aung Ko", "male", None, "Myanmar", None, None, "yes"])
    content = io.BytesIO()
    workbook.save(content)
    english.force_login(worker_chiangmai)

    response = upload(english, operation, SimpleUploadedFile("raid.xlsx", content.getvalue()))
    batch = IntakeBatch.objects.get()
    assert response.status_code == 302 and batch.errors == []
    confirm(english, batch, django_capture_on_commit_callbacks)

    somying = Person.objects.get(name_latin="Somying Rakdee")
    assert somying.sex == "female" and somying.date_of_birth == dt.date(1988, 2, 29)
    assert somying.documents.get().number == SOMCHAI_ID
    aung = Person.objects.get(name_latin="Aung Ko")
    assert aung.nationality == "MM" and aung.age_disputed and aung.is_child
    assert Case.objects.filter(operation=operation).count() == 2


def test_a_duplicate_of_an_existing_person_is_flagged_and_can_be_linked(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    existing = register_case(
        worker_chiangmai,
        name_th="มะ ลา",
        name_latin="Ma La",
        date_of_birth=dt.date(1997, 3, 12),
        nationality="MM",
        documents=[DocumentInput("passport", "MB123456")],
    ).person
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS[:2]))
    batch = IntakeBatch.objects.get()

    assert batch.errors == []
    assert existing.pk in [match["person_id"] for match in batch.duplicates["3"]]
    preview = english.get(reverse("cases:intake_preview", args=[operation.pk, batch.pk]))
    row = next(row for row in preview.context["rows"] if row["number"] == 3)
    assert row["must_link"] and row["linked"] == existing.pk, "same passport: linking is offered"

    confirm(english, batch, django_capture_on_commit_callbacks, **{"3": existing.pk})

    batch.refresh_from_db()
    assert batch.status == "done"
    assert Person.objects.filter(name_latin="Ma La").count() == 1
    assert existing.cases.filter(operation=operation).count() == 1
    assert Person.objects.count() == 2


def test_a_row_holding_an_existing_persons_document_must_be_linked_to_them(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    register_case(
        worker_chiangmai,
        name_latin="Ma La",
        documents=[DocumentInput("passport", "MB123456")],
    )
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS[:2]))
    batch = IntakeBatch.objects.get()

    refused = confirm(english, batch, django_capture_on_commit_callbacks)

    assert "Row 3: the identity document is already on an existing person" in (
        refused.content.decode()
    )
    assert IntakeBatch.objects.get().status == "validated"
    assert Person.objects.count() == 1


def test_another_offices_person_is_shown_neither_by_name_nor_by_case_number(
    english, worker_chiangmai, worker_tak, operation
):
    theirs = register_case(
        worker_tak,
        name_th="ดอว์ ซาน",
        name_latin="Daw San Kyi",
        nationality="MM",
        documents=[DocumentInput("passport", "MB123456")],
    )
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS[:2]))
    batch = IntakeBatch.objects.get()
    page = english.get(reverse("cases:intake_preview", args=[operation.pk, batch.pk]))
    text = page.content.decode()

    assert [(e["row"], e["field"]) for e in batch.errors] == [(3, "document_number")]
    assert "central division" in batch.errors[0]["message"]
    office = Organisation.objects.get(code="pso-63")
    for secret in (theirs.number, office.name_en, office.name_th, "Daw San Kyi", "ดอว์ ซาน"):
        assert secret not in text and secret not in batch.errors[0]["message"], secret
    assert "link-3" not in text


def test_a_failure_in_the_middle_of_the_import_leaves_nothing_behind(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks, monkeypatch
):
    worker_chiangmai.language = "en"
    worker_chiangmai.save(update_fields=["language"])
    # Eight different persons: the same name on each row would make them one (a repeat).
    rows = [f"คำ พอน {n},Kham Phone {n},,male,,LA,lo,,,labour_agriculture," for n in range(8)]
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(rows))
    batch = IntakeBatch.objects.get()
    real_register = intake.operation_persons_register

    def register_then_refuse_the_fifth(**kwargs):
        real_register(**kwargs)
        raise services.RegistrationRefused(4, ["The counter is broken."])

    monkeypatch.setattr(intake, "operation_persons_register", register_then_refuse_the_fifth)
    persons_before = Person.objects.count()

    confirm(english, batch, django_capture_on_commit_callbacks)

    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.failure_message == "Row 6: The counter is broken. Nothing was saved."
    assert Person.objects.count() == persons_before
    assert Case.objects.count() == 0
    page = english.get(reverse("cases:intake_progress", args=[operation.pk, batch.pk]))
    assert "Row 6: The counter is broken." in page.content.decode()


def test_a_document_registered_elsewhere_after_the_check_fails_the_import_at_its_row(
    english, worker_chiangmai, worker_tak, operation, django_capture_on_commit_callbacks
):
    worker_chiangmai.language = "en"
    worker_chiangmai.save(update_fields=["language"])
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS))
    batch = IntakeBatch.objects.get()
    # Between the check and the confirmation, another office registers Ma La's passport.
    services.person_create(
        actor=worker_tak,
        sex="female",
        name_latin="Ma Lay",
        documents=[DocumentInput(kind="passport", number="MB123456")],
    )
    persons_before = Person.objects.count()

    confirm(english, batch, django_capture_on_commit_callbacks)

    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.failure_message == (
        "Row 3: This document is already on another person's record: link to that person. "
        "Nothing was saved."
    )
    assert Person.objects.count() == persons_before
    assert not Case.objects.filter(operation=operation).exists()


def test_a_second_confirmation_is_refused_and_imports_nothing_more(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks
):
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS))
    batch = IntakeBatch.objects.get()
    confirm(english, batch, django_capture_on_commit_callbacks)

    again = confirm(english, batch, django_capture_on_commit_callbacks)

    assert "This file has already been imported." in again.content.decode()
    assert Case.objects.count() == 4


def test_the_progress_fragment_polls_while_the_import_runs(english, worker_chiangmai, operation):
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS))
    batch = IntakeBatch.objects.get()
    IntakeBatch.objects.filter(pk=batch.pk).update(status="importing")
    cache.set(f"cases:intake:{batch.pk}:processed", 2)

    fragment = english.get(
        reverse("cases:intake_progress_status", args=[operation.pk, batch.pk])
    ).content.decode()

    assert "2 of 4 rows imported" in fragment
    assert 'hx-trigger="every 1s"' in fragment
    cache.delete(f"cases:intake:{batch.pk}:processed")


def test_the_upload_page_documents_the_columns_and_offers_the_template(
    english, worker_chiangmai, operation
):
    english.force_login(worker_chiangmai)
    page = english.get(reverse("cases:intake_upload", args=[operation.pk])).content.decode()
    template = english.get(reverse("cases:intake_template", args=[operation.pk]))

    assert all(f"<code>{column}</code>" in page for column in intake.COLUMN_NAMES)
    assert template.content.startswith(b"\xef\xbb\xbf")
    assert template.content.decode("utf-8-sig").strip().split(",") == list(intake.COLUMN_NAMES)


def test_a_worker_records_an_operation_and_sees_only_their_offices_operations(
    english, worker_chiangmai, worker_tak
):
    services.operation_create(
        actor=worker_tak,
        name="Fishing boat inspection, Tak",
        province=worker_tak.membership.organisation.province,
        started_on=dt.date(2026, 11, 2),
        custody_started_at=CUSTODY,
    )
    english.force_login(worker_chiangmai)
    response = english.post(
        reverse("cases:operation_create"),
        {
            "name": "Karaoke bar raid",
            "province": worker_chiangmai.membership.organisation.province_id,
            "started_on": "2026-11-10",
            "custody_started_at": "10/11/2569 22:15",
            "lead_agency": "Provincial police",
        },
    )
    assert response.status_code == 302

    listed = english.get(reverse("cases:operation_list")).context["operations"]
    assert [operation.name for operation in listed] == ["Karaoke bar raid"]
    assert listed[0].organisation == worker_chiangmai.membership.organisation
    assert timezone.localtime(listed[0].custody_started_at).replace(tzinfo=None) == dt.datetime(
        2026, 11, 10, 22, 15
    ), "typed in Thai time, with a Buddhist-era year"


def test_another_provinces_worker_gets_404_on_the_operation_and_its_files(
    client, worker_chiangmai, worker_tak, operation
):
    client.force_login(worker_chiangmai)
    upload(client, operation, csv_upload(GOOD_ROWS))
    batch = IntakeBatch.objects.get()
    client.force_login(worker_tak)

    for name, args in [
        ("cases:operation_detail", [operation.pk]),
        ("cases:intake_upload", [operation.pk]),
        ("cases:intake_template", [operation.pk]),
        ("cases:intake_preview", [operation.pk, batch.pk]),
        ("cases:intake_progress", [operation.pk, batch.pk]),
        ("cases:intake_progress_status", [operation.pk, batch.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert (
        client.post(reverse("cases:intake_confirm", args=[operation.pk, batch.pk])).status_code
        == 404
    )
    assert IntakeBatch.objects.get().status == "validated"


def test_a_shelter_director_is_forbidden_the_operation_pages(
    client, director_kredtrakarn, operation
):
    client.force_login(director_kredtrakarn)
    for url in [
        reverse("cases:operation_list"),
        reverse("cases:operation_create"),
        reverse("cases:operation_detail", args=[operation.pk]),
        reverse("cases:intake_upload", args=[operation.pk]),
    ]:
        assert client.get(url).status_code == 403, url


def test_a_broker_outage_at_confirmation_fails_the_batch_instead_of_leaving_it_stuck(
    english, worker_chiangmai, operation, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(tasks.intake_import_task, "apply_async", broker_down)
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS))
    batch = IntakeBatch.objects.get()

    confirm(english, batch, django_capture_on_commit_callbacks)

    batch.refresh_from_db()
    assert batch.status == "failed"
    assert "could not be started" in batch.failure_message
    assert Person.objects.count() == 0


def test_a_row_cannot_be_linked_to_another_offices_person_even_by_a_forged_form(
    english, worker_chiangmai, worker_tak, operation, django_capture_on_commit_callbacks
):
    theirs = register_case(
        worker_tak, name_th="คำ พอน", name_latin="Kham Phone", nationality="LA"
    ).person
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS))
    batch = IntakeBatch.objects.get()
    assert theirs.pk in [match["person_id"] for match in batch.duplicates.get("4", [])]

    refused = confirm(english, batch, django_capture_on_commit_callbacks, **{"4": theirs.pk})

    assert "Row 4: this person cannot be linked." in refused.content.decode()
    assert IntakeBatch.objects.get().status == "validated"
    assert not theirs.cases.filter(owner=operation.organisation).exists()


@pytest.mark.parametrize("rows", [1, 4])
def test_the_operation_pages_cost_the_same_queries_whatever_the_number_of_cases(
    english,
    worker_chiangmai,
    operation,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    rows,
):
    english.force_login(worker_chiangmai)
    upload(english, operation, csv_upload(GOOD_ROWS[:rows]))
    batch = IntakeBatch.objects.get()
    confirm(english, batch, django_capture_on_commit_callbacks)

    # 12: one is the check for a live access grant (cases/selectors.py), which spares the
    # list's query two subqueries for the many users who have none; one the audit event of
    # the cases listed (audit.reads.record_list).
    with django_assert_max_num_queries(12):
        english.get(reverse("cases:operation_detail", args=[operation.pk]))
    with django_assert_max_num_queries(9):
        english.get(reverse("cases:intake_preview", args=[operation.pk, batch.pk]))
    with django_assert_max_num_queries(8):
        english.get(reverse("cases:operation_list"))


def test_unconfirmed_files_are_deleted_after_a_week_and_imported_ones_emptied(worker_chiangmai):
    import datetime as dt

    from django.utils import timezone

    from cases.intake import intake_batches_purge
    from cases.models import IntakeBatch, Operation
    from cases.services import operation_create

    operation = operation_create(
        actor=worker_chiangmai,
        name="ทดสอบ",
        province=worker_chiangmai.membership.organisation.province,
        started_on=dt.date(2026, 11, 1),
        custody_started_at=CUSTODY,
    )
    old = timezone.now() - dt.timedelta(days=8)
    common = {"operation": operation, "uploaded_by": worker_chiangmai, "file_name": "f.csv"}
    waiting = IntakeBatch.objects.create(status="validated", rows=[{"row": 2}], **common)
    imported = IntakeBatch.objects.create(status="done", rows=[{"row": 2}], **common)
    fresh = IntakeBatch.objects.create(status="validated", rows=[{"row": 2}], **common)
    IntakeBatch.objects.filter(pk__in=[waiting.pk, imported.pk]).update(created_at=old)
    assert intake_batches_purge() == 2
    assert not IntakeBatch.objects.filter(pk=waiting.pk).exists()
    imported.refresh_from_db()
    assert imported.rows == []
    assert IntakeBatch.objects.get(pk=fresh.pk).rows == [{"row": 2}]
    assert Operation.objects.filter(pk=operation.pk).exists()
