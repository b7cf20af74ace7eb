"""Retention: a closed case's notes and documents, then its person's identity, are erased once
their rule's years after closure have passed, unless a legal hold keeps them (an open
prosecution, an open request of the person); a dry run lists what a run would do; the
dashboard's totals are the same after a run."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from cases import services as cases
from cases.models import CaseEvent, CaseNote, IdentityDocument, Person
from core.domain import ActionForbidden
from justice import services as justice
from privacy import services
from privacy.models import Erasure
from privacy.tasks import run_retention
from reports import statistics
from reports.forms import DashboardForm
from tests.factories import register_case, thai_id

pytestmark = pytest.mark.django_db


def closed_long_ago(worker, *, years=11, **person):
    case = register_case(worker, **person)
    cases.case_note_add(case=case, actor=worker, text="เล่าถึงนายจ้างที่ท่าเรือ")
    cases.case_close(case_id=case.pk, actor=worker, reason="กลับคืนสู่ครอบครัว")
    CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CLOSED).update(
        created_at=timezone.now() - dt.timedelta(days=365 * years + 3)
    )
    return case


def figures(user) -> dict:
    """The national dashboard's figures, counted afresh (it keeps them for two minutes)."""
    cache.clear()
    period = {"from": "2026-01-01", "to": timezone.localdate().isoformat()}
    form = DashboardForm.from_query(period, with_province=True)
    assert form.is_valid(), form.errors
    figures = statistics.dashboard_figures(user=user, filters=form.filters())
    assert figures["cases"]["total"] >= 4  # the cases of the test are counted
    figures.pop("counted_at")
    return figures


@pytest.fixture
def closed(worker_chiangmai):
    return closed_long_ago(
        worker_chiangmai,
        name_th="มะลิ ทองดี",
        name_latin="Mali Thongdee",
        sex="female",
        date_of_birth=dt.date(2009, 5, 1),
        nationality="TH",
        phone="0812345678",
    )


@pytest.fixture
def held(worker_chiangmai):
    case = closed_long_ago(worker_chiangmai, name_th="ส้ม ใจดี", nationality="MM")
    justice.prosecution_record(
        case=case,
        actor=worker_chiangmai,
        offence="trafficking",
        police_station="สภ.เมือง",
        police_case_number="9/2559",
        officer_name="ร.ต.อ. หนึ่ง",
        reported_on=dt.date(2016, 1, 4),
    )
    return case


def test_a_retention_run_erases_a_closed_case_past_its_time_but_not_one_under_a_legal_hold(
    closed, held, worker_chiangmai, central_reviewer
):
    IdentityDocument.objects.create(
        person=closed.person, kind="thai_id", number=thai_id("110170012345")
    )
    recent = closed_long_ago(worker_chiangmai, years=1, name_th="ยัง ไม่ถึงเวลา")
    still_open = register_case(worker_chiangmai, name_th="ยัง เปิดอยู่")
    before = figures(central_reviewer)

    run = services.retention_run(dry_run=False)

    person = Person.objects.get(pk=closed.person_id)
    assert (person.name_th, person.phone, person.aliases) == ("", "", [])
    assert person.name_latin == f"ANON-{person.pk}"
    assert not IdentityDocument.objects.filter(person=person).exists()
    assert list(CaseNote.objects.filter(case=closed).values_list("text", flat=True)) == [""]
    # What the statistics count stays.
    assert (person.sex, person.date_of_birth, person.nationality) == (
        "female",
        dt.date(2009, 5, 1),
        "TH",
    )
    for kept in (held, recent, still_open):
        assert Person.objects.get(pk=kept.person_id).name_th
    assert CaseNote.objects.get(case=held).text
    assert sorted(run.plan["erase"]) == sorted(
        [[closed.number, "identity"], [closed.number, "notes_documents"]]
    )
    assert [number for number, _kind, reason in run.plan["held"]] == [held.number] * 2
    assert {reason for _n, _k, reason in run.plan["held"]} == {"justice"}
    assert AuditEvent.objects.filter(
        object_type__model="case", object_id=str(closed.pk), changes__retention="identity"
    ).exists()
    assert figures(central_reviewer) == before
    # A second run finds nothing new to erase.
    assert services.retention_run(dry_run=False).plan["erase"] == []


def test_a_dry_run_lists_what_it_would_erase_and_changes_nothing(closed, held):
    run = services.retention_run(dry_run=True)
    assert [closed.number, "identity"] in run.plan["erase"]
    assert Person.objects.get(pk=closed.person_id).name_th == "มะลิ ทองดี"
    assert not Erasure.objects.exists()
    call_command("retention_run", "--dry-run")
    assert Person.objects.get(pk=closed.person_id).name_th == "มะลิ ทองดี"


def test_an_open_request_of_the_person_holds_their_records(closed, data_protection_officer):
    from accounts.models import Organisation

    services.request_record(
        actor=data_protection_officer,
        kind="access",
        case_number=closed.number,
        requester="มะลิ",
        received_at=timezone.now(),
        received_by=Organisation.objects.get(code="central"),
    )
    run = services.retention_run(dry_run=False)
    assert run.plan["erase"] == []
    assert {reason for _n, _k, reason in run.plan["held"]} == {"request"}
    assert Person.objects.get(pk=closed.person_id).name_th == "มะลิ ทองดี"


def test_a_person_with_a_recent_case_keeps_their_name(closed, worker_chiangmai):
    cases.case_open(
        actor=worker_chiangmai,
        person=closed.person,
        intake_channel="hotline_1300",
        intake_date=dt.date(2026, 11, 2),
        intake_province=worker_chiangmai.membership.organisation.province,
        exploitation_types=["labour_fishing"],
    )
    run = services.retention_run(dry_run=False)
    assert run.plan["erase"] == [[closed.number, "notes_documents"]]
    assert Person.objects.get(pk=closed.person_id).name_th == "มะลิ ทองดี"


def test_the_daily_job_runs_for_real(closed):
    assert run_retention() == 2
    assert Person.objects.get(pk=closed.person_id).name_latin.startswith("ANON-")


def test_only_the_officer_asks_for_a_run(central_reviewer, closed):
    with pytest.raises(ActionForbidden):
        services.retention_run(dry_run=True, actor=central_reviewer)


def test_the_officer_asks_for_a_dry_run_on_the_retention_page(
    client, data_protection_officer, closed
):
    client.force_login(data_protection_officer)
    response = client.post("/privacy/retention/dry-run/")
    assert response.status_code == 302
    page = client.get("/privacy/retention/").content.decode()
    assert closed.number in page and "ทดลอง" in page
    assert Person.objects.get(pk=closed.person_id).name_th == "มะลิ ทองดี"
