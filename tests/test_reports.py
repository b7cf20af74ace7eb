"""Dashboards, annual figures and anonymised statistics: the figures agree with the lists and
exports they summarise, stay within what the user may see, and never show a small group."""

import csv
import datetime as dt
import io
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Organisation
from audit.models import AuditEvent
from cases import services as cases
from cases.models import Case, ExploitationType, Person, Screening
from reports import statistics
from reports.anonymised import SMALLEST_GROUP, suppress_small_groups
from reports.years import YearKind, year_label
from sla.models import Deadline

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-01-01", "to": "2026-10-31"}
NATIONALITIES = ["TH", "MM", "LA", "KH"]


def generate(actor, count: int, seed: int) -> list[Case]:
    """`count` cases of the actor's office with varied persons, dates, forms of exploitation,
    statuses and screening outcomes, some outside the period."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    made = []
    for index in range(count):
        person = cases.person_create(
            actor=actor,
            name_th=f"บุคคล {seed}-{index}",
            sex=rng.choice(["female", "male", "other", "unknown"]),
            nationality=rng.choice(NATIONALITIES),
            estimated_age=rng.choice([None, 9, 16, 17, 22, 30, 44, 61]),
        )
        case = cases.case_open(
            actor=actor,
            person=person,
            intake_channel="police_raid",
            intake_date=dt.date(2025, 12, 1) + dt.timedelta(days=rng.randrange(0, 360)),
            intake_province=actor.membership.organisation.province,
            exploitation_types=rng.sample(ExploitationType.values, rng.choice([0, 1, 2])),
        )
        outcome = rng.choice(["", "victim_trafficking", "victim_forced_labour", "not_victim"])
        Screening.objects.create(
            case=case,
            custody_started_at=timezone.now(),
            deadline_at=timezone.now(),
            status="decided" if outcome else "open",
            outcome=outcome,
            decided_at=timezone.now() if outcome else None,
        )
        if rng.random() < 0.2:
            Case.objects.filter(pk=case.pk).update(status="closed")
        made.append(case)
    return made


@pytest.fixture
def country(worker_chiangmai, worker_tak):
    return generate(worker_chiangmai, 30, seed=1) + generate(worker_tak, 20, seed=2)


def listed(client, **params) -> int:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def dashboard(client, **params) -> dict:
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    return response.context["figures"]


def test_every_figure_of_the_national_dashboard_is_the_count_of_its_list(
    client, central_reviewer, country
):
    client.force_login(central_reviewer)
    figures = dashboard(client, **PERIOD)
    cases_ = figures["cases"]
    assert cases_["total"] == listed(client, **PERIOD) > 0
    assert cases_["total"] < len(country)  # some cases fall outside the period
    for row in cases_["by_sex"]:
        assert row["count"] == listed(client, sex=row["key"], **PERIOD), row
    for row in cases_["by_exploitation"]:
        assert row["count"] == listed(client, exploitation=row["key"], **PERIOD), row
    for row in figures["by_nationality"]:
        assert row["count"] == listed(client, nationality=row["key"], **PERIOD), row
    provinces = {row["key"]: row["count"] for row in figures["by_province"]}
    assert set(provinces) == {"50", "63"}
    for code, count in provinces.items():
        assert count == listed(client, province=code, **PERIOD)
    assert cases_["open_now"] == listed(client, status="open") + listed(client, status="reopened")
    assert sum(row["count"] for row in cases_["by_age_group"]) == cases_["total"]
    assert sum(row["count"] for row in figures["monthly"]) == cases_["total"]


def test_a_province_filter_narrows_every_figure_to_that_province(client, central_reviewer, country):
    client.force_login(central_reviewer)
    figures = dashboard(client, province="63", **PERIOD)
    assert figures["cases"]["total"] == listed(client, province="63", **PERIOD)
    assert [row["key"] for row in figures["by_province"]] == ["63"]


def test_the_dashboard_total_is_the_number_of_rows_in_the_export(client, central_reviewer, country):
    client.force_login(central_reviewer)
    total = dashboard(client, **PERIOD)["cases"]["total"]
    response = client.get(reverse("cases:export"), {"format": "csv", **PERIOD})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) - 1 == total


def test_a_supervisor_sees_the_figures_of_their_office_only(client, supervisor_chiangmai, country):
    client.force_login(supervisor_chiangmai)
    response = client.get(reverse("reports:dashboard"), PERIOD)
    assert response.context["scope"] == "provincial"
    assert "province" not in response.context["form"].fields
    figures = response.context["figures"]
    assert figures["cases"]["total"] == listed(client, **PERIOD)
    assert [row["key"] for row in figures["by_province"]] == ["50"]
    # Asking for another province through the URL shows nothing of it.
    assert dashboard(client, province="63", **PERIOD)["cases"]["total"] == figures["cases"]["total"]


def test_a_shelter_director_sees_only_their_shelter(client, director_kredtrakarn, country):
    client.force_login(director_kredtrakarn)
    response = client.get(reverse("reports:dashboard"), PERIOD)
    assert response.context["scope"] == "shelter"
    figures = response.context["figures"]
    assert figures["cases"]["total"] == 0  # nothing referred to the shelter yet
    assert [s.organisation.code for s in figures["shelters"]] == ["shelter-kredtrakarn"]


@pytest.mark.parametrize("persona", ["worker_chiangmai", "staff_kredtrakarn", "sysadmin"])
def test_other_roles_have_no_dashboard(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_sla_compliance_counts_met_and_breached_clocks_due_in_the_period(
    client, central_reviewer, worker_chiangmai, worker_tak
):
    case = generate(worker_chiangmai, 1, seed=3)[0]
    kind = ContentType.objects.get_for_model(Case)
    due = timezone.make_aware(dt.datetime(2026, 6, 1, 12))

    def clock(organisation, state, due_at=due, closed=True):
        return Deadline.objects.create(
            clock="identification",
            object_type=kind,
            object_id=case.pk + Deadline.objects.count() + 1000,
            organisation=organisation,
            started_at=due_at - dt.timedelta(days=1),
            due_at=due_at,
            remind_at=due_at,
            state=state,
            closed_at=due_at if closed else None,
        )

    chiangmai = worker_chiangmai.membership.organisation
    tak = worker_tak.membership.organisation
    for _ in range(3):
        clock(chiangmai, "met")
    clock(chiangmai, "breached")
    clock(tak, "breached", closed=False)
    clock(tak, "met", due_at=due.replace(year=2024))  # outside the period
    clock(tak, "pending", closed=False)  # not finished: not counted
    client.force_login(central_reviewer)
    figures = dashboard(client, **PERIOD)
    assert (figures["sla"]["met"], figures["sla"]["total"]) == (3, 5)
    assert figures["sla"]["percent"] == 60.0
    by_province = {row["key"]: (row["met"], row["total"]) for row in figures["sla"]["by_province"]}
    assert by_province == {"50": (3, 4), "63": (0, 1)}
    # Overdue now: the clock the sweep marked, and the one past its deadline it has not yet.
    assert figures["breaches"] == 2
    assert dashboard(client, province="50", **PERIOD)["sla"]["total"] == 4


def test_the_dashboard_reads_in_thai_with_buddhist_era_dates(client, central_reviewer, country):
    client.force_login(central_reviewer)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert "1 ม.ค. 2569" in page
    assert "31 ต.ค. 2569" in page
    assert "ต.ค. 2569" in page  # a month of the trend chart


def test_a_wrong_period_is_explained_and_the_default_period_shown(client, central_reviewer):
    client.force_login(central_reviewer)
    response = client.get(reverse("reports:dashboard"), {"from": "2026-10-01", "to": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["to"]
    response = client.get(reverse("reports:dashboard"), {"from": "ไม่ใช่วันที่"})
    assert response.status_code == 200
    assert response.context["form"].errors["from"]


@pytest.mark.slow  # a query-count benchmark
def test_the_dashboard_costs_the_same_queries_for_few_cases_as_for_many(
    client, central_reviewer, worker_chiangmai, worker_tak
):
    client.force_login(central_reviewer)
    generate(worker_chiangmai, 3, seed=4)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("reports:dashboard"), {"refresh": "1", **PERIOD})
        assert response.status_code == 200
        return len(captured)

    queries()  # the first request pays once for what is then cached (content types...)
    few = queries()
    generate(worker_tak, 12, seed=5)
    assert queries() == few


# --- Annual figures ----------------------------------------------------------------------------


def test_a_thai_fiscal_year_runs_from_october_to_september():
    assert YearKind.FISCAL.bounds(2027) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))
    assert YearKind.CALENDAR.bounds(2026) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert YearKind.FISCAL.containing(dt.date(2026, 11, 22)) == 2027
    assert YearKind.FISCAL.containing(dt.date(2026, 9, 30)) == 2026
    assert year_label(2027, YearKind.FISCAL, "th") == "ปีงบประมาณ 2570"
    assert year_label(2027, YearKind.CALENDAR, "en") == "2027"


def annual(client, **params):
    response = client.get(reverse("reports:annual"), params)
    assert response.status_code == 200
    return {(f.section, f.label): f.count for f in response.context["figures"]}


def test_annual_figures_count_each_identified_person_once(client, central_reviewer, country):
    victim = Screening.objects.filter(outcome="victim_trafficking").first()
    # The same person identified again in a second case in the same year.
    second = cases.case_open(
        actor=victim.case.owner.memberships.first().user,
        person=victim.case.person,
        intake_channel="ngo",
        intake_date=dt.date(2026, 11, 2),
        intake_province=victim.case.intake_province,
        exploitation_types=[],
    )
    Screening.objects.create(
        case=second,
        custody_started_at=timezone.now(),
        deadline_at=timezone.now(),
        status="decided",
        outcome="victim_forced_labour",
        decided_at=timezone.now(),
    )
    client.force_login(central_reviewer)
    year = timezone.localdate().year
    figures = annual(client, kind="calendar", year=year)
    persons = set(
        Screening.objects.filter(
            outcome__in=["victim_trafficking", "victim_forced_labour"]
        ).values_list("case__person", flat=True)
    )
    identified = figures[("ผู้เสียหายที่ได้รับการคัดแยก (คน)", "ผู้เสียหายที่ได้รับการคัดแยกทั้งหมด")]
    assert identified == len(persons)
    by_sex = [
        count
        for (section, _label), count in figures.items()
        if section == "ผู้เสียหายที่ได้รับการคัดแยก จำแนกตามเพศ"
    ]
    assert sum(by_sex) == identified


def test_annual_figures_download_as_excel_and_are_audited(
    client, central_reviewer, country, prepared_file
):
    client.force_login(central_reviewer)
    response = prepared_file(
        client, reverse("reports:annual_export"), kind="fiscal", year=2027, format="xlsx"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0] == ("หมวด", "รายการ", "จำนวน")
    assert len(rows) > 20
    event = AuditEvent.objects.get(action="export")
    assert event.changes["report"] == "annual-figures"
    assert event.changes["from"] == "2026-10-01"
    assert event.changes["rows"] == len(rows) - 1


def test_a_download_in_an_unknown_format_is_refused_clearly(client, central_reviewer):
    client.force_login(central_reviewer)
    for name in ("reports:annual_export", "reports:anonymised_export"):
        response = client.get(reverse(name), {"format": "pdf"})
        assert response.status_code == 400
        assert "csv" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("persona", ["supervisor_chiangmai", "director_kredtrakarn"])
def test_only_the_central_division_produces_national_figures(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for name in ("reports:annual", "reports:annual_export", "reports:anonymised_export"):
        assert client.get(reverse(name), {"format": "csv"}).status_code == 403


# --- Anonymised statistics ---------------------------------------------------------------------


def rows(**counts):
    return [{"label": label, "count": count} for label, count in counts.items()]


def test_small_groups_are_combined_into_one_of_at_least_eleven():
    shown = suppress_small_groups(rows(thai=40, lao=12, khmer=4, vietnamese=3, indian=5))
    assert shown[:2] == rows(thai=40, lao=12)
    assert shown[2]["count"] == 12


def test_a_small_remainder_takes_in_the_next_group_so_it_cannot_be_worked_out():
    shown = suppress_small_groups(rows(female=30, male=14, unknown=2))
    assert [row["count"] for row in shown] == [30, 16]
    assert all(row["count"] >= SMALLEST_GROUP for row in shown)


def test_a_table_of_fewer_than_eleven_persons_is_not_shown():
    assert suppress_small_groups(rows(female=6, male=4)) is None
    assert suppress_small_groups(rows(female=11)) == rows(female=11)


def decided_in(year: int):
    """Move every decision to the middle of `year`."""
    Screening.objects.exclude(decided_at=None).update(
        decided_at=timezone.make_aware(dt.datetime(year, 6, 15, 10))
    )


def anonymised(client, prepared_file, year: int) -> list[list[str]]:
    url = reverse("reports:anonymised_export")
    response = prepared_file(client, url, kind="calendar", year=year, format="csv")
    assert response.status_code == 200, response
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_anonymised_export_has_no_group_under_eleven(
    client, central_reviewer, country, prepared_file
):
    decided_in(2025)
    client.force_login(central_reviewer)
    lines = anonymised(client, prepared_file, 2025)[1:]
    counts = [int(line[2]) for line in lines if line[2]]
    assert counts, lines
    assert all(count >= SMALLEST_GROUP for count in counts)
    names = {case.person.name_th for case in Case.objects.select_related("person")}
    assert not any(name in cell for name in names for line in lines for cell in line)
    assert AuditEvent.objects.get(action="export").changes["report"] == "anonymised-statistics"


def test_a_person_of_two_forms_of_exploitation_is_one_person_in_the_anonymised_export(
    client, central_reviewer, worker_chiangmai, prepared_file
):
    made = generate(worker_chiangmai, 17, seed=8)
    Screening.objects.update(
        outcome="victim_trafficking", status="decided", decided_at=timezone.now()
    )
    for index, case in enumerate(made):
        forms = ["sexual"] if index < 11 else ["labour_fishing", "begging"]
        Case.objects.filter(pk=case.pk).update(exploitation_types=forms)
    decided_in(2025)
    client.force_login(central_reviewer)
    rows = [line for line in anonymised(client, prepared_file, 2025) if "แสวงประโยชน์" in line[0]]
    # 11 of sexual exploitation and 6 others: the 6 cannot stand alone, and the sexual group
    # joins them so that they cannot be worked out: one row of 17 persons.
    assert [int(line[2]) for line in rows] == [17]


def test_anonymised_statistics_go_out_only_for_a_calendar_year_that_has_ended(
    client, central_reviewer
):
    client.force_login(central_reviewer)
    this_year = timezone.localdate().year
    for kind, year in (("calendar", this_year), ("fiscal", this_year - 1)):
        response = client.get(
            reverse("reports:anonymised_export"), {"kind": kind, "year": year, "format": "csv"}
        )
        assert response.status_code == 400
    page = client.get(reverse("reports:annual"), {"kind": "calendar", "year": this_year})
    assert page.context["anonymised"] is None
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_annual_page_shows_both_tables_in_thai(client, central_reviewer, country):
    client.force_login(central_reviewer)
    page = client.get(reverse("reports:annual"), {"kind": "fiscal", "year": 2027})
    text = page.content.decode()
    assert "1 ต.ค. 2569" in text and "30 ก.ย. 2570" in text
    assert "ผู้เสียหายที่ได้รับการคัดแยก" in text


def test_the_api_gives_the_same_figures_as_the_page(client, central_reviewer, country):
    client.force_login(central_reviewer)
    response = client.get(reverse("api:dashboard"), {"province": "50", **PERIOD})
    page = dashboard(client, province="50", refresh="1", **PERIOD)  # counted again
    assert response.status_code == 200
    data = response.json()
    assert data["scope"] == "national"
    assert (data["start"], data["end"], data["province"]) == ("2026-01-01", "2026-10-31", "50")
    assert data["cases"]["total"] == page["cases"]["total"]
    assert data["cases"]["by_sex"] == [
        dict(row, label=str(row["label"])) for row in page["cases"]["by_sex"]
    ]
    assert len(data["shelters"]) == 6


def test_the_api_explains_a_wrong_filter(client, central_reviewer):
    client.force_login(central_reviewer)
    response = client.get(reverse("api:dashboard"), {"from": "2026-13-45", "province": "99"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"from", "province"}


def test_figures_are_kept_a_minute_and_counted_again_on_request(
    client, central_reviewer, worker_chiangmai
):
    generate(worker_chiangmai, 2, seed=6)
    client.force_login(central_reviewer)
    before = dashboard(client, **PERIOD)["cases"]["total"]
    case = generate(worker_chiangmai, 1, seed=7)[0]
    Case.objects.filter(pk=case.pk).update(intake_date=dt.date(2026, 5, 5))
    assert dashboard(client, **PERIOD)["cases"]["total"] == before
    assert dashboard(client, refresh="1", **PERIOD)["cases"]["total"] == before + 1
    assert dashboard(client, **PERIOD)["cases"]["total"] == before + 1


def test_kept_figures_are_never_shown_to_someone_who_may_see_other_cases(
    client, supervisor_chiangmai, worker_tak, country
):
    from tests.factories import member

    supervisor_tak = member("supervisor", "pso-63", "somchai")
    client.force_login(supervisor_chiangmai)
    chiangmai = dashboard(client, **PERIOD)["cases"]["total"]
    client.force_login(supervisor_tak)
    tak = dashboard(client, **PERIOD)
    assert [row["key"] for row in tak["by_province"]] == ["63"]
    assert tak["cases"]["total"] != chiangmai


def test_beat_keeps_the_national_default_view_counted(client, central_reviewer, country):
    from reports.tasks import count_national_dashboard

    assert count_national_dashboard() == 2  # Thai and English
    counted = timezone.now()
    client.force_login(central_reviewer)
    with CaptureQueriesContext(connection) as captured:
        figures = client.get(reverse("reports:dashboard")).context["figures"]
    assert figures["counted_at"] <= counted
    assert figures["cases"]["open_now"] == listed(client, status="open") + listed(
        client, status="reopened"
    )
    assert not any("cases_case" in query["sql"] for query in captured.captured_queries)


def test_counting_the_national_view_needs_a_central_reviewer(db):
    from reports.tasks import count_national_dashboard

    assert count_national_dashboard() == 0


def test_each_section_of_the_annual_figures_comes_once(client, central_reviewer, country):
    client.force_login(central_reviewer)
    figures = client.get(reverse("reports:annual")).context["figures"]
    sections = [figure.section for figure in figures]
    in_order = [
        section for index, section in enumerate(sections) if section not in sections[:index]
    ]
    assert sorted(sections, key=in_order.index) == sections


def test_counting_again_keeps_the_default_period_without_errors(client, central_reviewer):
    client.force_login(central_reviewer)
    response = client.get(reverse("reports:dashboard"), {"refresh": "1"})
    assert not response.context["form"].errors
    assert response.context["filters"].end == timezone.localdate()


def test_a_partner_without_a_province_is_its_own_row_of_deadlines(
    client, central_reviewer, worker_chiangmai
):
    from accounts.models import Organisation

    partner = Organisation.objects.create(
        code="ngo-x", kind="partner", name_th="มูลนิธิ", name_en="NGO"
    )
    case = generate(worker_chiangmai, 1, seed=9)[0]
    Deadline.objects.create(
        clock="referral_ack_normal",
        object_type=ContentType.objects.get_for_model(Case),
        object_id=case.pk,
        organisation=partner,
        started_at=timezone.make_aware(dt.datetime(2026, 5, 1)),
        due_at=timezone.make_aware(dt.datetime(2026, 5, 2)),
        remind_at=timezone.make_aware(dt.datetime(2026, 5, 2)),
        state="met",
        closed_at=timezone.make_aware(dt.datetime(2026, 5, 1, 12)),
    )
    client.force_login(central_reviewer)
    rows = dashboard(client, **PERIOD)["sla"]["by_province"]
    assert rows[-1]["key"] is None and rows[-1]["total"] == 1
    assert (
        client.get(reverse("reports:annual"), {"kind": "calendar", "year": 2026}).status_code == 200
    )


def test_ages_at_intake_follow_the_birthday_and_the_estimate_date(
    client, central_reviewer, worker_chiangmai
):
    def person_case(intake, **person):
        created = cases.person_create(actor=worker_chiangmai, name_th="อายุ", sex="female", **person)
        return cases.case_open(
            actor=worker_chiangmai,
            person=created,
            intake_channel="ngo",
            intake_date=intake,
            intake_province=worker_chiangmai.membership.organisation.province,
            exploitation_types=[],
        )

    person_case(dt.date(2026, 3, 9), date_of_birth=dt.date(2008, 3, 10))  # 17: a day short
    person_case(dt.date(2026, 3, 10), date_of_birth=dt.date(2008, 3, 10))  # 18 that day
    # Estimated at 16 in 2020: 22 at an intake in 2026, an adult.
    estimated = person_case(dt.date(2026, 4, 1), estimated_age=16)
    Person.objects.filter(pk=estimated.person_id).update(age_estimated_on=dt.date(2020, 1, 1))
    person_case(dt.date(2026, 4, 2))  # age unknown: presumed a child
    client.force_login(central_reviewer)
    figures = dashboard(client, **PERIOD)["cases"]
    ages = {row["key"]: row["count"] for row in figures["by_age_group"]}
    assert ages == {
        "0-14": 0,
        "15-17": 1,
        "18-24": 2,
        "25-34": 0,
        "35-49": 0,
        "50+": 0,
        "unknown": 1,
    }
    assert figures["children"] == 2


def test_a_period_outside_the_act_or_in_the_future_is_refused(client, central_reviewer):
    client.force_login(central_reviewer)
    page = client.get(reverse("reports:dashboard"), {"from": "1000-01-01", "to": "9999-12-31"})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"from", "to"}
    assert page.context["filters"] == statistics.Filters.last_twelve_months()
    response = client.get(reverse("api:dashboard"), {"to": "31/12/9999"})
    assert response.status_code == 400 and "to" in response.json()["errors"]


def test_a_province_alone_applies_to_the_default_period(client, central_reviewer, country):
    client.force_login(central_reviewer)
    response = client.get(reverse("reports:dashboard"), {"province": "63"})
    assert not response.context["form"].errors
    assert response.context["filters"].province.code == "63"
    assert client.get(reverse("api:dashboard"), {"province": "63"}).status_code == 200


def test_a_download_of_a_year_not_offered_is_refused(client, central_reviewer):
    client.force_login(central_reviewer)
    response = client.get(
        reverse("reports:annual_export"), {"kind": "calendar", "year": 1990, "format": "csv"}
    )
    assert response.status_code == 400
    assert "ปี" in response.content.decode()


def test_not_a_victim_counts_apart_until_the_second_review_confirms_it(
    client, central_reviewer, worker_chiangmai
):
    made = generate(worker_chiangmai, 3, seed=10)
    Screening.objects.filter(case=made[0]).update(
        outcome="not_victim", status="confirmed", decided_at=timezone.now()
    )
    Screening.objects.filter(case__in=made[1:]).update(
        outcome="not_victim", status="pending_second_review", decided_at=timezone.now()
    )
    client.force_login(central_reviewer)
    figures = annual(client, kind="calendar", year=timezone.localdate().year)
    section = "การคัดกรองและการคัดแยก (คน)"
    counts = {label: count for (sec, label), count in figures.items() if sec == section}
    assert list(counts.values())[-2:] == [1, 2]


def test_a_withdrawn_step_keeps_the_breach_it_already_had(worker_chiangmai):
    from sla.services import deadline_cancel, deadline_open

    case = generate(worker_chiangmai, 2, seed=11)
    organisation = worker_chiangmai.membership.organisation
    started = timezone.now() - dt.timedelta(days=30)
    late = deadline_open(clock="care_plan", obj=case[0], organisation=organisation, start=started)
    on_time = deadline_open(
        clock="care_plan", obj=case[1], organisation=organisation, start=timezone.now()
    )
    deadline_cancel(clock="care_plan", obj=case[0])
    deadline_cancel(clock="care_plan", obj=case[1])
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.state, on_time.state) == ("breached", "cancelled")
    assert late.closed_at and on_time.closed_at


def test_beat_counts_for_the_reviewer_whose_working_membership_is_central(client, db):
    from reports.tasks import count_national_dashboard
    from tests.factories import MembershipFactory, member

    worker = member("social_worker", "pso-50", "two-hats")
    MembershipFactory(
        user=worker, organisation=Organisation.objects.get(code="central"), role="central_reviewer"
    )
    assert worker.membership.role == "social_worker"
    assert count_national_dashboard() == 0  # their figures would not be national
    member("central_reviewer", "central", "reviewer")
    assert count_national_dashboard() == 2


def test_a_shelter_director_counts_the_cases_referred_to_the_shelter(
    client, director_kredtrakarn, worker_chiangmai, country
):
    from tests.factories import referral_in_state

    in_period = Case.objects.filter(
        status="open", intake_date__range=(PERIOD["from"], PERIOD["to"])
    )
    referred = list(in_period.filter(owner=worker_chiangmai.membership.organisation))
    for case in referred[:2]:
        referral_in_state(worker_chiangmai, "submitted", case=case, reason="ต้องการที่พัก")
    client.force_login(director_kredtrakarn)
    figures = dashboard(client, **PERIOD)
    assert figures["cases"]["total"] == 2 == listed(client, **PERIOD)
    # Referrals count by the day they were sent: today, after PERIOD.
    assert sum(row["count"] for row in figures["referrals"]) == 0
    this_year = dashboard(client, **{"from": "2026-01-01", "to": str(timezone.localdate())})
    assert sum(row["count"] for row in this_year["referrals"]) == 2
