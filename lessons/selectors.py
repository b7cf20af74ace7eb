"""Reads of the lessons-learned register. Every office reads every item and its state; the
cases an item names are shown by number only to those who may see them (cases.selectors), the
others learn how many there are."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.selectors import member_users
from cases.models import Case
from cases.selectors import case_list_visible_to
from sla.models import CLOCK_ACTORS, Clock

from .models import Lesson, LessonAction
from .permissions import can_read_register
from .workflow import ActionStatus


def lesson_list_visible_to(*, user) -> QuerySet[Lesson]:
    """The whole register for every office (can_read_register), newest first, with how many
    organisations face each issue and how many of its actions are still to do; nothing for
    anyone else."""
    if not can_read_register(user):
        return Lesson.objects.none()
    return (
        Lesson.objects.select_related("organisation")
        .annotate(
            endorsement_count=Count("endorsements", distinct=True),
            open_action_count=Count(
                "actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True
            ),
        )
        .order_by("-raised_at", "-pk")
    )


def lesson_get_visible(*, user, lesson_id: int) -> Lesson:
    """One item of the register for a reader of it; 404 otherwise."""
    try:
        return lesson_list_visible_to(user=user).get(pk=lesson_id)
    except (Lesson.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class LinkedCases:
    """The cases an item names, as one reader may know them: the numbers of those the reader
    sees, and how many others there are."""

    visible: list[Case]
    hidden: int

    @property
    def numbers(self) -> list[str]:
        return [case.number for case in self.visible]


def linked_cases_of(*, user, lessons) -> dict[int, LinkedCases]:
    """lesson id -> LinkedCases for `user`, for a page or a chunk of the register: one query
    for the links, one for the cases the user sees among them."""
    ids = [lesson.pk for lesson in lessons]
    links = Lesson.cases.through.objects.filter(lesson_id__in=ids).values_list(
        "lesson_id", "case_id"
    )
    by_lesson = defaultdict(list)
    for lesson_id, case_id in links:
        by_lesson[lesson_id].append(case_id)
    every_case = {case_id for case_ids in by_lesson.values() for case_id in case_ids}
    seen = {
        case.pk: case
        for case in case_list_visible_to(user=user)
        .filter(pk__in=every_case)
        .select_related(None)
        .only("pk", "number")
        .order_by()
    }
    result = {}
    for lesson_id in ids:
        case_ids = by_lesson.get(lesson_id, [])
        visible = sorted((seen[pk] for pk in case_ids if pk in seen), key=lambda c: c.number)
        result[lesson_id] = LinkedCases(visible=visible, hidden=len(case_ids) - len(visible))
    return result


def cases_by_number_visible_to(*, user, numbers: list[str]) -> QuerySet[Case]:
    """The cases of `numbers` that `user` sees: the raiser links only those."""
    return case_list_visible_to(user=user).filter(number__in=numbers)


def lesson_action_get_visible(*, user, action_id: int) -> LessonAction:
    """One action of the register for a reader of it; 404 otherwise."""
    if not can_read_register(user):
        raise Http404
    try:
        return LessonAction.objects.select_related("lesson", "organisation").get(pk=action_id)
    except (LessonAction.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def actions_of(*, lessons) -> dict[int, list[LessonAction]]:
    """lesson id -> its actions, due first, for a page or a chunk of the register: one query."""
    by_lesson = defaultdict(list)
    actions = LessonAction.objects.filter(lesson__in=[lesson.pk for lesson in lessons])
    for action in actions.select_related("organisation").order_by("due_on", "pk"):
        by_lesson[action.lesson_id].append(action)
    return by_lesson


def lesson_actions(*, lesson: Lesson) -> QuerySet[LessonAction]:
    """The item's actions, due first, with their owners."""
    return lesson.actions.select_related("organisation", "done_by").order_by("due_on", "pk")


def lesson_endorsements(*, lesson: Lesson):
    return lesson.endorsements.select_related("organisation", "endorsed_by")


def raiser_and_endorsers(lesson: Lesson) -> list:
    """Who said it: the person who raised the item and those who added that they face it too
    (notifications.matrix.Audience.LESSON_RAISERS)."""
    people = {lesson.raised_by_id: lesson.raised_by}
    for endorsement in lesson.endorsements.select_related("endorsed_by"):
        people[endorsement.endorsed_by_id] = endorsement.endorsed_by
    return [user for user in people.values() if user.is_active]


def action_owners(action: LessonAction) -> QuerySet:
    """Who answers for an action: the owning organisation's members who act on its clock
    (notifications.matrix.Audience.ACTION_OWNERS)."""
    return member_users(organisation=action.organisation, roles=CLOCK_ACTORS[Clock.LESSON_ACTION])
