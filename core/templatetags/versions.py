"""A record's version (core/versions.py) in a form written by hand in a template, where no
Django form draws its `VersionField`: `{{ unit|version_input }}`."""

from django import template

from core.versions import VersionField, version_of

register = template.Library()


@register.filter
def version_input(record) -> str:
    """The hidden `version` input of a form that changes `record`, as `VersionField` draws it."""
    return VersionField().widget.render("version", version_of(record))
