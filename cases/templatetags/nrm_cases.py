from django import template

from cases.reference import country_name, language_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""


@register.filter
def language(code: str) -> str:
    """The name of one language code ("my" → "พม่า"): an interpreter's, an interview's."""
    return language_name(code) if code else ""


@register.filter
def languages(codes) -> str:
    """The names of a list of language codes (a person's languages), comma-separated."""
    return ", ".join(language_name(code) for code in codes or ())
