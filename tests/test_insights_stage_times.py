"""Stage times (issue 20): each stage's median, 90th percentile and share within its limit,
counted by the database, agree with a direct count of the records; they cover only what the
viewer may see; their page, drill-down and API."""

import datetime as dt
import statistics as stats
from collections import defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case, Screening
from devdata.load_data import generate
from insights.dimensions import DIMENSIONS
from insights.figures import Filters, _in_database, in_python, stage_figures, stage_rows
from insights.models import StageSpan
from insights.spans import count_stage_spans
from insights.stages import STAGE_BY_KEY, STAGES
from referrals.models import Referral, ReferralEvent
from shelters.models import Placement
from sla.models import Clock, Deadline
from tests.factories import screening_in_state

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
TEN_YEARS = Filters(start=dt.date(2016, 11, 21), end=TODAY)


@pytest.fixture
def national(db):
    """Ten years of generated national data, small."""
    generate(cases=300, seed=20, today=TODAY)


def figures_by_stage(user, **filters):
    figures = stage_figures(user=user, filters=Filters(**(TEN_YEARS.__dict__ | filters)))
    return {stages.stage.key: {f.key: f for f in stages.groups} for stages in figures}


def summary(lengths_and_in_time):
    """What the figures should say about [(seconds, in time or None)], counted here."""
    lengths = sorted(seconds for seconds, _ in lengths_and_in_time)
    limited = [in_time for _, in_time in lengths_and_in_time if in_time is not None]
    return {
        "count": len(lengths),
        "median": stats.median(lengths),
        "p90": stats.quantiles(lengths, n=10, method="inclusive")[8],
        "within": sum(limited),
        "limited": len(limited),
    }


def assert_agrees(figure, expected):
    assert figure.count == expected["count"]
    assert figure.median == pytest.approx(expected["median"], abs=0.01)
    assert figure.p90 == pytest.approx(expected["p90"], abs=0.01)
    assert (figure.within, figure.limited) == (expected["within"], expected["limited"])


def met(model, clocks) -> set[int]:
    return set(
        Deadline.objects.filter(
            object_type=ContentType.objects.get_for_model(model),
            clock__in=clocks,
            state=Deadline.State.MET,
        ).values_list("object_id", flat=True)
    )


def test_the_national_figures_agree_with_a_direct_count(national, central_reviewer):
    figures = figures_by_stage(central_reviewer)
    # Screening started to decision: held to the s.29 deadline of each screening.
    decided = Screening.objects.filter(decided_at__isnull=False)
    assert_agrees(
        figures["identification"]["all"],
        summary(
            [
                (
                    (s.decided_at - s.custody_started_at).total_seconds(),
                    s.decided_at <= s.deadline_at,
                )
                for s in decided
            ]
        ),
    )
    # Submitted to acknowledged: held to the acknowledgement clock.
    on_time = met(Referral, (Clock.REFERRAL_ACK_URGENT, Clock.REFERRAL_ACK_NORMAL))
    acks = ReferralEvent.objects.filter(field="state", to_state="acknowledged")
    assert_agrees(
        figures["acknowledged"]["all"],
        summary(
            [
                ((e.created_at - e.referral.submitted_at).total_seconds(), e.referral_id in on_time)
                for e in acks.select_related("referral")
            ]
        ),
    )
    # Admitted to care plan: until the care-plan clock closed.
    placements = Placement.objects.in_bulk()
    care = Deadline.objects.filter(
        clock=Clock.CARE_PLAN, state__in=[Deadline.State.MET, Deadline.State.BREACHED]
    )
    assert_agrees(
        figures["care_plan"]["all"],
        summary(
            [
                (
                    (d.closed_at - placements[d.object_id].admitted_at).total_seconds(),
                    d.state == Deadline.State.MET,
                )
                for d in care
            ]
        ),
    )
    # Decision to the first referral, without a limit.
    first = defaultdict(list)
    for referral in Referral.objects.filter(submitted_at__isnull=False):
        first[referral.case_id].append(referral.submitted_at)
    assert_agrees(
        figures["referral_submitted"]["all"],
        summary(
            [
                ((min(first[s.case_id]) - s.decided_at).total_seconds(), None)
                for s in decided
                if s.case_id in first
            ]
        ),
    )
    assert figures["referral_submitted"]["all"].share is None


def test_the_figures_by_province_and_by_age_agree_with_a_direct_count(national, central_reviewer):
    by_province = figures_by_stage(central_reviewer, by="province")["identification"]
    by_age = figures_by_stage(central_reviewer, by="age")["identification"]
    groups, ages = defaultdict(list), defaultdict(list)
    for s in Screening.objects.filter(decided_at__isnull=False).select_related(
        "case__person", "case__intake_province"
    ):
        row = ((s.decided_at - s.custody_started_at).total_seconds(), s.decided_at <= s.deadline_at)
        groups[s.case.intake_province.code].append(row)
        person = s.case.person
        age = person.age(on=s.case.intake_date)
        ages["child" if person.age_disputed or age is None or age < 18 else "adult"].append(row)
    assert set(by_province) == set(groups)
    for code, rows in groups.items():
        if len(rows) > 1:
            assert_agrees(by_province[code], summary(rows))
    assert set(by_age) == set(ages) == {"child", "adult"}
    for key, rows in ages.items():
        assert_agrees(by_age[key], summary(rows))


def test_a_case_counts_once_for_each_of_its_forms_of_exploitation(national, central_reviewer):
    by_form = figures_by_stage(central_reviewer, by="exploitation")["identification"]
    forms = defaultdict(list)
    for s in Screening.objects.filter(decided_at__isnull=False).select_related("case"):
        row = ((s.decided_at - s.custody_started_at).total_seconds(), s.decided_at <= s.deadline_at)
        for form in s.case.exploitation_types:
            forms[form].append(row)
    assert any(len(s.case.exploitation_types) > 1 for s in Screening.objects.all())
    assert set(by_form) == set(forms)
    for form, rows in forms.items():
        if len(rows) > 1:
            assert_agrees(by_form[form], summary(rows))


def test_the_embedded_databases_count_in_python_gives_the_same_figures(national, central_reviewer):
    """SQLite has no percentile_cont: the figures are counted from the lengths instead."""
    for dimension in DIMENSIONS:
        filters = Filters(**(TEN_YEARS.__dict__ | {"by": dimension.key}))
        for stage in STAGES:
            if dimension.expression(stage) is None:
                continue
            rows = stage_rows(stage, user=central_reviewer, filters=filters)
            database, python = (
                _in_database(rows, dimension, stage),
                in_python(rows, dimension, stage),
            )
            found = {key: numbers for key, numbers in database.items() if numbers["count"]}
            assert set(found) == set(python), (dimension.key, stage.key)
            for key, numbers in python.items():
                for name, value in numbers.items():
                    assert found[key][name] == pytest.approx(value, abs=0.01), (stage.key, key)


def test_the_period_is_the_stages_begun_in_it(national, central_reviewer):
    whole = figures_by_stage(central_reviewer)["identification"]["all"].count
    by_year = figures_by_stage(central_reviewer, by="year")["identification"]
    assert sum(f.count for f in by_year.values()) == whole
    last_year = figures_by_stage(central_reviewer, start=dt.date(2026, 1, 1))
    in_2026 = Screening.objects.filter(
        decided_at__isnull=False,
        custody_started_at__gte=timezone.make_aware(dt.datetime(2026, 1, 1)),
        custody_started_at__lt=timezone.make_aware(dt.datetime(2026, 11, 21)),
    ).count()
    assert last_year["identification"]["all"].count == in_2026 < whole
    assert by_year[2026].label == "2569"


@pytest.fixture
def two_provinces(worker_chiangmai, worker_tak):
    """A decision in Chiang Mai an hour after custody began, one in Tak thirty hours after."""
    now = timezone.now()
    mine = screening_in_state(
        worker_chiangmai, "decided", custody_started_at=now - dt.timedelta(hours=1)
    )
    theirs = screening_in_state(
        worker_tak, "decided", custody_started_at=now - dt.timedelta(hours=30)
    )
    count_stage_spans()
    return mine.case, theirs.case


def test_a_supervisor_counts_only_the_cases_of_their_office(
    two_provinces, supervisor_chiangmai, central_reviewer
):
    mine, _theirs = two_provinces
    days = {"start": timezone.localdate() - dt.timedelta(days=2), "end": timezone.localdate()}
    own = figures_by_stage(supervisor_chiangmai, **days)
    every = figures_by_stage(central_reviewer, **days)
    assert own["identification"]["all"].count == 1
    assert own["identification"]["all"].within == 1
    assert every["identification"]["all"].count == 2
    assert every["identification"]["all"].within == 1  # Tak's decision came after 24 hours


def test_the_page_reads_in_thai_with_where_time_is_lost(client, two_provinces, central_reviewer):
    client.force_login(central_reviewer)
    page = client.get(reverse("insights:stage_times"), {"by": "province"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "ระยะเวลาแต่ละขั้นตอน" in text
    assert "ตัวเลขนับเมื่อ" in text  # when the figures were counted
    lost = text.split('data-testid="time-lost"')[1].split("</table>")[0]
    assert "ตาก" in lost and "เชียงใหม่" not in lost  # only Tak went past the 24 hours
    assert 'id="chart-data"' in text and 'data-testid="table-identification"' in text


def test_the_quarters_are_buddhist_era(client, two_provinces, central_reviewer):
    client.force_login(central_reviewer)
    page = client.get(reverse("insights:stage_times"), {"by": "quarter"})
    year = timezone.localdate().year + 543
    assert f"/{year}" in page.content.decode()


def test_the_drill_down_lists_the_visible_cases_the_longest_first_and_is_logged(
    client, two_provinces, supervisor_chiangmai, central_reviewer
):
    mine, theirs = two_provinces
    url = reverse("insights:stage_cases", args=["identification"])
    client.force_login(central_reviewer)
    text = client.get(url, {"by": "all", "group": "all"}).content.decode()
    assert text.index(theirs.number) < text.index(mine.number)
    logged = AuditEvent.objects.filter(action=AuditEvent.Action.LIST, actor=central_reviewer)
    assert logged.get().changes["list"] == "stage cases"
    # The cases shown are logged, not the counted rows (new ones at every count).
    assert logged.get().changes["model"] == "cases.case"
    assert set(logged.get().changes["ids"]) == {mine.pk, theirs.pk}
    client.force_login(supervisor_chiangmai)
    text = client.get(url, {"by": "province", "group": "63"}).content.decode()
    assert theirs.number not in text
    text = client.get(url, {"by": "province", "group": "50"}).content.decode()
    assert mine.number in text


def test_a_wrong_stage_group_or_period_is_no_server_error(client, two_provinces, central_reviewer):
    client.force_login(central_reviewer)
    assert client.get(reverse("insights:stage_cases", args=["nothing"])).status_code == 404
    url = reverse("insights:stage_cases", args=["identification"])
    assert client.get(url, {"by": "year", "group": "abc"}).status_code == 200
    page = client.get(reverse("insights:stage_times"), {"start": "2001-01-01", "by": "x"})
    assert page.status_code == 200
    assert page.context["form"].errors


def test_the_api_gives_the_same_figures(client, two_provinces, central_reviewer, worker_chiangmai):
    client.force_login(central_reviewer)
    data = client.get(reverse("api:stage_times"), {"by": "province"}).json()
    stage = next(s for s in data["stages"] if s["key"] == "identification")
    assert {g["key"]: g["count"] for g in stage["groups"]} == {"50": 1, "63": 1}
    assert client.get(reverse("api:stage_times"), {"start": "x"}).status_code == 400
    client.force_login(worker_chiangmai)
    assert client.get(reverse("api:stage_times")).status_code == 403


def test_every_stage_is_counted_on_a_screening_that_nobody_decided_yet(
    worker_chiangmai, central_reviewer
):
    screening_in_state(worker_chiangmai, "open")
    count_stage_spans()
    figures = figures_by_stage(
        central_reviewer, start=timezone.localdate(), end=timezone.localdate()
    )
    assert "all" not in figures["identification"]
    assert figures["screening_started"]["all"].count == 1
    assert set(figures) == set(STAGE_BY_KEY)
    assert Case.objects.count() == 1


def test_the_figures_are_those_of_the_last_count_and_a_count_replaces_the_one_before(
    two_provinces, worker_chiangmai, central_reviewer
):
    """The figures read the stages' rows as last counted (beat counts them every ten
    minutes): a decision made since shows at the next count, and counting again twice leaves
    each row once."""
    days = {"start": timezone.localdate() - dt.timedelta(days=2), "end": timezone.localdate()}

    def decided():
        return figures_by_stage(central_reviewer, **days)["identification"]["all"].count

    assert decided() == 2
    screening_in_state(worker_chiangmai, "decided")
    assert decided() == 2
    rows = count_stage_spans()
    assert count_stage_spans() == rows == StageSpan.objects.count()
    assert decided() == 3


def test_beat_counts_the_stage_figures_every_ten_minutes(settings):
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "insights.tasks.count_stage_spans"
    ]
    assert entry["schedule"] == 10 * 60


def test_a_stay_admitted_before_its_acceptance_is_left_out_not_counted_negative(
    worker_chiangmai, director_kredtrakarn, central_reviewer
):
    """Times out of order (a stay back-dated before the referral's acceptance, as the demo
    once did) have no length to count."""
    from tests.factories import admission

    placement = admission(worker_chiangmai, director_kredtrakarn)
    count_stage_spans()
    days = {"start": timezone.localdate() - dt.timedelta(days=2), "end": timezone.localdate()}
    assert figures_by_stage(central_reviewer, **days)["admitted"]["all"].count == 1
    Placement.objects.filter(pk=placement.pk).update(
        admitted_at=placement.admitted_at - dt.timedelta(days=30)
    )
    count_stage_spans()
    figures = figures_by_stage(central_reviewer, **days)
    assert "all" not in figures["admitted"]
    assert not StageSpan.objects.filter(seconds__lt=0).exists()
