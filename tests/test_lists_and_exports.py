"""The lists of cases, referrals and shelter stays, their filters, and their CSV and Excel
exports: the same rows on the page and in the files, never another office's, never a formula."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import services as cases
from cases.models import Case
from core.exports import export_response
from shelters import services as shelters
from tests.factories import (
    UserFactory,
    admission,
    case_in_state,
    referral_in_state,
    register_case,
)

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)"]


# --- Helpers ----------------------------------------------------------------------------------


def signed_in(client, user, language=None):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def listed(client, name, **params):
    """The numbers of the cases on the list page, and its total."""
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    page = response.context["page"]
    return [row_number(row) for row in page], page.paginator.count


def row_number(row):
    return row.number if isinstance(row, Case) else row.case.number


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    assert response.streaming  # rows are written as they are read, never held in memory
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read Thai"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_sheet(response):
    assert response.status_code == 200, response.content
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows())


def xlsx_values(response) -> list[list]:
    return [[cell.value for cell in row] for row in xlsx_sheet(response)]


def exported(client, name, fmt, **params):
    return client.get(reverse(name), {**params, "format": fmt})


# --- The world: Chiang Mai's cases, one of Tak's, referrals and stays --------------------------


@pytest.fixture
def world(worker_chiangmai, worker_tak, director_kredtrakarn):
    somsri = register_case(
        worker_chiangmai,
        name_th="สมศรี ใจดี",
        name_latin="Somsri Jaidee",
        nationality="TH",
        estimated_age=30,
    )
    aung = register_case(
        worker_chiangmai,
        name_th="อ่อง อ่อง",
        name_latin="Aung Aung",
        sex="male",
        nationality="MM",
        estimated_age=15,
    )
    Case.objects.filter(pk=aung.pk).update(
        intake_date=dt.date(2026, 10, 1), exploitation_types=["sexual", "labour_other"]
    )
    closed = case_in_state(
        worker_chiangmai, "closed", name_th="ปิดแล้ว", nationality="LA", estimated_age=50
    )
    tak = register_case(
        worker_tak, name_th="วิไล ลับ", sex="male", nationality="MM", estimated_age=40
    )

    left = admission(worker_chiangmai, director_kredtrakarn, case=somsri)
    shelters.placement_discharge(placement_id=left.pk, actor=director_kredtrakarn, reason="left")
    # A boy of 15 in a shelter for women and girls: only with the director's reason.
    admission(
        worker_chiangmai,
        director_kredtrakarn,
        case=aung,
        override_reason="พักชั่วคราวระหว่างรอสถานคุ้มครองชาย",
    )
    referral_in_state(worker_tak, "submitted", case=tak)
    return {"somsri": somsri, "aung": aung, "closed": closed, "tak": tak}


def numbers(world, *names):
    return sorted(world[name].number for name in names)


# --- The case list ----------------------------------------------------------------------------


def test_a_social_worker_lists_their_offices_cases_and_never_another_provinces(
    client, world, worker_chiangmai
):
    shown, total = listed(signed_in(client, worker_chiangmai), "cases:list")
    assert sorted(shown) == numbers(world, "somsri", "aung", "closed")
    assert total == 3
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world["tak"].number not in page
    assert "วิไล" not in page
    assert f'href="/cases/{world["somsri"].pk}/"' in page  # each row opens its case
    assert 'data-total="3"' in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "50"}, ["somsri", "aung", "closed"]),
        ({"province": "63"}, ["tak"]),
        ({"status": "closed"}, ["closed"]),
        ({"from": "2026-10-02"}, ["somsri", "closed", "tak"]),
        ({"to": "2026-10-01"}, ["aung"]),
        ({"from": "2026-10-01", "to": "2026-10-01"}, ["aung"]),
        ({"sex": "male"}, ["aung", "tak"]),
        ({"nationality": "MM"}, ["aung", "tak"]),
        ({"nationality": "MM", "province": "50"}, ["aung"]),
        ({"exploitation": "sexual"}, ["aung"]),
        ({"exploitation": "other"}, []),  # "labour_other" is another form
        ({"exploitation": "labour_fishing"}, ["somsri", "closed", "tak"]),
        ({"q": "Somsri"}, ["somsri"]),
        ({"q": "ใจดี"}, ["somsri"]),
        ({"q": "aung"}, ["aung"]),
        ({}, ["somsri", "aung", "closed", "tak"]),
    ],
)
def test_each_case_filter_narrows_the_list(client, world, central_reviewer, params, expected):
    shown, total = listed(signed_in(client, central_reviewer), "cases:list", **params)
    assert sorted(shown) == numbers(world, *expected)
    assert total == len(expected)


def test_a_case_is_found_by_its_number(client, world, central_reviewer):
    shown, _ = listed(signed_in(client, central_reviewer), "cases:list", q=world["tak"].number)
    assert shown == [world["tak"].number]


@pytest.mark.parametrize("json_containment", [True, False], ids=["postgres", "sqlite-fallback"])
def test_the_exploitation_filter_works_with_and_without_json_containment(
    client, world, central_reviewer, monkeypatch, json_containment
):
    if json_containment and not connection.features.supports_json_field_contains:
        pytest.skip("this database has no JSON containment")
    monkeypatch.setattr(connection.features, "supports_json_field_contains", json_containment)
    client = signed_in(client, central_reviewer)
    assert listed(client, "cases:list", exploitation="sexual")[0] == [world["aung"].number]
    assert listed(client, "cases:list", exploitation="other")[0] == []
    assert listed(client, "cases:list", exploitation="labour_other")[0] == [world["aung"].number]


def test_a_filter_on_another_province_gives_an_empty_list_and_empty_files(
    client, world, supervisor_chiangmai
):
    client = signed_in(client, supervisor_chiangmai)
    assert listed(client, "cases:list", province="63") == ([], 0)
    assert listed(client, "cases:list", q=world["tak"].number) == ([], 0)
    assert len(csv_rows(exported(client, "cases:export", "csv", province="63"))) == 1  # headers
    assert len(xlsx_values(exported(client, "cases:export", "xlsx", province="63"))) == 1


def test_an_invalid_filter_shows_nothing_rather_than_everything(client, world, central_reviewer):
    client = signed_in(client, central_reviewer)
    response = client.get(reverse("cases:list"), {"province": "zz", "from": "not a date"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert set(response.context["filter"].errors) == {"province", "from"}
    assert exported(client, "cases:export", "csv", province="zz").status_code == 400


def test_a_partner_granted_one_case_lists_that_case_only(client, world, supervisor_chiangmai):
    police = UserFactory(username="police")
    cases.access_grant_give(
        case=world["somsri"],
        actor=supervisor_chiangmai,
        user=police,
        purpose="MDT",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    assert listed(signed_in(client, police), "cases:list") == ([world["somsri"].number], 1)
    assert exported(client, "cases:export", "csv").status_code == 403


def test_a_sysadmin_cannot_open_the_case_list(client, world, sysadmin):
    assert signed_in(client, sysadmin).get(reverse("cases:list")).status_code == 403


# --- Exports: the same rows as the list -------------------------------------------------------


@pytest.mark.parametrize(
    ("list_name", "export_name", "user", "params"),
    [
        ("cases:list", "cases:export", "central_reviewer", {}),
        ("cases:list", "cases:export", "central_reviewer", {"nationality": "MM"}),
        ("cases:list", "cases:export", "supervisor_chiangmai", {"status": "open"}),
        ("cases:list", "cases:export", "director_kredtrakarn", {}),
        ("referrals:list", "referrals:export", "central_reviewer", {}),
        ("referrals:list", "referrals:export", "supervisor_chiangmai", {"state": "completed"}),
        ("referrals:list", "referrals:export", "director_kredtrakarn", {"province": "63"}),
        ("shelters:placements", "shelters:placements_export", "central_reviewer", {}),
        ("shelters:placements", "shelters:placements_export", "director_kredtrakarn", {}),
        (
            "shelters:placements",
            "shelters:placements_export",
            "supervisor_chiangmai",
            {"status": "admitted"},
        ),
    ],
)
def test_both_files_hold_the_lists_rows_for_the_same_filters(
    client, world, request, list_name, export_name, user, params
):
    client = signed_in(client, request.getfixturevalue(user))
    shown, total = listed(client, list_name, **params)
    assert total > 0
    from_csv = csv_rows(exported(client, export_name, "csv", **params))
    from_xlsx = xlsx_values(exported(client, export_name, "xlsx", **params))
    assert [row[0] for row in from_csv[1:]] == shown
    assert [row[0] for row in from_xlsx[1:]] == shown
    assert from_csv[0] == from_xlsx[0]


def test_another_provinces_case_is_in_no_list_and_no_file(client, world, supervisor_chiangmai):
    client = signed_in(client, supervisor_chiangmai)
    tak = world["tak"].number
    for list_name, export_name in [
        ("cases:list", "cases:export"),
        ("referrals:list", "referrals:export"),
        ("shelters:placements", "shelters:placements_export"),
    ]:
        page = client.get(reverse(list_name))
        assert page.status_code == 200
        assert tak not in page.content.decode()
        for rows in (
            csv_rows(exported(client, export_name, "csv")),
            xlsx_values(exported(client, export_name, "xlsx")),
        ):
            assert len(rows) > 1
            assert tak not in {str(value) for row in rows for value in row}


def test_the_case_export_has_the_useful_columns_in_thai_by_default(
    client, world, supervisor_chiangmai
):
    client = signed_in(client, supervisor_chiangmai)
    rows = csv_rows(exported(client, "cases:export", "csv", q="Aung"))
    assert rows[0][:2] == ["เลขที่รายกรณี", "ชื่อภาษาไทย"]
    assert {"เพศ", "อายุ", "เด็ก", "สัญชาติ", "จังหวัดที่รับเรื่อง", "วันที่รับเรื่อง", "สถานะ"} <= set(rows[0])
    aung = dict(zip(rows[0], rows[1], strict=True))
    assert aung["เลขที่รายกรณี"] == world["aung"].number
    assert aung["ชื่ออักษรโรมัน"] == "Aung Aung"
    assert aung["อายุ"] == "15"
    assert aung["เด็ก"] == "ใช่"
    assert aung["วันที่รับเรื่อง"] == "2026-10-01"  # ISO in CSV
    assert aung["หน่วยงานเจ้าของรายกรณี"] == supervisor_chiangmai.membership.organisation.name_th


def test_an_english_user_gets_english_headers(client, world, supervisor_chiangmai):
    client = signed_in(client, supervisor_chiangmai, language="en")
    header = csv_rows(exported(client, "cases:export", "csv"))[0]
    assert header[:3] == ["Case number", "Name in Thai", "Name in Latin script"]
    assert header[-1] == "Owning office"
    assert xlsx_values(exported(client, "cases:export", "xlsx"))[0] == header


def test_dates_are_real_date_cells_in_excel(client, world, supervisor_chiangmai):
    client = signed_in(client, supervisor_chiangmai, language="en")
    rows = xlsx_sheet(exported(client, "cases:export", "xlsx", q="Aung"))
    header = [cell.value for cell in rows[0]]
    intake = rows[1][header.index("Intake date")]
    assert intake.is_date and intake.value.date() == dt.date(2026, 10, 1)
    assert rows[1][header.index("Age")].value == 15


def test_a_name_written_as_a_formula_comes_out_as_plain_text(
    client, world, worker_chiangmai, central_reviewer
):
    for name in FORMULAS:
        register_case(worker_chiangmai, name_latin=name, name_th="", estimated_age=20)
    client = signed_in(client, central_reviewer, language="en")
    csv_names = {row[2] for row in csv_rows(exported(client, "cases:export", "csv"))[1:]}
    assert {"'" + name for name in FORMULAS} <= csv_names
    sheet = xlsx_sheet(exported(client, "cases:export", "xlsx"))
    cells = [row[2] for row in sheet[1:] if row[2].value]
    assert {"'" + name for name in FORMULAS} <= {cell.value for cell in cells}
    assert all(cell.data_type == "s" for cell in cells)  # text, never a formula
    for name in FORMULAS:
        assert name not in {cell.value for cell in cells}


def test_the_module_neutralises_tabs_and_carriage_returns_and_keeps_numbers():
    rows = [["\tx", "\r=1", -2, "a-b", None, dt.date(2026, 1, 2), "#N/A"]]
    headers = ["h"] * len(rows[0])
    parsed = csv_rows(export_response(format="csv", filename="t", headers=headers, rows=rows))
    assert parsed[1] == ["'\tx", "'\r=1", "-2", "a-b", "", "2026-01-02", "#N/A"]
    sheet = xlsx_sheet(export_response(format="xlsx", filename="t", headers=headers, rows=rows))
    cells = sheet[1]
    assert cells[0].value == "'\tx" and cells[1].value.startswith("'")
    assert [cells[2].value, cells[3].value] == [-2, "a-b"]
    assert cells[5].is_date and cells[5].value.date() == dt.date(2026, 1, 2)
    assert (cells[6].value, cells[6].data_type) == ("#N/A", "s")  # text, not an error value


def test_the_files_are_named_in_ascii_with_the_day(client, world, central_reviewer):
    client = signed_in(client, central_reviewer)
    today = timezone.localdate().isoformat()
    for name, stem in [
        ("cases:export", "nrm-cases"),
        ("referrals:export", "nrm-referrals"),
        ("shelters:placements_export", "nrm-placements"),
    ]:
        for fmt in ("csv", "xlsx"):
            disposition = exported(client, name, fmt)["Content-Disposition"]
            assert disposition.startswith("attachment")
            assert f'filename="{stem}-{today}.{fmt}"' in disposition
            assert disposition.isascii()


@pytest.mark.parametrize("fmt", ["", "pdf", "CSV", "xls"])
def test_a_wrong_format_is_a_clear_400(client, world, central_reviewer, fmt):
    client = signed_in(client, central_reviewer, language="en")
    for name in ("cases:export", "referrals:export", "shelters:placements_export"):
        response = client.get(reverse(name), {"format": fmt} if fmt else {})
        assert response.status_code == 400
        assert "csv or xlsx" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


# --- Who may export ---------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["worker_chiangmai", "staff_kredtrakarn", "sysadmin"])
def test_social_workers_and_shelter_staff_may_not_export(client, world, request, user):
    client = signed_in(client, request.getfixturevalue(user))
    for name in ("cases:export", "referrals:export", "shelters:placements_export"):
        assert client.get(reverse(name), {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_only_accountable_roles_see_the_download_buttons(
    client, world, worker_chiangmai, supervisor_chiangmai, staff_kredtrakarn
):
    page = signed_in(client, worker_chiangmai).get(reverse("cases:list")).content.decode()
    assert 'data-testid="export"' not in page
    page = signed_in(client, staff_kredtrakarn).get(reverse("shelters:placements")).content
    assert b'data-testid="export"' not in page
    page = signed_in(client, supervisor_chiangmai).get(
        reverse("cases:list"), {"status": "open", "sex": "male"}
    )
    html = page.content.decode()
    assert 'data-testid="export"' in html
    assert "/cases/all/export/?status=open&amp;sex=male&amp;format=csv" in html
    assert "/cases/all/export/?status=open&amp;sex=male&amp;format=xlsx" in html


def test_every_export_is_audited_with_its_list_filters_format_and_count(
    client, world, central_reviewer
):
    client = signed_in(client, central_reviewer)
    response = exported(client, "cases:export", "xlsx", nationality="MM", page="2")
    assert response.status_code == 200
    exported(client, "referrals:export", "csv", province="63")
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("pk")
    assert [event.changes for event in events] == [
        {"list": "cases", "filters": {"nationality": "MM"}, "format": "xlsx", "rows": 2},
        {"list": "referrals", "filters": {"province": "63"}, "format": "csv", "rows": 1},
    ]
    assert all(event.actor == central_reviewer for event in events)


# --- Referrals and stays ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "params", "expected"),
    [
        ("worker_chiangmai", {}, ["somsri", "aung"]),
        ("worker_chiangmai", {"to": "shelter-kredtrakarn"}, ["somsri", "aung"]),
        ("worker_chiangmai", {"province": "63"}, []),
        ("worker_tak", {}, ["tak"]),
        ("director_kredtrakarn", {}, ["somsri", "aung", "tak"]),
        ("director_kredtrakarn", {"state": "submitted"}, ["tak"]),
        ("director_kredtrakarn", {"state": "completed"}, ["somsri", "aung"]),
        ("director_kredtrakarn", {"sender": "pso-63"}, ["tak"]),
        ("central_reviewer", {"province": "50"}, ["somsri", "aung"]),
        ("central_reviewer", {"review_state": "pending"}, ["somsri", "aung", "tak"]),
        ("central_reviewer", {"kind": "service"}, []),
        ("central_reviewer", {"to": "shelter-narisawat"}, []),
        ("central_reviewer", {"to_date": "2020-01-01"}, []),
    ],
)
def test_the_referral_list_filters_within_what_the_user_sees(
    client, world, request, user, params, expected
):
    client = signed_in(client, request.getfixturevalue(user))
    shown, total = listed(client, "referrals:list", **params)
    assert sorted(shown) == numbers(world, *expected)
    assert total == len(expected)


def test_referral_dates_filter_on_the_day_submitted(client, world, central_reviewer):
    client = signed_in(client, central_reviewer)
    today = timezone.localdate().isoformat()
    assert listed(client, "referrals:list", **{"from": today, "to_date": today})[1] == 3
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert listed(client, "referrals:list", **{"from": tomorrow})[1] == 0


@pytest.mark.parametrize(
    ("user", "params", "expected"),
    [
        ("director_kredtrakarn", {}, ["somsri", "aung"]),
        ("director_kredtrakarn", {"status": "discharged"}, ["somsri"]),
        ("director_kredtrakarn", {"status": "admitted"}, ["aung"]),
        ("director_kredtrakarn", {"shelter": "shelter-narisawat"}, []),
        ("staff_kredtrakarn", {}, ["aung"]),  # staff see current residents only
        ("worker_chiangmai", {}, ["somsri", "aung"]),
        ("worker_tak", {}, []),
        ("central_reviewer", {"shelter": "shelter-kredtrakarn"}, ["somsri", "aung"]),
        ("central_reviewer", {"to": "2020-01-01"}, []),
    ],
)
def test_the_list_of_stays_filters_within_what_the_user_sees(
    client, world, request, user, params, expected
):
    client = signed_in(client, request.getfixturevalue(user))
    shown, total = listed(client, "shelters:placements", **params)
    assert sorted(shown) == numbers(world, *expected)
    assert total == len(expected)


def test_a_stay_opens_its_page_for_the_shelter_and_its_case_for_the_province(
    client, world, director_kredtrakarn, worker_chiangmai
):
    stay = world["aung"].placements.get()
    page = signed_in(client, director_kredtrakarn).get(reverse("shelters:placements")).content
    assert f'href="/shelters/placements/{stay.pk}/"'.encode() in page
    page = signed_in(client, worker_chiangmai).get(reverse("shelters:placements")).content
    assert f'href="/cases/{world["aung"].pk}/"'.encode() in page


def test_the_stay_export_has_dates_and_the_reason_for_leaving(client, world, director_kredtrakarn):
    client = signed_in(client, director_kredtrakarn, language="en")
    rows = csv_rows(exported(client, "shelters:placements_export", "csv", status="discharged"))
    stay = dict(zip(rows[0], rows[1], strict=True))
    assert stay["Case number"] == world["somsri"].number
    assert stay["Admitted"] == timezone.localdate().isoformat()
    assert stay["Discharged on"] == timezone.localdate().isoformat()
    assert stay["Reason for leaving"] == "Left of own will"


def test_shelter_staff_may_not_open_the_referral_list(client, world, staff_kredtrakarn):
    assert signed_in(client, staff_kredtrakarn).get(reverse("referrals:list")).status_code == 403


# --- Cost -------------------------------------------------------------------------------------


def add_stays(worker, director, count):
    """`count` more cases, each referred to Kredtrakarn and admitted there."""
    for index in range(count):
        admission(
            worker, director, person={"name_th": f"บุคคล {index} {count}", "estimated_age": 30}
        )


@pytest.mark.slow  # a query-count benchmark
@pytest.mark.parametrize("name", ["cases:export", "referrals:export", "shelters:placements_export"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_costs_the_same_queries_for_few_rows_as_for_many(
    client, world, worker_chiangmai, director_kredtrakarn, central_reviewer, name, fmt
):
    client = signed_in(client, central_reviewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = exported(client, name, fmt)
            b"".join(response.streaming_content)
        return len(captured)

    queries()  # the user's per-request state cached (accounts/state.py)
    few = queries()
    add_stays(worker_chiangmai, director_kredtrakarn, 6)
    assert queries() == few


@pytest.mark.parametrize("control", ["\x01", "\x00", "\x08", "\x0b", "\x1f", "\x01\x02"])
def test_a_control_character_cannot_hide_a_formula_in_either_format(control):
    """Issue 24: the control byte was stripped after neutralising, uncovering the formula."""
    rows = [[f'{control}=HYPERLINK("http://x","y")', f"{control}+1", f"a{control}b"]]
    headers = ["h"] * 3
    parsed = csv_rows(export_response(format="csv", filename="t", headers=headers, rows=rows))
    assert parsed[1] == ['\'=HYPERLINK("http://x","y")', "'+1", "ab"]
    cells = xlsx_sheet(export_response(format="xlsx", filename="t", headers=headers, rows=rows))[1]
    assert [cell.value for cell in cells] == ['\'=HYPERLINK("http://x","y")', "'+1", "ab"]
    assert all(cell.data_type == "s" for cell in cells)


def test_a_list_shows_25_rows_and_the_user_may_choose_50_or_100(client, worker_chiangmai):
    for number in range(27):
        register_case(worker_chiangmai, name_latin=f"Person {number}")
    signed_in(client, worker_chiangmai)

    def shown(**params):
        page = client.get(reverse("cases:list"), params)
        return page.context["page"], page.content.decode()

    default, html = shown()
    assert len(default.object_list) == 25 and default.paginator.count == 27
    assert 'data-testid="page-sizes"' in html and "size=50" in html
    assert len(shown(size="50")[0].object_list) == 27
    assert len(shown(size="7")[0].object_list) == 25  # not one of the choices: the default
    assert len(shown(size="x")[0].object_list) == 25


def test_the_filter_fields_kept_between_requests_follow_the_filters_and_the_language(
    client, worker_chiangmai
):
    """The rendered filter fields are cached (core.lists.filter_fields): a cached copy must
    never show another filter's values, another language, or hide a form's errors."""
    signed_in(client, worker_chiangmai)

    def fields(language, **params):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client.get(reverse("cases:list"), params).content.decode()

    assert '<option value="open" selected>' in fields("en", status="open")
    assert '<option value="closed" selected>' in fields("en", status="closed")
    assert '<option value="open" selected>' in fields("en", status="open")
    assert "Intake province" in fields("en") and "Intake province" not in fields("th")
    bad = fields("en", **{"from": "not a date"})
    assert 'aria-invalid="true"' in bad or "invalid-feedback" in bad
