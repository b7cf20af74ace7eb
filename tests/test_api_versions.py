"""A change based on a version someone else has since changed is refused, not saved over their
change: 412 in the API (If-Match against the record's ETag), a conflict message on the screening
page's forms with what the user wrote kept."""

import html
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Case, Screening
from lessons.models import Lesson
from lessons.services import lesson_raise
from tests.factories import OUTCOME_AT_CLOSURE, register_case, screening_in_state

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def tick_deception(user, screening):
    """Another MDT member saves the checklist."""
    url = f"/api/v1/screenings/{screening.pk}/indicators/"
    assert api(user).post(url, {"indicators": ["deception"]}, format="json").status_code == 200


def test_a_case_is_read_with_its_etag_and_a_change_with_the_current_one_is_made(
    worker_chiangmai,
):
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    etag = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    assert re.fullmatch(r'"\d+"', etag)
    closed = client.post(
        f"/api/v1/cases/{case.pk}/close/",
        {"reason": "done", **OUTCOME_AT_CLOSURE},
        HTTP_IF_MATCH=etag,
    )
    assert closed.status_code == 200
    assert closed["ETag"] not in ("", etag)  # the version the change made
    assert closed["ETag"] == client.get(f"/api/v1/cases/{case.pk}/")["ETag"]


def test_a_stale_change_is_a_412_and_saves_nothing(worker_chiangmai, supervisor_chiangmai):
    case = register_case(worker_chiangmai)
    mine, theirs = api(worker_chiangmai), api(supervisor_chiangmai)
    seen = mine.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    # Someone else closes and reopens it meanwhile: the state is as it was, the version is not.
    fresh = theirs.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    theirs.post(
        f"/api/v1/cases/{case.pk}/close/",
        {"reason": "x", **OUTCOME_AT_CLOSURE},
        HTTP_IF_MATCH=fresh,
    )
    theirs.post(f"/api/v1/cases/{case.pk}/reopen/", {"reason": "back"})

    stale = mine.post(
        f"/api/v1/cases/{case.pk}/close/",
        {"reason": "mine", **OUTCOME_AT_CLOSURE},
        HTTP_IF_MATCH=seen,
    )
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    body = stale.json()
    assert body["type"] == "urn:nrm:problem:stale-version" and THAI.search(body["detail"])
    case.refresh_from_db()
    assert case.status == "reopened" and case.closed_reason != "mine"


def test_a_weak_or_unknown_tag_never_matches_and_a_star_or_none_is_no_check(worker_chiangmai):
    case = register_case(worker_chiangmai)
    client = api(worker_chiangmai)
    etag = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    url = f"/api/v1/cases/{case.pk}/close/"
    closing = {"reason": "x", **OUTCOME_AT_CLOSURE}
    assert client.post(url, closing, HTTP_IF_MATCH=f"W/{etag}").status_code == 412
    assert client.post(url, closing, HTTP_IF_MATCH='"1"').status_code == 412
    assert client.post(url, closing, HTTP_IF_MATCH="*").status_code == 200
    # Without If-Match the change is made, as before versions existed (optional, documented).
    assert client.post(f"/api/v1/cases/{case.pk}/reopen/", {"reason": "y"}).status_code == 200
    assert Case.objects.get(pk=case.pk).status == "reopened"


def test_the_etag_of_an_invisible_record_is_never_given(worker_chiangmai, worker_tak):
    case = register_case(worker_chiangmai)
    response = api(worker_tak).post(
        f"/api/v1/cases/{case.pk}/close/", {"reason": "x"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 404 and "ETag" not in response


def test_a_screenings_indicators_saved_over_a_newer_checklist_are_refused(worker_chiangmai):
    screening = screening_in_state(worker_chiangmai, "open")
    client = api(worker_chiangmai)
    url = f"/api/v1/screenings/{screening.pk}/"
    seen = client.get(url)["ETag"]
    saved = client.post(f"{url}indicators/", {"indicators": ["deception"]}, format="json")
    assert saved.status_code == 200
    stale = client.post(f"{url}indicators/", {"indicators": []}, format="json", HTTP_IF_MATCH=seen)
    assert stale.status_code == 412
    assert list(Screening.objects.get(pk=screening.pk).indicators.values_list("code", flat=True))


def test_the_schema_documents_if_match_and_412_on_changes(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    close = schema["paths"]["/api/v1/cases/{id}/close/"]["post"]
    assert "If-Match" in [p["name"] for p in close["parameters"]]
    assert "412" in close["responses"] and "ETag" in close["responses"]["200"]["headers"]


def test_a_stale_decision_form_gets_a_thai_conflict_and_keeps_what_was_written(
    client, worker_chiangmai
):
    screening = screening_in_state(worker_chiangmai, "open")
    client.force_login(worker_chiangmai)
    page = client.get(screening.get_absolute_url())
    version = page.context["decision_form"]["version"].value()
    assert version
    # Another MDT member saves the checklist after this page was drawn.
    tick_deception(worker_chiangmai, screening)
    reasons = "ถูกบังคับทำงานบนเรือประมง"
    answer = client.post(
        reverse("cases:screening_decide", args=[screening.pk]),
        {"outcome": "victim_trafficking", "reason": reasons, "version": version},
    )
    assert answer.status_code == 200
    form = answer.context["decision_form"]
    assert form["reason"].value() == reasons and form["outcome"].value() == "victim_trafficking"
    [conflict] = form.non_field_errors()
    assert THAI.search(conflict)
    assert reasons in html.unescape(answer.content.decode())
    assert Screening.objects.get(pk=screening.pk).decided_at is None
    # The form now carries the screening's current version: sent again, it is not a conflict.
    assert form["version"].value() != version


def test_a_stale_indicators_form_keeps_the_ticks_and_saves_nothing(client, worker_chiangmai):
    screening = screening_in_state(worker_chiangmai, "open")
    client.force_login(worker_chiangmai)
    version = client.get(screening.get_absolute_url()).context["indicators_form"]["version"]
    version = version.value()
    tick_deception(worker_chiangmai, screening)
    url = reverse("cases:screening_indicators", args=[screening.pk])
    answer = client.post(url, {"indicators": ["debt_bondage"], "version": version})
    assert answer.status_code == 200
    form = answer.context["indicators_form"]
    assert form["indicators"].value() == ["debt_bondage"] and form.non_field_errors()
    codes = set(Screening.objects.get(pk=screening.pk).indicators.values_list("code", flat=True))
    assert codes == {"deception"}
    again = client.post(url, {"indicators": ["debt_bondage"], "version": form["version"].value()})
    assert again.status_code == 302


def test_a_lesson_answered_on_a_stale_version_is_a_412_and_a_fresh_one_is_saved(
    worker_chiangmai, central_reviewer
):
    lesson = lesson_raise(
        actor=worker_chiangmai, title="รอเอกสาร", topic="documents", what_happened="รอหนังสือ"
    )
    mine, theirs = api(central_reviewer), api(central_reviewer)
    url = f"/api/v1/lessons/{lesson.pk}/"
    seen = mine.get(url)["ETag"]
    assert re.fullmatch(r'"\d+"', seen)
    # Someone else takes the item up meanwhile.
    taken = theirs.post(f"{url}consider/", HTTP_IF_MATCH=theirs.get(url)["ETag"])
    assert taken.status_code == 200 and taken["ETag"] != seen

    stale = mine.post(f"{url}answer/", {"decision": "ไม่ทำ"}, format="json", HTTP_IF_MATCH=seen)
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["type"] == "urn:nrm:problem:stale-version"
    assert THAI.search(stale.json()["detail"])
    lesson.refresh_from_db()
    assert lesson.status == "under_consideration" and lesson.decision == ""

    fresh = mine.get(url)["ETag"]
    answered = mine.post(
        f"{url}answer/", {"decision": "ประสานสถานทูต"}, format="json", HTTP_IF_MATCH=fresh
    )
    assert answered.status_code == 200, answered.content
    assert answered["ETag"] == mine.get(url)["ETag"] != fresh
    assert Lesson.objects.get(pk=lesson.pk).status == "answered"


def test_the_schema_documents_if_match_on_the_lessons_changes(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    close = schema["paths"]["/api/v1/lessons/{id}/close/"]["post"]
    assert "If-Match" in [p["name"] for p in close["parameters"]] and "412" in close["responses"]
    read = schema["paths"]["/api/v1/lessons/{id}/"]["get"]
    assert "ETag" in read["responses"]["200"]["headers"]
