"""A receiver declines for one of a set of reasons a shelter director recognises (and "other"
with a note), so the central division can count why shelters decline: on the page, through
the API, on the referral, its letter and the notification, and on the national dashboard."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from audit.models import AuditEvent
from notifications.models import Notification
from referrals import services
from referrals.models import DeclineReason, Referral
from tests.factories import referral_in_state

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0e00-\u0e7f]")


@pytest.fixture
def acknowledged(worker_chiangmai, director_kredtrakarn):
    """A shelter placement at Kredtrakarn, acknowledged: its director decides now."""
    return referral_in_state(worker_chiangmai, "acknowledged", receiver=director_kredtrakarn)


def decline_on_the_page(client, director, referral, **data):
    client.force_login(director)
    url = reverse("referrals:act", args=[referral.pk, "decline"])
    return client.post(url, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def thai(message) -> str:
    """A message (its English msgid, or a lazy label) as a Thai user reads it."""
    with translation.override("th"):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def test_a_shelter_decline_with_a_coded_reason_is_counted_on_the_national_dashboard(
    client, acknowledged, director_kredtrakarn, central_reviewer, worker_chiangmai
):
    other = referral_in_state(worker_chiangmai, "declined", receiver=director_kredtrakarn)
    response = decline_on_the_page(
        client, director_kredtrakarn, acknowledged, reason="security", note="ผู้ค้าตามมาที่บ้าน"
    )
    assert response.status_code == 200
    acknowledged.refresh_from_db()
    assert (acknowledged.state, acknowledged.decline_reason) == ("declined", "security")
    assert acknowledged.decline_note == "ผู้ค้าตามมาที่บ้าน"

    client.force_login(central_reviewer)
    page = client.get(reverse("reports:dashboard"))
    counts = {row["key"]: row["count"] for row in page.context["figures"]["declines"]}
    assert counts["security"] == 1
    assert counts["no_bed"] == 1  # the factory's decline
    assert sum(counts.values()) == 2
    declined = {row["key"]: row["count"] for row in page.context["figures"]["referrals"]}
    assert declined["declined"] == sum(counts.values())
    # The chart's table links each reason to the list of those declines.
    chart = next(chart for chart in page.context["charts"] if chart["id"] == "declines")
    security = next(
        row for row in chart["rows"] if row["label"] == thai(DeclineReason.SECURITY.label)
    )
    listed = client.get(security["link"])
    assert [referral.pk for referral, _cells in listed.context["rows"]] == [acknowledged.pk]
    assert other.pk not in [referral.pk for referral, _cells in listed.context["rows"]]
    # The API gives the same figures.
    api = APIClient()
    api.force_authenticate(central_reviewer)
    figures = api.get("/api/v1/reports/dashboard/").json()
    assert {row["key"]: row["count"] for row in figures["declines"]} == counts


def test_other_without_a_note_is_refused_in_thai_and_the_referral_stays_undecided(
    client, acknowledged, director_kredtrakarn
):
    response = decline_on_the_page(client, director_kredtrakarn, acknowledged, reason="other")
    [message] = messages_of(response)
    assert message == thai("Say why you decline: the reason chosen is “Other”.")
    assert THAI.search(message)
    acknowledged.refresh_from_db()
    assert (acknowledged.state, acknowledged.decline_reason) == ("acknowledged", "")

    decline_on_the_page(
        client, director_kredtrakarn, acknowledged, reason="other", note="ญาติมารับตัวแล้ว"
    )
    acknowledged.refresh_from_db()
    assert (acknowledged.state, acknowledged.decline_reason) == ("declined", "other")


def test_a_decline_without_a_reason_or_with_an_unknown_one_is_refused_in_thai(
    client, acknowledged, director_kredtrakarn
):
    response = decline_on_the_page(client, director_kredtrakarn, acknowledged, note="เต็ม")
    assert messages_of(response) == [thai("Choose the reason for declining.")]
    response = decline_on_the_page(client, director_kredtrakarn, acknowledged, reason="full")
    assert messages_of(response) == [thai("Choose the reason for declining from the list.")]
    with pytest.raises(ValidationError) as refused:
        services.referral_decline(
            referral_id=acknowledged.pk, actor=director_kredtrakarn, reason="full"
        )
    assert "no_bed" in refused.value.message_dict["reason"][0]
    assert Referral.objects.get(pk=acknowledged.pk).state == "acknowledged"


def test_the_api_answers_400_in_thai_for_an_unknown_reason_and_takes_a_known_one(
    acknowledged, director_kredtrakarn
):
    api = APIClient()
    api.force_authenticate(director_kredtrakarn)
    url = f"/api/v1/referrals/{acknowledged.pk}/decline/"

    unknown = api.post(url, {"reason": "full", "note": "เต็ม"}, format="json")
    assert unknown.status_code == 400
    [error] = unknown.json()["errors"]["reason"]
    assert THAI.search(error) and "“full”" in error
    assert all(code in error for code in DeclineReason.values)
    missing_note = api.post(url, {"reason": "other"}, format="json")
    assert missing_note.status_code == 400
    assert missing_note.json()["errors"] == {
        "note": [thai("Say why you decline: the reason chosen is “Other”.")]
    }
    assert api.post(url, {}, format="json").json()["errors"] == {
        "reason": [thai("Choose the reason for declining.")]
    }
    assert Referral.objects.get(pk=acknowledged.pk).state == "acknowledged"

    declined = api.post(url, {"reason": "medical_care", "note": "ต้องรักษาที่โรงพยาบาล"}, format="json")
    assert declined.status_code == 200
    body = declined.json()
    assert (body["state"], body["decline_reason"], body["decline_note"]) == (
        "declined",
        "medical_care",
        "ต้องรักษาที่โรงพยาบาล",
    )


def test_the_referral_page_its_letter_and_the_notifications_give_the_reason_in_words(
    client, acknowledged, director_kredtrakarn, worker_chiangmai, central_reviewer
):
    services.referral_decline(
        referral_id=acknowledged.pk,
        actor=director_kredtrakarn,
        reason=DeclineReason.NO_BED,
        note="ส่วนพักหญิงเต็มถึงสิ้นเดือน",
    )
    words = thai(DeclineReason.NO_BED.label)
    client.force_login(worker_chiangmai)
    for name in ("referrals:detail", "referrals:letter"):
        page = client.get(reverse(name, args=[acknowledged.pk])).content.decode()
        assert f"{words}: ส่วนพักหญิงเต็มถึงสิ้นเดือน" in page, name
        assert "no_bed" not in page
    for person in (worker_chiangmai, central_reviewer):
        told = Notification.objects.filter(recipient=person).latest("pk")
        assert told.message.endswith(f": {words}"), told.message
        # The note may name the person: an e-mail leaves the system, the note stays in it.
        assert "ส่วนพักหญิงเต็ม" not in told.message


def test_the_decline_and_its_reason_are_in_the_audit_log(acknowledged, director_kredtrakarn):
    services.referral_decline(
        referral_id=acknowledged.pk, actor=director_kredtrakarn, reason="person_refused"
    )
    event = AuditEvent.objects.filter(
        object_type__model="referral", object_id=str(acknowledged.pk), action="transition"
    ).latest("pk")
    assert event.changes["state"] == ["acknowledged", "declined"]
    assert event.changes["decline_reason"] == "person_refused"
