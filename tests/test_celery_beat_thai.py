"""The sysadmin's periodic-task pages are Thai like the rest of the admin: django-celery-beat
ships no Thai, so locale_vendor/th has it, and an upgrade that brings new strings fails here
until they are translated (bin/vendor-messages merges them in)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.test_i18n import VENDOR_PO_FILE, po_entries


@pytest.mark.django_db
def test_the_periodic_task_list_is_thai_for_a_sysadmin(client, sysadmin):
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.create(name="flush", task="core.tasks.flush", interval=every_hour)
    client.force_login(sysadmin)
    response = client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "งานตามกำหนดเวลา" in page  # the model's and the app's names
    assert "เปิดใช้งานตามกำหนดเวลาที่เลือก" in page  # an action
    assert "ทุกชั่วโมง" in page  # the schedule's name
    assert "Periodic tasks" not in page and "Periodic Tasks" not in page
    assert "Enable selected tasks" not in page


@pytest.mark.django_db
def test_the_periodic_task_form_is_thai_for_a_sysadmin(client, sysadmin):
    client.force_login(sysadmin)
    response = client.get(reverse("admin:django_celery_beat_periodictask_add"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "อาร์กิวเมนต์ตามลำดับ" in page  # a field label
    assert "อาร์กิวเมนต์ตามลำดับในรูปแบบ JSON" in page  # its help text
    assert "กำหนดเวลาแบบ crontab" in page
    assert "Positional Arguments" not in page
    # "Schedule" is the fieldset's heading; the hearing form's button has its own (context)
    assert '<h2 id="fieldset-0-1-heading" class="fieldset-heading">กำหนดเวลา</h2>' in page
    assert "Crontab Schedule" not in page


def test_every_string_of_the_installed_django_celery_beat_has_thai(tmp_path):
    """The installed package's strings, extracted as makemessages does, all have a Thai
    translation in locale_vendor (the catalogues it ships are older than its code)."""
    template = tmp_path / "django_celery_beat.pot"
    subprocess.run(
        ["bin/vendor-messages", "--pot", str(template)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "PYTHON": sys.executable},
        check=True,
        capture_output=True,
    )
    wanted = {msgid for msgid, _, _ in po_entries(template.read_text(encoding="utf-8"))}
    thai = {
        msgid: msgstr
        for msgid, msgstr, fuzzy in po_entries(VENDOR_PO_FILE.read_text(encoding="utf-8"))
        if not fuzzy
    }
    assert len(wanted) > 100
    assert "Periodic Tasks Using This Schedule" in wanted  # not in any catalogue it ships
    assert sorted(msgid for msgid in wanted if not thai.get(msgid)) == []


def test_our_own_thai_wins_a_msgid_both_catalogues_have():
    vendor = {msgid: msgstr for msgid, msgstr, _ in po_entries(VENDOR_PO_FILE.read_text())}
    assert vendor["Description"] == "คำอธิบาย"
    with translation.override("th"):
        assert gettext("Description") == "รายละเอียด"  # locale/th's


@pytest.mark.django_db
def test_the_admin_draws_thai_in_the_app_own_font_and_icon(client, sysadmin):
    """A sysadmin's machine without Thai fonts still reads the admin (the app serves Sarabun)."""
    client.force_login(sysadmin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "/static/vendor/sarabun/thai-400.css" in page
    assert "/static/css/admin.css" in page and 'rel="icon"' in page
    assert "/static/admin/css/base.css" in page  # Django's own styles still come first
