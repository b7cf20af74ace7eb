"""The dashboards, the annual figures and the anonymised statistics. Thin: parse the filters,
call the statistics, render or download."""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import may_export, role_required
from audit.exports import ListExport, answer_export, audited_export
from cases.selectors import case_list_visible_to
from core.charts import chart_data
from core.exports import FORMATS, export_refused

from . import htcds, statistics
from .annual import annual_figures, victims_identified
from .anonymised import SMALLEST_GROUP, anonymised_tables
from .charts import dashboard_charts
from .forms import AnnualFiguresForm, DashboardForm
from .years import YearKind

DASHBOARD_ROLES = (Role.CENTRAL_REVIEWER, Role.SUPERVISOR, Role.SHELTER_DIRECTOR)


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    """National figures for the central division, the office's for a supervisor, the
    shelter's for its director; each figure links to the list it counts."""
    scope = statistics.dashboard_scope(request.user)
    form = DashboardForm.from_query(request.GET, with_province=scope == "national")
    filters = form.filters()
    fresh = request.GET.get("refresh") == "1"
    figures = statistics.dashboard_figures(user=request.user, filters=filters, fresh=fresh)
    refresh = request.GET.copy()
    refresh["refresh"] = "1"
    list_url = f"{reverse('cases:list')}?{urlencode(filters.list_query())}"
    breaches_url = f"{reverse('sla:board')}?{urlencode(statistics.breaches_query(filters))}"
    declines_url = f"{reverse('referrals:list')}?{urlencode(statistics.declines_query(filters))}"
    charts = dashboard_charts(figures, list_url, declines_url)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "filters": filters,
            "figures": figures,
            "charts": charts,
            "chart_data": chart_data(charts),
            "referrals_total": sum(row["count"] for row in figures["referrals"]),
            "list_url": list_url,
            "breaches_url": breaches_url,
            "refresh_query": refresh.urlencode(),
            # The rendered figures are kept as long as the figures themselves (the template's
            # cache tag): rendering nine charts' tables costs more than reading the figures.
            "fragment_key": (
                f"{statistics.figures_key(request.user, filters)}:"
                f"{figures['counted_at'].timestamp()}"
            ),
            "fragment_seconds": statistics.CACHE_SECONDS,
        },
    )


def _year(request) -> tuple[AnnualFiguresForm, dt.date, dt.date, str]:
    asked = "kind" in request.GET or "year" in request.GET
    form = AnnualFiguresForm(request.GET if asked else None)
    start, end, kind = form.period()
    return form, start, end, kind


def _download_refusal(request, form: AnnualFiguresForm) -> HttpResponseBadRequest | None:
    """Why a download cannot be made as asked (a 400 that says so), or None."""
    if request.GET.get("format", "") not in FORMATS:
        return export_refused(_("Choose the format of the file: csv or xlsx."))
    if form.is_bound and not form.is_valid():
        errors = "; ".join(" ".join(messages) for messages in form.errors.values())
        return export_refused(
            _("Choose a year and a kind of year: %(errors)s") % {"errors": errors}
        )
    return None


def may_share(kind: str, end: dt.date) -> bool:
    """Anonymised statistics go out for whole calendar years that have ended: figures of a
    year still running, or of overlapping fiscal and calendar years, could be subtracted
    from one another to single out the few persons in between."""
    return kind == YearKind.CALENDAR and end < timezone.localdate()


def _shareable_year(request) -> tuple[dt.date, dt.date, HttpResponseBadRequest | None]:
    """The period of an anonymised download, or why it cannot be given as asked."""
    form, start, end, kind = _year(request)
    if refusal := _download_refusal(request, form):
        return start, end, refusal
    if not may_share(kind, end):
        message = _("Anonymised statistics are given for a calendar year that has ended.")
        return start, end, export_refused(message)
    return start, end, None


def _report_file(request, *, report: str, start, end, headers, rows: Callable[[], Iterable]):
    """A report's file, prepared by a worker (the `exports` app answers every report export)
    and audited when it is downloaded, as a list's is. `rows` makes the rows: it is called when
    the file is written, so asking for the file counts nothing during the request."""
    return answer_export(
        request,
        ListExport(
            name=report,
            format=request.GET["format"],
            filters={"from": start.isoformat(), "to": end.isoformat()},
            count=0,  # counted as the file is written
            headers=headers,
            rows=_called(rows),
            report=True,
        ),
    )


def _called(rows: Callable[[], Iterable]) -> Iterator:
    yield from rows()


@role_required(Role.CENTRAL_REVIEWER)
def annual(request):
    """The year's national figures (s.40 report, TIP questionnaire) and the anonymised
    statistics that may be shared, for a calendar or a Thai fiscal year."""
    form, start, end, kind = _year(request)
    return render(
        request,
        "reports/annual.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "figures": annual_figures(user=request.user, start=start, end=end),
            "anonymised": (
                anonymised_tables(user=request.user, start=start, end=end)
                if may_share(kind, end)
                else None
            ),
            "query": urlencode({"kind": kind, "year": YearKind(kind).containing(end)}),
            "smallest_group": SMALLEST_GROUP,
        },
    )


@role_required(Role.CENTRAL_REVIEWER)
def annual_export(request):
    form, start, end, _kind = _year(request)
    if refusal := _download_refusal(request, form):
        return refusal

    def rows():
        figures = annual_figures(user=request.user, start=start, end=end)
        return [(figure.section, figure.label, figure.count) for figure in figures]

    return _report_file(
        request,
        report="annual-figures",
        start=start,
        end=end,
        headers=[_("Topic"), _("Figure"), _("Number")],
        rows=rows,
    )


@role_required(Role.CENTRAL_REVIEWER)
def anonymised_export(request):
    """The anonymised statistics: no group of fewer than 11 persons."""
    start, end, refusal = _shareable_year(request)
    if refusal:
        return refusal

    def rows():
        for title, table in anonymised_tables(user=request.user, start=start, end=end):
            if table is None:
                yield (str(title), str(_("Fewer than 11 persons: not shown")), None)
            else:
                yield from ((str(title), str(row["label"]), row["count"]) for row in table)

    return _report_file(
        request,
        report="anonymised-statistics",
        start=start,
        end=end,
        headers=[_("Table"), _("Group"), _("Persons")],
        rows=rows,
    )


@login_required
def htcds_export(request):
    """Every case the user may see, in the HTCDS fields and codes (reports/htcds.py), for
    those who take personal data away in files; audited like every export."""
    if not may_export(request.user):
        raise PermissionDenied
    format = request.GET.get("format", "")
    if format not in FORMATS:
        return export_refused(_("Choose the format of the file: csv or xlsx."))
    cases = case_list_visible_to(user=request.user)
    count = cases.count()
    if format == "xlsx" and count > settings.NRM_EXPORT_IMMEDIATE_ROWS:
        return export_refused(
            _("%(count)s cases are too many for an Excel file made now: take the CSV file.")
            % {"count": count}
        )
    return audited_export(
        request,
        changes={"report": "htcds", "format": format, "rows": count},
        format=format,
        filename="nrm-htcds",
        headers=htcds.headers(),
        rows=htcds.htcds_rows(cases),
    )


@role_required(Role.CENTRAL_REVIEWER)
def htcds_anonymised_export(request):
    """The year's identified victims for the CTDC: counts by HTCDS gender, age group,
    nationality and form of exploitation, no cell under 11 persons."""
    start, end, refusal = _shareable_year(request)
    if refusal:
        return refusal
    return _report_file(
        request,
        report="htcds-anonymised",
        start=start,
        end=end,
        headers=htcds.ANONYMISED_HEADERS,
        rows=lambda: htcds.anonymised_rows(
            victims_identified(user=request.user, start=start, end=end)
        ),
    )
