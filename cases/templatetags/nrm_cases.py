from django import template

from cases.reference import country_name, language_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""


@register.filter
def languages(codes) -> str:
    return ", ".join(language_name(code) for code in codes or ())
