"""The plan across agencies on a case's page: `cases` shows it without importing `partners`
(which is built on it), through `{% load case_plan %}` and `{% case_plan case %}`."""

from django import template

from cases.selectors import interview_counts

from ..forms import TaskMoveForm
from ..permissions import can_plan, can_update_task
from ..selectors import plan_tasks_of_case

register = template.Library()


@register.inclusion_tag("partners/_case_plan.html", takes_context=True)
def case_plan(context, case):
    """The case's tasks across agencies, the forms its office uses on them (adding a task: a
    form that comes when its toggle opens), and how many times the person has been
    interviewed (the target: at most two)."""
    user = context["request"].user
    may_plan = can_plan(user, case) and case.is_open
    tasks = list(plan_tasks_of_case(case=case))
    for task in tasks:
        task.may_update = task.is_open and can_update_task(user, task)
    return {
        "case": case,
        "tasks": tasks,
        "may_plan": may_plan,
        "move_form": TaskMoveForm(auto_id="move_%s"),
        "interviews": interview_counts(person_ids=[case.person_id]).get(case.person_id, 0),
        "request": context["request"],
    }
