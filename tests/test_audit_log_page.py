"""The audit log as a central officer uses it (issue 17): each entry names its record as a person
would (case number, the person's name, the list with its filters and rows), a search by case
number, person, user, action, organisation and period, pages of 25 (or 50, 100), and an export
that is itself an entry of the log."""

import csv
import datetime as dt
import io
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from cases import services as cases
from reports.audit_log.entries import LISTS
from tests.factories import admission, register_case

pytestmark = pytest.mark.django_db

BANGKOK = dt.timezone(dt.timedelta(hours=7))


def named(user: User, first: str, last: str) -> User:
    user.first_name, user.last_name = first, last
    user.save()
    return user


def signed_in(client, user, language="en"):
    """The words asserted in English, whatever the Thai catalogue says (one test reads Thai)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def entries(response) -> list[AuditEvent]:
    assert response.status_code == 200
    return [event for event, _cells in response.context["rows"]]


def search(client, **params):
    return client.get(reverse("audit:search"), params)


@pytest.fixture
def viewed(client, worker_chiangmai, supervisor_chiangmai):
    """Somsri's case, registered by the Chiang Mai worker, opened by the supervisor Arunee
    Srisuk; Aung's case beside it, which nobody opened."""
    case = register_case(worker_chiangmai, name_th="สมศรี ใจดี", name_latin="Somsri Jaidee")
    other = register_case(worker_chiangmai, name_th="อ่อง", name_latin="Aung Min")
    named(supervisor_chiangmai, "Arunee", "Srisuk")
    signed_in(client, supervisor_chiangmai)
    assert client.get(case.get_absolute_url()).status_code == 200
    return case, other


def test_the_log_found_by_case_number_shows_a_view_of_the_case_by_a_named_user(
    client, viewed, central_reviewer, supervisor_chiangmai
):
    case, other = viewed
    response = search(signed_in(client, central_reviewer), case=case.number)
    found = entries(response)
    [view] = [event for event in found if event.action == AuditEvent.Action.VIEW]
    assert view.actor == supervisor_chiangmai
    assert (view.subject.label, view.subject.person) == (case.number, "สมศรี ใจดี")
    about = {(event.subject.kind, event.subject.label, event.subject.person) for event in found}
    assert about == {("case", case.number, "สมศรี ใจดี"), ("person", "", "สมศรี ใจดี")}
    html = response.content.decode()
    assert "Arunee Srisuk" in html and supervisor_chiangmai.username in html
    assert f'<a href="{case.get_absolute_url()}">{case.number}</a>' in html
    assert "Viewed" in html and "สมศรี ใจดี" in html
    assert other.number not in html and "อ่อง" not in html


def test_the_log_names_the_action_in_thai(client, viewed, central_reviewer):
    case, _other = viewed
    html = search(signed_in(client, central_reviewer, "th"), case=case.number).content.decode()
    assert "บันทึกการใช้งาน" in html and "เปิดดู" in html and "เลขที่รายกรณี" in html


def test_a_search_by_case_number_finds_the_records_of_the_case(
    client, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    stay = admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})
    screening = cases.screening_start(
        case_id=stay.case_id, actor=worker_chiangmai, custody_started_at=timezone.now()
    )
    found = entries(search(signed_in(client, central_reviewer), case=stay.case.number))
    subjects = {(event.subject.kind, event.subject.label) for event in found}
    number = stay.case.number
    assert {("screening", number), ("referral", number), ("placement", number)} <= subjects
    started = [event for event in found if event.subject.kind == "screening"]
    assert {event.subject.url for event in started} == {screening.get_absolute_url()}
    referred = [event for event in found if event.subject.kind == "referral"]
    assert {event.subject.url for event in referred} == {stay.referral.get_absolute_url()}
    assert all("Kredtrakarn" in event.subject.detail for event in referred)


def test_a_search_by_person_finds_their_case_in_any_script(client, viewed, central_reviewer):
    case, other = viewed
    client = signed_in(client, central_reviewer)
    for name in ("Somsri", "ใจดี"):
        found = entries(search(client, person=name))
        assert {event.subject.person for event in found} == {"สมศรี ใจดี"}, name
        assert {event.subject.label for event in found} == {case.number, ""}, name
    assert not entries(search(client, person="Nobody Anywhere"))


def test_a_search_by_case_finds_the_lists_that_showed_it(
    client, viewed, worker_chiangmai, central_reviewer
):
    case, _other = viewed
    signed_in(client, worker_chiangmai).get(reverse("cases:list"), {"q": "Somsri"})
    found = entries(search(signed_in(client, central_reviewer), case=case.number))
    [listed] = [event for event in found if event.action == AuditEvent.Action.LIST]
    assert listed.actor == worker_chiangmai


def test_a_list_entry_shows_its_list_filters_and_row_count(
    client, viewed, worker_chiangmai, central_reviewer
):
    signed_in(client, worker_chiangmai).get(reverse("cases:list"), {"status": "open"})
    response = search(signed_in(client, central_reviewer), action="list", username="somsri")
    [listed] = entries(response)
    subject = listed.subject
    assert (subject.kind, subject.label) == ("List", "Cases")
    assert subject.detail == "Filters: Status: Open · 2 rows"
    assert subject.url == reverse("cases:list") + "?status=open"
    assert "Filters: Status: Open · 2 rows" in response.content.decode()


def test_a_search_by_user_action_and_organisation(
    client, viewed, worker_chiangmai, worker_tak, supervisor_chiangmai, central_reviewer
):
    register_case(worker_tak, name_th="ประเสริฐ")
    client = signed_in(client, central_reviewer)
    by_name = entries(search(client, username="Arunee srisuk"))
    assert by_name and {event.actor for event in by_name} == {supervisor_chiangmai}
    by_user_name = entries(search(client, username=supervisor_chiangmai.username))
    assert [event.pk for event in by_user_name] == [event.pk for event in by_name]
    views = entries(search(client, action="view"))
    assert views and {event.action for event in views} == {"view"}
    tak = entries(search(client, organisation="pso-63"))
    assert tak and {event.actor for event in tak} == {worker_tak}
    assert (
        worker_tak.membership.organisation.name
        in search(client, organisation="pso-63").content.decode()
    )
    assert not entries(search(client, organisation="pso-63", username="arunee"))


def _logged_at(moment: dt.datetime, user) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit_record(action=AuditEvent.Action.LOGIN, actor=user)


def test_a_search_by_period_reads_thai_dates_and_bangkok_days(client, worker_tak, central_reviewer):
    before = _logged_at(dt.datetime(2026, 10, 31, 23, 30, tzinfo=BANGKOK), worker_tak)
    first = _logged_at(dt.datetime(2026, 11, 1, 0, 10, tzinfo=BANGKOK), worker_tak)
    last = _logged_at(dt.datetime(2026, 11, 30, 23, 50, tzinfo=BANGKOK), worker_tak)
    after = _logged_at(dt.datetime(2026, 12, 1, 0, 5, tzinfo=BANGKOK), worker_tak)
    client = signed_in(client, central_reviewer)
    found = entries(search(client, **{"from": "01/11/2569", "to": "30/11/2569"}))
    assert [event.pk for event in found] == [last.pk, first.pk]
    everything = [event.pk for event in entries(search(client, username=worker_tak.username))]
    assert {before.pk, after.pk} <= set(everything)


def test_bad_dates_give_a_thai_error_and_no_entries(client, viewed, central_reviewer):
    client = signed_in(client, central_reviewer, "th")
    response = search(client, **{"from": "31/02/2569"})
    assert entries(response) == []
    assert "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ." in response.content.decode()
    backwards = search(client, **{"from": "30/11/2569", "to": "01/11/2569"})
    assert entries(backwards) == [] and backwards.context["filter"].form.errors["to"]


def test_the_default_page_shows_the_newest_entries_25_at_a_time(
    client, worker_tak, central_reviewer
):
    for _ in range(60):
        audit_record(action=AuditEvent.Action.LOGIN, actor=worker_tak)
    client = signed_in(client, central_reviewer)
    latest = AuditEvent.objects.latest("created_at", "pk")
    first = search(client)
    newest = entries(first)
    assert len(newest) == 25
    assert [event.pk for event in newest] == sorted((event.pk for event in newest), reverse=True)
    assert newest[0].pk == latest.pk
    assert first.context["page"].paginator.count >= 60
    assert "entries match" in first.content.decode()
    # The first page's own entry (a list shown) is now the newest: the second page starts one
    # entry earlier, with the first page's last, and leaves none out.
    second = entries(search(client, page=2))
    assert second and second[0].pk == newest[-1].pk


def test_the_export_downloads_the_entries_named_and_is_itself_audited(
    client, viewed, central_reviewer, supervisor_chiangmai
):
    case, _other = viewed
    client = signed_in(client, central_reviewer)
    response = client.get(reverse("audit:export"), {"case": case.number, "format": "csv"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, rows = table[0], table[1:]
    assert header[:3] == ["Time", "User name", "Full name"]
    column = {name: index for index, name in enumerate(header)}
    [view] = [row for row in rows if row[column["Action"]] == "Viewed"]
    assert view[column["Full name"]] == "Arunee Srisuk"
    assert view[column["User name"]] == supervisor_chiangmai.username
    assert view[column["Record"]] == case.number and view[column["Person"]] == "สมศรี ใจดี"
    exported = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, actor=central_reviewer)
    assert exported.changes == {
        "list": "audit-log",
        "filters": {"case": case.number},
        "format": "csv",
        "rows": len(rows),
    }
    [entry] = entries(search(client, action="export"))
    assert (entry.subject.label, entry.subject.detail) == (
        "Audit log",
        f"Filters: Case number: {case.number} · {len(rows)} rows · CSV",
    )
    excel = client.get(reverse("audit:export"), {"format": "xlsx"})
    assert excel.status_code == 200 and excel["Content-Type"].startswith("application/vnd.")


def test_a_bad_date_refuses_the_export(client, central_reviewer):
    response = signed_in(client, central_reviewer).get(
        reverse("audit:export"), {"from": "yesterday", "format": "csv"}
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("persona", ["worker_chiangmai", "director_kredtrakarn", "sysadmin"])
@pytest.mark.parametrize("url", ["audit:search", "audit:export"])
def test_only_the_central_division_reads_the_log(client, request, persona, url):
    client = signed_in(client, request.getfixturevalue(persona))
    assert client.get(reverse(url), {"format": "csv"}).status_code == 403


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert search(client).status_code == 200
    return len(captured)


def test_a_page_of_the_log_costs_the_same_queries_however_many_entries_and_kinds(
    client, worker_chiangmai, director_kredtrakarn, central_reviewer, settings
):
    """One query per kind of record on the page, not one per entry (no N+1)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    def grow():
        stay = admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})
        cases.case_note_add(case=stay.case, actor=worker_chiangmai, text="note")
        cases.screening_start(
            case_id=stay.case_id, actor=worker_chiangmai, custody_started_at=timezone.now()
        )
        signed_in(client, worker_chiangmai).get(stay.case.get_absolute_url())
        client.get(reverse("cases:list"), {"status": "open"})

    grow()
    client = signed_in(client, central_reviewer)
    search(client)  # per-process caches (content types, translations) filled
    few = _page_queries(client)
    for _ in range(4):
        grow()
    client = signed_in(client, central_reviewer)
    many = _page_queries(client)
    assert len(entries(search(client, size=50))) == 50
    assert many == few
    assert few <= 22


LOGGED_LIST = re.compile(
    r"\b(?:audited_list_page|list_export|record_list)\((?:[^()]|\([^()]*\))*?\bname=\"([^\"]+)\"",
    re.S,
)


def test_every_list_that_logs_its_pages_has_a_name_in_the_log():
    """A list page or export logged under a name the log does not know shows that name, in
    English, to a Thai reader: every name the code logs is in LISTS."""
    root = Path(settings.BASE_DIR)
    logged = {
        name
        for path in root.glob("*/**/*.py")
        if ".venv" not in path.parts and "tests" not in path.parts
        for name in LOGGED_LIST.findall(path.read_text())
    }
    assert {"cases", "prosecutions", "outcomes", "repatriations"} <= logged  # the regex reads
    assert logged - set(LISTS) == set()
