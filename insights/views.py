"""The stage-time pages. Thin: parse the filters, read the figures, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Region, Role
from accounts.permissions import has_role, role_required
from audit.reads import record_list
from cases.views.case_forms import form_on_demand, form_on_demand_post
from core.actions import perform
from core.charts import chart_data
from core.versions import VersionForm

from . import services
from .charts import compliance_chart, share_chart, stage_charts
from .figures import Filters, stage_figures, time_lost
from .forms import BlockerForm, StageFiltersForm
from .permissions import can_record_blocker, still_running
from .selectors import (
    blocker_list_visible_to,
    regional_deadlines,
    stage_cases_visible_to,
    top_blockers,
)
from .spans import counted_at
from .stages import STAGE_BY_KEY

VIEWER_ROLES = (
    Role.CENTRAL_REVIEWER,
    Role.SUPERVISOR,
    Role.SHELTER_DIRECTOR,
    Role.REGIONAL_OFFICER,
)
CASES_PER_PAGE = 50
LIST_NAME = "stage cases"


@role_required(*VIEWER_ROLES)
def stage_times(request):
    """Each stage's median, 90th percentile and share within its limit, by the dimension
    asked for, over the cases the viewer may see; where time is lost, ranked."""
    form = StageFiltersForm.from_query(request.GET, user=request.user)
    filters = form.filters()
    figures = stage_figures(user=request.user, filters=filters)
    counts_only = has_role(request.user, Role.REGIONAL_OFFICER)
    charts = [share_chart(figures), *stage_charts(figures, filters, linked=not counts_only)]
    return render(
        request,
        "insights/stage_times.html",
        {
            "form": form,
            "filters": filters,
            "figures": figures,
            "ranked": time_lost(figures),
            "region_label": Region(filters.region).label if filters.region else "",
            "counts_only": counts_only,
            "charts": charts,
            "chart_data": chart_data(charts),
            "counted_at": counted_at(),
        },
    )


@role_required(*VIEWER_ROLES)
def stage_cases(request, stage):
    """The cases behind one figure: the stage's rows of one group, the longest first."""
    if stage not in STAGE_BY_KEY:
        raise Http404
    form = StageFiltersForm.from_query(request.GET, user=request.user)
    filters = form.filters()
    rows = stage_cases_visible_to(
        user=request.user,
        stage=STAGE_BY_KEY[stage],
        filters=filters,
        group=request.GET.get("group", ""),
    )
    page = Paginator(rows, CASES_PER_PAGE).get_page(request.GET.get("page"))
    # The cases shown, not the counted rows (counted again every ten minutes, new ids).
    record_list(
        [row.case for row in page], user=request.user, name=LIST_NAME, query=request.GET.dict()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "insights/stage_cases.html",
        {
            "stage": STAGE_BY_KEY[stage],
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "back_query": urlencode(filters.query()),
            "counts_only": has_role(request.user, Role.REGIONAL_OFFICER),
        },
    )


@role_required(Role.REGIONAL_OFFICER)
def regional(request):
    """A regional office's home: its provinces side by side (stage times, the blockers, the
    deadlines met), counted over their cases without showing any of them."""
    form = StageFiltersForm.from_query(request.GET, user=request.user)
    period = form.filters()
    filters = Filters(start=period.start, end=period.end, province=period.province, by="province")
    provinces, (by_province, by_clock) = regional_deadlines(user=request.user, filters=filters)
    figures = stage_figures(user=request.user, filters=filters)
    charts = [
        compliance_chart(by_province, chart_id="deadlines", title=_("Deadlines met, by province")),
        compliance_chart(by_clock, chart_id="clocks", title=_("Deadlines met, by clock")),
        share_chart(figures),
        *stage_charts(figures, filters, linked=False),  # it sees none of the cases
    ]
    return render(
        request,
        "insights/regional.html",
        {
            "form": form,
            "filters": filters,
            "provinces": provinces,
            "top": top_blockers(user=request.user, filters=filters),
            "charts": charts,
            "chart_data": chart_data(charts),
        },
    )


@role_required(*VIEWER_ROLES)
def blockers(request):
    """The most frequent blockers, nationally (all the viewer sees) and by province."""
    form = StageFiltersForm.from_query(request.GET, user=request.user)
    filters = form.filters()
    return render(
        request,
        "insights/blockers.html",
        {
            "form": form,
            "filters": filters,
            "top": top_blockers(user=request.user, filters=filters),
            "counts_only": has_role(request.user, Role.REGIONAL_OFFICER),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def blocker_start(request, record, record_id):
    """GET: the "waiting because ..." form of a running record the user may speak for, which
    the case page loads when its toggle opens (htmx), or on a page of its own without
    JavaScript. POST: record the wait; refused, the form's page with the reason at its field."""
    obj = services.blocked_record(user=request.user, record=record, record_id=record_id)
    if not can_record_blocker(request.user, record, obj):
        raise PermissionDenied  # seen, but not theirs to say: no form to come back to
    texts = {"action": request.path, "title": _("Record the wait"), "button": _("Record the wait")}
    if request.method == "GET":
        if not still_running(record, obj):
            raise PermissionDenied
        return form_on_demand(request, obj.case, BlockerForm(), **texts)
    return form_on_demand_post(
        request,
        obj.case,
        BlockerForm(request.POST),
        lambda data: services.blocker_start(
            actor=request.user, record=record, record_id=obj.pk, **data
        ),
        _("The wait is recorded."),
        **texts,
    )


@require_POST
@login_required
def blocker_end(request, blocker_id):
    blocker = get_object_or_404(blocker_list_visible_to(user=request.user), pk=blocker_id)
    perform(
        request,
        VersionForm(request.POST),
        lambda _data: services.blocker_end(actor=request.user, blocker_id=blocker.pk),
        _("The wait is over."),
        record=blocker,
    )
    return redirect(blocker.case)
