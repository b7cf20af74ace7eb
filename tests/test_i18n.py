"""Thai first, English on request, and no Thai string left untranslated."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

# On one xdist worker (tests/parallel.py's ONE_WORKER): no test reads the catalogue while
# makemessages rewrites it (and puts it back) here.
pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES" / "django.po"
# Thai for django-celery-beat, which ships none (tests/test_celery_beat_thai.py).
VENDOR_PO_FILE = Path(settings.BASE_DIR) / "locale_vendor" / "th" / "LC_MESSAGES" / "django.po"
CATALOGUES = pytest.mark.parametrize("po_file", [PO_FILE, VENDOR_PO_FILE], ids=["ours", "vendor"])


def test_pages_are_thai_even_for_a_browser_that_asks_for_english(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "th"
    assert '<html lang="th">' in response.content.decode()


def test_the_switch_turns_the_pages_english_and_back(client):
    response = client.post(
        reverse("accounts:switch_language"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in" in page and "เข้าสู่ระบบ" not in page
    assert client.post(reverse("accounts:switch_language"), {"language": "th"}).status_code == 302
    assert "เข้าสู่ระบบ" in client.get(reverse("accounts:login")).content.decode()


def test_a_signed_in_users_choice_is_remembered_for_their_e_mails(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    assert client.post(reverse("accounts:switch_language"), {"language": "en"}).status_code == 302
    worker_chiangmai.refresh_from_db()
    assert worker_chiangmai.language == "en"


def test_an_unknown_language_falls_back_to_thai(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("accounts:login")).headers["Content-Language"] == "th"


def po_entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of a .po file, plural forms joined; a msgid with
    a context (msgctxt) is given as "context|msgid"."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current, fields = None, {"msgctxt": "", "msgid": "", "msgstr": ""}
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith("msgctxt "):
                current = "msgctxt"
            elif line.startswith(("msgid ", "msgid_plural ")):
                current = "msgid"
            elif line.startswith("msgstr"):
                current = "msgstr"
            literal = line[line.index('"') :] if '"' in line else '""'
            fields[current] += literal[1:-1]
        if fields["msgid"]:
            context = f"{fields['msgctxt']}|" if fields["msgctxt"] else ""
            entries.append((context + fields["msgid"], fields["msgstr"], fuzzy))
    return entries


@CATALOGUES
def test_every_thai_string_is_translated_and_none_is_fuzzy(po_file):
    entries = po_entries(po_file.read_text(encoding="utf-8"))
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries if is_fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_the_catalogue_covers_every_string_in_the_code(tmp_path):
    """makemessages over the code finds no msgid that locale/th lacks, and leaves locale_vendor
    (second in LOCALE_PATHS) alone."""
    copy = tmp_path / "django.po"
    copy.write_bytes(PO_FILE.read_bytes())
    vendor = VENDOR_PO_FILE.read_bytes()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "th",
            "--no-obsolete",
            "--no-location",
            "-i",
            "node_modules/*",
            "-i",
            ".venv/*",
            "-i",
            "var/*",
            "-i",
            "tests/*",
        ],
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )
    try:
        entries = po_entries(PO_FILE.read_text(encoding="utf-8"))
        missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    finally:
        PO_FILE.write_bytes(copy.read_bytes())
    assert missing == []
    assert VENDOR_PO_FILE.read_bytes() == vendor
    assert sorted(p.name for p in VENDOR_PO_FILE.parent.iterdir()) == ["django.mo", "django.po"]


@CATALOGUES
def test_the_compiled_catalogue_matches_the_source(tmp_path, po_file):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po_file)], check=True)
    assert compiled.read_bytes() == po_file.with_suffix(".mo").read_bytes()
