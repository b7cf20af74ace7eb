"""Reads of the plan across agencies, always through what the user may see of the case."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, Organisation, Role
from cases.models import AccessGrant, Case
from cases.selectors import case_list_visible_to, case_shares_of, case_team

from .models import PlanTask
from .workflow import OPEN_TASK_STATES


def plan_tasks_of_case(*, case: Case) -> QuerySet[PlanTask]:
    """Every task of the case's plan, due first: everyone on the case sees the whole plan, so
    that no agency does twice what another did. The caller has the case through a visibility
    selector (cases.selectors) or a live share."""
    return case.plan_tasks.select_related("organisation", "updated_by").order_by("due_on", "pk")


def partner_open_tasks(*, user) -> QuerySet[PlanTask]:
    """A partner officer's organisation's open tasks on the cases shared with the officer now,
    due first."""
    shared = case_shares_of(user=user).values("case_id")
    membership = user.membership
    if membership is None or membership.role != Role.PARTNER:
        return PlanTask.objects.none()
    return (
        PlanTask.objects.filter(
            case_id__in=shared,
            organisation_id=membership.organisation_id,
            status__in=OPEN_TASK_STATES,
        )
        .select_related("case")
        .order_by("due_on", "pk")
    )


def plan_task_list_visible_to(*, user) -> QuerySet[PlanTask]:
    """The tasks of the cases the user sees (cases.selectors) or that are shared with the user
    now (a partner officer: the whole plan of each shared case), due first."""
    visible = case_list_visible_to(user=user).values("pk")
    shared = case_shares_of(user=user).values("case_id")
    return (
        PlanTask.objects.filter(Q(case_id__in=visible) | Q(case_id__in=shared))
        .select_related("case__owner", "organisation")
        .order_by("due_on", "pk")
    )


def plan_task_get_visible(*, user, task_id: int) -> PlanTask:
    """One task of a case the user sees or that is shared with the user now; 404 otherwise."""
    try:
        return plan_task_list_visible_to(user=user).get(pk=task_id)
    except (PlanTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def task_owners(task: PlanTask) -> list:
    """Who answers for a task: the owning partner agency's officers with live access to the
    case, or the case's team when the case's own office owns it
    (notifications.matrix.Audience.TASK_OWNERS)."""
    if task.organisation_id == task.case.owner_id:
        return case_team(task.case)
    live = AccessGrant.objects.filter(
        case_id=task.case_id,
        organisation_id=task.organisation_id,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).values("user_id")
    memberships = Membership.objects.working().filter(
        organisation_id=task.organisation_id, role=Role.PARTNER, user_id__in=live
    )
    return [membership.user for membership in memberships.select_related("user")]


def plan_organisations(*, case: Case) -> QuerySet[Organisation]:
    """Who a task on the case may go to: its own office and the partner agencies it is shared
    with now."""
    sharing = AccessGrant.objects.filter(
        case=case, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).values("organisation_id")
    return Organisation.objects.filter(Q(pk=case.owner_id) | Q(pk__in=sharing)).order_by("kind")
