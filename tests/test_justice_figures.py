"""Compensation claimed, awarded and received on the dashboards, in the annual figures and in
the anonymised statistics (issue 18): the same claims the lists show, each step counted on its
own day, and no group under 11 persons published."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.test import APIClient

from justice import services
from reports.annual import annual_figures
from reports.anonymised import anonymised_tables
from reports.statistics import Filters, compensation_figures
from tests.factories import member, register_case

pytestmark = pytest.mark.django_db


def _claims(worker, *, count, awarded=0, received=0, source="fund"):
    """`count` claims of 10,000 baht on new cases, the first `awarded` awarded 8,000, the first
    `received` of those paid 5,000."""
    today = timezone.localdate()
    for i in range(count):
        case = register_case(worker, name_th=f"ผู้เสียหาย {i}")
        claim = services.claim_file(
            case=case,
            actor=worker,
            source=source,
            amount_claimed=Decimal("10000"),
            claimed_on=today,
        )
        if i < awarded:
            services.claim_award(
                claim_id=claim.pk, actor=worker, amount_awarded=Decimal("8000"), decided_on=today
            )
        if i < received:
            services.claim_receive(
                claim_id=claim.pk, actor=worker, amount_received=Decimal("5000"), received_on=today
            )


def _this_year():
    today = timezone.localdate()
    return Filters(start=today.replace(month=1, day=1), end=today)


def test_the_dashboard_counts_and_sums_each_step_by_source(central_reviewer, worker_chiangmai):
    _claims(worker_chiangmai, count=3, awarded=2, received=1)
    figures = compensation_figures(user=central_reviewer, filters=_this_year())
    assert figures["claimed"] == {"count": 3, "amount": Decimal("30000")}
    assert figures["awarded"] == {"count": 2, "amount": Decimal("16000")}
    assert figures["received"] == {"count": 1, "amount": Decimal("5000")}
    fund = next(row for row in figures["by_source"] if row["key"] == "fund")
    offender = next(row for row in figures["by_source"] if row["key"] == "offender")
    assert fund["claimed"]["count"] == 3 and offender["claimed"]["count"] == 0
    last_year = Filters(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    assert compensation_figures(user=central_reviewer, filters=last_year)["claimed"]["count"] == 0


def test_an_office_counts_only_the_claims_it_may_see(worker_chiangmai, worker_tak):
    _claims(worker_chiangmai, count=2)
    supervisor_tak = member("supervisor", "pso-63", "sup.tak")
    figures = compensation_figures(user=supervisor_tak, filters=_this_year())
    assert figures["claimed"]["count"] == 0
    _claims(worker_tak, count=1)
    assert compensation_figures(user=supervisor_tak, filters=_this_year())["claimed"]["count"] == 1


def test_the_dashboard_page_and_api_show_the_compensation(
    client, central_reviewer, worker_chiangmai
):
    _claims(worker_chiangmai, count=2, awarded=1, received=1)
    client.force_login(central_reviewer)
    page = client.get("/reports/").content.decode()
    assert 'data-testid="compensation"' in page and "20,000.00" in page
    api = APIClient()
    api.force_authenticate(central_reviewer)
    data = api.get("/api/v1/reports/dashboard/").data["compensation"]
    assert data["received"] == {"count": 1, "amount": "5000.00"}


def test_the_annual_figures_give_claims_and_baht_of_the_year(central_reviewer, worker_chiangmai):
    _claims(worker_chiangmai, count=2, awarded=2, received=1)
    year = _this_year()
    rows = annual_figures(user=central_reviewer, start=year.start, end=year.end)
    section = _("Compensation: %(source)s") % {"source": _("All sources")}
    assert {f.label: f.count for f in rows if f.section == section} == {
        _("Claims made"): 2,
        _("Baht claimed"): 20000.0,
        _("Claims awarded"): 2,
        _("Baht awarded"): 16000.0,
        _("Claims paid to the person"): 1,
        _("Baht received"): 5000.0,
    }


def test_the_anonymised_statistics_leave_out_fewer_than_11_persons(
    central_reviewer, worker_chiangmai
):
    year = _this_year()
    _claims(worker_chiangmai, count=10, awarded=10, received=10)
    tables = dict(anonymised_tables(user=central_reviewer, start=year.start, end=year.end))
    compensation = [
        rows for title, rows in tables.items() if "ompensation" in str(title) or "ค่า" in str(title)
    ]
    assert compensation and all(rows is None for rows in compensation)
    _claims(worker_chiangmai, count=1)
    tables = anonymised_tables(user=central_reviewer, start=year.start, end=year.end)
    claimed, received = tables[-2][1], tables[-1][1]
    assert claimed == [{"label": claimed[0]["label"], "count": 11}]
    assert received is None  # still 10 persons paid
