"""The lessons-learned register's pages: the register (every office sees each item's state),
an item ("you said, we did"), raising one, saying "we face it too", the central division's
answer and actions, an action done; the register's export for the sub-committee. Thin: parse,
call one selector or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from accounts.permissions import EXPORTING_ROLES, may_export, role_required
from audit.exports import list_export
from core.actions import perform
from core.dates import format_date
from core.domain import ActionForbidden, TransitionNotAllowed
from core.forms import add_service_errors
from core.lists import Column, labels, list_page, url_for_pk
from core.versions import VersionForm, version_of

from . import selectors, services
from .filters import LessonFilter
from .forms import ActionForm, AnswerForm, CloseForm, DoneForm, EndorseForm, LessonForm
from .models import Topic
from .permissions import READER_ROLES, can_answer, can_complete, can_endorse, can_raise
from .workflow import ACTIONABLE_STATES, ENDORSABLE_STATES, ActionStatus, LessonStatus

LIST_NAME = "lessons"


def _cases_text(linked) -> str:
    """The cases as the reader may know them: the numbers they see, how many others."""
    parts = list(linked.numbers)
    if linked.hidden:
        parts.append(
            ngettext("%(count)s case of another office", "%(count)s cases of other offices",
                     linked.hidden)
            % {"count": linked.hidden}
        )  # fmt: skip
    return ", ".join(parts)


def _actions_text(actions) -> str:
    status = labels(ActionStatus.choices)
    return "\n".join(
        f"{action.title} · {action.organisation.name} · {format_date(action.due_on)} · "
        f"{status(action.status)}" + (f" · {action.note}" if action.note else "")
        for action in actions
    )


def lesson_columns() -> list[Column]:
    """The columns of the register and of its export (for the sub-committee's meeting), in the
    active language."""
    topic, status = labels(Topic.choices), labels(LessonStatus.choices)
    detail = url_for_pk("lessons:detail")
    return [
        Column(
            pgettext("reference", "Number"),
            (),
            lambda lesson: lesson.number,
            lambda lesson: format_html('<a href="{}">{}</a>', detail(lesson.pk), lesson.number),
            nowrap=True,
        ),
        Column(_("Issue"), ("title",), lambda lesson: lesson.title),
        Column(_("Topic"), ("topic",), lambda lesson: topic(lesson.topic)),
        Column(_("Raised by"), ("organisation__name_th", "organisation__name_en"),
               lambda lesson: lesson.organisation.name),
        Column(_("Raised on"), ("raised_at",),
               lambda lesson: timezone.localtime(lesson.raised_at).date(), nowrap=True),
        Column(pgettext("lesson", "What happened"), ("what_happened",),
               lambda lesson: lesson.what_happened, on_page=False),
        Column(_("Time it costs (days)"), ("days_lost",), lambda lesson: lesson.days_lost),
        Column(_("What we propose"), ("proposal",), lambda lesson: lesson.proposal,
               on_page=False),
        Column(_("Cases that show it"), (), lambda lesson: _cases_text(lesson.linked)),
        Column(_("Organisations facing it too"), (), lambda lesson: lesson.endorsement_count),
        Column(_("Status"), ("status",), lambda lesson: status(lesson.status)),
        Column(_("Decision of the central division"), ("decision",),
               lambda lesson: lesson.decision, on_page=False),
        Column(_("Actions"), (), lambda lesson: _actions_text(lesson.action_rows),
               on_page=False),
        Column(_("Actions still to do"), (), lambda lesson: lesson.open_action_count),
    ]  # fmt: skip


def _prepare(user):
    """What the columns read from other tables, for a page or a chunk: the linked cases as the
    user may know them, and the actions."""

    def prepare(lessons):
        linked = selectors.linked_cases_of(user=user, lessons=lessons)
        actions = selectors.actions_of(lessons=lessons)
        for lesson in lessons:
            lesson.linked = linked[lesson.pk]
            lesson.action_rows = actions.get(lesson.pk, [])
        return lessons

    return prepare


def _filtered(request) -> LessonFilter:
    return LessonFilter(request.GET, queryset=selectors.lesson_list_visible_to(user=request.user))


@role_required(*READER_ROLES)
def lesson_list(request):
    """The register: every item's state, for every office."""
    return list_page(
        request,
        _filtered(request),
        "lessons/list.html",
        columns=lesson_columns(),
        prepare=_prepare(request.user),
        live_count=True,  # a short register, whose new items an office looks for at once
        may_export=may_export(request.user),
        may_raise=can_raise(request.user),
    )


@role_required(*EXPORTING_ROLES)
def lesson_export(request):
    """The register as a CSV or Excel file for the sub-committee's meeting, audited."""
    return list_export(
        request,
        name=LIST_NAME,
        filterset=_filtered(request),
        columns=lesson_columns(),
        prepare=_prepare(request.user),
    )


@role_required(*READER_ROLES)
def lesson_new(request):
    """Raise an issue: refusals come back beside the fields."""
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_raise(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except (ActionForbidden, TransitionNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The issue is on the register: the central division is told.")
            )
            return redirect(lesson)
    return render(request, "lessons/new.html", {"form": form, "may_raise": can_raise(request.user)})


@role_required(*READER_ROLES)
def lesson_detail(request, lesson_id):
    """One item: what the office said, who faces it too, what the central division decided
    and what was done ("you said, we did")."""
    user = request.user
    lesson = selectors.lesson_get_visible(user=user, lesson_id=lesson_id)
    endorsements = list(selectors.lesson_endorsements(lesson=lesson))
    actions = list(selectors.lesson_actions(lesson=lesson))
    for action in actions:
        action.may_complete = action.status == ActionStatus.OPEN and can_complete(user, action)
    central = can_answer(user)
    version = {"version": version_of(lesson)}
    endorsed = {endorsement.organisation_id for endorsement in endorsements}
    return render(
        request,
        "lessons/detail.html",
        {
            "lesson": lesson,
            "linked": selectors.linked_cases_of(user=user, lessons=[lesson])[lesson.pk],
            "endorsements": endorsements,
            "actions": actions,
            "may_endorse": lesson.status in ENDORSABLE_STATES
            and can_endorse(user, lesson)
            and user.membership.organisation_id not in endorsed,
            "may_consider": central and lesson.status == LessonStatus.RAISED,
            "may_answer": central
            and lesson.status in (LessonStatus.RAISED, LessonStatus.UNDER_CONSIDERATION),
            "may_add_action": central and lesson.status in ACTIONABLE_STATES,
            "may_close": central
            and lesson.status == LessonStatus.ANSWERED
            and all(action.status == ActionStatus.DONE for action in actions),
            "endorse_form": EndorseForm(initial=version),
            "answer_form": AnswerForm(initial=version),
            "action_form": ActionForm(initial=version),
            "done_form": DoneForm(auto_id="done_%s"),
            "close_form": CloseForm(auto_id="close_%s", initial=version),
            "Status": LessonStatus,
        },
    )


def _act(request, lesson_id, form, action, success):
    """Run a change to the item from its page's form, refused if someone else changed the item
    since the page was drawn (the form's version)."""
    lesson = selectors.lesson_get_visible(user=request.user, lesson_id=lesson_id)
    perform(request, form, lambda data: action(lesson.pk, data), success, record=lesson)
    return redirect(lesson)


@require_POST
@role_required(*READER_ROLES)
def lesson_endorse(request, lesson_id):
    return _act(
        request,
        lesson_id,
        EndorseForm(request.POST),
        lambda pk, data: services.lesson_endorse(actor=request.user, lesson_id=pk, **data),
        _("Your organisation is counted among those who face this issue."),
    )


@require_POST
@role_required(*READER_ROLES)
def lesson_consider(request, lesson_id):
    return _act(
        request,
        lesson_id,
        VersionForm(request.POST),  # no input: the move itself
        lambda pk, _data: services.lesson_consider(actor=request.user, lesson_id=pk),
        _("The item is under consideration: who raised it is told."),
    )


@require_POST
@role_required(*READER_ROLES)
def lesson_answer(request, lesson_id):
    return _act(
        request,
        lesson_id,
        AnswerForm(request.POST),
        lambda pk, data: services.lesson_answer(actor=request.user, lesson_id=pk, **data),
        _("The answer is on the register: who raised it and who face it too are told."),
    )


@require_POST
@role_required(*READER_ROLES)
def action_add(request, lesson_id):
    return _act(
        request,
        lesson_id,
        ActionForm(request.POST),
        lambda pk, data: services.lesson_action_add(actor=request.user, lesson_id=pk, **data),
        _("Action added: its organisation is told, and reminded before it is due."),
    )


@require_POST
@role_required(*READER_ROLES)
def lesson_close(request, lesson_id):
    return _act(
        request,
        lesson_id,
        CloseForm(request.POST),
        lambda pk, _data: services.lesson_close(actor=request.user, lesson_id=pk),
        _("The item is closed."),
    )


@require_POST
@role_required(*READER_ROLES)
def action_done(request, action_id):
    action = selectors.lesson_action_get_visible(user=request.user, action_id=action_id)
    perform(
        request,
        DoneForm(request.POST),
        lambda data: services.lesson_action_done(actor=request.user, action_id=action.pk, **data),
        _("The action is done: the central division is told."),
    )
    return redirect(action.lesson)
