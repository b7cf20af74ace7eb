"""No English left on the pages Thai users use: each persona, in Thai, follows the links from
the home page and the navigation (GET only, this site, a few clicks deep) and every page's
visible text is checked for words in Latin script.

A word passes when it is an acronym the offices use as such (NRM, MDT, PDF, CSV...), or comes
from the data (a person's name in Latin script, a user's name, a case number, a code). Anything
else is a string someone forgot to mark for translation, or one not yet translated.
"""

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import Case, Person
from notifications.services import Message, notify_many
from tests.factories import (
    admission,
    referral_in_state,
    register_case,
    repatriation_in_state,
    screening_in_state,
)

pytestmark = pytest.mark.django_db

MAX_DEPTH = 3
MAX_PAGES = 80
# Acronyms and names that Thai offices write in Latin script.
ALLOWED = {
    "NRM",
    "MDT",
    "PDF",
    "CSV",
    "Excel",
    "API",
    "ID",
    "IP",  # an IP address: หมายเลข IP
    "ISO",
    "SMS",
    "OTP",
    "QR",
    "TIP",
    "LGBTQI",
    "CI",  # certificate of identity, a travel document Thai officers call by its initials
    "JPEG",
    "PNG",
    "MB",
    "Microsoft",
    "Word",
    "Sarabun",
    "Google",
    "Authenticator",
    "HTTP",
    "HTTPS",
    "URL",
    "English",
    "IOM",
    "HTCDS",
    "CTDC",
    "NGO",
    "UNHCR",
    "ILO",
    "DSI",
    "LINE",
    "MSDHS",
    "OSCC",
    "TOTP",
    "BE",
    "CE",
}
# Never followed: what changes state or leaves the HTML pages.
SKIPPED_PREFIXES = ("/static/", "/api/", "/accounts/logout", "/accounts/language", "/admin/")
SKIPPED_PARTS = ("export", "download", "/documents/", "template", "schema", "/docs")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’']*")
# Case numbers, codes and references: letters glued to digits or dashes are data, not words.
CODE = re.compile(r"\b[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)+\b|\b[A-Z]{2,}-[\w-]+\b")
EMAIL = re.compile(r"\S+@\S+")


class VisibleText(HTMLParser):
    """The text a user reads (and hears: aria-label, title, placeholder, alt), without scripts,
    styles, code and anything marked lang="en"; and the page's links."""

    HIDDEN = {"script", "style", "code", "pre", "template", "noscript"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.text: list[str] = []
        self.links: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = tag in self.HIDDEN or (attrs.get("lang") or "").startswith("en")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if not (self.hidden or hidden):
            self.text.extend(attrs[name] for name in self.SPOKEN if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.text.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _hidden = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


def data_words() -> set[str]:
    """Latin-script words that come from the data: persons' and users' names, usernames,
    e-mail addresses, organisations' codes."""
    words = set()
    sources = [
        *Person.objects.values_list("name_latin", "name_native"),
        *User.objects.values_list("username", "first_name", "last_name", "email"),
        *Organisation.objects.values_list("code"),
        *Case.objects.values_list("number"),
    ]
    for row in sources:
        for value in row:
            words.update(LATIN_WORD.findall(value or ""))
    return words


def english_words(text: str, allowed: set[str]) -> list[str]:
    text = EMAIL.sub(" ", CODE.sub(" ", text))
    return [word for word in LATIN_WORD.findall(text) if word not in allowed]


def crawl(client, check=None) -> dict[str, list[str]]:
    """Every page reachable from the home page within MAX_DEPTH clicks, with what `check` finds
    on it (by default: the English words)."""
    allowed = ALLOWED | data_words()
    found, seen, queue = {}, set(), [("/", 0)]
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = VisibleText()
        page.feed(response.content.decode())
        if check is None:
            words = english_words(" ".join(page.text), allowed)
        else:
            words = check(response.content.decode())
        if words:
            found[url] = sorted(set(words))
        if depth >= MAX_DEPTH:
            continue
        for href in page.links:
            target = urldefrag(urljoin(url, href)).url
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            # A filter or a page number shows the same strings: each page once, without them.
            path = parts.path
            if path.startswith(SKIPPED_PREFIXES) or any(p in path for p in SKIPPED_PARTS):
                continue
            queue.append((path, depth + 1))
    return found


@pytest.fixture
def world(worker_chiangmai, supervisor_chiangmai, director_kredtrakarn, central_reviewer):
    """A case in each state the pages show: screened, referred, admitted; a notification."""
    screened = register_case(worker_chiangmai, name_th="ขิ่น มา", name_latin="Khin Ma")
    screening_in_state(
        worker_chiangmai,
        "open",
        case=screened,
        custody_started_at=timezone.now() - dt.timedelta(hours=2),
    )
    stay = admission(
        worker_chiangmai,
        director_kredtrakarn,
        person={"name_th": "นวล ดี", "estimated_age": 30},
        reason="ต้องการที่พัก",
        services_requested=["shelter"],
    )
    repatriation_in_state(worker_chiangmai, "scheduled", case=stay.case)  # a resident goes home
    referral_in_state(
        worker_chiangmai,
        "submitted",
        person={"name_th": "แก้ว ใส", "estimated_age": 16},
        reason="เด็ก ต้องการที่พัก",
    )
    notify_many([Message([worker_chiangmai], "มีการส่งต่อใหม่", "/")])


PERSONAS = [
    "worker_chiangmai",
    "supervisor_chiangmai",
    "worker_tak",
    "director_kredtrakarn",
    "staff_kredtrakarn",
    "central_reviewer",
    "sysadmin",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_thai_user_finds_no_english_on_their_pages(client, world, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    found = crawl(client)
    report = "\n".join(f"{url}: {', '.join(words)}" for url, words in sorted(found.items()))
    assert found == {}, f"English on Thai pages for {persona}:\n{report}"


def test_the_check_finds_english_where_there_is_some():
    page = VisibleText()
    page.feed(
        '<p>สวัสดี <b>Save</b> NRM CM-2567-00001</p><script>var x = "hidden";</script>'
        '<button lang="en">English</button><input placeholder="Search">'
    )
    assert english_words(" ".join(page.text), ALLOWED) == ["Save", "Search"]
