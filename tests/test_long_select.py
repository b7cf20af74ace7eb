"""The selects written in Python (core.forms.LongSelect) give the HTML of Django's own select
template, option groups included: the review queue's "Show" filter has groups, and the
provinces and languages hundreds of options."""

import pytest
from django import forms

from core.forms import LongSelect, LongSelectMultiple

CHOICES = [
    ("", "All"),
    ("x", "X & Co"),
    ("Group <one>", [("a", "A"), ("b", 'B "quoted"')]),
    ("c", "C"),
]


def compact(html: str) -> str:
    return "".join(html.split())


@pytest.mark.parametrize("value", ["", "x", "b", "nothing"])
def test_a_long_select_writes_what_django_writes(value):
    ours = LongSelect(choices=CHOICES).render("show", value, {"id": "id_show"})
    django = forms.Select(choices=CHOICES).render("show", value, {"id": "id_show"})
    assert compact(ours) == compact(django)
    assert ours.count(" selected") == (value in {"", "x", "b"})


def test_a_long_multiple_select_marks_every_chosen_option_as_django_does():
    ours = LongSelectMultiple(choices=CHOICES).render("show", ["a", "c"], {"id": "id_show"})
    django = forms.SelectMultiple(choices=CHOICES).render("show", ["a", "c"], {"id": "id_show"})
    assert compact(ours) == compact(django) and ours.count(" selected") == 2
