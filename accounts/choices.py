"""The provinces and organisations that filters and forms offer, as (code, name) choices in the
active language, kept in the cache for a few minutes: they change only by a migration or the
admin, and reading the 77 provinces again on every list page cost more than the page's rows
(docs/PERFORMANCE.md). A renamed one shows within CHOICES_SECONDS."""

from django.core.cache import cache
from django.utils.translation import get_language

from .models import Organisation, Province

CHOICES_SECONDS = 300


def province_choices() -> list[tuple[str, str]]:
    return cache.get_or_set(
        f"choices:provinces:{get_language()}",
        lambda: [(province.code, province.name) for province in Province.objects.all()],
        CHOICES_SECONDS,
    )


def organisation_choices() -> list[tuple[str, str]]:
    return cache.get_or_set(
        f"choices:organisations:{get_language()}",
        # Every organisation, also one no longer active: the lists reach back in time.
        lambda: sorted(
            ((org.code, org.name) for org in Organisation.objects.all()), key=lambda c: c[1]
        ),
        CHOICES_SECONDS,
    )
