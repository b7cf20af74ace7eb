"""The audit log's entries in words, for its page and its export: who (user name, full name,
organisation), what (the action's name), about what (records.py, or the list or report taken:
its name, filters, rows and format), when and from where.

`name_events` names a page of entries, or a chunk of an export, in a fixed number of queries:
one per kind of record among them and one for the users' organisations.
"""

from collections.abc import Iterable

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_filters import ChoiceFilter, DateFilter, FilterSet, MultipleChoiceFilter

from accounts.models import Membership
from audit.models import AuditEvent
from cases.filters import CaseFilter
from core.dates import format_date, parse_date
from core.exports import FORMAT_NAMES
from core.lists import Column, labels
from justice.filters import ClaimFilter, ProsecutionFilter
from lessons.filters import LessonFilter
from outcomes.filters import OutcomeFilter
from referrals.filters import ReferralFilter
from repatriation.filters import RepatriationFilter
from shelters.filters import PlacementFilter

from .filters import AuditLogFilter
from .records import Subject, name_records

# The audit log's own name among the lists (its page and its export are logged as one).
LIST_NAME = "audit-log"

# The lists that log their pages and exports (audit.reads.record_list, audit.exports.
# list_export), by the name they log: how they are called, their page, their filters. The
# API's lists are logged by their path, which names them well enough.
LISTS: dict[str, tuple[str, str | None, type[FilterSet] | None]] = {
    "cases": (gettext_lazy("Cases"), "cases:list", CaseFilter),
    "referrals": (gettext_lazy("Referrals"), "referrals:list", ReferralFilter),
    "placements": (gettext_lazy("Shelter stays"), "shelters:placements", PlacementFilter),
    LIST_NAME: (gettext_lazy("Audit log"), "audit:search", AuditLogFilter),
    "operation": (gettext_lazy("Cases of an operation"), None, None),
    "intake preview: possible matches": (
        gettext_lazy("Intake file: persons already registered"),
        None,
        None,
    ),
    "bed board": (gettext_lazy("Bed board"), None, None),
    "bed board: waiting for a bed": (gettext_lazy("Bed board: waiting for a bed"), None, None),
    "residents": (gettext_lazy("Residents"), None, None),
    "review-queue": (gettext_lazy("Referrals to review"), "referrals:home", None),
    "prosecutions": (gettext_lazy("Court cases"), "justice:prosecutions", ProsecutionFilter),
    "compensation-claims": (gettext_lazy("Compensation claims"), "justice:claims", ClaimFilter),
    "repatriations": (gettext_lazy("Returns home"), "repatriation:list", RepatriationFilter),
    "outcomes": (gettext_lazy("Outcomes"), "outcomes:list", OutcomeFilter),
    "partner_cases": (gettext_lazy("Cases shared with a partner agency"), "partners:home", None),
    "stage cases": (gettext_lazy("Cases behind a stage time"), None, None),
    "transfers-abroad": (gettext_lazy("Transfers abroad"), "privacy:transfers", None),
    "lessons": (gettext_lazy("Lessons-learned register"), "lessons:list", LessonFilter),
}

# The reports taken away in a file (reports/views.py), by the name they log.
REPORTS = {
    "annual-figures": gettext_lazy("Annual figures"),
    "anonymised-statistics": gettext_lazy("Anonymised statistics for partners"),
    "htcds-anonymised": gettext_lazy("Anonymised statistics for the CTDC (HTCDS)"),
}


# The actions that show or take away a list or a report rather than one record.
TAKEN = (AuditEvent.Action.LIST, AuditEvent.Action.EXPORT)


class _FilterWords:
    """A list's filters as its page labels them ("Status: Open"), each filter's choices read
    once for a whole page of entries (a province's name is one query, not one per entry)."""

    def __init__(self):
        self._choices = {}

    def _value(self, filter_, value: str | list) -> str:
        if isinstance(value, list):  # a filter given several values
            return ", ".join(self._value(filter_, str(one)) for one in value)
        if isinstance(filter_, ChoiceFilter | MultipleChoiceFilter):
            if filter_ not in self._choices:
                self._choices[filter_] = {
                    str(key): str(label) for key, label in filter_.field.choices
                }
            return self._choices[filter_].get(value, value)
        if isinstance(filter_, DateFilter) and (day := parse_date(value)):
            return format_date(day)
        return value

    def __call__(self, filterset: type[FilterSet] | None, filters: dict) -> str:
        words = []
        for key, value in filters.items():
            filter_ = filterset.base_filters.get(key) if filterset else None
            if key == "page":
                words.append(f"{_('Page')} {value}")
            elif filter_ is None:
                words.append(f"{key}={value}")
            else:
                words.append(f"{filter_.label}: {self._value(filter_, value)}")
        return ", ".join(words)


def _taken(event: AuditEvent, filter_words: _FilterWords) -> Subject:
    """A list shown or a list or report taken away: its name and page, the filters or the
    period, the number of rows and the file's format."""
    changes = event.changes
    count = changes.get("count", changes.get("rows", 0))
    rows = ngettext("%(count)s row", "%(count)s rows", count) % {"count": count}
    file_format = FORMAT_NAMES.get(changes.get("format"), changes.get("format", ""))
    if "report" in changes:
        start, end = parse_date(changes.get("from", "")), parse_date(changes.get("to", ""))
        period = _("From %(start)s to %(end)s") % {
            "start": format_date(start),
            "end": format_date(end),
        }
        name = REPORTS.get(changes["report"], changes["report"])
        return Subject(
            kind=_("Report"), label=str(name), detail=f"{period} · {rows} · {file_format}"
        )
    filters = changes.get("filters", changes.get("query", {}))
    name, url_name, filterset = LISTS.get(changes["list"], (changes["list"], None, None))
    detail = [rows]
    if filters:
        detail.insert(0, _("Filters: %(filters)s") % {"filters": filter_words(filterset, filters)})
    if file_format:
        detail.append(file_format)
    url = ""
    if url_name:
        query = urlencode(
            {key: value for key, value in filters.items() if key != "page"}, doseq=True
        )
        url = reverse(url_name) + (f"?{query}" if query else "")
    return Subject(kind=_("List"), label=str(name), detail=" · ".join(detail), url=url)


def _organisations(events: list[AuditEvent]) -> None:
    """Each event's `organisations`: the names of its user's active memberships (one query)."""
    actors = [event.actor for event in events if event.actor is not None]
    memberships = Membership.objects.filter(is_active=True).select_related("organisation")
    prefetch_related_objects(
        actors, Prefetch("memberships", queryset=memberships.order_by("pk"), to_attr="active")
    )
    for event in events:
        active = event.actor.active if event.actor is not None else []
        event.organisations = ", ".join(membership.organisation.name for membership in active)


def name_events(events: Iterable[AuditEvent], *, viewer) -> list[AuditEvent]:
    """The events, each with its `subject` (what it is about, in words, as `viewer` may see
    it) and its user's `organisations`: for a page of the log or a chunk of its export."""
    events = list(events)
    records = name_records(events, viewer=viewer)
    filter_words = _FilterWords()
    for event in events:
        if event.object_type_id and event.object_id:
            event.subject = records[event.object_type_id, event.object_id]
        elif event.action in TAKEN and ("list" in event.changes or "report" in event.changes):
            event.subject = _taken(event, filter_words)
        else:
            event.subject = Subject()
    _organisations(events)
    return events


def _user_cell(event: AuditEvent) -> str:
    full_name = event.actor.get_full_name() if event.actor is not None else ""
    return format_html(
        "{}{}{}",
        event.username or "—",
        format_html('<br><span class="small">{}</span>', full_name) if full_name else "",
        format_html('<br><span class="small text-body-secondary">{}</span>', event.organisations)
        if event.organisations
        else "",
    )


def _subject_cell(event: AuditEvent) -> str:
    subject = event.subject
    if not (subject.kind or subject.label):
        return "—"
    label = subject.label or subject.person
    named = format_html('<a href="{}">{}</a>', subject.url, label) if subject.url else label
    parts = [(part,) for part in (subject.person if subject.label else "", subject.detail) if part]
    return format_html(
        '<span class="text-body-secondary">{}</span> {}{}',
        subject.kind,
        named,
        format_html_join("", '<br><span class="small">{}</span>', parts),
    )


ACTOR_FIELDS = ("username", "actor__first_name", "actor__last_name")
SUBJECT_FIELDS = ("object_type", "object_id", "changes")


def entry_columns() -> list[Column]:
    """The columns of the audit log's page and its export, in the active language."""
    action = labels(AuditEvent.Action.choices)
    return [
        Column(_("Time"), ("created_at",), lambda event: event.created_at, nowrap=True),
        Column(
            _("User"), ACTOR_FIELDS, lambda event: event.username, html=_user_cell, in_export=False
        ),
        Column(_("User name"), ("username",), lambda event: event.username, on_page=False),
        Column(
            _("Full name"),
            ACTOR_FIELDS,
            lambda event: event.actor.get_full_name() if event.actor is not None else "",
            on_page=False,
        ),
        Column(_("Organisation"), ACTOR_FIELDS, lambda event: event.organisations, on_page=False),
        Column(_("Action"), ("action",), lambda event: action(event.action)),
        Column(
            _("Kind of record"), SUBJECT_FIELDS, lambda event: event.subject.kind, on_page=False
        ),
        Column(
            _("Record"),
            SUBJECT_FIELDS,
            lambda event: event.subject.label,
            html=_subject_cell,
        ),
        Column(_("Person"), SUBJECT_FIELDS, lambda event: event.subject.person, on_page=False),
        Column(_("Details"), SUBJECT_FIELDS, lambda event: event.subject.detail, on_page=False),
        Column(_("IP address"), ("ip_address",), lambda event: event.ip_address),
    ]
