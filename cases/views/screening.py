"""A screening's page and the MDT's work on it: members, indicators, interviews, extension,
decision and second review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from core.actions import perform
from core.domain import ActionForbidden, StaleVersion, TransitionNotAllowed
from core.forms import add_service_errors
from core.versions import form_versions, show_version_now, version_checked, version_of

from .. import selectors, services
from ..forms import (
    DecisionForm,
    ExtensionForm,
    IndicatorsForm,
    InterviewForm,
    MemberForm,
    SecondReviewForm,
    mdt_member_accounts,
)
from ..models import Screening
from ..permissions import can_grant, can_second_review, can_work_on
from ..workflow import (
    ACTIVE_SCREENING_STATES,
    WORKING_SCREENING_STATES,
    ScreeningStatus,
)
from ._common import PROVINCIAL


@login_required
def screening(request, screening_id):
    record = selectors.screening_get_for_display(user=request.user, screening_id=screening_id)
    return _screening_page(request, record)


def _screening_page(request, record, **forms):
    """The page; `forms` are the posted forms to show again (refused, with the user's input)."""
    active = record.status in WORKING_SCREENING_STATES
    may_work = can_work_on(request.user, record.case) and active
    decision_form = forms.get("decision_form") or DecisionForm(
        initial={"version": version_of(record)}
    )
    # Everything the decision still needs, in one list, before anyone tries; a reason the
    # refused decision form already gives is not said twice.
    missing = services.decision_missing(record).values() if may_work else []
    missing = [item for item in missing if item not in decision_form.non_field_errors()]
    return render(
        request,
        "cases/screening.html",
        {
            "screening": record,
            "case": record.case,
            "members": record.members.select_related("organisation"),
            "interviews": record.interviews.select_related("recorded_by"),
            "indicators": record.indicators.all(),
            "may_work": may_work,
            "decision_missing": missing,
            "may_extend": can_work_on(request.user, record.case)
            and record.status in ACTIVE_SCREENING_STATES,
            "may_second_review": record.status == ScreeningStatus.PENDING_SECOND_REVIEW
            and can_second_review(request.user, record),
            "member_form": forms.get("member_form") or _member_form(request, record),
            "indicators_form": forms.get("indicators_form")
            or IndicatorsForm(
                initial={
                    "indicators": [i.code for i in record.indicators.all()],
                    "version": version_of(record),
                }
            ),
            "interview_form": InterviewForm(),
            "extension_form": ExtensionForm(initial={"version": version_of(record)}),
            "decision_form": decision_form,
            "second_review_form": SecondReviewForm(initial={"version": version_of(record)}),
        },
    )


def _screening_action(request, screening_id, form_class, action, success):
    """Run `action` on the screening from a posted form; one that carries the screening's
    version (extension, second review) acts only on the screening as the user saw it."""
    record = selectors.screening_get_visible(user=request.user, screening_id=screening_id)
    perform(
        request, form_class(request.POST), lambda data: action(record, data), success, record=record
    )
    return redirect(record)


def _member_form(request, record, data=None):
    """The MDT member form, its accounts offered only to who works on the case (the page
    shows the form to nobody else)."""
    accounts = None
    if can_work_on(request.user, record.case):
        accounts = mdt_member_accounts(
            case=record.case, all_partners=can_grant(request.user, record.case)
        )
    return MemberForm(data, accounts=accounts)


@require_POST
@role_required(*PROVINCIAL)
def screening_add_member(request, screening_id):
    """Add an MDT member; refused (the form's checks or the service's), the form comes back on
    the page with what the user wrote and the reasons."""
    record = selectors.screening_get_visible(user=request.user, screening_id=screening_id)
    form = _member_form(request, record, request.POST)
    if form.is_valid():
        try:
            services.screening_update(
                screening_id=record.pk,
                actor=request.user,
                members=[services.MemberInput(**form.cleaned_data)],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except (TransitionNotAllowed, ActionForbidden) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("MDT member added."))
            return redirect(record)
    return _screening_page(request, record, member_form=form)


@require_POST
@role_required(*PROVINCIAL)
def screening_indicators(request, screening_id):
    return _screening_form_post(
        request,
        screening_id,
        IndicatorsForm,
        "indicators_form",
        lambda record, data: services.screening_update(
            screening_id=record.pk,
            actor=request.user,
            indicator_codes=[i.code for i in data["indicators"]],
        ),
        _("Indicators saved."),
    )


@require_POST
@role_required(*PROVINCIAL)
def screening_interview(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        InterviewForm,
        lambda record, data: services.interview_record(
            screening_id=record.pk, actor=request.user, **data
        ),
        _("Interview recorded."),
    )


@require_POST
@role_required(*PROVINCIAL)
def screening_extend(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        ExtensionForm,
        lambda record, data: services.screening_extend(
            screening_id=record.pk, actor=request.user, **data
        ),
        _("Deadline extended by court order."),
    )


@require_POST
@role_required(*PROVINCIAL)
def screening_decide(request, screening_id):
    return _screening_form_post(
        request,
        screening_id,
        DecisionForm,
        "decision_form",
        lambda record, data: services.screening_decide(
            screening_id=record.pk, actor=request.user, **data
        ),
        _("Decision recorded."),
    )


def _screening_form_post(request, screening_id, form_class, name, action, success):
    """A form that changes the screening as the user saw it: refused (its checks, the
    service's, or someone else's change since the page was drawn: its hidden version), it comes
    back on the page with what the user wrote and every reason. After a conflict the page shows
    the screening as it is now and the form carries its new version: sent again, it is saved."""
    record = selectors.screening_get_visible(user=request.user, screening_id=screening_id)
    form = form_class(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with version_checked(Screening, record.pk, form_versions(data.pop("version"))):
                action(record, data)
        except ValidationError as error:
            add_service_errors(form, error)
        except (TransitionNotAllowed, ActionForbidden, StaleVersion) as error:
            form.add_error(None, str(error))
            if isinstance(error, StaleVersion):
                show_version_now(form, record)
        else:
            messages.success(request, success)
            return redirect(record)
    record.refresh_from_db()  # as it is now, after a refusal or someone else's change
    return _screening_page(request, record, **{name: form})


@require_POST
@role_required(Role.CENTRAL_REVIEWER)
def screening_second_review(request, screening_id):
    return _screening_action(
        request,
        screening_id,
        SecondReviewForm,
        lambda record, data: services.screening_second_review(
            screening_id=record.pk, actor=request.user, **data
        ),
        _("Second review recorded."),
    )
