"""What the filtered lists of cases, referrals and placements share.

One FilterSet over the user's visible rows stands behind both a list page and its export, so
a download never holds a row the page would not show. Pages show 25 rows, or 50 or 100 as the
user chooses; only the roles
accountable for personal data (DESIGN.md §6, `accounts.permissions.may_export`) may take it
away in a file, and every file taken is written in the audit log with its list, filters, format
and number of rows (`audit.exports.list_export`).
"""

import datetime as dt
import html
import keyword
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from hashlib import sha256
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language
from django_filters import FilterSet, MultipleChoiceFilter
from django_filters.fields import MultipleChoiceField as ChoicesField

from .dates import format_date, format_datetime
from .forms import StyledFormMixin, TypeAheadSelectMultiple

# Rows a page shows: the first by default, the others on the user's choice (`?size=`).
PAGE_SIZES = (25, 50, 100)
PAGE_SIZE = PAGE_SIZES[0]


class FilterForm(StyledFormMixin, forms.Form):
    """The form of a list's filters (the FilterSets' Meta.form), in Bootstrap's look."""


@dataclass(frozen=True)
class Column:
    """One column of a list, for its page and its export alike: the header, the fields it
    reads (for the export's `only()`, across relations with `__`), and how its value is read
    from a row. The page shows the value as text (dates in the user's era, "—" for nothing)
    or, where it needs more (a link, a badge), the HTML of `html`. A column only the page
    shows, or only the export, says so in `on_page` / `in_export`."""

    header: Any
    fields: tuple[str, ...]
    value: Callable[[Any], Any]
    html: Callable[[Any], str] | None = None
    on_page: bool = True
    in_export: bool = True
    nowrap: bool = False

    def cell(self, row) -> str:
        """The column's cell of `row` on the page."""
        if self.html is not None:
            return self.html(row)
        value = self.value(row)
        if value in (None, ""):
            return "—"
        if isinstance(value, dt.datetime):
            return format_datetime(value)
        if isinstance(value, dt.date):
            return format_date(value)
        return str(value)


def escaped(value) -> str:
    """conditional_escape without its lazy-string wrapper, which cost more than the escaping
    itself at some 300 cells a page: HTML made safe stays as it is, anything else is escaped
    as django.utils.html.escape does it."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def cells_html(row, columns: list[Column]) -> str:
    """A row's cells on the page, as the HTML of its <td>s: written here rather than by a
    template loop, which cost a list page more than reading its rows (docs/PERFORMANCE.md)."""
    return mark_safe(  # noqa: S308 (every cell escaped, or made safe by its column's html)
        "".join(
            f'<td class="text-nowrap">{escaped(column.cell(row))}</td>'
            if column.nowrap
            else f"<td>{escaped(column.cell(row))}</td>"
            for column in columns
        )
    )


def only_columns(queryset: QuerySet, columns: list[Column]) -> QuerySet:
    """Only what the columns read (and the pk), joined in the same query: a list's page and its
    export build no more of each row than they show."""
    fields = [field for column in columns for field in column.fields]
    relations = {field.rsplit("__", 1)[0] for field in fields if "__" in field}
    return queryset.select_related(None).select_related(*relations).only(*fields)


def page_columns(columns: list[Column]) -> list[Column]:
    return [column for column in columns if column.on_page]


def export_columns(columns: list[Column]) -> list[Column]:
    return [column for column in columns if column.in_export]


def url_for_pk(viewname: str) -> Callable[[int], str]:
    """The URL of `viewname` for a row's pk, resolved once for a whole page rather than once
    per row (a `reverse()` costs more than the rest of a row's cell)."""
    marker = 2_147_483_647
    head, tail = reverse(viewname, args=[marker]).rsplit(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"


def labels(choices) -> Callable[[str], str]:
    """A value's label in the active language, translated once for a whole export rather
    than once per row; an unknown value stays as it is."""
    names = {value: str(label) for value, label in choices}
    return lambda value: names.get(value, value)


class AnyOfField(ChoicesField):
    """The choices of an AnyOfFilter: a single value (from a plain dict of filters) is a list
    of one, and an empty value (a link's `?status=`) no choice."""

    def to_python(self, value):
        values = [value] if isinstance(value, str) else super().to_python(value)
        return [value for value in values if value != ""]


class AnyOfFilter(MultipleChoiceFilter):
    """A filter by one value or several (`?province=50&province=63`: the rows of either), the
    same on a list page, its export and the API's export; on the page a type-ahead box in which
    several may be chosen. No choice: every row."""

    field_class = AnyOfField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", TypeAheadSelectMultiple)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # One IN over the column rather than django-filter's OR of one test per value, and
        # no DISTINCT: each row has one value.
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


def keyword_parameters(filterset_class: type[FilterSet]) -> type[FilterSet]:
    """Class decorator: a filter declared as `from_` reads the GET parameter `from`, which
    is a Python keyword and cannot be an attribute name."""
    filterset_class.base_filters = {
        (name[:-1] if keyword.iskeyword(name[:-1]) else name): filter_
        for name, filter_ in filterset_class.base_filters.items()
    }
    return filterset_class


def filtered(filterset: FilterSet) -> QuerySet:
    """The rows that match the filters; none while a filter is not valid (a filter silently
    ignored would show, and count, more than was asked for)."""
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


# How long a list's total may be shown before it is counted again.
COUNT_SECONDS = 60


class MinuteCountPaginator(Paginator):
    """A paginator whose total is counted at most once a minute for the same user, list and
    filters. A COUNT over 200,000 cases costs more than reading the page of 50 itself, and
    turning the pages of a list repeats it on every request (docs/PERFORMANCE.md)."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(self.count_key, lambda: Paginator.count.func(self), COUNT_SECONDS)


def page_size(request) -> int:
    """The rows a page shows: what the user chose with `size`, if one of PAGE_SIZES."""
    size = request.GET.get("size", "")
    return int(size) if size.isdigit() and int(size) in PAGE_SIZES else PAGE_SIZE


def page_size_links(query) -> list[tuple[int, str]]:
    """Each page size with the query string that shows the list's first page at that size."""
    links = []
    for size in PAGE_SIZES:
        sized = query.copy()
        sized["size"] = str(size)
        links.append((size, sized.urlencode()))
    return links


# How long the rendered fields of a list's filter form are kept (their choices: CHOICES_SECONDS).
FILTER_FIELDS_SECONDS = 300


def filter_fields(request, form: forms.Form) -> str:
    """The HTML of a list's filter form's fields, as includes/filter_fields.html renders them,
    kept in the cache for the same user, form, language and filters: the fields with their
    hundreds of choices took a quarter of a list page's time to render (docs/PERFORMANCE.md).
    A form with errors is rendered every time (the errors are the user's to see)."""
    if form.is_bound and not form.is_valid():
        return render_to_string("includes/filter_fields.html", {"form": form})
    data = form.data.urlencode() if hasattr(form.data, "urlencode") else ""
    key = (
        "filter-fields:"
        + sha256(
            f"{type(form).__name__}|{request.user.pk}|{get_language()}|{data}".encode()
        ).hexdigest()
    )
    return cache.get_or_set(
        key,
        lambda: render_to_string("includes/filter_fields.html", {"form": form}),
        FILTER_FIELDS_SECONDS,
    )


def list_page(
    request,
    filterset: FilterSet,
    template: str,
    *,
    columns: list[Column],
    prepare: Callable[[list], list] | None = None,
    live_count: bool = False,
    **context,
) -> HttpResponse:
    """A page of matching rows (page_size), the total, the filter form, and the query string that
    keeps the filters in the pagination and export links; `rows` pairs each row with the HTML
    of its cells for the columns shown on the page, in order (cells_html). `prepare`, when given,
    turns the page's rows into what the columns read, for the whole page at once (what the
    rows need from other tables, in one query per table rather than one per row). A list whose
    rows come and go by the minute (the deadline board) is counted on every request
    (`live_count`): a total kept for a minute would also cut its page short. The caller says in
    `context` whether the user may export (`may_export`, accounts.permissions)."""
    query = request.GET.copy()
    for parameter in ("page", "format"):
        query.pop(parameter, None)
    size = page_size(request)
    counted = query.copy()  # the same total at every page size
    counted.pop("size", None)
    shown = page_columns(columns)
    rows = only_columns(filtered(filterset), shown)
    if live_count:
        paginator = Paginator(rows, size)
    else:
        paginator = MinuteCountPaginator(
            rows,
            size,
            count_key="list-count:"
            + sha256(f"{template}|{request.user.pk}|{counted.urlencode()}".encode()).hexdigest(),
        )
    page = paginator.get_page(request.GET.get("page"))
    rows = prepare(list(page)) if prepare is not None else page
    return render(
        request,
        template,
        {
            "filter": filterset,
            "filter_fields": filter_fields(request, filterset.form),
            "page": page,
            "columns": shown,
            "rows": [(row, cells_html(row, shown)) for row in rows],
            "query": query.urlencode(),
            "page_size": size,
            "page_sizes": page_size_links(query),
            **context,
        },
    )
