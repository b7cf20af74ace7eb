"""A record's version, so that a change based on what someone saw before another person's
change is refused (412 in the API, a conflict message on the form) rather than overwriting it.

The version is the record's `updated_at` (auto_now, to the microsecond): every service that
changes a versioned record saves it with `updated_at`. The API gives it as the `ETag` of the
record and of every answer to a change; a client sends it back as `If-Match`. A form carries
it in a hidden field (`VersionField`). Sending it is optional: a change without it is made as
before (clients written before versions existed keep working); a change with a version that
is no longer the record's is refused.

`version_checked` locks the row (SELECT ... FOR UPDATE) before it compares, in the
transaction in which the caller then runs the service: nobody can change the record between
the comparison and the write (the service's own lock on the same row is the same lock).
"""

import datetime as dt
from contextlib import contextmanager

from django import forms
from django.db import transaction
from django.utils.http import parse_etags
from django.utils.translation import gettext as _

from .domain import StaleVersion

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def version_of(record) -> str:
    """The version of a record that has an `updated_at`: its microseconds since 1970."""
    return str((record.updated_at - EPOCH) // dt.timedelta(microseconds=1))


def etag_of(record) -> str:
    return f'"{version_of(record)}"'


def versions_from_if_match(header: str) -> list[str] | None:
    """The versions an If-Match header accepts: None for `*` (any), else the strong tags'
    values (a weak tag never matches: If-Match compares strongly, RFC 9110 §13.1.1)."""
    tags = parse_etags(header)
    if tags == ["*"]:
        return None
    return [tag.strip('"') for tag in tags if not tag.startswith("W/")]


def ensure_version(model, pk, accepted: list[str] | None) -> None:
    """Lock the record `model(pk)` for the rest of the transaction and raise StaleVersion
    unless it is at one of the `accepted` versions (None: any)."""
    if accepted is None:
        return
    record = model.objects.select_for_update().only("updated_at").get(pk=pk)
    if version_of(record) not in accepted:
        raise StaleVersion(
            _(
                "Someone else changed this record after you opened it. Nothing was saved: "
                "look at the record as it is now, then make your change again."
            )
        )


@contextmanager
def version_checked(model, pk, accepted: list[str] | None):
    """Run the block in a transaction in which the record `model(pk)` is locked and was found
    at one of the `accepted` versions (None: no check). Raises StaleVersion otherwise."""
    with transaction.atomic():
        ensure_version(model, pk, accepted)
        yield


class _VersionInput(forms.HiddenInput):
    """A hidden input without an id: nothing labels it, and a page with several versioned
    forms (the screening page's decision and indicators) would repeat `id_version`."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("id", None)
        return context


class VersionField(forms.CharField):
    """A form's hidden copy of the record's version when the page was drawn."""

    widget = _VersionInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False  # never a change to the record (the audit log's changed fields)


class VersionForm(forms.Form):
    """A form with nothing but the record's version: a button that changes the record (a
    form with fields of its own declares a `VersionField` beside them)."""

    version = VersionField()


class VersionedModelForm(forms.ModelForm):
    """A record's form in the admin (core.admin.VersionedAdminMixin), with the record's version
    when the form was drawn."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("version", version_of(self.instance))


def show_version_now(form: forms.Form, record) -> None:
    """A form refused for someone else's change, shown again with what the user wrote: it
    carries the record's version now, so that sent again it changes the record as the page
    now shows it (and is refused again if it changed once more)."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = version_of(type(record).objects.get(pk=record.pk))


def form_versions(value: str) -> list[str] | None:
    """The versions a form's hidden field accepts: none given (a form from before versions,
    or a client that sends none), no check."""
    return [value] if value else None
