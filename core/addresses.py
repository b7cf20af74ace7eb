"""The address of a view that takes no arguments, reversed once per process rather than on
every page (the layout alone links nine; the URL configuration and script prefix are part of
the key): `address("home")`, `{% address "home" %}` in a template (core.templatetags)."""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


def address(url_name: str) -> str:
    return _reversed(url_name, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=512)
def _reversed(url_name: str, _urlconf, _prefix: str) -> str:
    return reverse(url_name)
