"""A partner agency's pages: its home (the cases shared with it, its open tasks), the shared
parts of one case with the plan across agencies; and the plan's forms on the case page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import role_required
from audit.reads import record_list
from cases import selectors as cases
from cases.models import SharedPart
from cases.views.case_forms import form_on_demand, form_on_demand_post
from cases.views.records import document_response
from core.actions import perform

from . import selectors, services
from .forms import PlanTaskForm, TaskMoveForm
from .permissions import can_plan, can_update_task


@role_required(Role.PARTNER)
def home(request):
    """A partner officer's work: the cases shared with them now (until when, what) and their
    agency's open tasks on them."""
    shares = list(cases.case_shares_of(user=request.user))
    record_list(
        [share.case.person for share in shares if SharedPart.IDENTITY in share.parts],
        user=request.user,
        name="partner_cases",
    )
    return render(
        request,
        "partners/home.html",
        {
            "shares": shares,
            "tasks": selectors.partner_open_tasks(user=request.user),
            "IDENTITY": SharedPart.IDENTITY,
        },
    )


@role_required(Role.PARTNER)
def case(request, case_id):
    """The parts of a case shared with the partner officer, and the case's plan; 404 when
    nothing is shared now."""
    share = cases.case_share_get_for_display(user=request.user, case_id=case_id)
    tasks = list(selectors.plan_tasks_of_case(case=share.case))
    for task in tasks:
        task.may_update = task.is_open and can_update_task(request.user, task)
    return render(
        request,
        "partners/case.html",
        {
            "share": share,
            "case": share.case,
            "person": share.person,
            "screenings": share.screenings(),
            "interviews": share.interviews().select_related("screening"),
            "files": share.files(),
            "tasks": tasks,
            "move_form": TaskMoveForm(auto_id="move_%s"),
            "Part": SharedPart,
        },
    )


@role_required(Role.PARTNER)
def document(request, case_id, document_id):
    """A document of a case shared with its documents, as a download; 404 otherwise."""
    record = cases.shared_document_get_for_display(
        user=request.user, case_id=case_id, document_id=document_id
    )
    return document_response(record)


@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER, Role.SUPERVISOR)
def task_add(request, case_id):
    """A task on the case's plan, from the case page. GET: the form, which the case page
    loads when its toggle opens (htmx), or on a page of its own without JavaScript. POST: the
    task; refused, the form's page with the reason at its field and what was typed."""
    case = cases.case_get_visible(user=request.user, case_id=case_id)
    if not (can_plan(request.user, case) and case.is_open):
        raise PermissionDenied  # seen, but not theirs to plan: no form to come back to
    organisations = selectors.plan_organisations(case=case)
    texts = {"action": request.path, "title": _("Add a task"), "button": _("Add the task")}
    if request.method == "GET":
        return form_on_demand(request, case, PlanTaskForm(organisations=organisations), **texts)
    return form_on_demand_post(
        request,
        case,
        PlanTaskForm(request.POST, organisations=organisations),
        lambda data: services.plan_task_add(case=case, actor=request.user, **data),
        _("Task added to the plan. Its organisation is told."),
        **texts,
    )


@require_POST
@login_required  # who sees the task is the selector's business: otherwise 404
def task_move(request, task_id):
    """Move a task on (started, done, cancelled): its owner, from the partner's page or the
    case page."""
    task = selectors.plan_task_get_visible(user=request.user, task_id=task_id)
    perform(
        request,
        TaskMoveForm(request.POST),
        lambda data: services.plan_task_move(task_id=task.pk, actor=request.user, **data),
        _("Task updated."),
        record=task,
    )
    membership = request.user.membership
    if membership is not None and membership.role == Role.PARTNER:
        return redirect("partners:case", case_id=task.case_id)
    return redirect(task.get_absolute_url())
