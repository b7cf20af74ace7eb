from django import template
from django.utils import timezone

from cases.reference import country_name, language_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""


@register.filter
def languages(codes) -> str:
    return ", ".join(language_name(code) for code in codes or ())


@register.filter
def is_past(moment) -> bool:
    return moment is not None and moment < timezone.now()
