"""Query budgets (NetBox's query-count baselines): every list endpoint and page costs a fixed
number of queries, however many rows it shows and however much data lies behind it (no N+1).
Each is measured with a little data, then again after more of everything was added: the count
must not move, and must stay within its budget. A change that adds a query to a page must
raise its budget here, on purpose."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organisation
from cases import services as cases
from cases.models import Case
from lessons import services as lessons
from notifications.models import Notification
from referrals import services as referrals
from tests.factories import admission, register_case

# A benchmark: each test builds the data twice over, then counts (bin/test -m "not slow" skips it).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# (persona, URL name or path, what the URL needs) -> the most queries it may cost. A list that
# shows persons writes one audit event of the rows shown (audit.reads.record_list).
# "case", "person", "screening", "referral", "placement", "operation": the first of the grown
# data, which gains notes, events, referrals and stays as the data grows.
BUDGETS = {
    # A provincial social worker's pages and lists.
    ("worker", "cases:home", None): 8,
    ("worker", "cases:list", None): 9,
    ("worker", "cases:operation_list", None): 5,
    ("worker", "cases:operation_detail", "operation"): 10,
    # The case page: the person and the case, its screenings, referrals, stays, permits,
    # consents and who else has access; the sections below the fold come on their own.
    ("worker", "cases:detail", "case"): 13,
    # Its sections below the fold, each fetched when it scrolls into view (here on a page of its
    # own, as without JavaScript): the case read and logged, as the page does, then the section.
    **{
        ("worker", f"/cases/{{}}/sections/{name}/", "case"): budget
        for name, budget in {
            "notes": 8,
            "documents": 8,
            "timeline": 8,
            "repatriation": 8,
            "outcomes": 9,
            "justice": 9,
            "plan": 9,
            "blockers": 11,
        }.items()
    },
    ("worker", "cases:summary", "case"): 12,
    ("worker", "cases:person", "person"): 10,
    # The screening: +2 for the accounts an MDT member may be linked to, with their offices.
    ("worker", "cases:screening", "screening"): 16,
    # A page of 25 (or the user's page size) with its total for the pagination: the COUNT.
    ("worker", "referrals:sent", None): 7,
    ("worker", "referrals:inbox", None): 5,
    ("worker", "referrals:list", None): 13,
    ("worker", "referrals:detail", "referral"): 10,
    ("worker", "sla:mine", None): 7,
    ("worker", "notifications:inbox", None): 6,
    # A shelter director's.
    ("director", "referrals:inbox", None): 5,
    # The bed board: its shelter with its sections, the residents, their audit event; the
    # referrals coming (loaded once the board is shown): the sections again, the referrals with
    # their clocks, the audit event of those waiting for a bed.
    ("director", "shelters:home", None): 7,
    ("director", "shelters:coming", None): 6,
    ("director", "shelters:residents", None): 8,
    ("director", "shelters:placements", None): 10,
    ("director", "shelters:resident", "placement"): 14,
    ("director", "sla:board", None): 12,
    # The central division's.
    ("reviewer", "referrals:home", None): 10,
    ("reviewer", "cases:list", None): 8,
    ("reviewer", "referrals:list", None): 13,
    ("reviewer", "shelters:national", None): 6,
    ("reviewer", "shelters:placements", None): 9,
    ("reviewer", "reports:dashboard", None): 24,  # 23, and the interviews per person
    # The log names each entry's record with one query per kind of record on the page: a
    # search by case number, whose newest 50 entries hold the same kinds as the data grows.
    ("reviewer", "/audit/?case=NRM", None): 21,
    ("reviewer", "sla:board", None): 14,
    # The API's lists and details.
    ("worker", "/api/v1/persons/", None): 6,
    ("worker", "/api/v1/cases/", None): 6,
    ("worker", "/api/v1/cases/{}/", "case"): 6,
    ("worker", "/api/v1/screenings/", None): 9,
    ("worker", "/api/v1/referrals/", None): 5,
    ("worker", "/api/v1/referrals/{}/", "referral"): 7,
    ("worker", "/api/v1/shelters/", None): 5,
    ("director", "/api/v1/placements/", None): 6,
    ("director", "/api/v1/referrals/", None): 5,
    ("reviewer", "/api/v1/cases/", None): 5,
    ("reviewer", "/api/v1/referrals/", None): 5,
    ("reviewer", "/api/v1/reports/dashboard/", None): 21,
    ("reviewer", "/api/v1/deadlines/board/", None): 8,
    # The lessons-learned register: the cases each item names, as the reader may know them.
    ("worker", "lessons:list", None): 10,
    ("reviewer", "lessons:list", None): 9,
    ("director", "lessons:detail", "lesson"): 10,
    ("worker", "/api/v1/lessons/", None): 9,
}


class Data:
    """Cases of the Chiang Mai office, each screened, noted, referred to Kredtrakarn,
    accepted and admitted, with notifications; the first of each kept for the detail pages."""

    def __init__(self, worker, director):
        self.worker, self.director = worker, director
        self.first = {}
        self.made = 0

    def grow(self, count):
        for _index in range(count):
            self.made += 1
            self._one(self.made)

    def _one(self, index):
        worker, director = self.worker, self.director
        if "operation" not in self.first:
            self.first["operation"] = cases.operation_create(
                actor=worker,
                name="Raid",
                province=worker.membership.organisation.province,
                started_on=timezone.localdate(),
                custody_started_at=timezone.now(),
            ).pk
        case = register_case(worker, name_th=f"บุคคล ทดสอบ {index}", estimated_age=30)
        screening = cases.screening_start(
            case_id=case.pk, actor=worker, custody_started_at=timezone.now()
        )
        placement = admission(worker, director, case=case)
        referral = placement.referral
        self.first.setdefault("case", case.pk)
        self.first.setdefault("person", case.person_id)
        self.first.setdefault("screening", screening.pk)
        self.first.setdefault("referral", referral.pk)
        self.first.setdefault("placement", placement.pk)
        lesson = lessons.lesson_raise(
            actor=worker,
            title=f"ประเด็น {index}",
            topic="referral",
            what_happened="รอ",
            case_numbers=[case.number],
        )
        self.first.setdefault("lesson", lesson.pk)
        # The first case's own history grows too: notes, more referrals (one open referral per
        # receiving office: each to another office), its timeline.
        first = Case.objects.get(pk=self.first["case"])
        cases.case_note_add(case=first, actor=worker, text=f"note {index}")
        offices = Organisation.objects.filter(kind="provincial_office").exclude(pk=first.owner_id)
        referrals.referral_create(
            actor=worker,
            case_id=first.pk,
            to_organisation=offices.order_by("code")[index],
            kind="service",
            reason="follow-up",
            consent="given",
            consent_now=True,
            submit=True,
        )
        Notification.objects.filter(recipient__in=[worker, director]).update(read_at=None)


def url_of(path, needs, data):
    argument = data.first[needs] if needs else None
    if path.startswith("/"):
        return path.format(argument)
    return reverse(path, args=[argument] if needs else [])


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path", "needs"), list(BUDGETS), ids=[f"{p}:{u}" for p, u, _n in BUDGETS]
)
def test_a_list_or_page_costs_a_fixed_number_of_queries(
    persona, path, needs, worker_chiangmai, director_kredtrakarn, central_reviewer, settings
):
    # The cache would hide queries that a cold request runs (a list's total, the dashboard's
    # figures): each request here is measured cold.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    data = Data(worker_chiangmai, director_kredtrakarn)
    user = {
        "worker": worker_chiangmai,
        "director": director_kredtrakarn,
        "reviewer": central_reviewer,
    }[persona]
    client = APIClient()
    client.force_login(user)
    data.grow(2)
    url = url_of(path, needs, data)
    client.get(url)  # per-process caches (content types, translations) filled
    few = queries(client, url)
    data.grow(6)
    many = queries(client, url)
    assert many == few, f"{url}: {few} queries with 2 cases, {many} with 8"
    assert few <= BUDGETS[(persona, path, needs)], f"{url}: {few} queries, over its budget"
