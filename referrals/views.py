"""Referral pages: the sender's form and list, the receiver's inbox, the central queue, and
each referral with its timeline. Thin: parse, call one selector or service, render."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import EXPORTING_ROLES, may_export, role_required
from audit.exports import list_export
from audit.reads import audited_list_page, record_list
from cases.models import ConsentStep
from cases.selectors import case_get_visible, consent_latest, second_review_queue
from core.actions import perform
from core.domain import ActionForbidden
from core.forms import add_service_errors
from core.lists import (
    Column,
    cells_html,
    filter_fields,
    labels,
    page_size,
    page_size_links,
    url_for_pk,
)
from core.versions import VersionForm, version_of

from . import selectors, services
from .filters import ReferralFilter
from .forms import (
    AnswerForm,
    DeclineForm,
    NoteForm,
    QueueFilterForm,
    ReasonForm,
    RedirectForm,
    ReferralForm,
    ReviewForm,
)
from .models import DeclineReason, Kind, Urgency
from .permissions import available_moves
from .workflow import ReviewState, State

PROVINCIAL = (Role.SOCIAL_WORKER, Role.SUPERVISOR)
EVERYONE_WITH_REFERRALS = (
    *PROVINCIAL,
    Role.SHELTER_DIRECTOR,
    Role.SHELTER_STAFF,
    Role.CENTRAL_REVIEWER,
)


# The oldest not-a-victim decisions waiting for a second review shown on the review page.
SECOND_REVIEWS_SHOWN = 25


def _referral_page(request, referrals):
    """A page of `referrals` (25, or the user's page size) with the columns their table shows
    and their running deadlines, and what the pagination needs: the page, the query string
    without the page and the page sizes. A hundred rows of joined objects with all their
    columns were most of a referral page's time (docs/PERFORMANCE.md)."""
    size = page_size(request)
    page = Paginator(
        selectors.table_columns(referrals),
        size,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return selectors.with_running_deadlines(page), {
        "page": page,
        "query": query.urlencode(),
        "page_size": size,
        "page_sizes": page_size_links(query),
    }


def _second_review_columns() -> list[Column]:
    def link(row) -> str:
        return format_html('<a href="{}">{}</a>', row["url"], row["number"])

    return [
        Column(_("Case"), (), lambda row: row["number"], html=link),
        Column(_("Office"), (), lambda row: row["office"]),
        Column(_("Decided"), (), lambda row: row["decided_at"]),
        Column(_("Decided by"), (), lambda row: row["decided_by"]),
    ]


def _second_review_rows(user) -> list[dict]:
    """The oldest not-a-victim decisions waiting for a second review, as rows of what the
    table shows, the links from one reverse() (SECOND_REVIEWS_SHOWN and one more, which says
    whether others wait, without a COUNT)."""
    url = url_for_pk("cases:screening")
    screenings = (
        second_review_queue(user=user)
        .select_related(None)
        .select_related("case__owner", "decided_by")
        .only(
            "decided_at",
            "case__number",
            "case__owner__name_th",
            "case__owner__name_en",
            "decided_by__first_name",
            "decided_by__last_name",
            "decided_by__username",
        )[: SECOND_REVIEWS_SHOWN + 1]
    )
    return [
        {
            "url": url(screening.pk),
            "number": screening.case.number,
            "office": screening.case.owner.name,
            "decided_at": screening.decided_at,
            "decided_by": screening.decided_by.display_name if screening.decided_by else "",
        }
        for screening in screenings
    ]


@role_required(Role.CENTRAL_REVIEWER)
def home(request):
    """The central review queue (what waits for a reviewer, unless the filters ask for
    more), a page at a time, and not-a-victim decisions waiting for a second review; the
    national shelter network's beds come on demand (htmx) from the occupancy page."""
    filters = QueueFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    queue = selectors.review_queue(
        user=request.user,
        state=criteria.get("state", ""),
        urgency=criteria.get("urgency", ""),
        province=criteria.get("province", ""),
        overdue=criteria.get("overdue", False),
    )
    rows, pagination = _referral_page(request, queue)
    waiting = _second_review_rows(request.user)
    second_review_columns = _second_review_columns()
    # The queue names persons: the page's rows are a read of personal data (issue 24).
    record_list(rows, user=request.user, name="review-queue", query=request.GET.dict())
    return render(
        request,
        "referrals/home.html",
        {
            "filters": filters,
            "filter_fields": filter_fields(request, filters),
            "waiting_only": not criteria.get("state"),
            "queue": rows,
            **pagination,
            "second_reviews": waiting[:SECOND_REVIEWS_SHOWN],
            "second_review_columns": second_review_columns,
            "second_review_cells": [
                cells_html(row, second_review_columns) for row in waiting[:SECOND_REVIEWS_SHOWN]
            ],
            "more_second_reviews": len(waiting) > SECOND_REVIEWS_SHOWN,
        },
    )


@role_required(*PROVINCIAL, Role.SHELTER_DIRECTOR)  # the staff answer no referral
def inbox(request):
    """Referrals waiting for the user's organisation: urgent first, then newest, with the time
    left on each deadline; a page at a time."""
    rows, pagination = _referral_page(request, selectors.inbox(user=request.user))
    return render(request, "referrals/inbox.html", {"referrals": rows, **pagination})


@role_required(*PROVINCIAL)
def sent(request):
    """Referrals the user's office sent, newest first; a page at a time."""
    rows, pagination = _referral_page(request, selectors.sent_list(user=request.user))
    return render(request, "referrals/sent.html", {"referrals": rows, **pagination})


@role_required(*PROVINCIAL)
def new(request, case_id):
    """The sender's form, beside the shelters' target groups and beds, with a warning where
    the person does not fit a shelter."""
    case = case_get_visible(user=request.user, case_id=case_id)
    form = ReferralForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(actor=request.user, case_id=case.pk, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden as error:
            form.add_error(None, str(error))
        else:
            if getattr(referral, "replayed", False):
                messages.info(request, _("This referral was already saved."))
            else:
                messages.success(request, _("Referral saved."))
            return redirect(referral)
    return render(
        request,
        "referrals/new.html",
        {
            "case": case,
            "form": form,
            "consent_on_record": consent_latest(case, ConsentStep.REFERRAL),
        },
    )


@role_required(*EVERYONE_WITH_REFERRALS)
def detail(request, referral_id):
    referral = selectors.referral_get_for_display(user=request.user, referral_id=referral_id)
    version = {"version": version_of(referral)}
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "events": referral.events.select_related("actor"),
            "deadlines": selectors.with_running_deadlines([referral])[0].running_deadlines,
            "redirects": referral.redirects.select_related("to_organisation"),
            "actions": available_moves(request.user, referral),
            "consent_withdrawn": selectors.consent_withdrawn(referral),
            "note_form": NoteForm(initial=version),
            "reason_form": ReasonForm(initial=version),
            # Shown beside the note and review forms: ids of their own.
            "decline_form": DeclineForm(auto_id="decline_%s", initial=version),
            "review_form": ReviewForm(initial=version),
            "answer_form": AnswerForm(initial=version),
            "redirect_form": RedirectForm(auto_id="redirect_%s", initial=version),
        },
    )


# Each move: the form it needs and how its fields map onto the service.
ACTIONS = {
    "submit": (VersionForm, lambda r, u, d: services.referral_submit(referral_id=r, actor=u)),
    "acknowledge": (
        NoteForm,
        lambda r, u, d: services.referral_acknowledge(referral_id=r, actor=u, note=d["note"]),
    ),
    "accept": (
        NoteForm,
        lambda r, u, d: services.referral_accept(referral_id=r, actor=u, note=d["note"]),
    ),
    "decline": (
        DeclineForm,
        lambda r, u, d: services.referral_decline(referral_id=r, actor=u, **d),
    ),
    "complete": (
        NoteForm,
        lambda r, u, d: services.referral_complete(referral_id=r, actor=u, note=d["note"]),
    ),
    "withdraw": (
        ReasonForm,
        lambda r, u, d: services.referral_withdraw(referral_id=r, actor=u, reason=d["reason"]),
    ),
    "review": (
        ReviewForm,
        lambda r, u, d: services.referral_review(referral_id=r, actor=u, **d),
    ),
    "answer": (
        AnswerForm,
        lambda r, u, d: services.referral_answer_query(referral_id=r, actor=u, **d),
    ),
    "redirect": (
        RedirectForm,
        lambda r, u, d: services.referral_redirect(referral_id=r, actor=u, **d),
    ),
}


@require_POST
@role_required(*EVERYONE_WITH_REFERRALS)
def act(request, referral_id, action):
    """Run one move on a referral. A conflict (someone else moved it first) or a refusal comes
    back as a message on the referral's page."""
    if action not in ACTIONS:
        raise Http404
    referral = selectors.referral_get_visible(user=request.user, referral_id=referral_id)
    form_class, run = ACTIONS[action]
    result = perform(
        request,
        form_class(request.POST),
        lambda data: run(referral.pk, request.user, data),
        _("Saved."),
        record=referral,
    )
    if result is None:
        return redirect(referral)
    still_visible = selectors.referral_list_visible_to(user=request.user).filter(pk=result.pk)
    return redirect(result if still_visible.exists() else "referrals:inbox")


# --- Every visible referral, filtered, and its export -----------------------------------------


def _filtered_referrals(request) -> ReferralFilter:
    """The one queryset behind the referral list and its export: the referrals the user may
    see, narrowed by the GET parameters (referrals/filters.py)."""
    referrals = selectors.referral_list_visible_to(user=request.user)
    return ReferralFilter(request.GET, queryset=referrals.order_by("-created_at", "-pk"))


@role_required(*PROVINCIAL, Role.SHELTER_DIRECTOR, Role.CENTRAL_REVIEWER)
def referral_list(request):
    return audited_list_page(
        request,
        _filtered_referrals(request),
        "referrals/list.html",
        name="referrals",
        columns=referral_columns(),
        may_export=may_export(request.user),
    )


def referral_columns() -> list[Column]:
    """The columns of the referral list and its export, in the active language."""
    kind, urgency = labels(Kind.choices), labels(Urgency.choices)
    state, review = labels(State.choices), labels(ReviewState.choices)
    declined_for = labels(DeclineReason.choices)
    detail = url_for_pk("referrals:detail")
    return [
        Column(
            _("Case number"),
            ("case__number",),
            lambda referral: referral.case.number,
            html=lambda referral: format_html(
                '<a href="{}">{}</a>', detail(referral.pk), referral.case.number
            ),
            nowrap=True,
        ),
        Column(
            _("Person"),
            ("case__person__name_th", "case__person__name_latin", "case__person__name_native"),
            lambda referral: referral.case.person.display_name,
            in_export=False,
        ),
        Column(
            _("From"),
            ("from_organisation__name_th", "from_organisation__name_en"),
            lambda referral: referral.from_organisation.name,
        ),
        Column(
            _("To"),
            ("to_organisation__name_th", "to_organisation__name_en"),
            lambda referral: referral.to_organisation.name,
        ),
        Column(_("Kind"), ("kind",), lambda referral: kind(referral.kind)),
        Column(_("Urgency"), ("urgency",), lambda referral: urgency(referral.urgency)),
        Column(_("State"), ("state",), lambda referral: state(referral.state)),
        Column(_("Central review"), ("review_state",), lambda r: review(r.review_state)),
        Column(
            _("Reason for declining"),
            ("decline_reason",),
            lambda referral: declined_for(referral.decline_reason),
            on_page=False,
        ),
        Column(
            _("Submitted on"),
            ("submitted_at",),
            lambda referral: referral.submitted_at,
            nowrap=True,
        ),
    ]


@role_required(*EXPORTING_ROLES)
def referral_export(request):
    return list_export(
        request,
        name="referrals",
        filterset=_filtered_referrals(request),
        columns=referral_columns(),
    )


@role_required(*EVERYONE_WITH_REFERRALS)
def letter(request, referral_id):
    """The referral as a letter in the official layout, to print for an office that files on
    paper. Seen by whoever sees the referral, and audited as a read of it."""
    referral = selectors.referral_get_for_display(user=request.user, referral_id=referral_id)
    return render(
        request,
        "referrals/letter.html",
        {
            "referral": referral,
            "person": referral.case.person,
            "consents": referral.case.consents.filter(
                step__in=["referral", "shelter", "data_sharing"]
            ),
            "letter_date": referral.submitted_at or referral.created_at,
            "consent_withdrawn": selectors.consent_withdrawn(referral),
            "printed_at": timezone.now(),
        },
    )
