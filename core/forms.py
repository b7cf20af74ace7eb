"""Glue between the services' errors and Django forms."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.dates import input_date, input_datetime, parse_date, parse_datetime

# The example in format hints: a day after the 12th, so day and month cannot be confused.
EXAMPLE_MOMENT = dt.datetime(2024, 8, 24, 14, 5)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    that field, else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


# The Anti-Trafficking in Persons Act B.E. 2551 came into force in 2008: no case is older.
FIRST_DAY = dt.date(2008, 1, 1)


def check_period(form: forms.Form, start_field: str, end_field: str) -> None:
    """The errors of a period of figures asked for: before the Act, after today, or
    backwards; added to the form's fields."""
    start, end = form.cleaned_data.get(start_field), form.cleaned_data.get(end_field)
    if start and start < FIRST_DAY:
        form.add_error(start_field, _("The figures begin in 2008, when the Act B.E. 2551 came in."))
    if end and end > timezone.localdate():
        form.add_error(end_field, _("The period cannot end after today."))
    if start and end and start > end:
        form.add_error(end_field, _("The end of the period comes before its start."))


class DateInput(forms.DateInput):
    """A text input for a date as the user writes it: 24/08/2567 (Buddhist era) on a Thai page,
    24/08/2024 on an English one. The browser's own date picker would show Gregorian years.

    What is typed is turned into ISO before the field parses it, so any DateField (a model
    form's too) reads a Buddhist-era year; ISO (yyyy-mm-dd), as tests and scripts post it, is
    accepted too. Text that is not a date reaches the field unchanged and fails its validation
    with the message `date_error_message` gives.
    """

    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})}, **kwargs)

    def format_value(self, value):
        # A bound form shows back what was posted, already turned into ISO.
        if isinstance(value, str) and (day := parse_date(value)):
            value = day
        if isinstance(value, (dt.date, dt.datetime)):
            return input_date(value)
        return value

    def value_from_datadict(self, data, files, name):
        text = super().value_from_datadict(data, files, name)
        if isinstance(text, str) and (day := parse_date(text)):
            return day.isoformat()
        return text


class DateTimeInput(forms.DateTimeInput):
    """A text input for a date and time: 24/08/2567 14:05 on a Thai page (see DateInput).
    With `day_ends`, a date alone means the end of that day (an access that ends on a date)."""

    input_type = "text"

    def __init__(self, attrs=None, *, day_ends: bool = False, **kwargs):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})}, **kwargs)
        self.day_ends = day_ends

    def format_value(self, value):
        if isinstance(value, str) and (moment := parse_datetime(value)):
            value = moment
        if isinstance(value, dt.datetime):
            return input_datetime(value)
        return value

    def value_from_datadict(self, data, files, name):
        text = super().value_from_datadict(data, files, name)
        if isinstance(text, str) and (moment := parse_datetime(text)):
            return moment.isoformat(sep=" ")
        if self.day_ends and isinstance(text, str) and (day := parse_date(text)):
            return dt.datetime.combine(day, dt.time(23, 59)).isoformat(sep=" ")
        return text


def _example(widget: forms.Widget) -> str:
    if isinstance(widget, DateTimeInput):
        return input_datetime(EXAMPLE_MOMENT)
    return input_date(EXAMPLE_MOMENT.date())


def date_format_hint(widget: forms.Widget) -> str:
    """The format shown under a date input, in the page's language and era."""
    if isinstance(widget, DateTimeInput):
        return _("Day/month/year and time, for example %(example)s") % {"example": _example(widget)}
    return _("Day/month/year, for example %(example)s") % {"example": _example(widget)}


def date_error_message(widget: forms.Widget) -> str:
    if isinstance(widget, DateTimeInput):
        return _(
            "Enter the date and time as day/month/year hour:minute, for example %(example)s."
        ) % {"example": _example(widget)}
    return _("Enter the date as day/month/year, for example %(example)s.") % {
        "example": _example(widget)
    }


class AccessibleBoundField(BoundField):
    """A field whose input names its format hint, help text and errors in aria-describedby
    (screen readers read them with the label), and whose date inputs carry a format hint."""

    @property
    def format_hint(self) -> str:
        if isinstance(self.field.widget, (DateInput, DateTimeInput)):
            return date_format_hint(self.field.widget)
        return ""

    def build_widget_attrs(self, attrs, widget=None):
        """Also Bootstrap's `is-invalid` on an input with errors: its border turns red, beside
        the `aria-invalid` that Django gives it for screen readers."""
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            own = attrs.get("class", (widget or self.field.widget).attrs.get("class", ""))
            attrs["class"] = f"{own} is-invalid".strip()
        return attrs

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        if described is None or not self.auto_id or self.is_hidden or not self.format_hint:
            return described
        return " ".join(filter(None, [f"{self.auto_id}_format", described]))


class BootstrapFormRenderer(TemplatesSetting):
    """Every form renders with the project's field template: a label tied to its input, help
    text and errors linked with aria-describedby, Bootstrap's look."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    bound_field_class = AccessibleBoundField


def widget_css_class(widget: forms.Widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select"
    return "form-control"


class StyledFormMixin:
    """Gives each widget Bootstrap's class for its kind, and each select the faster rendering
    of its options (LongSelect: provinces, countries, languages, organisations)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", widget_css_class(field.widget))
            if isinstance(field.widget, (DateInput, DateTimeInput)):
                field.error_messages["invalid"] = date_error_message(field.widget)
            # The same widget, rendered faster: only its class changes, not the choices,
            # attributes and requiredness the field gave it.
            if type(field.widget) is forms.Select:
                field.widget.__class__ = LongSelect
            elif type(field.widget) is forms.SelectMultiple:
                field.widget.__class__ = LongSelectMultiple


class _OptionsInPython:
    """A select whose options are written in Python instead of one template include each:
    the language list has over 600 options, and a case page with two of them spent most of its time
    in the includes (docs/PERFORMANCE.md). Same HTML as Django's select template, option groups
    included."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = set(self.format_value(value))

        def option(option_value, label) -> str:
            nonlocal chosen
            text = "" if option_value is None else str(option_value)
            selected = text in chosen
            if selected and not self.allow_multiple_selected:
                chosen = set()  # as Django's Select: only the first match is selected
            return (
                f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                f"{escape(str(label))}</option>"
            )

        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                parts.extend(option(*choice) for choice in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 (names, values and labels escaped)


class LongSelect(_OptionsInPython, forms.Select):
    """A Select for hundreds of choices (languages, countries)."""


class LongSelectMultiple(_OptionsInPython, forms.SelectMultiple):
    """A SelectMultiple for hundreds of choices."""


class _TypeAhead:
    """Marks a long select for static/js/typeahead.js, which turns it into a type-ahead box
    (Tom Select, served from npm by the app): a few letters of the name in the page's language,
    or its code, find the choice, where the plain select needs scrolling and, for several
    choices, Ctrl-click. Without JavaScript the plain select works as it is. The box's words
    travel in data- attributes, in the page's language."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        return {
            "data-typeahead": "",
            "data-placeholder": _("Type a few letters to search"),
            "data-no-results": _("Nothing matches what you typed."),
            "data-remove": _("Remove"),
            **attrs,
        }


class TypeAheadSelect(_TypeAhead, LongSelect):
    """A LongSelect with type-ahead (the interpreter's language, say)."""


class TypeAheadSelectMultiple(_TypeAhead, LongSelectMultiple):
    """A LongSelectMultiple with type-ahead (a person's languages)."""
