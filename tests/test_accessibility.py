"""Forms a screen reader and a keyboard can use, on every page a persona reaches: each control
has a label, and no two elements share an id (a label tied to a duplicated id names the wrong
field)."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.test_no_english import PERSONAS, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


class Controls(HTMLParser):
    LABELLED_ELSEWHERE = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self):
        super().__init__()
        self.ids = Counter()
        self.labelled = set()
        self.controls = []  # (tag, id, name) of controls that need a label
        self.links = []
        self.in_label = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "label":
            self.in_label += 1
            if attrs.get("for"):
                self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea"):
            if attrs.get("type") in self.LABELLED_ELSEWHERE:
                return
            if attrs.get("aria-label") or attrs.get("aria-labelledby") or self.in_label:
                return
            self.controls.append((tag, attrs.get("id"), attrs.get("name")))

    def handle_endtag(self, tag):
        if tag == "label" and self.in_label:
            self.in_label -= 1


def problems(html: str) -> list[str]:
    page = Controls()
    page.feed(html)
    found = [f"id {key!r} used {n} times" for key, n in page.ids.items() if n > 1]
    found += [
        f"{tag} {name!r} has no label"
        for tag, key, name in page.controls
        if not key or key not in page.labelled
    ]
    return found


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_form_control_is_labelled_and_every_id_unique(client, world, persona, request):  # noqa: F811
    from tests.test_no_english import crawl

    client.force_login(request.getfixturevalue(persona))
    found = crawl(client, check=problems)
    report = "\n".join(f"{url}: {'; '.join(issues)}" for url, issues in sorted(found.items()))
    assert found == {}, f"Accessibility problems for {persona}:\n{report}"


def test_the_check_finds_a_missing_label_and_a_duplicated_id():
    html = '<label for="a">A</label><input id="a"><input id="a" name="b"><select name="c"></select>'
    assert problems(html) == ["id 'a' used 2 times", "select 'c' has no label"]
