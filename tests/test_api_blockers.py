"""/api/v1/blockers/ (issue 20): the blockers of the cases the user may see, "waiting
because ..." started on a screening, referral or stay and ended, with the pages' service:
versions on the end, problem details on every refusal."""

import pytest
from rest_framework.test import APIClient

from insights.models import Blocker
from tests.factories import referral_in_state, screening_in_state

pytestmark = pytest.mark.django_db

URL = "/api/v1/blockers/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_worker_starts_a_wait_and_ends_it_with_the_version_it_read(worker_chiangmai):
    screening = screening_in_state(worker_chiangmai, "open")
    client = api(worker_chiangmai)
    body = {"record": "screening", "record_id": screening.pk, "reason": "no_interpreter"}
    started = client.post(URL, body | {"language": "my"}, format="json")
    assert started.status_code == 201, started.content
    data = started.json()
    assert (data["record"], data["record_id"], data["case_number"], data["ended_at"]) == (
        "screening",
        screening.pk,
        screening.case.number,
        None,
    )
    assert "ไม่มีล่าม" in data["label"]
    [listed] = client.get(URL).json()["results"]
    assert listed["id"] == data["id"]
    read = client.get(f"{URL}{data['id']}/")
    etag = read["ETag"]
    stale = client.post(f"{URL}{data['id']}/end/", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale["Content-Type"].startswith("application/problem+json")
    assert Blocker.objects.get().ended_at is None  # nothing saved
    ended = client.post(f"{URL}{data['id']}/end/", HTTP_IF_MATCH=etag)
    assert ended.status_code == 200 and ended.json()["ended_at"] is not None
    assert ended["ETag"] != etag
    again = client.post(f"{URL}{data['id']}/end/")
    assert again.status_code == 409
    assert again.json()["type"] == "urn:nrm:problem:transition-not-allowed"


def test_a_missing_interpreter_names_its_language(worker_chiangmai):
    screening = screening_in_state(worker_chiangmai, "open")
    body = {"record": "screening", "record_id": screening.pk, "reason": "no_interpreter"}
    refused = api(worker_chiangmai).post(URL, body, format="json")
    assert refused.status_code == 400
    problem = refused.json()
    assert problem["type"] == "urn:nrm:problem:validation"
    assert problem["errors"]["language"] == ["โปรดระบุภาษาที่ต้องการล่าม"]
    unknown = api(worker_chiangmai).post(URL, body | {"language": "xx"}, format="json")
    assert unknown.status_code == 400 and "language" in unknown.json()["errors"]
    assert not Blocker.objects.exists()


def test_a_wait_on_a_referral_and_who_sees_it(worker_chiangmai, worker_tak, director_kredtrakarn):
    referral = referral_in_state(worker_chiangmai, "submitted")
    started = api(worker_chiangmai).post(
        URL, {"record": "referral", "record_id": referral.pk, "reason": "police"}, format="json"
    )
    assert started.status_code == 201
    blocker = started.json()["id"]
    assert api(worker_tak).get(URL).json()["results"] == []
    assert api(worker_tak).get(f"{URL}{blocker}/").status_code == 404
    assert api(worker_tak).post(f"{URL}{blocker}/end/").status_code == 404
    assert api(director_kredtrakarn).get(f"{URL}{blocker}/").status_code == 200


def test_the_wrong_office_and_role_are_refused(worker_tak, worker_chiangmai, central_reviewer):
    screening = screening_in_state(worker_chiangmai, "open")
    body = {"record": "screening", "record_id": screening.pk, "reason": "police"}
    assert api(worker_tak).post(URL, body, format="json").status_code == 404  # not visible
    forbidden = api(central_reviewer).post(URL, body, format="json")
    assert forbidden.status_code == 403  # visible, not the centre's record to speak for
    assert forbidden.json()["type"] == "urn:nrm:problem:action-forbidden"
    bad = api(worker_chiangmai).post(URL, body | {"record": "case"}, format="json")
    assert bad.status_code == 400 and "record" in bad.json()["errors"]
    assert not Blocker.objects.exists()
