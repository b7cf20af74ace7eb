"""A case's pages: the office's home, the case, its printable summary; closing, reopening and
starting a screening."""

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from accounts.selectors import colleague_list
from core.lists import Column, cells_html, labels, url_for_pk
from core.versions import version_of
from sla.templatetags.deadlines import time_left

from .. import selectors, services
from ..forms import (
    CloseForm,
    DocumentForm,
    NoteForm,
)
from ..models import RiskLevel
from ..models.person import display_name
from ..permissions import can_close, can_grant, can_start_screening, can_work_on
from ..workflow import (
    ACTIVE_SCREENING_STATES,
    CaseStatus,
)
from ._common import PROVINCIAL, case_action
from .case_forms import case_form_post

# The home page shows the soonest clocks and the newest open cases; the deadlines page and the
# case list show them all.
HOME_ROWS = 25


def _running_screening_rows(user) -> list[dict]:
    """The office's running screenings, soonest deadline first, as plain rows (HOME_ROWS and
    one more, to tell whether there are more). Read from the visible cases joined to their
    running screenings: the same rows as screening_list_visible_to, whose visibility
    subquery cost this page a third of its Python to compile."""
    url = url_for_pk("cases:screening")
    now = timezone.now()
    rows = (
        selectors.case_list_visible_to(user=user)
        .filter(screenings__status__in=ACTIVE_SCREENING_STATES)
        .order_by("screenings__deadline_at")
        .values(
            "screenings__pk",
            "screenings__deadline_at",
            "number",
            "person__name_th",
            "person__name_latin",
            "person__name_native",
        )[: HOME_ROWS + 1]
    )
    return [
        {
            "url": url(row["screenings__pk"]),
            "number": row["number"],
            "person": display_name(
                row["person__name_th"], row["person__name_latin"], row["person__name_native"]
            ),
            "deadline_at": row["screenings__deadline_at"],
            "overdue": now > row["screenings__deadline_at"],
        }
        for row in rows
    ]


def _open_case_rows(user) -> list[dict]:
    """The newest open cases the user sees, as plain rows, labels translated once."""
    url = url_for_pk("cases:detail")
    risk, status = labels(RiskLevel.choices), labels(CaseStatus.choices)
    rows = (
        selectors.case_list_visible_to(user=user)
        .exclude(status=CaseStatus.CLOSED)
        .values(
            "pk",
            "number",
            "intake_date",
            "risk_level",
            "status",
            "person__name_th",
            "person__name_latin",
            "person__name_native",
            "lead_worker__first_name",
            "lead_worker__last_name",
            "lead_worker__username",
        )[:HOME_ROWS]
    )
    return [
        {
            "url": url(row["pk"]),
            "number": row["number"],
            "person": display_name(
                row["person__name_th"], row["person__name_latin"], row["person__name_native"]
            ),
            "intake_date": row["intake_date"],
            "risk": risk(row["risk_level"]),
            "lead_worker": _user_name(row, "lead_worker__"),
            "status": status(row["status"]),
        }
        for row in rows
    ]


def _user_name(row: dict, prefix: str = "") -> str:
    """As User.display_name, from a plain row: the full name, else the user name."""
    full = f"{row[prefix + 'first_name'] or ''} {row[prefix + 'last_name'] or ''}".strip()
    return full or row[prefix + "username"] or ""


def _colleague_rows(organisation) -> list[dict]:
    """The office's active members as plain rows: name, role (translated once), e-mail."""
    role = labels(Role.choices)
    rows = colleague_list(organisation=organisation).values(
        "role", "user__first_name", "user__last_name", "user__username", "user__email"
    )
    return [
        {"name": _user_name(row, "user__"), "role": role(row["role"]), "email": row["user__email"]}
        for row in rows
    ]


def _colleague_columns() -> list[Column]:
    return [
        Column(_("Name"), (), lambda row: row["name"]),
        Column(_("Role"), (), lambda row: row["role"]),
        Column(_("E-mail"), (), lambda row: row["email"]),
    ]


def _link(row) -> str:
    return format_html('<a href="{}">{}</a>', row["url"], row["number"])


def _screening_columns() -> list[Column]:
    """The home's table of running screenings; an overdue one says so instead of a time left."""
    overdue = format_html("<strong>{}</strong>", _("Overdue"))
    return [
        Column(_("Case"), (), lambda row: row["number"], html=_link),
        Column(_("Person"), (), lambda row: row["person"]),
        Column(_("Deadline"), (), lambda row: row["deadline_at"]),
        Column(
            _("Time left"),
            (),
            lambda row: row["deadline_at"],
            html=lambda row: overdue if row["overdue"] else time_left(row["deadline_at"]),
        ),
    ]


def _open_case_columns() -> list[Column]:
    return [
        Column(_("Case number"), (), lambda row: row["number"], html=_link),
        Column(_("Person"), (), lambda row: row["person"]),
        Column(_("Intake date"), (), lambda row: row["intake_date"]),
        Column(_("Risk level"), (), lambda row: row["risk"]),
        Column(_("Lead social worker"), (), lambda row: row["lead_worker"]),
        Column(_("Status"), (), lambda row: row["status"]),
    ]


@role_required(*PROVINCIAL)
def home(request):
    """A provincial office's landing page: the soonest screening clocks, the newest open
    cases, colleagues. The tables' cells are written in Python (core.lists.cells_html), as a
    list's are: a template loop over 50 rows cost the page more than reading them."""
    organisation = request.user.membership.organisation
    running = _running_screening_rows(request.user)
    screening_columns, open_case_columns = _screening_columns(), _open_case_columns()
    colleague_columns = _colleague_columns()
    return render(
        request,
        "cases/home.html",
        {
            "open_case_columns": open_case_columns,
            "open_cases": [
                cells_html(row, open_case_columns) for row in _open_case_rows(request.user)
            ],
            "screening_columns": screening_columns,
            "running_screenings": [
                (row["overdue"], cells_html(row, screening_columns)) for row in running[:HOME_ROWS]
            ],
            "more_running": len(running) > HOME_ROWS,
            "colleague_columns": colleague_columns,
            "colleagues": [
                cells_html(row, colleague_columns) for row in _colleague_rows(organisation)
            ],
        },
    )


@login_required  # who may see the case is the selector's business: otherwise 404
def detail(request, case_id):
    case = selectors.case_get_for_display(user=request.user, case_id=case_id)
    # Read once: listed on the page, and whether one runs (can_start_screening).
    prefetch_related_objects([case], "screenings")
    may_work = can_work_on(request.user, case)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "person": case.person,
            "documents": case.person.documents.all(),
            "screenings": case.screenings.all(),
            "consents": case.consents.all(),
            "may_work": may_work,
            "may_start_screening": can_start_screening(request.user, case),
            "may_close": can_close(request.user, case),
            # Several forms on one page: distinct ids, so each label names its own field.
            "close_form": CloseForm(auto_id="close_%s", initial={"version": version_of(case)}),
            "note_form": NoteForm(),
            "document_form": DocumentForm(),
            "permits": case.permits.all(),
            "placements": selectors.case_stays_for(user=request.user, case=case),
            "may_grant": can_grant(request.user, case),
            "grants": case.access_grants.select_related("user", "granted_by", "organisation")
            if can_grant(request.user, case)
            else [],
        },
    )


@require_POST
@role_required(*PROVINCIAL)
def reopen(request, case_id):
    return case_action(
        request,
        case_id,
        CloseForm,
        lambda case, data: services.case_reopen(
            case_id=case.pk, actor=request.user, reason=data["reason"]
        ),
        _("The case is reopened."),
    )


@require_POST
@role_required(*PROVINCIAL)
def start_screening(request, case_id):
    return case_form_post(
        request,
        case_id,
        "screening",
        lambda case, data: services.screening_start(case_id=case.pk, actor=request.user, **data),
        _("Screening started: the identification clock is running."),
        go_to_result=True,
    )


@login_required  # as the case page: who may see the case is the selector's business
def summary(request, case_id):
    """The case on one printable page, for an office that files on paper. Seen by whoever sees
    the case, and audited as a read of it."""
    case = selectors.case_get_for_display(user=request.user, case_id=case_id)
    return render(
        request,
        "cases/summary.html",
        {
            "case": case,
            "person": case.person,
            "screenings": case.screenings.all(),
            "placements": selectors.case_stays_for(user=request.user, case=case),
            "consents": case.consents.all(),
            "printed_at": timezone.now(),
        },
    )
