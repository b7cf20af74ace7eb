"""Form comfort (issue 17): the interpreter's language named, deadlines' escalations in words,
a type-ahead for the ~600 languages (served by the app, still a plain select without
JavaScript), today pre-filled where the date is usually today (in the Buddhist era on a Thai
page), a main menu on one line of a 1366-pixel screen for every role, and e-mail links that lead
to where `bin/run` listens. The browser checks (the type-ahead in Thai, the menu on one line
for every role) are in tests/test_journey_form_comfort.py."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from cases import services as cases
from cases.forms import CaseIntakeForm, PersonForm, ScreeningStartForm
from cases.reference import language_choices, language_name
from core.dates import input_date, parse_date, parse_datetime
from notifications import services as notifications
from nrm.menu import DEADLINES, LISTS, NO_MEMBERSHIP, DropDown, bar
from sla.models import Escalation
from sla.sweep import sweep
from tests.factories import admission, register_case, screening_in_state

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def th(text: str) -> str:
    """What the Thai page shows for `text`."""
    with translation.override("th"):
        return translation.gettext(text)


def input_value(page: str, name: str) -> str:
    """The value of the form input called `name` on `page` ("" when it has none)."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert tag, f"no input {name!r} on the page"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def select_tag(page: str, name: str) -> str:
    tag = re.search(rf'<select[^>]*\bname="{name}"[^>]*>', page)
    assert tag, f"no select {name!r} on the page"
    return tag.group(0)


# --- The interpreter's language, named ---------------------------------------------------------


def test_the_screening_page_names_the_interpreters_language(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    screening = cases.screening_start(
        case_id=case.pk,
        actor=worker_chiangmai,
        custody_started_at=timezone.now() - dt.timedelta(hours=1),
        interpreter_name="นางสาวเอ",
        interpreter_language="my",
    )
    cases.interview_record(
        screening_id=screening.pk,
        actor=worker_chiangmai,
        held_at=timezone.now(),
        interviewer="สมศรี",
        summary="ให้ข้อมูลการเดินทาง",
        language="shn",
    )
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:screening", args=[screening.pk])).content.decode()
    with translation.override("th"):
        burmese, shan = language_name("my"), language_name("shn")
    assert burmese == "พม่า"
    assert f'<span data-testid="interpreter-language">{burmese}</span>' in page
    assert f"· {shan}" in page  # the interview's language
    assert "(m, y)" not in page


def test_constructed_and_fictional_languages_are_not_offered():
    codes = {code for code, _name in language_choices()}
    assert {"my", "shn", "km", "lo", "hnj", "blt"} <= codes
    assert not codes & {"tlh", "eo", "tok", "vo", "jbo", "zxx"}
    assert "languages" in PersonForm(data={"name_th": "ก", "languages": ["tlh"]}).errors
    form = ScreeningStartForm(
        data={"custody_started_at": "2024-08-24 14:05", "interpreter_language": "tlh"}
    )
    assert "interpreter_language" in form.errors


# --- Type-ahead for the language pickers --------------------------------------------------------


def test_every_language_picker_asks_for_type_ahead_in_the_pages_language(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    register = client.get(reverse("cases:register")).content.decode()
    languages = select_tag(register, "languages")
    assert "data-typeahead" in languages and "multiple" in languages
    assert f'data-no-results="{th("Nothing matches what you typed.")}"' in languages
    assert f'data-remove="{th("Remove")}"' in languages
    assert "data-typeahead" not in select_tag(register, "nationality")  # 250 countries: as it was

    case = register_case(worker_chiangmai)
    # The case page's forms come when opened (cases/views/case_forms.py).
    screening = client.get(reverse("cases:case_form", args=[case.pk, "screening"]))
    consent = client.get(reverse("cases:case_form", args=[case.pk, "consent"]))
    assert "data-typeahead" in select_tag(screening.content.decode(), "interpreter_language")
    assert "data-typeahead" in select_tag(consent.content.decode(), "language")


def test_the_type_ahead_is_served_by_the_app_itself(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:register")).content.decode()
    for asset in (
        "vendor/tom-select/js/tom-select.popular.min.js",
        "vendor/tom-select/css/tom-select.bootstrap5.min.css",
        "js/typeahead.js",
    ):
        assert f'"{static(asset)}"' in page
        assert finders.find(asset), f"{asset} is not among the app's static files"
    assert "//cdn" not in page and "https://" not in page.split("<body")[0]


# --- Today pre-filled, in the page's era --------------------------------------------------------


def test_the_intake_date_is_today_in_the_buddhist_era(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:register")).content.decode()
    today = timezone.localdate()
    assert input_value(page, "intake_date") == input_date(today, "th")
    assert input_value(page, "intake_date").endswith(str(today.year + 543))


def test_the_english_page_prefills_the_gregorian_date(client, settings, worker_chiangmai):
    client.force_login(worker_chiangmai)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("cases:register")).content.decode()
    assert input_value(page, "intake_date") == input_date(timezone.localdate(), "en")


def test_a_date_typed_wrong_is_shown_back_not_replaced_by_today():
    with translation.override("th"):
        form = CaseIntakeForm(data={"intake_date": "31/02/2569"})
        assert "intake_date" in form.errors
        assert 'value="31/02/2569"' in str(form["intake_date"])


def test_the_screening_start_is_now_and_can_be_posted_as_shown(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:case_form", args=[case.pk, "screening"])).content.decode()
    shown = input_value(page, "custody_started_at")
    moment = parse_datetime(shown)
    assert moment is not None and shown.split()[0].endswith(str(moment.year + 543))
    now = timezone.localtime().replace(tzinfo=None)
    assert now - dt.timedelta(minutes=2) <= moment <= now
    assert (
        th(
            "Now, unless the person was taken into custody earlier: the 24-hour deadline "
            "(Act s.29) counts from this time."
        )
        in page
    )

    # Left as it is, the time shown is accepted: it is never "in the future".
    response = client.post(
        reverse("cases:start_screening", args=[case.pk]), {"custody_started_at": shown}
    )
    assert response.status_code == 302
    started = case.screenings.get().custody_started_at
    assert timezone.localtime(started).replace(tzinfo=None) == moment


def test_an_interview_is_held_now_unless_changed(client, worker_chiangmai):
    screening = screening_in_state(
        worker_chiangmai, custody_started_at=timezone.now() - dt.timedelta(hours=2)
    )
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:screening", args=[screening.pk])).content.decode()
    held = parse_datetime(input_value(page, "held_at"))
    now = timezone.localtime().replace(tzinfo=None)
    assert now - dt.timedelta(minutes=2) <= held <= now


def test_an_operation_starts_today_but_its_custody_start_is_left_to_the_user(
    client, worker_chiangmai
):
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:operation_create")).content.decode()
    assert parse_date(input_value(page, "started_on")) == timezone.localdate()
    assert input_value(page, "custody_started_at") == ""


def test_an_outing_starts_now_in_the_shelter(client, worker_chiangmai, director_kredtrakarn):
    placement = admission(worker_chiangmai, director_kredtrakarn)
    client.force_login(director_kredtrakarn)
    page = client.get(reverse("shelters:resident", args=[placement.pk])).content.decode()
    started = parse_datetime(input_value(page, "started_at"))
    now = timezone.localtime().replace(tzinfo=None)
    assert now - dt.timedelta(minutes=2) <= started <= now
    assert input_value(page, "ended_at") == ""  # not back yet


# --- Escalations in words -----------------------------------------------------------------------


def escalation_cell(client) -> str:
    page = client.get(reverse("sla:mine")).content.decode()
    cells = re.findall(r'<td data-testid="escalation">([^<]*)</td>', page)
    assert len(cells) == 1, cells
    return cells[0]


def test_my_deadlines_say_whether_the_clock_was_reminded(client, worker_chiangmai):
    screening_in_state(worker_chiangmai, custody_started_at=timezone.now())
    client.force_login(worker_chiangmai)
    assert escalation_cell(client) == th("Not reminded yet")

    sweep(now=timezone.now() + dt.timedelta(hours=19))  # 5 hours left: the reminder is sent
    assert escalation_cell(client) == th("Reminded")


def test_a_missed_deadline_says_whom_it_was_escalated_to(
    client, worker_tak, supervisor_chiangmai, central_reviewer
):
    screening_in_state(worker_tak, custody_started_at=timezone.now() - dt.timedelta(hours=30))
    sweep(now=timezone.now())  # 6 hours late: escalated to the office's supervisor
    client.force_login(worker_tak)
    to_supervisor = th("Escalated to: %(whom)s") % {"whom": th(Escalation.SUPERVISOR.label)}
    assert escalation_cell(client) == to_supervisor

    client.force_login(central_reviewer)
    board = client.get(reverse("sla:board")).content.decode()
    assert to_supervisor in board
    assert th("Reminder and escalation") in board

    sweep(now=timezone.now() + dt.timedelta(days=1))  # a day later: up to the central division
    board = client.get(reverse("sla:board")).content.decode()
    to_central = th("Escalated a second time, to: %(whom)s") % {
        "whom": th(Escalation.CENTRAL.label)
    }
    assert to_central in board
    assert to_supervisor not in board
    assert not re.search(r"<td>\s*[012]\s*</td>", board)  # no bare level


# --- The main menu ------------------------------------------------------------------------------


def test_the_deadlines_share_one_drop_down_for_those_who_oversee_them():
    central = bar(Role.CENTRAL_REVIEWER)
    [deadlines] = [
        item for item in central if isinstance(item, DropDown) and item.group is DEADLINES
    ]
    assert [entry.url_name for entry in deadlines.entries][:2] == ["sla:mine", "sla:board"]
    # ... and where time is lost on the journey (issue 20) beside them.
    assert "insights:stage_times" in [entry.url_name for entry in deadlines.entries]
    # A social worker has only their own deadlines: a plain link, not a drop-down of one.
    worker = bar(Role.SOCIAL_WORKER)
    assert "sla:mine" in [getattr(item, "url_name", "") for item in worker]
    assert not any(isinstance(item, DropDown) and item.group is DEADLINES for item in worker)
    # Shelter staff see their residents' stays, court cases, claims, returns home and outcomes
    # (issue 18) in the lists' drop-down.
    staff = bar(Role.SHELTER_STAFF)
    [lists] = [item for item in staff if isinstance(item, DropDown) and item.group is LISTS]
    assert "shelters:placements" in [entry.url_name for entry in lists.entries]


@pytest.mark.parametrize("role", [*Role.values, NO_MEMBERSHIP])
def test_every_role_has_a_bar_whose_every_entry_leads_to_a_page(role):
    items = bar(role)
    assert items
    for item in items:
        for entry in item.entries if isinstance(item, DropDown) else [item]:
            assert reverse(entry.url_name)


# --- E-mail links lead where bin/run listens ---------------------------------------------------


def bin_run_site_url(**env) -> str:
    """NRM_SITE_URL as bin/run sets it from HOST and PORT (its own lines, run by bash)."""
    lines = subprocess.run(
        ["sed", "-n", r"/^site_url() {/,/^export NRM_SITE_URL=/p", "bin/run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "export NRM_SITE_URL=" in lines
    script = 'host="${HOST:-127.0.0.1}"; port="${PORT:-8000}"\n' + lines + 'echo "$NRM_SITE_URL"'
    clean = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "NRM_SITE_URL"}}
    result = subprocess.run(
        ["bash", "-c", script], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "0.0.0.0", "PORT": "9000"}, "http://127.0.0.1:9000"),  # noqa: S104
        ({"HOST": "nrm-demo.local", "PORT": "8080"}, "http://nrm-demo.local:8080"),
        ({"HOST": "::1"}, "http://[::1]:8000"),
        (
            {"PORT": "8123", "NRM_SITE_URL": "https://nrm.example.go.th"},
            "https://nrm.example.go.th",
        ),
    ],
)
def test_bin_run_links_e_mails_to_where_it_listens_unless_told_otherwise(env, url):
    assert bin_run_site_url(**env) == url


@pytest.mark.integration
def test_the_settings_take_the_site_address_bin_run_exports(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"NRM_SITE_URL", "SECRET_KEY"}}
    env.update(NRM_VAR_DIR=str(tmp_path), DEBUG="1", NRM_SITE_URL="http://127.0.0.1:8123/")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.NRM_SITE_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split()[-1] == "http://127.0.0.1:8123", result.stderr


def test_an_e_mails_link_starts_with_the_site_address(settings, worker_chiangmai, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NRM_SITE_URL = "http://127.0.0.1:8123"
    monkeypatch.setattr(notifications, "request_delivery", lambda: None)
    notifications.notify_many(
        [notifications.Message([worker_chiangmai], "Case NRM-2569-50-000001", "/cases/1/")]
    )
    assert notifications.outbox_deliver() == 1
    [email] = mail.outbox
    assert "http://127.0.0.1:8123/cases/1/" in email.body
    assert ":8000" not in email.body
